"""Study statistics over seeds, curves from metrics.jsonl, loss by position and the summary."""

import json
import math

import numpy as np
import pytest
import torch

from core.errors import UserError
from core.study.arms import parse_arms
from core.study.curves import curve, probe_curves, run_curves, seed_band, steps_to_threshold
from core.study.layout import MAX_SEEDS, StudySpec, read_study, run_folder, write_study
from core.study.stats import ONE_SEED_NOTE, estimate, paired_difference


def test_estimate_is_the_mean_with_a_t_interval():
    values = [1.0, 2.0, 4.0]
    e = estimate(values)
    half = 4.302652729911275 * np.std(values, ddof=1) / math.sqrt(3)  # t(0.975, df=2)
    assert e.mean == pytest.approx(7 / 3)
    assert (e.low, e.high) == pytest.approx((7 / 3 - half, 7 / 3 + half))
    assert e.n == 3 and e.note is None


def test_one_seed_gives_no_interval_and_says_so():
    e = estimate([3.0, None, float("nan")])
    assert (e.mean, e.low, e.high, e.n) == (3.0, None, None, 1)
    assert e.to_dict()["note"] == ONE_SEED_NOTE
    assert estimate([]).mean is None


def test_bounds_cut_the_interval():
    e = estimate([0.99, 0.5, 0.97], bounds=(0.0, 1.0))
    assert e.high == 1.0 and e.low >= 0.0


def test_paired_difference_counts_wins_in_the_right_direction():
    forward, reversed_ = [10.0, 12.0, 11.0], [8.0, 10.5, 9.5]
    d = paired_difference(reversed_, forward, "lower")
    assert d.estimate.mean == pytest.approx(-5 / 3) and d.wins == 3
    assert d.estimate.excludes_zero()
    assert paired_difference(reversed_, forward, "higher").wins == 0
    missing = paired_difference([8.0, None, 9.5], forward, "lower")
    assert missing.estimate.n == 2  # a seed missing on one side leaves the pair out
    with pytest.raises(UserError, match="one value per seed"):
        paired_difference([1.0], forward, "lower")


def test_curves_keep_the_last_record_of_a_repeated_step(tmp_path):
    records = [{"kind": "dev", "step": 20, "bleu": 1.0}, {"kind": "dev", "step": 40, "bleu": 2.0},
               {"kind": "dev", "step": 40, "bleu": 3.0}, {"kind": "train", "step": 10, "loss": 5.0}]  # fmt: skip
    (tmp_path / "metrics.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records) + '{"torn')
    curves = run_curves(tmp_path)
    assert curves["dev_bleu"] == {20: 1.0, 40: 3.0} and curves["train_loss"] == {10: 5.0}
    assert probe_curves(tmp_path) == {}  # a run from before probe records: no curves, no error
    assert steps_to_threshold(curves["dev_bleu"], 2.5) == 40
    assert steps_to_threshold(curves["dev_bleu"], 9.0) is None
    assert curve([{"step": 5, "margin": None}], "margin") == {}


def test_seed_band_aligns_seeds_on_their_steps():
    band = seed_band([{10: 1.0, 20: 2.0}, {10: 3.0, 20: 4.0, 30: 5.0}])
    assert band.steps == (10, 20, 30)
    assert band.band.mean == (2.0, 3.0, 5.0) and band.band.n == (2, 2, 1)
    assert band.band.low[2] is None


def test_arms_and_study_spec_validate_themselves(tmp_path):
    assert parse_arms("reversed, forward") == ("forward", "reversed")
    for bad, message in (("forward,sideways", "unknown arm"), ("reversed", "needs forward"),
                         ("forward,forward,reversed", "twice")):  # fmt: skip
        with pytest.raises(UserError, match=message):
            parse_arms(bad)
    for seeds in (0, MAX_SEEDS + 1, 10**30):  # 10**30 hung, building every run's name
        with pytest.raises(UserError, match="--seeds"):
            StudySpec("grammar", "tiny", ("forward", "reversed"), seeds)
    spec = StudySpec("grammar:3000", "tiny", ("forward", "reversed"), 2, 40, ("--hidden", "32"))
    write_study(tmp_path, spec)
    assert read_study(tmp_path) == spec
    assert run_folder(tmp_path, "reversed", 1) == tmp_path / "runs" / "reversed-s1"
    with pytest.raises(UserError, match="not a study folder"):
        read_study(tmp_path / "nothing")


def _report(forward, other):
    """A report's scores, tests and primary section for two arms' per-seed values (the same
    numbers for perplexity, BLEU and chrF), as core.study.report assembles them."""
    from core.evaluation import TestScores
    from core.study.measure import RunMeasure
    from core.study.multiplicity import adjust
    from core.study.primary import primary_section
    from core.study.records import RunRecord
    from core.study.scores import scores

    runs = {}
    for arm, values in (("forward", forward), ("reversed", other)):
        for seed, v in enumerate(values):
            test = TestScores(f"{arm}-s{seed}", 100, 50, 5, v, v, v, 1.0, "bleu-sig", "chrf-sig", ())
            runs[arm, seed] = RunRecord(RunMeasure(100, None, test, None, {}), {}, {})
    section, tests = scores(runs, ["forward", "reversed"], range(len(forward)), ("test.bleu", "test.ppl"))
    tests = adjust(tests)
    return {"arms": ["forward", "reversed"], "scores": section, "primary": primary_section(tests, section)}


def said(report: dict, key: str) -> str:
    from core.study.summary import primary_sentence

    row = next(row for row in report["primary"] if row.test.key == key)
    return primary_sentence(report["scores"], row)


def test_summary_claims_only_what_the_adjusted_test_supports():
    clear = _report([10.0, 12.0, 11.0], [8.0, 10.1, 9.0])  # p about 0.002 for both: Holm lets both through
    assert said(clear, "test.ppl:reversed-forward").startswith("reversal lowered test perplexity: 11 -> 9.03")
    assert said(clear, "test.bleu:reversed-forward").startswith("reversal lowered test BLEU")
    none = said(_report([10.0, 12.0, 11.0], [12.0, 10.0, 11.1]), "test.ppl:reversed-forward")
    assert "inconclusive: more than 1,000 seeds would be needed" in none or "inconclusive: about" in none
    # p = 0.045 on each: under 0.05 alone, not after Holm over the two primary comparisons
    borderline = _report([10.0, 12.0, 11.0], [10.6, 12.9, 11.5])
    row = borderline["primary"][0].test
    assert row.p < 0.05 < row.adjusted and not row.holds
    text = said(borderline, "test.ppl:reversed-forward")
    assert "raised" not in text and "inconclusive: about" in text and "Holm-adjusted" in text
    one = said(_report([10.0], [8.0]), "test.ppl:reversed-forward")
    assert "one seed: no test, so no claim" in one


def test_position_sentence_says_only_what_its_adjusted_tests_hold():
    from core.study.multiplicity import EXPLORATORY, Test
    from core.study.stats import Estimate
    from core.study.summary import position_sentence
    from core.study.target_positions import EarlyVsLate

    def sentence(
        early: float, late: float, low: float, high: float, early_holds: bool, contrast_holds: bool
    ) -> str:
        contrast = Estimate(early - late, low, high, 3, ())
        found = EarlyVsLate(
            3, Estimate(early, None, None, 3, ()), Estimate(late, None, None, 3, ()), contrast
        )
        tests = [Test("position.early:reversed-forward", EXPLORATORY, early, 0.01, 0.01 if early_holds else 0.2),
                 Test("position.contrast:reversed-forward", EXPLORATORY, early - late, 0.01,
                      0.01 if contrast_holds else 0.2)]  # fmt: skip
        return position_sentence(found, "reversed", tests)

    assert "helps the first target words more than the later ones" in sentence(
        -0.3, -0.1, -0.3, -0.1, True, True
    )
    assert "as the paper's explanation predicts" in sentence(-0.3, -0.1, -0.3, -0.1, True, True)
    assert "the first target words gain more than the later ones" in sentence(
        0.01, 0.2, -0.3, -0.1, False, True
    )
    hurts = sentence(0.08, -0.002, 0.04, 0.12, True, True)  # Tatoeba, 1,500 steps
    assert "hurts the first target words more than the later ones" in hurts and "not what" in hurts
    assert "helps the first target words less than the later ones" in sentence(
        -0.05, -0.2, 0.1, 0.2, True, True
    )
    # the same numbers without adjusted tests that hold: no direction is read from a sign
    assert "no difference between the first" in sentence(-0.3, -0.1, -0.3, -0.1, True, False)
    assert sentence(-0.3, -0.1, -0.3, -0.1, True, False).startswith("exploratory:")


def test_loss_by_position_adds_up_to_the_model_loss():
    from core.analysis.position_loss import loss_by_position
    from core.batching import EncodedPairs
    from core.model import ModelConfig, Seq2Seq

    torch.manual_seed(0)
    model = Seq2Seq(ModelConfig(20, 20, emb_dim=8, hidden=8, layers=1, dropout=0.0, attention=True))
    data = EncodedPairs([[5, 6, 7], [8, 9], [4]], [[5, 6], [7, 8, 9, 10], [11]])
    mean, count = loss_by_position(model, data, torch.device("cpu"), positions=6, batch_size=2)
    assert count.tolist() == [3, 3, 2, 1, 1, 0]  # target words + EOS
    assert math.isnan(mean[5])
    from core.batching import make_batch

    b = make_batch(data, [0, 1, 2])
    with torch.no_grad():
        total, n = model(b.src, b.src_len, b.tgt_in, b.tgt_out)
    assert float(np.nansum(mean * count)) == pytest.approx(float(total), rel=1e-5) and int(n) == count.sum()
