from pathlib import Path

import pytest

from core.errors import UserError
from explorer import cache, jobs, state
from explorer.train.command import TrainOptions, train_argv
from tests.helpers.app import add_run, assert_clean, button, configure, open_page, texts, wait_for


def test_train_page_without_runs(runs_root):
    at = open_page("train")
    assert_clean(at)
    assert any("Device:" in c.value for c in at.caption)
    assert any("No runs yet" in i.value for i in at.info)
    assert "--preset fast" in at.code[0].value  # the command line it would run
    assert any("about 5.9 M parameters" in c.value for c in at.caption)  # fast: 2 x 256, 8k vocabularies
    at.selectbox(key="train_preset").set_value("paper").run()
    assert any("about 160.1 M parameters" in c.value for c in at.caption)


def without_probe_records(run: Path) -> Path:
    """The run as one trained before probes were scored during training: no "probe" records."""
    metrics = run / "metrics.jsonl"
    lines = metrics.read_text().splitlines(keepends=True)
    metrics.write_text("".join(line for line in lines if '"kind": "probe"' not in line))
    return run


def test_probe_margins_during_training_beside_the_curves(runs_root, tiny_grammar_run):
    from core.analysis.bootstrap import INTERVAL_SCOPE

    add_run(tiny_grammar_run, runs_root, "rev")
    without_probe_records(add_run(tiny_grammar_run, runs_root, "zold"))
    at = open_page("train")
    assert_clean(at)
    assert at.selectbox(key="train_watch").value == "rev"
    assert {"curves_rev", "probes_rev"} <= {c.key for c in at.get("plotly_chart")}
    assert any(INTERVAL_SCOPE in c for c in texts(at.caption))
    at.selectbox(key="train_watch").set_value("zold").run()
    assert_clean(at)
    keys = {c.key for c in at.get("plotly_chart")}
    assert "curves_zold" in keys and "probes_zold" not in keys
    assert any("No probe margins in this run" in c for c in texts(at.caption))


def test_command_line_has_only_the_options_that_differ_from_the_preset(tmp_path):
    options = TrainOptions(data="grammar", preset="tiny", reverse_source=False, steps=50, threads=1,
                                overrides={"hidden": 32, "seed": 3})  # fmt: skip
    argv = train_argv(options, tmp_path / "r")
    assert argv[:3] == ["train", "--data", "grammar"]
    assert "--no-reverse-source" in argv and "--no-progress" in argv
    assert argv[argv.index("--hidden") + 1] == "32" and argv[argv.index("--seed") + 1] == "3"
    with pytest.raises(UserError, match=r"run name '\.\./escape' is not allowed"):
        jobs.check_new_run("../escape", tmp_path)


@pytest.mark.slow
def test_start_follow_and_resume_a_run_from_the_page(runs_root):
    at = open_page("train", session={state.DATA_SPEC: "grammar:300"})
    configure(at, "t1", 20)
    button(at, "Start training").click().run()
    assert_clean(at)
    run = runs_root / "t1"
    assert wait_for(run)["state"] == "finished"
    at.run()
    assert_clean(at)
    assert at.selectbox(key="train_watch").value == "t1"
    assert "finished" in at.get("progress")[0].proto.text
    assert "curves_t1" in {c.key for c in at.get("plotly_chart")}
    # a second tab: sees the run, but has its own session (no job of its own)
    other = open_page()
    assert "t1" in list(other.dataframe[0].value["run"]) and other.session_state[state.JOBS] == {}
    # resume a finished run for more steps
    at.number_input(key="resume_steps_t1").set_value(30)
    button(at, "Resume").click().run()
    assert_clean(at)
    assert wait_for(run, step=30)["step"] == 30
    log = jobs.log_path(run).read_text()
    assert "--resume" in log and log.count("$ s2s train") == 2


@pytest.mark.slow
def test_stop_checkpoints_and_the_run_can_resume(runs_root):
    run = runs_root / "long"
    processes = cache.training_processes()
    processes.start(TrainOptions(data="grammar:300", preset="tiny", steps=100_000, threads=1), run)
    wait_for(run, states=("running",), step=10)
    assert processes.job_state(run).state == "running"
    assert processes.stop(run)
    status = wait_for(run, states=("stopped",))
    assert processes.process(run).wait(30) == 0
    assert 10 <= status["step"] < 100_000 and jobs.can_resume(run)
    assert processes.job_state(run).state == "stopped"
    assert not processes.stop(run)  # nothing left to stop


@pytest.mark.slow
def test_a_start_that_fails_at_once_shows_the_log_line(runs_root):
    at = open_page("train", session={state.DATA_SPEC: "/no/such/corpus.tsv"})
    configure(at, "bad", 20)
    button(at, "Start training").click().run()
    assert wait_for(runs_root / "bad")["state"] == "exited"
    at.run()
    assert not at.exception
    assert any("/no/such/corpus.tsv not found" in e for e in texts(at.error))
    assert not (runs_root / "bad").exists()


def test_twin_runs_share_config_and_seed(runs_root, monkeypatch):
    launched = []
    processes = jobs.TrainingProcesses()
    monkeypatch.setattr(
        processes, "_launch", lambda run, argv, append: launched.append((run.name, argv)) or 1
    )
    rev, fwd = processes.start_twins(TrainOptions(data="grammar", preset="tiny"), "pair", runs_root)
    assert (rev.name, fwd.name) == ("pair-rev", "pair-fwd")
    (_, a), (_, b) = launched
    assert "--reverse-source" in a and "--no-reverse-source" in b
    strip = {"--reverse-source", "--no-reverse-source", str(rev), str(fwd)}
    assert [x for x in a if x not in strip] == [x for x in b if x not in strip]
    assert "--seed" in a


def test_one_registry_of_training_processes_serves_every_page_and_session(runs_root):
    assert cache.training_processes() is cache.training_processes()  # st.cache_resource: one per server
    assert jobs.TrainingProcesses().process(runs_root / "any") is None  # a test or a script has its own


def test_stop_never_signals_a_pid_that_does_not_hold_the_runs_lock(runs_root):
    """status.json says "running" with the PID of a live process that is not its trainer (after a
    restart, PIDs are reused): Stop must not kill it."""
    import subprocess

    from tests.helpers.runs import make_run

    stranger = subprocess.Popen(["sleep", "60"])
    try:
        run = make_run(runs_root, "orphan", state="running", pid=stranger.pid)
        processes = jobs.TrainingProcesses()
        assert not processes.is_running(run) and not processes.stop(run)
        assert stranger.poll() is None  # still alive: not signalled
    finally:
        stranger.terminate()
        stranger.wait(10)
