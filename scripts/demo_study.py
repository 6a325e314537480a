"""Ship a study's report as the demo study (demo/studies/NAME): study.json, report.json and
report.html only (no runs, no weights), with their checksums in demo/MANIFEST.json.

    .venv/bin/python scripts/demo_study.py build/demo-study/grammar             # copy its report
    .venv/bin/python scripts/demo_study.py build/demo-study/grammar --rewrite   # rewrite it first

--rewrite runs `s2s study --out STUDY` first: finished runs are not retrained, the report is
written again from them (after a change to the report's format, say). The study shipped now:

    s2s study --data grammar --preset tiny --arms forward,reversed,attention --seeds 3 --jobs 1 \\
        --threads 1 --out build/demo-study/grammar
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.run.demo import DEMO_PREFIX, DEMO_ROOT, STUDIES, demo_studies_dir, record  # noqa: E402
from core.study.layout import REPORT_HTML, REPORT_JSON, STUDY, read_study  # noqa: E402

SHIPPED = (STUDY, REPORT_JSON, REPORT_HTML)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("study", type=Path, help="a study folder with a report (s2s study --out)")
    parser.add_argument("--name", help=f"the demo study's name (default {DEMO_PREFIX}<the folder's name>)")
    parser.add_argument(
        "--rewrite", action="store_true", help="rewrite the report from the study's runs first"
    )
    args = parser.parse_args()
    if args.rewrite:
        subprocess.run(
            [sys.executable, "-m", "core", "study", "--out", str(args.study)], cwd=ROOT, check=True
        )
    spec = read_study(args.study)  # a UserError if it is not a study
    missing = [name for name in SHIPPED if not (args.study / name).is_file()]
    if missing:
        raise SystemExit(
            f"{args.study} has no {', '.join(missing)}: finish the study (s2s study --out {args.study})"
        )
    target = demo_studies_dir(DEMO_ROOT) / (args.name or f"{DEMO_PREFIX}{args.study.name}")
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for name in SHIPPED:
        shutil.copy2(args.study / name, target / name)
    notes = {
        "study": target.name,
        "spec": spec.to_dict(),
        "shipped": list(SHIPPED),
        "how": "scripts/demo_study.py: the report of a real study of the built-in corpus (no runs, no weights)",
    }
    manifest = record(STUDIES, notes, DEMO_ROOT)
    print(f"shipped {target} ({len(manifest.files)} files in {DEMO_ROOT.name}/MANIFEST.json)")


if __name__ == "__main__":
    main()
