import math

import torch

from core.batching import EncodedPairs
from core.config.model import ModelConfig
from core.model import Seq2Seq
from core.scoring import bleu_by_length, perplexity, score


def test_perfect_translation_scores_100_with_signatures():
    s = score(["le chat est noir", "il pleut beaucoup ici"], ["le chat est noir", "il pleut beaucoup ici"])
    assert math.isclose(s.bleu, 100.0) and math.isclose(s.chrf, 100.0)
    assert s.bleu_signature.startswith("nrefs:1|") and "tok:13a" in s.bleu_signature
    assert s.n == 2


def test_bleu_by_length_uses_figure3_buckets():
    src = ["a b c", "a b c d e f g h i j", "x " * 40]
    hyp = ref = ["le chat est noir ce soir", "le chat est noir ce soir", "le chat est noir ce soir"]
    rows = bleu_by_length(src, hyp, ref)
    assert [r.bucket for r in rows] == ["1-7", "8-12", ">35"]
    assert all(math.isclose(r.bleu, 100.0) for r in rows)


def test_untrained_perplexity_is_near_vocabulary_size():
    torch.manual_seed(0)
    model = Seq2Seq(ModelConfig(src_vocab=30, tgt_vocab=40, emb_dim=8, hidden=8, layers=1))
    data = EncodedPairs([[5, 6, 7]] * 10, [[8, 9]] * 10)
    loss, ppl = perplexity(model, data, torch.device("cpu"))
    assert math.isclose(ppl, math.exp(loss))
    assert 30 < ppl < 50  # uniform init: close to the 40-way uniform guess
