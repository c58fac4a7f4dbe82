"""A chart's text equivalent (WCAG 1.1.1): what a person who cannot see the chart needs from
it, in one sentence per property, read from the same statistics the table beside it shows:
how many points, from when to when, and each dimension's lowest, highest and last value."""

from __future__ import annotations

import pandas as pd

from dashboard.shared.text import count_of, plain, short_number


def chart_in_words(label: str, stats: pd.DataFrame, total: int) -> str:
    """``stats``: ``charts.stats_table``'s rows (times already on the person's clock)."""
    if stats.empty:
        return f"The chart in words: {plain(label)} has no values in this range."
    first, last = stats["First"].dropna(), stats["Last"].dropna()
    span = f" from {first.min()} to {last.max()}" if len(first) and len(last) else ""
    parts = []
    for row in stats.to_dict("records"):
        unit = f" {row['Unit']}" if row["Unit"] else ""
        last_value = short_number(row["Last value"])
        if row["Min"] is not None and not pd.isna(row["Min"]):
            low, high = short_number(row["Min"]), short_number(row["Max"])
            parts.append(f"{row['Dimension']} from {low} to {high}{unit}, last {last_value}{unit}")
        else:
            parts.append(f"{row['Dimension']} last {last_value}")
    return (
        f"The chart in words: {plain(label)}, {count_of(total, 'point')}{span}; "
        + "; ".join(plain(p) for p in parts)
        + "."
    )
