"""After an upload, read the range back and compare it with what was sent."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.shared.text import count_of


@dataclass
class Verification:
    sent: int
    missing: pd.DatetimeIndex
    different: pd.DataFrame

    @property
    def ok(self) -> bool:
        return len(self.missing) == 0 and self.different.empty

    def message(self) -> str:
        if self.ok:
            return f"{count_of(self.sent, 'row')} written and verified"
        parts = []
        if len(self.missing):
            parts.append(f"{len(self.missing):,} rows are missing on Bucket")
        if not self.different.empty:
            parts.append(f"{len(self.different):,} rows differ")
        return f"{self.sent:,} rows sent, but " + " and ".join(parts)


def last_matches(sent: pd.DataFrame, last) -> bool | None:
    """The newest sent row against ``/last``, which names every field (a path that shares
    no column-pairing code with the write or the read). None when the newest point on
    Bucket is not one of ours (newer data exists)."""
    if last is None or pd.Timestamp(last.timestamp) != sent.index.max():
        return None
    row = sent.loc[sent.index.max()]
    if isinstance(row, pd.DataFrame):
        row = row.iloc[-1]
    return all(_same(row[name], last.values.get(name)) for name in sent.columns)


def _same(a, b) -> bool:
    if isinstance(a, (int, float, np.number)) and isinstance(b, (int, float, np.number)):
        return float(a) == float(b) or (np.isnan(float(a)) and np.isnan(float(b)))
    return a == b


def compare(sent: pd.DataFrame, stored: pd.DataFrame) -> Verification:
    """Every sent timestamp must be stored with exactly the sent values."""
    stored = stored[~stored.index.duplicated(keep="last")]
    present = sent.index.isin(stored.index)
    missing = sent.index[~present]
    both = sent[present]
    back = stored.reindex(both.index)[list(sent.columns)]
    differs = np.zeros(len(both), dtype=bool)
    for column in sent.columns:
        a, b = both[column].to_numpy(), back[column].to_numpy()
        if a.dtype.kind == "f" or b.dtype.kind == "f":
            a, b = a.astype(float), b.astype(float)
            differs |= ~((a == b) | (np.isnan(a) & np.isnan(b)))
        else:
            differs |= a != b
    different = (
        pd.concat({"sent": both[differs], "stored": back[differs]}, axis=1)
        if differs.any()
        else pd.DataFrame()
    )
    return Verification(len(sent), missing, different)
