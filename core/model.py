"""The deep LSTM encoder-decoder of Sutskever, Vinyals & Le (2014).

Embedding -> L-layer LSTM encoder; the decoder LSTM starts from the encoder's final (h, c) of
every layer (the "thought vector"); Linear to the target vocabulary. Optional Luong attention
(off by default) exists only to show what the bottleneck costs.

Shape letters: B batch, S source length, T target length, E embedding, H hidden, L layers,
V vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn
from torch.nn import functional as F
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from core.config.model import ModelConfig
from core.tokenizer import PAD

State = tuple[torch.Tensor, torch.Tensor]  # (h, c), each [L, B, H]


def reverse_within_length(src: torch.Tensor, src_len: torch.Tensor) -> torch.Tensor:
    """Reverse each row's first src_len tokens, leaving the padding where it is.

    src [B, S], src_len [B] -> [B, S]
    """
    positions = torch.arange(src.size(1), device=src.device).unsqueeze(0)  # [1, S]
    lengths = src_len.to(src.device).unsqueeze(1)  # [B, 1]
    index = torch.where(positions < lengths, lengths - 1 - positions, positions)
    return src.gather(1, index)


class LuongAttention(nn.Module):
    """Global "general" attention without input feeding: parallel over all target steps."""

    def __init__(self, hidden: int):
        super().__init__()
        self.score = nn.Linear(hidden, hidden, bias=False)
        self.combine = nn.Linear(2 * hidden, hidden, bias=False)

    def weights(self, y: torch.Tensor, memory: torch.Tensor, src_mask: torch.Tensor) -> torch.Tensor:
        """y [B, T, H], memory [B, S, H], src_mask [B, S] (True = real token) -> [B, T, S], rows sum to 1"""
        scores = torch.bmm(self.score(y), memory.transpose(1, 2))  # [B, T, S]
        return scores.masked_fill(~src_mask.unsqueeze(1), float("-inf")).softmax(-1)

    def forward(self, y: torch.Tensor, memory: torch.Tensor, src_mask: torch.Tensor) -> torch.Tensor:
        """y [B, T, H], memory [B, S, H], src_mask [B, S] (True = real token) -> [B, T, H]"""
        context = torch.bmm(self.weights(y, memory, src_mask), memory)  # [B, T, H]
        return torch.tanh(self.combine(torch.cat([context, y], -1)))


@dataclass
class Encoded:
    """What the encoder hands to the decoder."""

    state: State  # final (h, c) of every layer, each [L, B, H]
    memory: torch.Tensor | None  # top-layer outputs [B, S, H], only with attention
    src_mask: torch.Tensor | None  # [B, S], only with attention

    def select(self, index: torch.Tensor) -> Encoded:
        """Pick batch rows (e.g. to expand for beam search): index [B'] -> Encoded with batch B'."""
        h, c = self.state
        return Encoded(
            (h[:, index], c[:, index]),
            None if self.memory is None else self.memory[index],
            None if self.src_mask is None else self.src_mask[index],
        )


class Seq2Seq(nn.Module):
    def __init__(self, config: ModelConfig):
        super().__init__()
        self.config = config
        c = config
        self.src_embed = nn.Embedding(c.src_vocab, c.emb_dim, padding_idx=PAD)
        self.tgt_embed = nn.Embedding(c.tgt_vocab, c.emb_dim, padding_idx=PAD)
        inner_dropout = c.dropout if c.layers > 1 else 0.0
        self.encoder = nn.LSTM(c.emb_dim, c.hidden, c.layers, batch_first=True, dropout=inner_dropout)
        self.decoder = nn.LSTM(c.emb_dim, c.hidden, c.layers, batch_first=True, dropout=inner_dropout)
        self.drop = nn.Dropout(c.dropout)
        self.out = nn.Linear(c.hidden, c.tgt_vocab)
        self.attention = None
        self.reset_parameters()
        if c.attention:  # after the shared weights are drawn, so that they start equal for one seed
            self.attention = LuongAttention(c.hidden)  # (a study's arms start from the same weights)
            self._uniform(self.attention.parameters())

    def _uniform(self, params) -> None:
        for p in params:
            nn.init.uniform_(p, -self.config.init_range, self.config.init_range)  # paper 3.4

    def reset_parameters(self) -> None:
        """Every weight uniform in [-init_range, init_range]; the padding embeddings zero."""
        self._uniform(self.parameters())
        with torch.no_grad():
            self.src_embed.weight[PAD].zero_()
            self.tgt_embed.weight[PAD].zero_()

    def encoder_input(self, src: torch.Tensor, src_len: torch.Tensor) -> torch.Tensor:
        """The token order the encoder reads: src [B, S] -> [B, S] (reversed within length if asked)."""
        return reverse_within_length(src, src_len) if self.config.reverse_source else src

    def encode(self, src: torch.Tensor, src_len: torch.Tensor) -> Encoded:
        """src [B, S] in natural order, src_len [B] (>= 1) -> Encoded with state [L, B, H]."""
        x = self.drop(self.src_embed(self.encoder_input(src, src_len)))  # [B, S, E]
        packed = pack_padded_sequence(x, src_len.cpu(), batch_first=True, enforce_sorted=False)
        outputs, state = self.encoder(packed)
        if self.attention is None:
            return Encoded(state, None, None)
        memory, _ = pad_packed_sequence(outputs, batch_first=True, total_length=src.size(1))
        src_mask = torch.arange(src.size(1), device=src.device) < src_len.to(src.device).unsqueeze(1)
        return Encoded(state, memory, src_mask)

    def decode(self, tgt_in: torch.Tensor, encoded: Encoded) -> tuple[torch.Tensor, State]:
        """Teacher-forced or one-step decoding, before the output layer.

        tgt_in [B, T] -> (hidden [B, T, H], new state (h, c) each [L, B, H])
        """
        y, state = self.decoder(self.drop(self.tgt_embed(tgt_in)), encoded.state)
        if self.attention is not None:
            y = self.attention(y, encoded.memory, encoded.src_mask)
        return self.drop(y), state

    def logits(self, hidden: torch.Tensor) -> torch.Tensor:
        """hidden [..., H] -> logits [..., V]"""
        return self.out(hidden)

    def forward(
        self, src: torch.Tensor, src_len: torch.Tensor, tgt_in: torch.Tensor, tgt_out: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Summed cross-entropy over real target tokens, and their count.

        src [B, S], src_len [B], tgt_in [B, T] (BOS y), tgt_out [B, T] (y EOS, PAD after)
        -> (loss_sum [], n_tokens [])
        The output layer runs only on real (non-PAD) positions: with V in the thousands it is
        the largest single cost, and padded positions would be thrown away by the loss anyway.
        """
        hidden, _ = self.decode(tgt_in, self.encode(src, src_len))  # [B, T, H]
        mask = tgt_out != PAD  # [B, T]
        logits = self.logits(hidden[mask])  # [N, V]
        loss_sum = F.cross_entropy(logits.float(), tgt_out[mask], reduction="sum")
        return loss_sum, mask.sum()


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
