"""The first minute: with an empty runs folder, every page offers the shipped demo (read-only),
Thought Vectors draws Figure 2 with no click, Translate translates, Study shows the demo report."""

import pytest

from core.run.demo import DEMO_PAIR, DEMO_ROOT, Manifest
from explorer import state
from tests.helpers.app import assert_clean, button, open_page

pytestmark = pytest.mark.skipif(not Manifest.read(DEMO_ROOT).files, reason="no demo files shipped")


@pytest.fixture(autouse=True)
def first_visit(shipped_demo, runs_root, tmp_path, monkeypatch):
    """The shipped demo, an empty runs folder and an empty studies folder."""
    from explorer.study import studies

    monkeypatch.setenv(studies.STUDIES_DIR_ENV, str(tmp_path / "studies"))


def test_home_guides_a_first_visit_and_lists_the_demo_runs():
    at = open_page(timeout=120)
    assert_clean(at)
    guide = " ".join(m.value for m in at.markdown)
    assert "**The demo:**" in guide and "read-only" in guide
    assert {link.proto.page for link in at.get("page_link")} >= {"Thought_Vectors", "Translate", "Study"}
    table = at.dataframe[0].value
    assert list(table["run"]) == [f"{name} (demo)" for name in DEMO_PAIR]
    estimate = [m.value for m in at.markdown if m.value.startswith("On this machine, now")]
    assert estimate and "ms a step, timed just now" in estimate[0] and "steps the demo pair" in estimate[0]
    assert not any("a few minutes" in m.value for m in at.markdown)


def test_thought_vectors_opens_on_the_demo_pairs_figure2_maps_with_no_click():
    at = open_page("vectors", timeout=180)
    assert_clean(at)
    assert at.selectbox(key=state.TV_RUN).value == DEMO_PAIR[1]  # reversed first
    assert at.selectbox(key=state.TV_RUN2).value == DEMO_PAIR[0]
    assert {"tv_map_0", "tv_map_1"} <= {c.key for c in at.get("plotly_chart")}
    assert any("read-only" in c.value for c in at.caption)


def test_translate_gives_a_translation_from_the_demo_pair():
    at = open_page("translate", timeout=120)
    assert_clean(at)
    assert "Nothing computed yet: press “Translate”." in [c.value for c in at.caption]
    button(at, "Translate").click().run()
    assert_clean(at)
    tables = [t.value for t in at.dataframe]
    assert len(tables) == 4  # two sentences, two models
    assert all(t["translation"].iloc[0] for t in tables)  # a translation in the first row
    best = [t for t in tables if t["translation"].iloc[0] == "John admire Mary"]
    assert len(best) == 2, tables  # "John admires Mary", from both demo models


def test_compare_draws_the_demo_pairs_curves_and_probe_dynamics():
    at = open_page("compare", timeout=120)
    assert_clean(at)
    assert at.multiselect(key="compare_runs").value == [DEMO_PAIR[1], DEMO_PAIR[0]]
    keys = {c.key for c in at.get("plotly_chart")}
    assert {"compare_loss", "compare_ppl", "compare_bleu", "compare_dynamics"} <= keys
    hints = [c.value for c in at.caption if c.value.startswith("Nothing computed yet")]
    assert hints == [
        "Nothing computed yet: press “Compute BLEU by length”.",
        "Nothing computed yet: press “Score the suites”.",
    ]


def test_probe_lab_works_on_a_demo_run():
    at = open_page("lab", timeout=120)
    assert_clean(at)
    assert at.selectbox(key=state.LAB_RUN).value in DEMO_PAIR
    button(at, "Train the probes").click().run()
    assert_clean(at)
    assert {"probe accuracy", "control accuracy", "selectivity"} <= {m.label for m in at.metric}


def test_train_follows_a_demo_run_read_only():
    at = open_page("train", timeout=120)
    assert_clean(at)
    assert at.selectbox(key=state.TRAIN_WATCH).value in DEMO_PAIR
    assert any("read-only" in c.value for c in at.caption)
    assert not [b for b in at.button if b.label in ("Stop", "Resume")]


def test_study_opens_on_the_demo_report():
    at = open_page("study", timeout=120)
    assert_clean(at)
    assert at.selectbox(key="study_pick").value.startswith("demo-")
    assert any("demo study" in c.value for c in at.caption)
    assert at.text and all(t.value.startswith("• ") for t in at.text)
    assert not [b for b in at.button if b.label == "Resume and write the report"]


def test_the_setting_hides_the_demo_runs_and_the_empty_state_says_how_to_show_them():
    at = open_page("translate", session={state.SHOW_DEMO: False}, timeout=120)
    assert_clean(at)
    assert any("Show the demo runs" in i.value for i in at.info)
    at.toggle(key=state.SHOW_DEMO_TOGGLE).set_value(True).run()
    assert_clean(at)
    assert at.selectbox(key=state.TRANSLATE_RUN).value in DEMO_PAIR
