"""Nearest neighbours by cosine over a whole embedded corpus (e.g. 20k dev/test sentences).

    index = NeighbourIndex(run, corpus_sentences)          # encodes once (n, d)
    index.query(["John admires Mary"], k=5)                # [[("Mary is admired by John", 0.97), ...]]

Which sentences does the encoder consider closest? Paraphrases, or sentences that merely share
words? Duplicate sentences are indexed once; a query never returns itself.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from core.analysis.geometry import normalise_rows
from core.errors import UserError
from core.run.loaded import LoadedRun
from core.vectors import encode


class NeighbourIndex:
    def __init__(
        self,
        run: LoadedRun,
        sentences: Sequence[str],
        state: str = "hc",
        layers: str | int = "all",
        strict: bool = False,
    ):
        self.run, self.state, self.layers, self.strict = run, state, layers, strict
        unique = list(dict.fromkeys(s.strip() for s in sentences if s.strip()))
        if not unique:
            raise UserError("no sentences to index: the corpus is empty")
        self._build(unique, encode(run, unique, state=state, layers=layers, strict=strict))

    @classmethod
    def from_vectors(cls, sentences: Sequence[str], vectors: np.ndarray) -> NeighbourIndex:
        """An index over vectors already computed (n, d), one per (distinct) sentence."""
        index = cls.__new__(cls)
        index.run, index.state, index.layers, index.strict = None, None, None, False
        vectors = np.asarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or len(vectors) != len(sentences) or not len(sentences):
            raise UserError(
                f"give one vector per sentence: {len(sentences)} sentences, vectors of shape {vectors.shape}"
            )
        index._build(list(sentences), vectors)
        return index

    def _build(self, sentences: list[str], vectors: np.ndarray) -> None:
        from sklearn.neighbors import NearestNeighbors

        self.sentences = sentences
        self.vectors = normalise_rows(vectors).astype(np.float32)  # (n, d) unit rows
        self._nn = NearestNeighbors(metric="cosine", algorithm="brute").fit(self.vectors)

    def __len__(self) -> int:
        return len(self.sentences)

    def query(self, sentences: Sequence[str], k: int = 5) -> list[list[tuple[str, float]]]:
        """For each query: up to k (sentence, cosine) pairs, best first, the query itself excluded."""
        if self.run is None:
            raise UserError("this index was built from vectors: query it with query_vectors")
        sentences = [s.strip() for s in sentences]
        vectors = encode(self.run, sentences, state=self.state, layers=self.layers, strict=self.strict)
        return self.query_vectors(vectors, k, exclude=sentences)

    def query_vectors(
        self, vectors: np.ndarray, k: int = 5, exclude: Sequence[str] | None = None
    ) -> list[list[tuple[str, float]]]:
        """vectors (m, d) -> m lists of (sentence, cosine); exclude[i] is left out of list i."""
        if k < 1:
            raise UserError(f"k must be at least 1, not {k}")
        vectors = np.atleast_2d(np.asarray(vectors, dtype=np.float32))
        if vectors.shape[1] != self.vectors.shape[1]:
            raise UserError(
                f"query vectors of dimension {vectors.shape[1]}, the index has {self.vectors.shape[1]}"
            )
        distances, indices = self._nn.kneighbors(normalise_rows(vectors), n_neighbors=min(k + 1, len(self)))
        out = []
        for i, (dist, idx) in enumerate(zip(distances, indices)):
            skip = exclude[i] if exclude is not None else None
            row = [
                (self.sentences[j], float(1.0 - d)) for d, j in zip(dist, idx) if self.sentences[j] != skip
            ]
            out.append(row[:k])
        return out
