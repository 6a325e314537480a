"""start.json: what a run started from, recorded when it starts, so "alike" can be shown.

Two runs of a study's seed are meant to share their initial weights (where their shapes agree),
their tokenizers and their data order. Rebuilding a model to check that proves nothing about
the runs themselves; this record is taken from the real run, before its first step:

    {"version": 1, "tensors": {name: sha256 of the step-0 tensor's bytes},
     "tokenizers": {file name: sha256}, "batches": [sha256 of each of the first BATCHES
     batches' pair indices], "first_batch": [the first batch's pair indices]}

This module is its only reader and writer. A run trained before it existed has none
(`StartRecord.read` returns None), and a report says so instead of guessing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from core import atomic
from core.errors import UserError
from core.run.folder import read_json
from core.tokenizer import tokenizer_content

START = "start.json"
START_VERSION = 1
BATCHES = 8  # batches fingerprinted: the data order is a function of the seed, so a few decide it
TOKENIZER_GLOBS = ("src.*", "tgt.*")  # the tokenizer files of a run folder (core.tokenizer)


def digest(data: bytes) -> str:
    """The hex SHA-256 of `data`."""
    return hashlib.sha256(data).hexdigest()


def tensor_digest(tensor) -> str:
    """SHA-256 of a tensor's dtype, shape and bytes (any dtype; a copy on the CPU)."""
    import torch

    flat = tensor.detach().cpu().contiguous().reshape(-1)
    header = f"{flat.dtype}:{tuple(tensor.shape)}:".encode()
    return digest(header + flat.view(torch.uint8).numpy().tobytes())  # the bytes as stored, any dtype


def file_digests(run: Path, globs: Sequence[str] = TOKENIZER_GLOBS) -> dict[str, str]:
    """{file name: SHA-256 of its tokenizer content (core.tokenizer.tokenizer_content)} of the run's
    files matching `globs` (sorted by name)."""
    found = sorted({p for pattern in globs for p in Path(run).glob(pattern) if p.is_file()})
    return {p.name: digest(tokenizer_content(p)) for p in found}


def batch_digest(index: Sequence[int]) -> str:
    """SHA-256 of a batch's pair indices, in order."""
    return digest(json.dumps([int(i) for i in index]).encode())


@dataclass(frozen=True)
class StartRecord:
    tensors: Mapping[str, str]  # parameter name -> tensor_digest at step 0
    tokenizers: Mapping[str, str]  # tokenizer file name -> digest
    batches: tuple[str, ...]  # batch_digest of each of the first BATCHES batches
    first_batch: tuple[int, ...] = ()  # the first batch's pair indices, for a reader to look at
    version: int = field(default=START_VERSION)

    @classmethod
    def take(cls, run: Path, state: Mapping, batches: Sequence[Sequence[int]]) -> StartRecord:
        """The record of a run about to train: its model's state_dict at step 0 and its first
        batches (lists of pair indices, in training order)."""
        return cls(
            tensors={name: tensor_digest(t) for name, t in state.items()},
            tokenizers=file_digests(run),
            batches=tuple(batch_digest(b) for b in batches[:BATCHES]),
            first_batch=tuple(int(i) for i in (batches[0] if batches else ())),
        )

    def to_dict(self) -> dict:
        return {
            "version": self.version,
            "tensors": dict(self.tensors),
            "tokenizers": dict(self.tokenizers),
            "batches": list(self.batches),
            "first_batch": list(self.first_batch),
        }

    @classmethod
    def from_dict(cls, d: dict, where: str = START) -> StartRecord:
        version = d.get("version")
        if not isinstance(version, int) or version > START_VERSION:
            raise UserError(
                f"{where} has version {version!r}, newer than this release reads ({START_VERSION})"
            )
        try:
            return cls(
                tensors={str(k): str(v) for k, v in d["tensors"].items()},
                tokenizers={str(k): str(v) for k, v in d["tokenizers"].items()},
                batches=tuple(str(b) for b in d["batches"]),
                first_batch=tuple(int(i) for i in d.get("first_batch", ())),
                version=version,
            )
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            raise UserError(f"{where} is damaged: {err}") from err

    def write(self, run: Path) -> Path:
        return atomic.write_json(Path(run) / START, self.to_dict())

    @classmethod
    def read(cls, run: str | Path) -> StartRecord | None:
        """The run's start record, or None for a run trained before records existed."""
        path = Path(run) / START
        d = read_json(path)
        return cls.from_dict(d, str(path)) if d else None
