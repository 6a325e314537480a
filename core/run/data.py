"""Find the corpus a run was trained on, from its config.json (for resuming and for evaluating it).

`s2s train --data data/grammar` keeps the path as typed, relative to the folder the trainer ran in,
which need not be the current one (the app's, or a later shell's).
"""

from __future__ import annotations

from pathlib import Path

from core.corpus.dataset import ParallelData, load_data
from core.corpus.spec import DataSpec
from core.errors import UserError
from core.run.config import RunConfig


def run_data(path: str | Path, config: RunConfig) -> ParallelData:
    """The corpus a run was trained on (core.corpus.dataset.load_data of config.json's data spec).

    A relative path is also looked for next to the runs folder (`runs/rev` trained from the
    folder holding `data/`), and a built-in grammar corpus is regenerated; the candidate whose
    fingerprint is the run's wins.
    """
    run = Path(path)
    record = config.data
    if not record.spec.strip():
        raise UserError(f"run {run.name}'s config.json does not say which data it was trained on")
    spec = DataSpec.parse(record.spec)
    if spec.is_grammar:
        return load_data(spec)
    candidates = [spec]
    if spec.has_relative_paths:
        candidates += [spec.relative_to(base) for base in (run.parent.parent, run.parent, run)]
    existing = [c for c in candidates if c.exists()]
    for candidate in existing:
        found = load_data(candidate)
        if record.fingerprint is None or found.fingerprint() == record.fingerprint:
            return found
    if record.is_grammar:  # a folder written by `s2s corpus grammar`: the same pairs, regenerated
        found = load_data(DataSpec.grammar(record.n_train + record.n_dev + record.n_test or None))
        if found.fingerprint() == record.fingerprint:
            return found
    if existing:
        return load_data(existing[0])  # changed since the run was trained, but the path the run names
    raise UserError(
        f"run {run.name} was trained on {spec}, which is not found from the current folder ({Path.cwd()}) "
        f"nor next to the runs folder ({run.parent}): start in the folder the run was trained in, "
        "or copy the data there"
    )
