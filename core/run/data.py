"""Find the corpus a run was trained on, from its config.json (for resuming and for evaluating it).

`s2s train --data data/grammar` keeps the path as typed, relative to the folder the trainer ran in,
which need not be the current one (the app's, or a later shell's).
"""

from __future__ import annotations

from pathlib import Path

from core.corpus.dataset import GRAMMAR_PAIRS, load_data
from core.errors import UserError


def run_data(path: str | Path, config: dict):
    """The corpus a run was trained on (core.corpus.dataset.load_data of config.json's data spec).

    `s2s train --data data/grammar` keeps the path as typed, relative to the folder the trainer ran
    in, which need not be the app's: a relative path is also looked for next to the runs folder
    (`runs/rev` trained from the folder holding `data/`), and a built-in grammar corpus is
    regenerated; the candidate whose fingerprint is the run's wins.
    """
    run = Path(path)
    data = config.get("data", {})
    spec = str(data.get("spec", "")).strip()
    if not spec:
        raise UserError(f"run {run.name}'s config.json does not say which data it was trained on")
    fingerprint = data.get("fingerprint")
    if spec == "grammar" or spec.startswith("grammar:"):
        return load_data(spec)
    parts = [p.strip() for p in spec.split(",")] if "," in spec else [spec]
    candidates = [spec]
    if not all(Path(p).is_absolute() for p in parts):
        for base in (run.parent.parent, run.parent, run):
            candidates.append(",".join(p if Path(p).is_absolute() else str(base / p) for p in parts))
    existing = [c for c in candidates if all(Path(p).exists() for p in c.split(","))]
    for candidate in existing:
        found = load_data(candidate)
        if fingerprint is None or found.fingerprint() == fingerprint:
            return found
    if data.get("is_grammar"):
        n = sum(int(data.get(k, 0)) for k in ("n_train", "n_dev", "n_test")) or GRAMMAR_PAIRS
        found = load_data("grammar" if n == GRAMMAR_PAIRS else f"grammar:{n}")
        if found.fingerprint() == fingerprint:
            return found
    if existing:
        return load_data(existing[0])  # changed since the run was trained, but the path the run names
    raise UserError(
        f"run {run.name} was trained on {spec}, which is not found from the current folder ({Path.cwd()}) "
        f"nor next to the runs folder ({run.parent}): start in the folder the run was trained in, "
        "or copy the data there"
    )
