import numpy as np
import pytest
import torch

from core.errors import UserError
from core.run.loaded import load_run
from core.vectors import encode, parse_layers, token_states, vector_dim, vector_to_state

SENTENCES = ["one two three", "four", "five six seven eight", "nine nine"]


@pytest.fixture(scope="module")
def run(tiny_numbers_run):
    return load_run(tiny_numbers_run)


def test_default_is_the_papers_full_state(run):
    v = encode(run, SENTENCES)
    assert v.dtype == np.float32 and v.shape == (4, 2 * 2 * 32) == (4, vector_dim(run))
    assert encode(run, ["one"]).shape == (1, 128)  # always 2-D
    h = encode(run, SENTENCES, state="h", layers="top")
    c = encode(run, SENTENCES, state="c", layers=0)
    assert h.shape == c.shape == (4, 32)
    np.testing.assert_allclose(v[:, 32:64], h, atol=1e-6)  # layout: h of layers 0..L-1, then c
    np.testing.assert_allclose(v[:, 64:96], c, atol=1e-6)


def test_batching_does_not_change_vectors(run):
    together = encode(run, SENTENCES, batch_size=128)
    apart = np.concatenate([encode(run, [s]) for s in SENTENCES])
    np.testing.assert_allclose(together, apart, atol=1e-5)


def test_vector_to_state_inverts_the_full_state(run):
    v = encode(run, SENTENCES)
    h, c = vector_to_state(v, 2, 32)
    src, src_len = run.tensors(run.source_ids(SENTENCES))
    eh, ec = run.model.encode(src, src_len).state
    torch.testing.assert_close(h, eh, atol=1e-5, rtol=0)
    torch.testing.assert_close(c, ec, atol=1e-5, rtol=0)
    with pytest.raises(UserError, match="full state"):
        vector_to_state(v[:, :10], 2, 32)


def test_trajectory_ends_at_the_sentence_vector(run):
    (traj,) = token_states(run, ["one two three"], state="h")
    assert traj.states.shape == (3, 32)
    assert traj.tokens == ["three", "two", "one"]  # the order a reverse-source encoder reads
    np.testing.assert_allclose(
        traj.states[-1], encode(run, ["one two three"], state="h", layers="top")[0], atol=1e-5
    )


def test_bad_choices_are_user_errors(run):
    with pytest.raises(UserError, match="layer 5 does not exist"):
        parse_layers(5, 2)
    with pytest.raises(UserError, match="state"):
        encode(run, SENTENCES, state="x")
    with pytest.raises(UserError, match="empty"):
        encode(run, ["one", " "])
    with pytest.raises(UserError, match="does not know: zzz"):
        encode(run, ["one zzz"], strict=True)
