"""The table beside a chart: per dimension, how many values, the first and last (times on
the person's clock), minimum, mean and maximum of what was read."""

from __future__ import annotations

import pandas as pd

from dashboard.explore.charts import SeriesView, local_times


def stats_table(view: SeriesView, total: int, tz: str = "UTC") -> pd.DataFrame:
    """Per dimension: count, min, max, mean, first and last time, last value. From the raw
    rows, or when aggregated from the server's own per-bucket count, min and max (the mean
    weighted by each bucket's count) and the range's last raw reading: never from bucket
    means alone."""
    rows = []
    frame = view.frame
    for dim in view.dimensions:
        if dim.name not in frame:
            continue
        col = frame[dim.name].dropna()
        numeric = pd.api.types.is_numeric_dtype(col) and len(col)
        aggregated = view.low is not None and view.high is not None and dim.name in view.low
        if aggregated:
            counts = (
                view.counts[dim.name].reindex(col.index).fillna(0)
                if view.counts is not None and dim.name in view.counts
                else pd.Series(1.0, index=col.index)
            )
            low, high = view.low[dim.name].min(), view.high[dim.name].max()
            mean = float((col * counts).sum() / counts.sum()) if counts.sum() else None
            last = view.last_reading
            last_time = last.name if last is not None else None
            last_value = last[dim.name] if last is not None else None
        else:
            low = col.min() if numeric else None
            high = col.max() if numeric else None
            mean = col.mean() if numeric else None
            last_time = col.index[-1] if len(col) else None
            last_value = col.iloc[-1] if len(col) else None
        rows.append(
            {
                "Dimension": dim.name,
                "Unit": dim.unit_text,
                "Count": total,
                "Min": low,
                "Max": high,
                "Mean": mean,
                "First": local_times(col.index[:1], tz)[0] if len(col) else None,
                "Last": local_times(pd.DatetimeIndex([last_time]), tz)[0]
                if last_time is not None
                else None,
                "Last value": last_value,
            }
        )
    return pd.DataFrame(rows)
