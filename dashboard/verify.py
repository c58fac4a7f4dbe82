"""After an upload, read the range back and compare it with what was sent."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


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
            return f"{self.sent:,} rows written and verified"
        parts = []
        if len(self.missing):
            parts.append(f"{len(self.missing):,} rows are missing on Bucket")
        if not self.different.empty:
            parts.append(f"{len(self.different):,} rows differ")
        return f"{self.sent:,} rows sent, but " + " and ".join(parts)


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
