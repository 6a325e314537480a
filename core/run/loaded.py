"""A trained run loaded for inference: config, tokenizers and the model in eval mode."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import torch

from core.batching import pad
from core.config.model import ModelConfig
from core.device import pick_device
from core.errors import UserError
from core.model import Seq2Seq
from core.run.config import RunConfig
from core.run.folder import WEIGHTS, resolve_run
from core.run.weights import load_weights
from core.tokenizer import Tokenizer, load_tokenizer

MAX_SOURCE_TOKENS = 1000  # longer inputs are cut: an LSTM reads them, but nothing useful comes out


@dataclass
class LoadedRun:
    path: Path
    config: RunConfig
    model_config: ModelConfig
    src_tok: Tokenizer
    tgt_tok: Tokenizer
    model: Seq2Seq
    device: torch.device
    step: int

    @property
    def name(self) -> str:
        return self.path.name

    def source_ids(self, sentences: Sequence[str], strict: bool = False) -> list[list[int]]:
        """Tokenize source sentences (natural order; the model reverses if it was trained so).

        An empty sentence is a UserError. With `strict`, so is a word the tokenizer does not
        know (a closed word vocabulary would silently read it as <unk>).
        """
        ids = []
        for i, sentence in enumerate(sentences):
            if not sentence.strip():
                raise UserError(f"sentence {i + 1} is empty: type a sentence to translate or embed")
            if strict:
                unknown = self.src_tok.unknown_words(sentence)
                if unknown:
                    raise UserError(
                        f"sentence {i + 1} ({sentence!r}) has words the model's tokenizer does not know: "
                        f"{', '.join(sorted(set(unknown)))}"
                    )
            tokens = self.src_tok.encode(sentence)[:MAX_SOURCE_TOKENS]
            if not tokens:
                raise UserError(f"sentence {i + 1} ({sentence!r}) has no tokens the model can read")
            ids.append(tokens)
        return ids

    def tensors(self, ids: Sequence[Sequence[int]]) -> tuple[torch.Tensor, torch.Tensor]:
        """Id lists -> (src [B, S] on the run's device, src_len [B] on the CPU)."""
        return pad(ids).to(self.device), torch.tensor([len(s) for s in ids], dtype=torch.long)


def load_run(path: str | Path, device: str = "auto") -> LoadedRun:
    """Load a run folder for inference (raises UserError for a missing or damaged run)."""
    run = resolve_run(path)
    config = RunConfig.read(run)
    src_tok = load_tokenizer(run, "src", config.tokenizer.kind)
    tgt_tok = load_tokenizer(run, "tgt", config.tokenizer.kind)
    dev = pick_device(device)
    model = Seq2Seq(config.model)
    step = load_weights(model, run / WEIGHTS)
    model.to(dev).eval()
    return LoadedRun(run, config, config.model, src_tok, tgt_tok, model, dev, step)
