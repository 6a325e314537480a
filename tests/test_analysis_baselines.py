"""Surface baselines and probe reports: the bag-of-words bound on controlled suites, the untrained
encoder rebuilt from config.json, leads over the best baseline, and --by splits that add up."""

import numpy as np
import pytest
import torch

from core.analysis.baselines import (
    BAG_OF_BIGRAMS,
    BAG_OF_WORDS,
    BASELINES,
    bag_of_bigrams,
    bag_of_words,
    bigrams,
    untrained_run,
)
from core.analysis.probe_report import baseline_results, report_suite
from core.analysis.probe_scores import paired_difference, score_suite
from core.analysis.probe_settings import ProbeSettings
from core.analysis.suites import builtin_suites
from core.corpus.grammar.minimal_pairs import TAGS, WORD_ORDER_SUITES
from core.corpus.probe_suite import parse_suite, words
from core.errors import UserError
from core.run.loaded import load_run


def test_words_and_bigrams_are_lowercased_whitespace_tokens():
    tokens = words("In the garden , I gave her a card")
    assert tokens == ["in", "the", "garden", ",", "i", "gave", "her", "a", "card"]
    assert bigrams("John admires Mary") == ["<s> john", "john admires", "admires mary", "mary </s>"]
    X = bag_of_words(["John admires Mary", "Mary admires John", "Mary is admired by John"])
    assert X.shape == (3, 6) and (X[0] == X[1]).all() and X.sum() == 11  # one vocabulary, counts
    B = bag_of_bigrams(["John admires Mary", "Mary admires John"])
    assert B.shape == (2, 8) and (B[0] * B[1]).sum() == 0  # no shared bigram: cosine 0


def test_bag_of_words_scores_every_word_order_family_at_most_zero():
    suites = builtin_suites()
    for name in WORD_ORDER_SUITES:
        table = suites[name]
        result = baseline_results(None, table, table.roles(), ProbeSettings(n_boot=100))[BAG_OF_WORDS]
        cos_negative = np.array([row.cos_negative for row in result.per_family])
        np.testing.assert_allclose(cos_negative, 1.0, atol=1e-12, err_msg=name)  # the same bag of words
        assert (result.margins() <= 1e-12).all() and result.margin < 0, name
    pronoun = baseline_results(
        None, suites["voice_pronoun"], suites["voice_pronoun"].roles(), ProbeSettings(n_boot=100)
    )
    assert (np.array([r.cos_negative for r in pronoun[BAG_OF_WORDS].per_family]) < 1).all()
    assert set(pronoun) == {BAG_OF_WORDS, BAG_OF_BIGRAMS}  # no run: no untrained baseline


@pytest.mark.slow
def test_untrained_run_rebuilds_the_weights_training_started_from(tmp_path):
    from core.config.model import ModelConfig
    from core.config.tokenizer import TokenizerConfig
    from core.config.training import TrainConfig
    from core.training.presets import get_preset
    from core.training.session import RunRequest, train_run

    preset = get_preset("tiny")
    first = {}

    def keep_initial_weights(trainer):
        first.update({k: v.detach().clone() for k, v in trainer.model.state_dict().items()})

    request = RunRequest(data="grammar:300", out=tmp_path / "run", model=ModelConfig(**preset.model), preset="tiny",
                         tokenizer=TokenizerConfig(kind="word"),
                         train=TrainConfig(**{**preset.train, "steps": 2, "eval_every": 2, "seed": 7}))  # fmt: skip
    train_run(request, on_trainer=keep_initial_weights)
    trained = load_run(tmp_path / "run", device="cpu")
    rng = torch.get_rng_state()
    untrained = untrained_run(trained)
    assert torch.equal(torch.get_rng_state(), rng)  # the global generator is left alone
    assert untrained.step == 0 and untrained.src_tok is trained.src_tok and not untrained.model.training
    rebuilt = untrained.model.state_dict()
    assert rebuilt.keys() == first.keys()
    assert all(torch.equal(rebuilt[k], first[k]) for k in first)
    assert not all(torch.equal(trained.model.state_dict()[k], first[k]) for k in first)  # 2 steps moved it


@pytest.fixture(scope="module")
def run(tiny_grammar_run):
    return load_run(tiny_grammar_run, device="cpu")


def test_report_puts_the_model_beside_three_baselines(run):
    table = builtin_suites()["voice"]
    report = report_suite(run, table, ProbeSettings(n_boot=200))
    assert report.model == score_suite(run, table, ProbeSettings(n_boot=200))
    assert list(report.baselines) == list(BASELINES)
    best = max(report.baselines.values(), key=lambda r: r.margin)
    assert report.lead.over == report.best_baseline and report.baselines[report.best_baseline] is best
    assert report.lead.margin == pytest.approx(
        report.model.margin - report.baselines[report.best_baseline].margin
    )
    assert report.lead.margin_low <= report.lead.margin <= report.lead.margin_high
    assert report.beats_baselines == all(lead.difference_low > 0 for lead in report.leads.values())
    d = report.to_dict()
    assert {
        "margin",
        "margin_low",
        "margin_high",
        "interval",
        "baselines",
        "lead",
        "beats_baselines",
    } <= d.keys()
    assert "not over trainings" in d["interval"] and d["reading"]
    assert set(d["baselines"][BAG_OF_WORDS]) >= {"margin", "margin_low", "margin_high", "model_lead"}
    untrained = score_suite(untrained_run(run), table, ProbeSettings(n_boot=200))
    assert report.baselines["untrained"].margin == untrained.margin


@pytest.mark.parametrize("tag", TAGS)
def test_splits_by_tag_add_up_to_the_whole(run, tag):
    """Adding up: the group sizes sum to n, and for the model and every baseline the mean of the
    group margins weighted by their sizes is the overall margin (a margin is a mean over families)."""
    table = builtin_suites()["tense"]
    report = report_suite(run, table, ProbeSettings(n_boot=100))
    split = report.split(table, tag)
    groups = split.groups
    assert split.tag == tag and sum(g.n for g in groups) == report.model.n == 200
    assert [g.value for g in groups] == list(dict.fromkeys(table.tag(tag)))
    for name, whole in [("model", report.model), *report.baselines.items()]:
        parts = [g.model if name == "model" else g.baselines[name] for g in groups]
        weighted = sum(g.n * p.margin for g, p in zip(groups, parts)) / report.model.n
        assert weighted == pytest.approx(whole.margin, abs=1e-12), name
        assert all(p.margin_low <= p.margin + 1e-12 <= p.margin_high + 2e-12 for p in parts)


def test_split_errors_name_the_tags(run):
    table = builtin_suites()["voice"]
    report = report_suite(run, table, ProbeSettings(n_boot=50))
    with pytest.raises(UserError, match=r"no tag 'colour'.*construction, participants, verb, tense, people"):
        report.split(table, "colour")
    plain = parse_suite("family\ta\tb\tc\n1\tJohn admires Mary\tMary is admired by John\tMary admires John\n"
                        "2\tPaul helps Anna\tAnna is helped by Paul\tAnna helps Paul\n", "plain")  # fmt: skip
    with pytest.raises(UserError, match="it has no tags"):
        report_suite(run, plain, ProbeSettings(n_boot=50)).split(plain, "verb")


def test_paired_difference_needs_the_same_families(run):
    suites = builtin_suites()
    a, b = (
        score_suite(run, suites["voice"], ProbeSettings(n_boot=50)),
        score_suite(run, suites["tense"], ProbeSettings(n_boot=50)),
    )
    same = paired_difference(a, a, n_boot=50)
    assert (same.difference, same.difference_low, same.difference_high) == (0.0, 0.0, 0.0)
    assert same.unit == "verb x people"  # the suite's design, as every interval of the suite
    with pytest.raises(UserError, match="same families"):
        paired_difference(a, score_suite(run, suites["figure2_left"], ProbeSettings(n_boot=50)))
    assert paired_difference(a, b, n_boot=50).difference == pytest.approx(a.margin - b.margin)
