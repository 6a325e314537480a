"""Helpers shared by the tests (no test module imports another; scripts import none of this).

app       AppTest: open a page, add a run, buttons and messages; a training started from the app
cli       one-line errors, `s2s` as a process, the TINY model flags
runs      a run folder without training
study     a synthetic study for the report tests
toy       toy data: numbers.tsv, the reverse task
fuzzing   hypothesis settings of the fuzz tests

The browser tests' server and Chromium are scripts/app_browser.py (scripts/screenshots.py uses them).
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
