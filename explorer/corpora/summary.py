"""A corpus on the Data page: its counts, its length histogram and its first pairs."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from core.corpus.description import CorpusSummary
from explorer import cache
from explorer.corpora.upload import spec_files


def summary_of(spec: str) -> CorpusSummary:
    """cache.corpus of a saved --data spec (a TSV path or SRC,TGT), keyed by the file's mtime."""
    src, tgt = spec_files(spec)
    return cache.corpus(src, tgt, Path(src).stat().st_mtime)


def corpus_summary(summary: CorpusSummary, key: str) -> None:
    """Counts, length histogram and the first pairs of a corpus (from explorer.cache)."""
    from core.render.corpus import length_histogram  # plotly: drawn once a corpus is read

    stats = summary.stats
    cols = st.columns(5)
    cols[0].metric("sentence pairs", f"{stats.n_pairs:,}")
    if summary.report is not None:
        cols[1].metric("lines read", f"{summary.report.n_lines:,}")
        cols[2].metric("empty lines dropped", f"{summary.report.n_empty_dropped:,}")
    else:
        cols[1].metric("train / dev / test", " / ".join(f"{n:,}" for n in summary.splits or ()))
        cols[2].metric("probe suites", summary.n_suites)
    cols[3].metric("distinct sources", f"{stats.n_distinct_sources:,}")
    cols[4].metric("mean length (src / tgt)", f"{stats.mean_source_len:.1f} / {stats.mean_target_len:.1f}")
    st.plotly_chart(length_histogram(stats.source_lengths, stats.target_lengths), key=f"{key}_hist")
    preview = pd.DataFrame(list(summary.preview), columns=["source", "target"])
    st.caption(f"The first {len(preview)} pairs:")
    st.dataframe(preview, hide_index=True, width="stretch", height=260)
