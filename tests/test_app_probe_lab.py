from tests.helpers.app import add_run, assert_clean, button, open_page, texts


def test_probe_lab_without_runs(runs_root):
    at = open_page("lab")
    assert_clean(at)
    assert "No trained runs yet" in at.info[0].value


def test_probes_neighbours_and_surgery(runs_root, tiny_grammar_run):
    add_run(tiny_grammar_run, runs_root, "rev")
    at = open_page("lab")
    assert_clean(at)
    button(at, "Train the probes").click().run()
    assert_clean(at)
    metrics = {m.label: m.value for m in at.metric}
    assert {"probe accuracy", "control accuracy", "selectivity"} <= set(metrics)
    at.select_slider(key="lab_limit").set_value(500)
    button(at, "Find neighbours").click().run()
    assert_clean(at)
    neighbours = at.dataframe[0].value
    assert len(neighbours) == 10 and (neighbours["cosine"] <= 1.0001).all()
    button(at, "Interpolate").click().run()
    assert_clean(at)
    assert len(at.dataframe[-1].value) == 5
    button(at, "Add the offset and decode").click().run()
    assert_clean(at)
    assert next(iter(at.dataframe[-1].value["vector"])) == "the sentence's own"


def test_empty_sentence_is_a_message(runs_root, tiny_grammar_run):
    add_run(tiny_grammar_run, runs_root, "rev")
    at = open_page("lab")
    at.text_input(key="lab_from").set_value("")
    button(at, "Interpolate").click().run()
    assert not at.exception
    assert "type both sentences" in " ".join(texts(at.error))


def test_margins_by_tag_beside_the_baselines(runs_root, tiny_grammar_run):
    from core.analysis.bootstrap import INTERVAL_SCOPE
    from explorer import state

    add_run(tiny_grammar_run, runs_root, "rev")
    at = open_page("lab")
    assert_clean(at)
    assert "lab_by_tag" not in {c.key for c in at.get("plotly_chart")}  # nothing before the user asks
    at.selectbox(key="lab_tag_suite").set_value("voice").run()
    button(at, "Score by tag").click().run()
    assert_clean(at)
    chart = next(c for c in at.get("plotly_chart") if c.key == "lab_by_tag")
    assert INTERVAL_SCOPE in chart.proto.spec
    assert any(
        "clusters: verb (11) x people (8), crossed" in c for c in texts(at.caption)
    )  # its resampling unit
    suite, run, _, report = at.session_state[state.LAB_RESULT]["by_tag"]
    assert (suite, run) == ("voice", "rev") and set(report["by_tag"]) == {
        "construction",
        "participants",
        "verb",
        "tense",
    }
    assert at.selectbox(key="lab_tag").options == list(report["by_tag"])
    at.selectbox(key="lab_tag").set_value("tense").run()
    assert_clean(at)
    groups = at.session_state[state.LAB_RESULT]["by_tag"][3]["by_tag"]["tense"]["groups"]
    assert sum(g["n"] for g in groups) == report["n"] == 200
    assert set(groups[0]["baselines"]) == {"bag_of_words", "bag_of_bigrams", "untrained"}
    verdicts = [v.value for v in [*at.success, *at.warning] if "Whole suite" in v.value]
    assert len(verdicts) == 1 and (
        "beats all 3 baselines" in verdicts[0] or "not evidence of meaning" in verdicts[0]
    )
