"""How much of a series goes to the browser: raw points, MinMaxLTTB, or server buckets.

Pure functions (numbers in, decisions out), so they are tested without Streamlit.
Never more than ``MAX_POINTS`` points per trace reach the browser.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from tsdownsample import MinMaxLTTBDownsampler

from dashboard.shared.text import count_of

MAX_POINTS = 4000
RAW_FETCH_LIMIT = 200_000  # above this many rows in range, let the server aggregate
# "Raw points" draws every value up to this many in the range (times x dimensions), as SVG
# lines: 190,000 took 1-2 s from the click in Chromium here (and 19-24 s in its software
# WebGL, which is why there is none)
RAW_DRAW_LIMIT = 200_000
CHART_PX = 1200  # buckets for an aggregated view: about one per pixel of a wide chart

# InfluxQL durations the server understands, smallest first.
NICE = [
    ("100ms", 100),
    ("250ms", 250),
    ("500ms", 500),
    ("1s", 1000),
    ("2s", 2000),
    ("5s", 5000),
    ("10s", 10_000),
    ("15s", 15_000),
    ("30s", 30_000),
    ("1m", 60_000),
    ("2m", 120_000),
    ("5m", 300_000),
    ("10m", 600_000),
    ("15m", 900_000),
    ("30m", 1_800_000),
    ("1h", 3_600_000),
    ("2h", 7_200_000),
    ("3h", 10_800_000),
    ("6h", 21_600_000),
    ("12h", 43_200_000),
    ("1d", 86_400_000),
    ("2d", 172_800_000),
    ("1w", 604_800_000),
    ("4w", 2_419_200_000),
]
WORDS = {"ms": "millisecond", "s": "second", "m": "minute", "h": "hour", "d": "day", "w": "week"}


@dataclass(frozen=True)
class Resolution:
    """``raw`` (all points), ``lttb`` (raw, downsampled here) or ``buckets`` (server means)."""

    kind: str
    interval: str | None = None
    interval_ms: int | None = None

    def describe(self, total: int, shown: int) -> str:
        if self.kind == "raw":
            return count_of(total, "point") + (", all shown" if total > 1 else ", shown")
        if self.kind == "lttb":
            return f"{total:,} points, shown as {shown:,} by MinMaxLTTB downsampling"
        return f"{total:,} points, shown as {interval_words(self.interval)} means with min-max band"


def interval_words(interval: str | None) -> str:
    """``5m`` -> ``5-minute``; ``1h`` -> ``1-hour``."""
    if not interval:
        return ""
    number = interval.rstrip("abcdefghijklmnopqrstuvwxyz")
    unit = interval[len(number) :]
    return f"{number}-{WORDS.get(unit, unit)}"


def nice_interval(span_ms: int, buckets: int = CHART_PX) -> tuple[str, int]:
    """The smallest nice interval that cuts ``span_ms`` into at most ``buckets`` buckets."""
    wanted = max(1, span_ms // max(1, buckets))
    for name, ms in NICE:
        if ms >= wanted:
            return name, ms
    return NICE[-1]


def choose(span_ms: int, rows_in_range: int, force_raw: bool = False) -> Resolution:
    """Raw when it fits, MinMaxLTTB when the raw rows are few enough to fetch, else buckets."""
    if rows_in_range <= MAX_POINTS:
        return Resolution("raw")
    if force_raw or rows_in_range <= RAW_FETCH_LIMIT:
        return Resolution("lttb")
    name, ms = nice_interval(span_ms)
    return Resolution("buckets", name, ms)


def downsample(frame: pd.DataFrame, n_out: int = MAX_POINTS) -> dict[str, pd.Series]:
    """Per numeric column, the MinMaxLTTB selection of at most ``n_out`` points."""
    out: dict[str, pd.Series] = {}
    x = frame.index.asi8
    for column in frame.columns:
        series = frame[column]
        if len(series) <= n_out or not pd.api.types.is_numeric_dtype(series):
            out[column] = (
                series.iloc[np.linspace(0, len(series) - 1, min(len(series), n_out)).astype(int)]
                if len(series) > n_out
                else series
            )
            continue
        values = series.to_numpy(dtype=float)
        finite = np.isfinite(values)
        if not finite.all():
            series, values, xs = series[finite], values[finite], x[finite]
        else:
            xs = x
        index = MinMaxLTTBDownsampler().downsample(xs, values, n_out=n_out)
        out[column] = series.iloc[index]
    return out


FEWEST_FOR_GAPS = 20  # below this many times there is no sampling interval to speak of


def gaps(
    index: pd.DatetimeIndex,
    factor: float = 5.0,
    limit: int | None = 5,
    at_least: pd.Timedelta | None = None,
) -> list[tuple[pd.Timestamp, pd.Timedelta]]:
    """The largest silences (``limit``; None: all), in time order: steps longer than
    ``factor`` sampling intervals (the median step, or the 90th percentile when steps vary)
    and than ``at_least``. A few values typed by hand have no sampling interval: none."""
    if len(index) < FEWEST_FOR_GAPS:
        return []
    steps = np.diff(index.as_unit("ns").asi8)
    usual = max(np.median(steps), np.percentile(steps, 90) / 2)
    if usual <= 0:
        return []
    threshold = factor * usual
    if at_least is not None:
        threshold = max(threshold, at_least.value)
    big = np.flatnonzero(steps > threshold)
    big = big[np.argsort(steps[big])[::-1]][:limit]
    return [(index[i], pd.Timedelta(int(steps[i]), unit="ns")) for i in sorted(big)]
