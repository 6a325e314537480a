from explorer import state
from tests.helpers.app import add_run, assert_clean, button, open_page
from tests.helpers.runs import make_run


def test_compare_without_runs(runs_root):
    at = open_page("compare")
    assert_clean(at)
    assert "No trained runs yet" in at.info[0].value


def test_curves_bleu_by_length_and_probe_scores(runs_root, tiny_grammar_run):
    add_run(tiny_grammar_run, runs_root, "fig2-reversed")
    add_run(tiny_grammar_run, runs_root, "fig2-forward")
    make_run(runs_root, "young", state="running")  # no checkpoint yet: curves only
    at = open_page("compare")
    assert_clean(at)
    assert at.multiselect(key="compare_runs").value == ["fig2-reversed", "fig2-forward"]
    assert {"compare_loss", "compare_ppl", "compare_bleu"} <= {c.key for c in at.get("plotly_chart")}
    assert "compare_dynamics" in {c.key for c in at.get("plotly_chart")}  # probe margins during training
    assert at.selectbox(key="compare_dynamics_suite").value == "voice"
    assert any("not over trainings" in c.value for c in at.caption)
    at.number_input(key="compare_limit").set_value(20)
    button(at, "Compute BLEU by length").click().run()
    assert_clean(at)
    bleu = at.session_state[state.COMPARE_RESULT]["bleu"]
    assert [row["sentences"] for row in bleu.table] == [20, 20]
    assert "compare_bleu_len" in {c.key for c in at.get("plotly_chart")}
    at.multiselect(key="compare_suites").set_value(["voice", "figure2_right"])
    button(at, "Score the suites").click().run()
    assert_clean(at)
    rows = at.session_state[state.COMPARE_RESULT]["probes"].rows
    assert {(r["run"], r["suite"]) for r in rows} == {
        (run, suite) for run in ("fig2-reversed", "fig2-forward") for suite in ("voice", "figure2_right")
    }
    assert all(r["margin_low"] <= r["margin"] <= r["margin_high"] for r in rows)
    # each score names what its interval resampled: the voice suite's design, Figure 2's families
    assert {(r["suite"], r["resampled by"]) for r in rows} == {
        ("voice", "verb x people"),
        ("figure2_right", "family"),
    }
    labels = [b.label for b in at.get("download_button")]
    assert labels.count("HTML") == 6 and "Probe scores (JSON)" in labels  # every chart exportable
    at.multiselect(key="compare_runs").set_value(["fig2-reversed", "young"]).run()
    assert_clean(at)  # a run without probe records: said so, the others still drawn
    assert "compare_dynamics" in {c.key for c in at.get("plotly_chart")}
    assert any("No probe margins recorded" in c.value and "young" in c.value for c in at.caption)
