from core.batching import EncodedPairs, bucketed_batches, make_batch, pad, sequential_batches
from core.tokenizer import BOS, EOS, PAD


def corpus(n=500):
    return EncodedPairs([[4] * (1 + i % 13) for i in range(n)], [[5] * (1 + (i * 7) % 11) for i in range(n)])


def test_pad_adds_bos_eos():
    assert pad([[7, 8], [9]], bos=True, eos=True).tolist() == [[BOS, 7, 8, EOS], [BOS, 9, EOS, PAD]]


def test_make_batch_shifts_target_and_counts_tokens():
    data = EncodedPairs([[4], [4, 4, 4]], [[6, 7], [8]])
    b = make_batch(data, [0, 1])
    assert b.src_len.tolist() == [3, 1]  # longest source first
    assert b.tgt_in.tolist() == [[BOS, 8, PAD], [BOS, 6, 7]]
    assert b.tgt_out.tolist() == [[8, EOS, PAD], [6, 7, EOS]]
    assert b.n_tokens == 5


def test_bucketed_batches_cover_each_example_once_and_are_deterministic():
    data = corpus()
    a = bucketed_batches(data, 16, seed=3, epoch=0, pool=4)
    assert sorted(i for b in a for i in b) == list(range(500))
    assert a == bucketed_batches(data, 16, seed=3, epoch=0, pool=4)
    assert a != bucketed_batches(data, 16, seed=3, epoch=1, pool=4)


def test_bucketing_reduces_padding():
    data = corpus(2000)

    def padding(batches):
        return sum(
            max(len(data.src[i]) for i in b) * len(b) - sum(len(data.src[i]) for i in b) for b in batches
        )

    assert (
        padding(bucketed_batches(data, 32, 0, 0, pool=50))
        < padding(bucketed_batches(data, 32, 0, 0, pool=1)) / 3
    )


def test_sequential_batches_sorted_and_complete():
    batches = sequential_batches([5, 1, 3, 2], 2)
    assert batches == [[1, 3], [2, 0]]
