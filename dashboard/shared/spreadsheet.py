"""Files a person opens in Excel or LibreOffice: text that starts like a formula is kept as
text. A cell ``=HYPERLINK(...)`` or ``=cmd|...`` written as it is would run when opened
(CSV formula injection, OWASP), and names and values here come from other people."""

from __future__ import annotations

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def as_text_cell(value: str) -> str:
    """A leading apostrophe makes spreadsheets show the text as typed, not evaluate it."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells and headers cannot start a formula; numbers are untouched
    (``-1.5`` is a number, not a formula)."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(lambda v: as_text_cell(v) if isinstance(v, str) else v)
    out.columns = [as_text_cell(str(c)) for c in out.columns]
    return out
