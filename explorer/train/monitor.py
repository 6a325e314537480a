"""Views that follow a training process while it runs (st.fragment with run_every).

They read only the run folder (status.json, metrics.jsonl) and the server's registry of training
processes (cache.training_processes), so a second tab, a browser refresh or a restarted server
sees the same thing.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from core.analysis.bootstrap import INTERVAL_NOTE
from core.render.margin_dynamics import margin_dynamics
from core.render.training_curves import training_dashboard
from core.run.demo import READ_ONLY, is_demo
from core.run.folder import read_metrics
from core.run.probe_log import ProbeLog
from core.run.status import read_status
from explorer import cache, jobs
from explorer.messages import shown_errors
from explorer.train.progress import format_duration, training_progress

REFRESH_S = 2.0
ACTIVE = ("starting", "running")
STOP_HELP = "SIGTERM: the trainer saves a checkpoint and exits; Resume continues from it"


def progress_line(run: Path, label: str | None = None, expected_steps: int | None = None) -> jobs.JobState:
    """A progress bar with step, time left and the last dev scores; returns the job state.
    `expected_steps`: where a run that stops early (TrainConfig.patience) is expected to stop."""
    label = label or run.name
    job = cache.training_processes().job_state(run)
    if job.state == "starting":
        st.progress(0.0, text=f"{label}: starting ({job.message})")
    elif job.state == "missing":
        st.warning(f"{label}: the run folder is gone ({run}).", icon=":material/folder_off:")
    elif job.state == "failed":
        reason = job.message or "no reason was recorded"
        st.error(f"{label} failed: {reason}", icon=":material/error:")
    else:
        status = read_status(run)
        done = training_progress(status.step, status.total_steps, read_metrics(run, "train"))
        dev = read_metrics(run, "dev")
        scores = ""
        if dev:
            bleu = dev[-1].get("bleu")
            scores = f" · dev ppl {dev[-1]['ppl']:.2f}" + (f", BLEU {bleu:.1f}" if bleu is not None else "")
        left = f" · {format_duration(done.eta_s)} left" if job.state == "running" else f" · {job.state}"
        if (
            job.state == "running"
            and expected_steps
            and done.steps_per_s
            and done.step < expected_steps < done.total
        ):
            expected = (expected_steps - done.step) / done.steps_per_s
            left = f" · about {format_duration(expected)} left (at most {format_duration(done.eta_s)})"
        elif job.state == "finished" and job.message not in ("", "finished"):
            left = f" · finished: {job.message}"
        text = f"{label}: step {done.step:,}/{done.total:,}{left}{scores}"
        st.progress(done.fraction if job.state != "finished" else 1.0, text=text)
    return job


def training_monitor(run: Path) -> None:
    """Train: status, progress with ETA, live curves, stop and resume for one run."""
    active = cache.training_processes().job_state(run).state in ACTIVE

    @st.fragment(run_every=REFRESH_S if active else None)
    def monitor() -> None:
        with shown_errors(f"following {run.name}"):
            job = progress_line(run)
            status = read_status(run)
            if status.device:
                st.caption(f"Training on **{status.device}** · {status.message}")
            if job.state in ("running", "finished", "stopped", "failed") and run.exists():
                train, dev = read_metrics(run, "train"), read_metrics(run, "dev")
                if train or dev:
                    fig = training_dashboard(train, dev, status.total_steps or None)
                    st.plotly_chart(fig, key=f"curves_{run.name}")
                else:
                    st.caption("The curves appear with the first training records.")
                probe_dynamics(run, status.total_steps or None, bool(dev))
            _controls(run, job)
            if (job.state in ACTIVE) != active:
                st.rerun()

    monitor()


def probe_dynamics(run: Path, total_steps: int | None, evaluated: bool) -> None:
    """The probe margins scored at each dev evaluation, one line per suite (or why there are none)."""
    records = read_metrics(run, "probe")
    log = ProbeLog.read(records)
    for suite, why in log.skipped.items():
        st.caption(f"Probe suite {suite} is not scored: {why}")
    if log.curves:
        st.plotly_chart(margin_dynamics(records, total_steps), key=f"probes_{run.name}")
        st.caption(
            "Margin = cos(anchor, positive) − cos(anchor, negative), scored at each dev evaluation. "
            f"{INTERVAL_NOTE}."
        )
    elif evaluated and not records:
        st.caption(
            "No probe margins in this run: it was trained before probes were scored during training, or "
            "with no probe suites."
        )


def _controls(run: Path, job: jobs.JobState) -> None:
    if is_demo(run):  # no Stop, no Resume
        st.caption(f"{run.name} is {READ_ONLY}.")
        return
    if job.state in ACTIVE:
        if st.button("Stop", key=f"stop_{run.name}", icon=":material/stop_circle:", help=STOP_HELP):
            stopped = cache.training_processes().stop(run)
            st.toast("Stopping: a checkpoint is saved first" if stopped else "Nothing to stop")
        return
    if job.state in ("stopped", "failed", "finished") and jobs.can_resume(run):
        status = read_status(run)
        step, total = status.step, status.total_steps
        if job.state == "finished":
            total = step + max(100, step // 2)  # longer than it was: a finished run only resumes to extend it
        left, right = st.columns([1, 2])
        steps = left.number_input(
            "Train until step",
            min_value=step + 1,
            value=max(total, step + 1),
            step=100,
            key=f"resume_steps_{run.name}",
            help="the run's total; raise it to train a finished run longer",
        )
        right.write("")
        if right.button("Resume", key=f"resume_{run.name}", icon=":material/play_circle:"):
            with shown_errors(f"resuming {run.name}"):
                cache.training_processes().resume(run, steps=int(steps))
                st.rerun()
