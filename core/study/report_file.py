"""report.json: the typed, versioned report of a study (Report), its one reader and writer.

Every section is a frozen dataclass beside the code that computes it, each with to_dict (the JSON
of report.json) and from_dict; core.study.report assembles a Report, core.study.summary,
core.render and the app read one. A report of another REPORT_VERSION is refused with the command
that writes it again.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from core import atomic
from core.errors import UserError
from core.study.alike import Alike
from core.study.by_length import ByLength
from core.study.cka_seeds import CkaSection
from core.study.compare import Figure2Maps
from core.study.layout import REPORT_JSON, StudySpec
from core.study.learning import LearningCurves, ThresholdSteps
from core.study.multiplicity import Test
from core.study.paired_bleu import PairedBleu
from core.study.primary import PrimaryComparison
from core.study.probe_margins import ProbeMargins
from core.study.provenance import Provenance
from core.study.scores import Scores
from core.study.target_positions import PositionLoss

REPORT_VERSION = (
    2  # 2: tests with adjusted p, seeds needed, paired bootstrap BLEU, cross-seed CKA, start records
)


@dataclass(frozen=True)
class Report:
    """A study's report: every section, the tests with their adjusted p-values, and the summary
    computed from them (core.study.summary). In report.json's order."""

    study: str  # the study folder's name
    spec: StudySpec
    arms: tuple[str, ...]  # the arms with a finished run, in the spec's order
    seeds: tuple[int, ...]  # the spec's seeds
    runs: Mapping[str, str]  # finished run name -> its folder, relative to the study's
    missing_runs: tuple[str, ...]  # not finished, left out
    provenance: Provenance
    notes: tuple[str, ...]  # what a reader must know first (missing runs, differing configurations)
    alike: Alike
    primary: tuple[PrimaryComparison, ...]
    scores: Scores
    paired_bleu: tuple[PairedBleu, ...]
    curves: LearningCurves
    steps_to_bleu: ThresholdSteps
    by_length: ByLength
    position_loss: PositionLoss
    probes: ProbeMargins
    cka: CkaSection
    figure2: Figure2Maps
    tests: tuple[Test, ...]  # every comparison, adjusted (core.study.multiplicity)
    summary: tuple[str, ...] = ()

    def test(self, key: str) -> Test | None:
        return next((t for t in self.tests if t.key == key), None)

    def to_dict(self) -> dict:
        """report.json's contents: strict JSON (NaN and infinities as null)."""
        plain = {
            "study": self.study,
            "spec": self.spec.to_dict(),
            "arms": list(self.arms),
            "seeds": list(self.seeds),
        }
        runs = {"runs": dict(self.runs), "missing_runs": list(self.missing_runs)}
        sections = {
            "provenance": self.provenance.to_dict(),
            "notes": list(self.notes),
            "alike": self.alike.to_dict(),
            "primary": [row.to_dict() for row in self.primary],
            "scores": self.scores.to_dict(),
            "paired_bleu": [row.to_dict() for row in self.paired_bleu],
            "curves": self.curves.to_dict(),
            "steps_to_bleu": self.steps_to_bleu.to_dict(),
            "by_length": self.by_length.to_dict(),
            "position_loss": self.position_loss.to_dict(),
            "probes": self.probes.to_dict(),
            "cka": self.cka.to_dict(),
            "figure2": self.figure2.to_dict(),
            "tests": [t.to_dict() for t in self.tests],
        }
        return strict_json(
            {"version": REPORT_VERSION, **plain, **runs, **sections, "summary": list(self.summary)}
        )

    @classmethod
    def from_dict(cls, d: dict, source: str = "the report") -> Report:
        """A UserError for a report of another version, naming `source` and how to write it again."""
        if d.get("version") != REPORT_VERSION:
            raise UserError(
                f"{source} is report version {d.get('version')}; this program reads version "
                f"{REPORT_VERSION}: write it again with `s2s study --out STUDY`"
            )
        return cls(
            d["study"],
            StudySpec.from_dict(d["spec"]),
            tuple(d["arms"]),
            tuple(d["seeds"]),
            dict(d["runs"]),
            tuple(d["missing_runs"]),
            Provenance.from_dict(d["provenance"]),
            tuple(d["notes"]),
            Alike.from_dict(d["alike"]),
            tuple(PrimaryComparison.from_dict(row) for row in d["primary"]),
            Scores.from_dict(d["scores"]),
            tuple(PairedBleu.from_dict(row) for row in d["paired_bleu"]),
            LearningCurves.from_dict(d["curves"]),
            ThresholdSteps.from_dict(d["steps_to_bleu"]),
            ByLength.from_dict(d["by_length"]),
            PositionLoss.from_dict(d["position_loss"]),
            ProbeMargins.from_dict(d["probes"]),
            CkaSection.from_dict(d["cka"]),
            Figure2Maps.from_dict(d["figure2"]),
            tuple(Test.from_dict(t) for t in d["tests"]),
            tuple(d["summary"]),
        )

    @classmethod
    def read(cls, study: str | Path) -> Report:
        """The report.json of a study folder; a UserError (one line) when it is missing, damaged or
        of another version."""
        path = Path(study) / REPORT_JSON
        again = f"write it again with `s2s study --out {study}`"
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as err:
            raise UserError(f"{path} cannot be read ({err}): {again}") from err
        if not isinstance(raw, dict) or raw.get("version") != REPORT_VERSION:
            version = raw.get("version") if isinstance(raw, dict) else None
            raise UserError(
                f"{path} is report version {version}; this program reads version {REPORT_VERSION}: {again}"
            )
        try:
            return cls.from_dict(raw, str(path))
        except (KeyError, TypeError, ValueError) as err:
            raise UserError(f"{path} is damaged ({type(err).__name__}: {err}): {again}") from err

    def write(self, study: str | Path) -> Path:
        return atomic.write_json(Path(study) / REPORT_JSON, self.to_dict())


def strict_json(value):
    """NaN and infinities -> None, tuples -> lists, keys -> str: report.json is strict JSON."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): strict_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [strict_json(v) for v in value]
    return value
