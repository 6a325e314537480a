"""This machine's training speed, measured: a few timed optimizer steps of a model on synthetic
batches of a given sentence length (Home's estimate of Reproduce Figure 2's time)."""

from __future__ import annotations

import time

from core.config.model import ModelConfig
from core.config.training import TrainConfig

WARMUP_STEPS = 2  # the first steps allocate memory and pick kernels: not timed


def seconds_per_step(
    model: ModelConfig,
    train: TrainConfig,
    src_len: int,
    tgt_len: int,
    steps: int = 5,
    threads: int | None = None,
) -> float:
    """Median seconds of one optimizer step (forward, backward, clip, Adam) on the CPU, for batches
    of train.batch_size sentences of src_len source and tgt_len target tokens (ids drawn at random,
    seeded). With `threads`, PyTorch uses that many threads meanwhile (as each Figure 2 run does)."""
    import torch

    from core.batching import EncodedPairs, make_batch
    from core.model import Seq2Seq
    from core.training.session import build_optimizer

    before = torch.get_num_threads()
    if threads:
        torch.set_num_threads(threads)
    try:
        generator = torch.Generator().manual_seed(0)

        def ids(vocab: int, n: int) -> list[int]:
            return torch.randint(4, vocab, (n,), generator=generator).tolist()  # past the special ids

        size = train.batch_size
        data = EncodedPairs(
            [ids(model.src_vocab, src_len) for _ in range(size)],
            [ids(model.tgt_vocab, tgt_len) for _ in range(size)],
        )
        batch = make_batch(data, range(size))
        net = Seq2Seq(model).train()
        optimizer = build_optimizer(net, train)
        times = []
        for _ in range(WARMUP_STEPS + steps):
            start = time.perf_counter()
            loss_sum, n_tokens = net(batch.src, batch.src_len, batch.tgt_in, batch.tgt_out)
            optimizer.zero_grad(set_to_none=True)
            (loss_sum / n_tokens).backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), train.clip_norm)
            optimizer.step()
            times.append(time.perf_counter() - start)
        timed = sorted(times[WARMUP_STEPS:])
        return timed[len(timed) // 2]
    finally:
        torch.set_num_threads(before)
