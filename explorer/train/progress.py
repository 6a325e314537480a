"""Training progress for the Train and Home pages: share done, speed and time left (no Streamlit)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Progress:
    step: int
    total: int
    fraction: float  # 0..1
    steps_per_s: float | None
    eta_s: float | None  # None until two records give a speed


def training_progress(step: int, total: int, train_records: list[dict], window: int = 20) -> Progress:
    """From status (step, total) and the train records of metrics.jsonl (step, time).

    The speed is measured over the last `window` records, so a resumed run or a slow start
    does not distort the estimate for long.
    """
    fraction = min(1.0, step / total) if total > 0 else 0.0
    recent = [r for r in train_records if "time" in r and "step" in r][-window:]
    speed = eta = None
    if len(recent) >= 2:
        steps = recent[-1]["step"] - recent[0]["step"]
        seconds = recent[-1]["time"] - recent[0]["time"]
        if steps > 0 and seconds > 0:
            speed = steps / seconds
            eta = max(0.0, (total - step) / speed) if total > 0 else None
    return Progress(step, total, fraction, speed, eta)


def format_duration(seconds: float | None) -> str:
    if seconds is None:
        return "estimating…"
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"
