import os
import subprocess
from contextlib import ExitStack
from pathlib import Path

from core.run.lock import trainer_lock
from explorer import jobs, state
from tests.helpers.app import add_run, assert_clean, button, open_page
from tests.helpers.runs import make_run


def test_home_without_runs_points_to_training(runs_root):
    at = open_page()
    assert_clean(at)
    assert "No runs yet" in at.info[0].value
    assert button(at, "Reproduce Figure 2")


def test_home_lists_runs(runs_root):
    make_run(runs_root, "rev")
    make_run(runs_root, "broken", state="failed")
    at = open_page()
    assert_clean(at)
    table = at.dataframe[0].value
    assert sorted(table["run"]) == ["broken", "rev"]
    assert set(table["state"]) == {"finished", "failed"}


class FakeProcess:
    pid = 4242

    def poll(self):
        return None  # still starting


def test_reproduce_figure2_starts_both_runs_in_the_background(runs_root, monkeypatch):
    started, locks = [], ExitStack()

    def fake_popen(cmd, **kwargs):
        started.append((cmd, kwargs))
        out = Path(cmd[cmd.index("--out") + 1])
        make_run(out.parent, out.name, state="running", pid=os.getpid())  # as a trainer would, at once
        locks.enter_context(trainer_lock(out))  # and it holds the run's lock while it trains
        return FakeProcess()

    monkeypatch.setattr(subprocess, "Popen", fake_popen)
    at = open_page()
    button(at, "Reproduce Figure 2").click().run()
    assert_clean(at)
    argv = {" ".join(cmd) for cmd, _ in started}
    assert len(argv) == 2
    assert all("-m core train --data grammar" in a and "--preset fast" in a and "--seed 0" in a for a in argv)
    assert {"--reverse-source" in a for a in argv} == {True, False}
    assert all(kwargs["start_new_session"] for _, kwargs in started)  # outlives the tab and the rerun
    assert at.session_state[state.FIGURE2]
    assert sorted(at.dataframe[0].value["run"]) == [
        "fig2-forward",
        "fig2-reversed",
    ]  # the table follows at once
    bars = [p.proto.text for p in at.get("progress")]
    locks.close()
    assert len(bars) == 2 and all(" step 10/10" in text for text in bars)  # followed from status.json


def test_reproduce_figure2_opens_thought_vectors_when_the_runs_exist(runs_root, tiny_grammar_run):
    for name in jobs.FIGURE2_RUNS:
        add_run(tiny_grammar_run, runs_root, name)
    at = open_page()
    button(at, "Reproduce Figure 2").click().run()
    assert_clean(at)
    assert at.title[0].value == "Thought Vectors"
    charts = {chart.key for chart in at.get("plotly_chart")}
    assert {"tv_map_0", "tv_map_1"} <= charts  # the paper's two panels, drawn at once
    assert any("Probe score: margin" in m.value for m in at.markdown)


def test_home_moves_on_to_thought_vectors_once_the_figure2_runs_finish(runs_root, tiny_grammar_run):
    for name in jobs.FIGURE2_RUNS:
        add_run(tiny_grammar_run, runs_root, name)
    at = open_page(session={state.FIGURE2: True})  # this tab pressed the button earlier
    assert_clean(at)
    assert at.title[0].value == "Thought Vectors"
    assert not at.session_state[state.FIGURE2]
