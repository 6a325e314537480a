"""Probe suites by name: the built-in ones and TSV files (the format: core.corpus.probe_suite).

    load_suite("builtin:voice")        the grammar's voice suite (200 families, tagged)
    load_suite("probes/mine.tsv")      a suite file

The built-in suites come from the grammar corpus (core.corpus.grammar.minimal_pairs).
"""

from __future__ import annotations

from pathlib import Path

from core.corpus.grammar import builtin_probe_suites
from core.corpus.probe_suite import ProbeTable, parse_suite
from core.errors import UserError

BUILTIN_PREFIX = "builtin:"
# the 200-family controlled suites: scored during training, in studies, and offered first by Compare
STANDARD_SUITES = ("voice", "fronting", "bshift", "tense")
# scored at every dev evaluation unless a run asks otherwise (s2s train --probe-suite / --no-probes)
DEFAULT_PROBE_SUITES = tuple(BUILTIN_PREFIX + name for name in STANDARD_SUITES)
# the flag that names probe suites (TSV files or builtin:NAME) on `s2s train` and `s2s study`
# (core.cli.flags.add_probe_suites), in a study's train commands and in the Study page's command
PROBE_SUITE_FLAG = "--probe-suite"


def read_suite(path: str | Path) -> ProbeTable:
    path = Path(path)
    if not path.is_file():
        what = "is a folder, not a suite file" if path.is_dir() else "does not exist"
        raise UserError(
            f"probe suite {path} {what} (or use builtin:NAME, NAME one of {', '.join(builtin_suites())})"
        )
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as err:
        raise UserError(f"probe suite {path} is not UTF-8 text") from err
    except OSError as err:  # unreadable: permissions, a vanished file
        raise UserError(f"cannot read probe suite {path}: {err.strerror or err}") from None
    return parse_suite(text, path.stem)


def builtin_suites() -> dict[str, ProbeTable]:
    """voice, voice_pronoun, fronting, bshift, tense (200 families each), figure2_left,
    figure2_right: the grammar's suites, tagged (core.corpus.grammar.minimal_pairs)."""
    return builtin_probe_suites()


def load_suite(spec: str) -> ProbeTable:
    """ "builtin:voice" (or a bare built-in name) or the path of a TSV suite."""
    spec = str(spec)
    name = spec[len(BUILTIN_PREFIX) :] if spec.startswith(BUILTIN_PREFIX) else spec
    suites = builtin_suites()
    if name in suites and (spec.startswith(BUILTIN_PREFIX) or not Path(spec).exists()):
        return suites[name]
    if spec.startswith(BUILTIN_PREFIX):
        raise UserError(f"no built-in suite {name!r}; choose one of: {', '.join(suites)}")
    return read_suite(spec)
