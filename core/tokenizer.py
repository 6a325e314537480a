"""Tokenizers, trained per run and saved in the run folder.

- SentencePiece (unigram by default, BPE as an option): any text can be encoded.
- Word level (whitespace, and a split after apostrophes so "l'admire" -> "l'" "admire"):
  for the built-in grammar corpus, whose lexicon is closed. An unknown word becomes <unk>.

All tokenizers share the special ids below, so the model never needs to know which one it has.
"""

from __future__ import annotations

import collections
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Protocol

from core.config.tokenizer import KINDS, TokenizerConfig
from core.errors import UserError

PAD, BOS, EOS, UNK = 0, 1, 2, 3
SPECIALS = ("<pad>", "<s>", "</s>", "<unk>")


class Tokenizer(Protocol):
    vocab_size: int

    def encode(self, text: str) -> list[int]: ...
    def decode(self, ids: Sequence[int]) -> str: ...
    def pieces(self, text: str) -> list[str]: ...
    def unknown_words(self, text: str) -> list[str]: ...
    def piece(self, token_id: int) -> str: ...


_CUT_WORD = r"[^\s']+'"  # a word cut after its apostrophe: "l'", "d'" (decode glues the next word on)
_WORD_RE = re.compile(_CUT_WORD + r"|[^\s]+")
_CUT_WORD_RE = re.compile(_CUT_WORD)


def split_words(text: str) -> list[str]:
    """Whitespace split that also cuts after an apostrophe: "j'ai vu l'arbre" -> j' ai vu l' arbre."""
    return _WORD_RE.findall(text)


class WordTokenizer:
    """A closed word vocabulary (one token per line in its file, specials first)."""

    def __init__(self, itos: Sequence[str]):
        if tuple(itos[: len(SPECIALS)]) != SPECIALS:
            raise UserError("word vocabulary file is damaged: it must start with the special tokens")
        self.itos = list(itos)
        self.stoi = {w: i for i, w in enumerate(self.itos)}
        self.vocab_size = len(self.itos)

    @classmethod
    def train(cls, texts: Iterable[str], vocab_size: int) -> WordTokenizer:
        counts = collections.Counter(w for t in texts for w in split_words(t))
        words = sorted(counts, key=lambda w: (-counts[w], w))[: max(0, vocab_size - len(SPECIALS))]
        return cls(list(SPECIALS) + words)

    @classmethod
    def load(cls, path: Path) -> WordTokenizer:
        return cls(path.read_text(encoding="utf-8").split("\n")[:-1])

    def save(self, path: Path) -> None:
        path.write_text("".join(w + "\n" for w in self.itos), encoding="utf-8")

    def encode(self, text: str) -> list[int]:
        return [self.stoi.get(w, UNK) for w in split_words(text)]

    def pieces(self, text: str) -> list[str]:
        return split_words(text)

    def unknown_words(self, text: str) -> list[str]:
        return [w for w in split_words(text) if w not in self.stoi]

    def piece(self, token_id: int) -> str:
        return self.itos[token_id] if 0 <= token_id < self.vocab_size else SPECIALS[UNK]

    def decode(self, ids: Sequence[int]) -> str:
        """Words joined by spaces, except after one split_words cut after its apostrophe ("l'admire"):
        not after any word ending in "'" (a lone "'" would swallow the next word on re-reading)."""
        out, glue = "", True
        for i in ids:
            if i in (PAD, BOS, EOS):
                continue
            word = self.itos[i] if 0 <= i < self.vocab_size else SPECIALS[UNK]
            out += word if glue else " " + word
            glue = _CUT_WORD_RE.fullmatch(word) is not None
        return out


class SentencePieceTokenizer:
    def __init__(self, model_file: Path):
        import sentencepiece as spm

        self.path = Path(model_file)
        self.sp = spm.SentencePieceProcessor(model_file=str(self.path))
        self.vocab_size = self.sp.get_piece_size()

    @classmethod
    def train(cls, texts: Iterable[str], config: TokenizerConfig, prefix: Path) -> SentencePieceTokenizer:
        import sentencepiece as spm

        lines = [t for t in texts if t.strip()]
        if not lines:
            raise UserError("cannot train a tokenizer on an empty corpus")
        spm.SentencePieceTrainer.train(
            sentence_iterator=iter(lines),
            model_prefix=str(prefix),
            model_type=config.kind,
            vocab_size=config.vocab_size,
            hard_vocab_limit=False,  # a small corpus gets a smaller vocabulary instead of an error
            character_coverage=config.character_coverage,
            pad_id=PAD,
            bos_id=BOS,
            eos_id=EOS,
            unk_id=UNK,
            input_sentence_size=2_000_000,
            shuffle_input_sentence=True,
            num_threads=2,
            minloglevel=2,
        )
        return cls(Path(f"{prefix}.model"))

    def encode(self, text: str) -> list[int]:
        return self.sp.encode(text)

    def pieces(self, text: str) -> list[str]:
        return self.sp.encode(text, out_type=str)

    def unknown_words(self, text: str) -> list[str]:
        return [p for p, i in zip(self.pieces(text), self.encode(text)) if i == UNK]

    def piece(self, token_id: int) -> str:
        return self.sp.id_to_piece(int(token_id))

    def decode(self, ids: Sequence[int]) -> str:
        return self.sp.decode([int(i) for i in ids if i not in (PAD, BOS, EOS)])


def tokenizer_content(path: Path) -> bytes:
    """The bytes of a tokenizer file that decide how it tokenizes, for digests that say whether
    two runs tokenize alike. A SentencePiece model also records where it was trained (its
    trainer_spec's model_prefix, a run's staging folder, and its input files): those are left out,
    so two runs that trained the same tokenizer in their own folders read alike. A file that does
    not parse is returned as it is."""
    data = Path(path).read_bytes()
    if Path(path).suffix != ".model":
        return data
    from google.protobuf.message import DecodeError
    from sentencepiece import sentencepiece_model_pb2

    proto = sentencepiece_model_pb2.ModelProto()
    try:
        proto.ParseFromString(data)
    except DecodeError:
        return data
    for where in ("model_prefix", "input"):
        proto.trainer_spec.ClearField(where)
    return proto.SerializeToString(deterministic=True)


def tokenizer_files(side: str, kind: str) -> list[str]:
    """The files a tokenizer of `kind` for `side` ("src"|"tgt") keeps in a run folder."""
    return [f"{side}.vocab.txt"] if kind == "word" else [f"{side}.model", f"{side}.vocab"]


def train_tokenizer(texts: Iterable[str], config: TokenizerConfig, folder: Path, side: str) -> Tokenizer:
    if config.kind not in KINDS:
        raise UserError(f"unknown tokenizer {config.kind!r}: choose one of {', '.join(KINDS)}")
    if config.kind == "word":
        tok = WordTokenizer.train(texts, config.vocab_size)
        tok.save(folder / f"{side}.vocab.txt")
        return tok
    return SentencePieceTokenizer.train(texts, config, folder / side)


def load_tokenizer(folder: Path, side: str, kind: str) -> Tokenizer:
    files = [folder / f for f in tokenizer_files(side, kind)]
    if not files[0].is_file():
        raise UserError(f"tokenizer file {files[0]} is missing: the run folder is incomplete")
    if kind == "word":
        return WordTokenizer.load(files[0])
    try:
        return SentencePieceTokenizer(files[0])
    except (RuntimeError, OSError) as err:  # sentencepiece: "could not parse ModelProto"
        raise UserError(f"tokenizer file {files[0]} is damaged ({err}): the run folder is damaged") from err
