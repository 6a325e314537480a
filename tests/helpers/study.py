"""A synthetic study: every run's numbers as core.study.measure and curves give them, for the report
tests (no training)."""

import numpy as np

from core.analysis.suites import builtin_suites
from core.run.start import StartRecord
from core.study.compare import FIGURE2_SUITES
from core.study.layout import StudySpec
from core.study.measure import MEASURE_VERSION, RunMeasure
from core.study.records import RunRecord
from core.study.report import Collected

SECTIONS = ("scores", "curves", "steps_to_bleu", "by_length", "position_loss", "probes", "cka", "figure2",
            "summary", "provenance", "alike", "tests", "primary", "paired_bleu")  # fmt: skip
ARMS = ("forward", "reversed", "attention")
# per-seed test perplexity and BLEU: attention lowers perplexity by about 2 in every seed (its
# Holm-adjusted test holds); reversal's BLEU gain is small and noisy (raw p about 0.03, which Holm
# over the four primary comparisons does not let through)
TEST_PPL = {"forward": (9.0, 9.4, 8.7), "reversed": (8.9, 9.1, 8.6), "attention": (7.0, 7.3, 6.8)}
TEST_BLEU = {"forward": (20.0, 21.0, 22.0), "reversed": (20.9, 22.3, 22.7), "attention": (25.0, 26.5, 27.0)}


def fake_probe(margin: float, beats: bool) -> dict:
    """One suite's probe_summary (core.study.measure)."""
    lead = {
        "over": "bag_of_bigrams",
        "margin": margin - 0.05,
        "margin_low": margin - 0.1,
        "margin_high": margin,
    }
    described = "200 families in clusters: verb (11) x people (8), crossed (pigeonhole bootstrap)"
    resampling = {
        "unit": "verb x people",
        "families": 200,
        "clusters": {"verb": 11, "people": 8},
        "described": described,
    }
    return {"margin": margin, "margin_low": margin - 0.05, "margin_high": margin + 0.05, "win_rate": 0.5,
            "lead": lead, "beats_baselines": beats, "baselines": {"bag_of_words": -0.2, "bag_of_bigrams": 0.05},
            "resampling": resampling}  # fmt: skip


def fake_run(rng, arm: str, seed: int) -> RunRecord:
    """One run's numbers as core.study.measure and core.study.curves give them."""
    better = {"forward": 0.0, "reversed": 1.0, "attention": 2.0}[arm]

    def split(test: bool):
        ppl = TEST_PPL[arm][seed % 3] if test else 9 - better + 0.1 * rng.normal()
        bleu = TEST_BLEU[arm][seed % 3] if test else 20 + 5 * better + rng.normal()
        return {"run": f"runs/{arm}-s{seed}", "step": 300, "n": 100, "beam": 5, "bleu": bleu, "chrf": 40 + better, "ppl": ppl,
                "loss": 2.0, "signature": {"bleu": "nrefs:1|bleu-sig", "chrf": "chrf-sig"},
                "by_length": [{"bucket": "1-7", "n": 60, "bleu": 25.0 + better}, {"bucket": "8-12", "n": 40, "bleu": 15.0}]}  # fmt: skip

    probes = {
        name: {kind: fake_probe(0.1 * better + 0.01 * rng.normal(), arm != "forward") for kind in ("raw", "centred")}
        for name in ("voice", "fronting", "bshift", "tense")
    }  # fmt: skip
    steps = (100, 200, 300)
    measure = {
        "version": MEASURE_VERSION,
        "step": 300,
        "dev": split(False),
        "test": split(True),
        "probes": probes,
        "position_loss": {
            "positions": list(range(1, 11)),
            "loss": [3.0 - 0.1 * better * (p < 4) + 0.001 * rng.normal() for p in range(1, 11)],
            "count": [100] * 10,
        },
    }
    curves = {
        "train_loss": {s: 5.0 - s / 100 for s in steps},
        "dev_ppl": {s: 20.0 - s / 30 for s in steps},
        "dev_bleu": {s: s / 10 + better + seed for s in steps},
        "dev_chrf": {s: s / 5 for s in steps},
    }
    probe_curves = {"voice": {s: s / 1000 for s in steps}} if seed == 0 else {}
    return RunRecord(RunMeasure.from_dict(measure), curves, probe_curves)


def fake_start(arm: str, seed: int) -> StartRecord:
    """A start record: the arms of a seed share every tensor forward has, attention adds its own."""
    tensors = {f"encoder.{i}": f"s{seed}t{i}" for i in range(4)}
    if arm == "attention":
        tensors["attention.w"] = "own"
    return StartRecord(tensors, {"src.vocab.txt": "tok"}, tuple(f"b{seed}{i}" for i in range(8)))


def fake_collected(arms=ARMS, seeds=3) -> tuple[StudySpec, Collected]:
    rng = np.random.default_rng(0)
    runs = {(a, s): fake_run(rng, a, s) for s in range(seeds) for a in arms}
    base = rng.normal(size=(30, 8))
    vectors = {key: {st: [base @ rng.normal(size=(8, 8)) + 0.1 * rng.normal(size=(30, 8)) for _ in range(2)]
                     for st in ("h", "c")} for key in runs}  # fmt: skip
    tables = builtin_suites()
    figure2 = {
        a: {n: rng.normal(size=(len(tables[n].sentences()), 16)) for n in FIGURE2_SUITES} for a in arms
    }
    configs = {(a, s): {"model": {"src_vocab": 50, "tgt_vocab": 60, "emb_dim": 8, "hidden": 8, "layers": 2,
                                  "reverse_source": a != "forward", "attention": a == "attention"},
                        "train": {"seed": s, "steps": 300}, "data": {"fingerprint": "abcd1234"}, "preset": "tiny"}
               for a, s in runs}  # fmt: skip
    references = tuple(f"the cat number {i} sat on the mat" for i in range(40))
    hypotheses = {(a, s): [r if (i + s) % (3 + ARMS.index(a)) else "a dog" for i, r in enumerate(references)]
                  for a, s in runs}  # fmt: skip
    starts = {(a, s): fake_start(a, s) for a, s in runs}
    tokenizers = {key: {"src.vocab.txt": "tok"} for key in runs}
    spec = StudySpec("grammar:3000", "tiny", arms, seeds, 300)
    return spec, Collected(runs, vectors, figure2, 0, configs, 30, hypotheses, references, starts, tokenizers)


def finite_numbers(value) -> list:
    """Every number in a JSON value (None excluded)."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return []
    if isinstance(value, (int, float)):
        return [value]
    items = value.values() if isinstance(value, dict) else value
    return [n for item in items for n in finite_numbers(item)]
