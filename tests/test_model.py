from dataclasses import replace

import torch

from core.config.model import ModelConfig
from core.model import Seq2Seq, reverse_within_length
from core.tokenizer import PAD


def tiny(**kw) -> Seq2Seq:
    torch.manual_seed(0)
    return Seq2Seq(ModelConfig(src_vocab=20, tgt_vocab=22, emb_dim=8, hidden=16, layers=2, **kw))


def batch():
    src = torch.tensor([[5, 6, 7, 8], [9, 10, PAD, PAD]])
    src_len = torch.tensor([4, 2])
    tgt_in = torch.tensor([[1, 11, 12], [1, 13, PAD]])
    tgt_out = torch.tensor([[11, 12, 2], [13, 2, PAD]])
    return src, src_len, tgt_in, tgt_out


def test_reverse_within_length_keeps_padding_in_place():
    src, src_len, *_ = batch()
    assert reverse_within_length(src, src_len).tolist() == [[8, 7, 6, 5], [10, 9, PAD, PAD]]


def test_uniform_init_in_paper_range():
    model = tiny()
    for name, p in model.named_parameters():
        assert p.abs().max() <= 0.08, name
    assert model.src_embed.weight[PAD].abs().sum() == 0


def test_shapes_and_loss_counts_real_tokens():
    model = tiny().eval()
    src, src_len, tgt_in, tgt_out = batch()
    encoded = model.encode(src, src_len)
    h, c = encoded.state
    assert h.shape == c.shape == (2, 2, 16)
    hidden, _ = model.decode(tgt_in, encoded)
    assert hidden.shape == (2, 3, 16)
    loss, n = model(src, src_len, tgt_in, tgt_out)
    assert n.item() == 5 and torch.isfinite(loss)


def test_final_state_ignores_padding():
    model = tiny().eval()
    src, src_len, *_ = batch()
    alone = model.encode(src[1:, :2], src_len[1:]).state[0]
    batched = model.encode(src, src_len).state[0][:, 1:]
    assert torch.allclose(alone, batched, atol=1e-6)


def test_reverse_source_changes_what_the_encoder_reads():
    fwd, rev = tiny(reverse_source=False).eval(), tiny(reverse_source=True).eval()
    rev.load_state_dict(fwd.state_dict())
    src, src_len, *_ = batch()
    flipped = reverse_within_length(src, src_len)
    assert torch.allclose(rev.encode(src, src_len).state[0], fwd.encode(flipped, src_len).state[0], atol=1e-6)


def test_attention_variant_runs_and_masks_padding():
    model = tiny(attention=True).eval()
    src, src_len, tgt_in, tgt_out = batch()
    loss, n = model(src, src_len, tgt_in, tgt_out)
    assert torch.isfinite(loss) and n.item() == 5
    other = src.clone()
    other[1, 2:] = 7  # change only what lies under the padding mask
    a = model.decode(tgt_in, model.encode(src, src_len))[0][1]
    b = model.decode(tgt_in, model.encode(other, src_len))[0][1]
    assert torch.allclose(a, b, atol=1e-6)


def test_parameter_estimate_matches_the_model():
    from core.config.model import estimate_parameters
    from core.model import count_parameters

    for kw in ({}, {"attention": True}, {"layers": 3}):
        config = ModelConfig(
            src_vocab=20, tgt_vocab=22, emb_dim=8, hidden=16, layers=kw.pop("layers", 2), **kw
        )
        assert estimate_parameters(config) == count_parameters(Seq2Seq(config))


def test_an_attention_model_starts_from_the_plain_models_weights():
    """A study's arms start equal where shapes agree: the attention layers are drawn last."""
    config = ModelConfig(50, 60, emb_dim=8, hidden=16, layers=2)
    torch.manual_seed(3)
    plain = Seq2Seq(config).state_dict()
    torch.manual_seed(3)
    attention = Seq2Seq(replace(config, attention=True)).state_dict()
    assert set(attention) - set(plain) == {"attention.score.weight", "attention.combine.weight"}
    assert all(torch.equal(plain[name], attention[name]) for name in plain)
