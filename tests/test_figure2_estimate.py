"""Home's estimate of Reproduce Figure 2: timed steps x the demo pair's steps x its evaluation overhead."""

from core.config.model import ModelConfig
from core.config.training import TrainConfig
from core.training.speed import seconds_per_step
from explorer.home.figure2_estimate import Figure2Estimate, eval_overhead


def test_eval_overhead_is_wall_time_over_the_median_training_time():
    # 10 steps a second, but each evaluation (every 4th record) costs 1 s more
    records, now = [], 0.0
    for i in range(1, 11):
        now += 1.0 + (1.0 if i % 4 == 0 else 0.0)
        records.append({"kind": "train", "step": 10 * i, "time": now})
    assert eval_overhead(records) == (records[-1]["time"] - records[0]["time"]) / 90 / 0.1
    assert eval_overhead(records[:2]) == 1.0  # too few records to tell


def test_the_estimate_multiplies_and_says_where_its_numbers_come_from():
    estimate = Figure2Estimate(seconds_per_step=0.1, steps=3000, cap=4000, overhead=1.2)
    assert round(estimate.seconds) == 360 and round(estimate.at_most_seconds) == 480
    line = estimate.describe(measured=True)
    assert "about **6 min 00 s**" in line and "100 ms a step" in line
    assert "3,000 steps the demo pair took to stop rising, plus 20%" in line and "at most 8 min 00 s" in line
    assert "the 4,000-step cap" in Figure2Estimate(0.1, 4000, 4000, 1.0).describe(measured=False)


def test_a_few_timed_steps_give_a_positive_time():
    model = ModelConfig(src_vocab=50, tgt_vocab=60, emb_dim=16, hidden=32, layers=2)
    seconds = seconds_per_step(model, TrainConfig(batch_size=8), src_len=6, tgt_len=7, steps=2, threads=1)
    assert 0 < seconds < 60
