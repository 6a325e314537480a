"""Bootstrap intervals over sentence families: the one resampling behind every probe interval.

A probe suite's families are the unit of resampling: a 95% percentile interval of the mean of
per-family values (margins, or paired differences of margins), drawn with a fixed seed so a
result can be reproduced. It measures how much the score depends on which sentences were drawn,
not how much it depends on the training run (INTERVAL_NOTE says so in every output).
"""

from __future__ import annotations

import numpy as np

from core.errors import UserError
from core.options import Range

N_BOOT = 2000  # resamples: the one default of the CLI, the app and the benchmarks
MAX_BOOT = 100_000  # 50 x the default: the interval stops moving long before; more only costs time
BOOT = Range(low=1, high=MAX_BOOT, text=f"between 1 and {MAX_BOOT:,}")  # resamples a caller may ask for
_BOOT_CHUNK = 256  # bootstrap resamples drawn at once: memory stays small for big suites
INTERVAL_SCOPE = "95% bootstrap interval over sentence families, not over trainings"  # chart captions
INTERVAL_NOTE = (
    f"{INTERVAL_SCOPE}: another training seed can move the margin by more than this; compare runs "
    "with their paired difference, or several seeds"
)


def bootstrap_interval(values: np.ndarray, n_boot: int = N_BOOT, seed: int = 0) -> tuple[float, float]:
    """95% percentile-bootstrap interval of the mean of `values` (n,), resampled with `seed`."""
    values = np.asarray(values, dtype=np.float64)
    if not BOOT.contains(n_boot):
        raise UserError(f"the number of bootstrap resamples must be {BOOT.describe()}, not {n_boot}")
    rng = np.random.default_rng(seed)
    means = []
    for start in range(0, n_boot, _BOOT_CHUNK):
        index = rng.integers(0, len(values), size=(min(_BOOT_CHUNK, n_boot - start), len(values)))
        means.append(values[index].mean(1))
    low, high = np.percentile(np.concatenate(means), [2.5, 97.5])
    return float(low), float(high)


def difference_statistics(diff: np.ndarray, n_boot: int = N_BOOT, seed: int = 0) -> dict:
    """(n,) per-family margins (n >= 1) -> {"margin", "margin_low", "margin_high", "win_rate"}."""
    diff = np.asarray(diff, dtype=np.float64)
    low, high = bootstrap_interval(diff, n_boot, seed)
    return {
        "margin": float(diff.mean()),
        "margin_low": low,
        "margin_high": high,
        "win_rate": float((diff > 0).mean()),
    }
