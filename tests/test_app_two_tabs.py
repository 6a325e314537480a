"""Two browser tabs (two sessions): each trains its own run while the other browses."""

from explorer import cache, state
from tests.helpers.app import add_run, assert_clean, button, configure, open_page, wait_for


def test_two_tabs_train_and_browse_without_interfering(runs_root, tiny_grammar_run):
    add_run(tiny_grammar_run, runs_root, "rev")
    tab_a = open_page("train", session={state.DATA_SPEC: "grammar:300"})
    tab_b = open_page("train", session={state.DATA_SPEC: "grammar:300"})
    configure(tab_a, "from-a", 30)
    configure(tab_b, "from-b", 20)
    button(tab_a, "Start training").click().run()
    button(tab_b, "Start training").click().run()
    assert_clean(tab_a)
    assert_clean(tab_b)
    # while both train, tab B browses the finished run's thought vectors
    tab_b.switch_page("pages/4_Thought_Vectors.py").run()
    button(tab_b, "Draw the maps").click().run()
    assert_clean(tab_b)
    assert {"tv_map_0", "tv_map_1"} <= {c.key for c in tab_b.get("plotly_chart")}
    assert wait_for(runs_root / "from-a")["step"] == 30
    assert wait_for(runs_root / "from-b")["step"] == 20
    # each tab follows only the job it started; both runs are complete and separate
    assert set(tab_a.session_state[state.JOBS]) == {"from-a"}
    assert set(tab_b.session_state[state.JOBS]) == {"from-b"}
    for name in ("from-a", "from-b"):
        assert (runs_root / name / "model.safetensors").is_file()
        assert cache.training_processes().job_state(runs_root / name).state == "finished"
    tab_a.run()
    assert_clean(tab_a)
    assert tab_a.selectbox(key="train_watch").value == "from-a"
