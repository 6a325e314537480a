"""The arms of a study: what each one changes, and nothing else.

Within a seed every arm gets the same data, data order, budget and initial weights where shapes
agree; an arm differs only in the flags below.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import UserError


@dataclass(frozen=True)
class Arm:
    name: str
    reverse_source: bool
    attention: bool
    description: str

    def train_flags(self) -> list[str]:
        """The `s2s train` flags that make this arm."""
        flags = ["--reverse-source" if self.reverse_source else "--no-reverse-source"]
        return flags + (["--attention"] if self.attention else [])


ARMS = {
    "forward": Arm("forward", False, False, "the source read left to right: the baseline"),
    "reversed": Arm("reversed", True, False, "the source reversed (Sutskever et al. 2014, 3.3)"),
    "attention": Arm("attention", True, True, "reversed plus Luong attention (not in the paper)"),
}
BASELINE = "forward"  # every other arm is compared with it, seed by seed


def parse_arms(text: str | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """ "forward,reversed" -> ("forward", "reversed"): known names, no repeats, forward included."""
    names = [n.strip() for n in text.split(",")] if isinstance(text, str) else [str(n) for n in text]
    names = [n for n in names if n]
    unknown = [n for n in names if n not in ARMS]
    if unknown:
        raise UserError(
            f"unknown arm {unknown[0]!r}: choose from {', '.join(ARMS)} (e.g. --arms forward,reversed)"
        )
    if len(set(names)) != len(names):
        raise UserError(f"--arms names an arm twice: {','.join(names)}")
    if BASELINE not in names or len(names) < 2:
        raise UserError(
            f"--arms needs {BASELINE} (the baseline the others are compared with) and at least one "
            "other arm, e.g. --arms forward,reversed"
        )
    return tuple(sorted(names, key=list(ARMS).index))
