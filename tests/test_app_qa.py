"""Defects found by exploratory testing in a real browser, each pinned by an AppTest."""

import json
import subprocess

from explorer import jobs, state
from tests.app_helpers import add_run, assert_clean, button, fresh_app, open_page, texts  # noqa: F401


def test_resume_is_followed_live_before_the_trainer_rewrites_status(runs_root, tiny_grammar_run, monkeypatch):
    """Resume launched the trainer, but status.json still said "finished" until the new process had
    loaded torch and the data: the page saw no active job, switched its refresh off, and kept showing
    the old state while the run trained (it never updated without a manual reload)."""
    run = add_run(tiny_grammar_run, runs_root, "r1")
    status = json.loads((run / "status.json").read_text())
    assert status["state"] == "finished"
    monkeypatch.setattr(jobs, "command", lambda argv: ["sleep", "60"])  # a trainer that is still loading
    at = open_page("train", session={state.WATCHED_RUN: "r1"})
    assert "finished" in at.get("progress")[0].proto.text
    button(at, "Resume").click().run()
    try:
        assert_clean(at)
        assert jobs.job_state(run).state == "starting"
        text = at.get("progress")[0].proto.text
        assert "starting" in text and "resuming from step" in text, text
        assert button(at, "Stop")  # the run can be stopped while it loads
    finally:
        process = jobs._processes[run.resolve()]
        process.terminate()
        process.wait(10)


def test_stopping_saves_status_before_exit_is_not_mistaken_for_a_resume(runs_root, tiny_grammar_run):
    """A process that rewrote status.json after it was launched is past its start: its state counts."""
    run = add_run(tiny_grammar_run, runs_root, "r2")
    process = subprocess.Popen(["sleep", "60"])
    try:
        jobs._processes[run.resolve()] = process
        jobs._launched[run.resolve()] = json.loads((run / "status.json").read_text())["updated"] - 5
        assert jobs.job_state(run).state == "finished"
    finally:
        process.terminate()
        process.wait(10)
        jobs._processes.pop(run.resolve(), None)
        jobs._launched.pop(run.resolve(), None)


def test_fixed_basis_reports_each_models_own_explained_variance():
    """In a fixed basis (the first model's PCA axes), the second model's caption repeated the first
    model's explained variance (74%, 19%, 5% for both Figure 2 models); its own share differs."""
    import numpy as np

    from explorer import cache

    rng = np.random.default_rng(0)
    first = (rng.normal(size=(20, 10)) * np.arange(10, 0, -1)).astype(np.float32)
    second = (rng.normal(size=(20, 10)) * np.arange(1, 11)).astype(np.float32)  # its variance elsewhere
    a, b = cache.projections((first, second), "pca", 2, 0, "basis")
    own = tuple(np.asarray(b["coords"], dtype=np.float64).var(0, ddof=1) / second.var(0, ddof=1).sum())
    assert np.allclose(b["explained_variance"], own, atol=1e-4)
    assert sum(b["explained_variance"]) < 0.2 < sum(a["explained_variance"])
    alone = cache.projections((first,), "pca", 2, 0, "basis")[0]["explained_variance"]
    assert np.allclose(a["explained_variance"], alone)  # the first model: its PCA's own ratios
    procrustes = cache.projections((first, second), "pca", 2, 0, "procrustes")
    assert np.allclose(
        procrustes[1]["explained_variance"],
        cache.projections((second,), "pca", 2, 0, "basis")[0]["explained_variance"],
    )


def test_map_title_names_the_projection_as_the_controls_do(runs_root, tiny_grammar_run):
    """The map said "TSNE of hc" (the method key upper-cased) under a Projection box saying t-SNE."""
    add_run(tiny_grammar_run, runs_root, "rev")
    at = open_page("vectors")
    at.radio(key="tv_source").set_value("Typed sentence groups").run()
    at.text_area(key="tv_text").input("John admires Mary\nMary is admired by John\n\nMary admires John")
    at.selectbox(key="tv_method").set_value("tsne")
    button(at, "Draw the maps").click().run()
    assert_clean(at)
    chart = next(c for c in at.get("plotly_chart") if c.key == "tv_map_0")
    title = json.loads(chart.proto.spec)["layout"]["title"]["text"]
    assert title == "typed: t-SNE of hc, layers all", title


def test_a_failed_trace_does_not_leave_the_previous_trajectory(runs_root, tiny_grammar_run):
    """After a trace, tracing an empty box (or 9 sentences) showed the error above the previous
    sentences' trajectory, as if it belonged to the new input."""
    add_run(tiny_grammar_run, runs_root, "rev")
    at = open_page("vectors")
    button(at, "Trace").click().run()
    assert_clean(at)
    assert "tv_traj" in {c.key for c in at.get("plotly_chart")}
    at.text_area(key="tv_traj_text").input("  ")
    button(at, "Trace").click().run()
    assert "type at least one sentence" in " ".join(texts(at.error))
    assert "tv_traj" not in {c.key for c in at.get("plotly_chart")}
