"""The demo files shipped in demo/: a trained forward/reversed pair (demo/runs) and a study report
(demo/studies), shown by the app beside the user's own, read-only (docs/ARCHITECTURE.md, "Demo files").

demo/MANIFEST.json records every shipped file's SHA-256 and how the files were made
(scripts/demo_runs.py, scripts/demo_study.py write it; tests/test_demo.py checks it).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from core import atomic
from core.errors import UserError

DEMO_ROOT = Path(__file__).resolve().parents[2] / "demo"  # as shipped (scripts and tests/test_demo.py)
DEMO_DIR_ENV = "S2S_DEMO_DIR"  # the demo folder the app shows, if not DEMO_ROOT (tests: an empty one)
RUNS = "runs"  # demo/runs/<name>: run folders (config, float16 weights, tokenizers, metrics, status)
STUDIES = "studies"  # demo/studies/<name>: study folders with report.json and report.html only
MANIFEST = "MANIFEST.json"
DEMO_PREFIX = "demo-"  # every demo run's name starts with it
DEMO_PAIR = (
    f"{DEMO_PREFIX}forward",
    f"{DEMO_PREFIX}reversed",
)  # Figure 2's pair (reverse_source False, True)
READ_ONLY = "a demo run, shipped with the app: it is read-only (train your own to resume or extend one)"


def demo_root() -> Path:
    """The demo folder the app shows: $S2S_DEMO_DIR, else DEMO_ROOT."""
    return Path(os.environ.get(DEMO_DIR_ENV) or DEMO_ROOT)


def demo_runs_dir(root: Path | None = None) -> Path:
    return (root or demo_root()) / RUNS


def demo_studies_dir(root: Path | None = None) -> Path:
    return (root or demo_root()) / STUDIES


def is_demo(path: str | Path) -> bool:
    """Whether `path` lies inside a demo folder (the one shown, or the one shipped)."""
    resolved = Path(path).resolve()
    return any(resolved.is_relative_to(root.resolve()) for root in (demo_root(), DEMO_ROOT))


def refuse_demo(path: str | Path, doing: str) -> None:
    """UserError when `path` is a demo run or study: nothing may write to it."""
    if is_demo(path):
        raise UserError(f"{Path(path).name} is {READ_ONLY}: it cannot be {doing}")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class Manifest:
    """Every shipped file (path relative to demo/, '/'-separated) -> its SHA-256, and the notes of
    the scripts that made them (settings, the float16 check)."""

    files: dict[str, str]
    notes: dict = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps({"files": self.files, "notes": self.notes}, indent=2, sort_keys=True) + "\n"

    @classmethod
    def read(cls, root: Path = DEMO_ROOT) -> Manifest:
        try:
            data = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls({}, {})
        return cls(dict(data["files"]), dict(data.get("notes", {})))

    def mismatches(self, root: Path = DEMO_ROOT) -> list[str]:
        """Files missing, changed or not recorded ('PATH: why'); empty when demo/ is as shipped."""
        found = {
            p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and p.name != MANIFEST
        }
        wrong = [f"{name}: missing" for name in sorted(set(self.files) - found)]
        wrong += [f"{name}: not in {MANIFEST}" for name in sorted(found - set(self.files))]
        changed = [
            name for name in sorted(found & set(self.files)) if sha256(root / name) != self.files[name]
        ]
        return wrong + [f"{name}: checksum differs" for name in changed]


def record(part: str, notes: dict, root: Path = DEMO_ROOT) -> Manifest:
    """Rewrite the manifest: every file under root/part checksummed anew, the notes of `part`
    replaced; the other parts' entries stay."""
    old = Manifest.read(root)
    files = {name: digest for name, digest in old.files.items() if not name.startswith(f"{part}/")}
    for path in sorted((root / part).rglob("*")):
        if path.is_file():
            files[path.relative_to(root).as_posix()] = sha256(path)
    manifest = Manifest(dict(sorted(files.items())), {**old.notes, part: notes})
    atomic.write_text(root / MANIFEST, manifest.to_json())
    return manifest
