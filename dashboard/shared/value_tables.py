"""Values as a person downloads them, wherever they are saved from (Explore's exports, the
values an undo removes, the take-home zip): each time on the person's clock with its offset,
the same instant in ms since 1970, then a column per dimension; and a safe file name."""

from __future__ import annotations

import pandas as pd


def values_table(frame: pd.DataFrame, tz: str, time_column: str = "time") -> pd.DataFrame:
    """``frame`` (a UTC time index, a column per dimension) as a table to save."""
    out = pd.DataFrame(
        {
            time_column: frame.index.tz_convert(tz).strftime("%Y-%m-%dT%H:%M:%S.%f%z"),
            ("time_ms" if time_column == "time" else f"{time_column} ms"): frame.index.as_unit(
                "ms"
            ).asi8,
        }
    )
    for column in frame.columns:
        out[column] = frame[column].to_numpy()
    return out


def file_name(text: str) -> str:
    """A name any system takes: letters, digits, ``-_.``; the rest ``_``; 120 at most."""
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in text)[:120]
