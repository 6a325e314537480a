"""The decoding settings: beam width, n-best, length penalty and the output length limit.

Every field a user can set is a declared option (core.options): `s2s translate`, `s2s eval`,
`s2s surgery` and `s2s study` build their search flags from it (core.cli.flags), and the app's
widgets take their bounds from it. The config checks itself, so a bad value is refused wherever it
comes from.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from core.errors import UserError
from core.options import AT_LEAST_ONE, Declared, Range, option

MAX_BEAM = 100  # wider beams translate no better (Koehn & Knowles 2017, 3.6) and cost memory in proportion
MAX_OUTPUT_TOKENS = 400  # never decode longer than this, whatever the source or the caller asks
MAX_LENGTH_PENALTY = 5.0  # GNMT alpha; Wu et al. 2016 tune it between 0.2 and 1
BEAM = Range(low=1, high=MAX_BEAM, text=f"at least 1 (1 = greedy search) and at most {MAX_BEAM}")
LENGTH_PENALTY = Range(
    low=0, high=MAX_LENGTH_PENALTY, text=f"between 0 (the raw log-probability) and {MAX_LENGTH_PENALTY:g}"
)
ANY_NUMBER = Range(text="a number")  # finite: the length limit is clamped to 1..max_len_cap anyway


@dataclass(frozen=True)
class SearchConfig(Declared):
    beam: int = option(
        5,  # the paper: "a beam of size 2 provides most of the benefits of beam search"; 5 is common
        "beam size (1 = greedy search)",
        range=BEAM,
    )
    nbest: int = option(1, "hypotheses returned per sentence (at most the beam)", range=AT_LEAST_ONE)
    length_penalty: float = option(
        0.0,  # 0 ranks by the raw log-probability, as the paper does
        "GNMT alpha (0 = the raw log-probability)",
        range=LENGTH_PENALTY,
    )
    max_len_a: float = option(2.0, "output limit = a * source length + b", range=ANY_NUMBER)
    max_len_b: int = option(10, "output limit = a * source length + b", range=ANY_NUMBER)
    max_len_cap: int = MAX_OUTPUT_TOKENS  # no caller may decode longer, whatever a and b say

    def __post_init__(self):
        if not _finite(self.length_penalty) or not _finite(self.max_len_a):
            raise UserError("--length-penalty and --max-len-a must be numbers")
        super().__post_init__()
        if self.nbest > self.beam:
            raise UserError(f"--nbest {self.nbest} is larger than --beam {self.beam}: raise the beam")


def _finite(value) -> bool:
    return not isinstance(value, float) or math.isfinite(value)
