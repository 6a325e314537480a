"""Exports of figures and tables: HTML that works offline, PNG where kaleido can run, CSV, JSON."""

from __future__ import annotations

import functools
import importlib.util
import json
import shutil
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the frames and figures come from their callers: nothing heavy to import here
    import pandas as pd
    import plotly.graph_objects as go

CHROME_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
PNG_HINT = (
    "PNG: use the camera icon in the chart's toolbar (Kaleido for server-side PNG export is not "
    "available here)."
)


def figure_html(fig: go.Figure) -> bytes:
    """A standalone HTML file with plotly.js inside (the CDN version does not open offline)."""
    return fig.to_html(include_plotlyjs=True, full_html=True).encode("utf-8")


@functools.cache
def png_available() -> bool:
    """Kaleido is importable and finds a Chrome/Chromium to render with (it must never download one)."""
    if importlib.util.find_spec("kaleido") is None:
        return False
    return any(shutil.which(name) for name in CHROME_NAMES)


def figure_png(fig: go.Figure, width: int = 1200, height: int = 700) -> bytes:
    return fig.to_image(format="png", width=width, height=height, scale=1)


def table_csv(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode("utf-8")


def json_bytes(obj) -> bytes:
    return json.dumps(obj, indent=2, ensure_ascii=False, default=float).encode("utf-8")
