"""The `--data` spec: the one parser of what `s2s train --data`, `s2s eval --test`, the run's
config.json and the app's data pickers accept.

  grammar | grammar:N     the built-in English -> French grammar corpus (N pairs, default 50,000)
  DIR                     a folder with train.tsv, and optionally dev.tsv and test.tsv
  FILE                    one TSV (src<TAB>tgt), gzipped or not: split deterministically
  SRC_FILE,TGT_FILE       a Moses-style pair of line-aligned files: split deterministically
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.errors import UserError

GRAMMAR = "grammar"
GRAMMAR_PAIRS = 50_000  # the built-in corpus's default size: about 50k pairs
MIN_GRAMMAR_PAIRS = 100  # fewer leaves no dev or test split worth the name
MAX_GRAMMAR_PAIRS = 500_000  # more distinct sentences than the grammar's lexicon yields quickly


def check_grammar_pairs(n: int, what: str) -> int:
    """The built-in corpus's size, or UserError naming `what` (e.g. "--pairs")."""
    if n < MIN_GRAMMAR_PAIRS:
        raise UserError(f"{what}: the grammar corpus needs at least {MIN_GRAMMAR_PAIRS} pairs")
    if n > MAX_GRAMMAR_PAIRS:
        raise UserError(f"{what}: the grammar corpus has at most {MAX_GRAMMAR_PAIRS:,} pairs")
    return n


@dataclass(frozen=True)
class DataSpec:
    text: str  # as typed (stripped): what config.json keeps
    grammar_pairs: int | None = None  # the built-in corpus's size; None for files
    paths: tuple[str, ...] = ()  # one path (a file or a folder), or SRC and TGT

    @classmethod
    def parse(cls, text: str) -> DataSpec:
        """Parse a spec (UserError for `grammar:abc`, `grammar:5`, `grammar:10000000` or an empty spec)."""
        text = str(text).strip()
        if not text:
            raise UserError("no data given: use grammar, a TSV file, a folder or SRC,TGT files")
        if text == GRAMMAR or text.startswith(GRAMMAR + ":"):
            n = GRAMMAR_PAIRS
            if ":" in text:
                try:
                    n = int(text.split(":", 1)[1])
                except ValueError:
                    raise UserError(
                        f"--data {text}: write grammar:N with N a number of pairs, e.g. grammar:20000"
                    ) from None
                check_grammar_pairs(n, f"--data {text}")  # both bounds, here and for `s2s corpus`
            return cls(text, grammar_pairs=n)
        if "," in text and not Path(text).exists():
            src, tgt = (p.strip() for p in text.split(",", 1))
            return cls(text, paths=(src, tgt))
        return cls(text, paths=(text,))

    @classmethod
    def grammar(cls, n_pairs: int | None = None) -> DataSpec:
        """The built-in corpus of `n_pairs` pairs (None: the default size)."""
        n_pairs = n_pairs or GRAMMAR_PAIRS
        return cls.parse(GRAMMAR if n_pairs == GRAMMAR_PAIRS else f"{GRAMMAR}:{n_pairs}")

    @classmethod
    def pair(cls, src: str | Path, tgt: str | Path) -> DataSpec:
        """Two line-aligned Moses files."""
        paths = (str(src), str(tgt))
        return cls(",".join(paths), paths=paths)

    @property
    def is_grammar(self) -> bool:
        return self.grammar_pairs is not None

    @property
    def is_pair(self) -> bool:
        return len(self.paths) == 2

    def exists(self) -> bool:
        return self.is_grammar or all(Path(p).exists() for p in self.paths)

    def relative_to(self, base: Path) -> DataSpec:
        """The same spec with its relative paths read from `base` (grammar specs are unchanged)."""
        if self.is_grammar:
            return self
        paths = tuple(p if Path(p).is_absolute() else str(base / p) for p in self.paths)
        return DataSpec.pair(*paths) if self.is_pair else DataSpec(paths[0], paths=paths)

    @property
    def has_relative_paths(self) -> bool:
        return not all(Path(p).is_absolute() for p in self.paths)

    def __str__(self) -> str:
        return self.text
