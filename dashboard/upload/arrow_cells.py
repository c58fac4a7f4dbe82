"""Arrow's view of a CSV's cells: every column as text, stripped where it needs it, blank
rows found, and the checks that say whether the file's rows are its lines (no empty line,
no quoted line break, no comment row), shared by the whole read (``csv_reading``) and the
sliced one (``csv_batches``). Each works on Arrow's own memory: a copy of a 200 MB file's
text is 460 MB.
"""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute  # noqa: F401 (pa.compute)


def all_text_columns(body, delimiter: str) -> dict[str, pa.DataType]:
    """Every column as text (Arrow takes the width from the first row; wider rows are
    invalid rows and go the Python way)."""
    first = bytes(body[:65536]).split(b"\n", 1)[0].decode("utf-8", "replace")
    width = len(next(csv.reader([first], delimiter=delimiter))) if first.strip() else 1
    return {f"f{i}": pa.large_string() for i in range(max(width, 1))}


def has_comment_rows(table: pa.Table) -> bool:
    if table.num_rows == 0:
        return False
    first = table.column(0)
    starts = pa.compute.or_(pa.compute.starts_with(first, "#"), pa.compute.starts_with(first, "//"))
    return bool(pa.compute.any(starts).as_py())


def has_line_breaks(table: pa.Table) -> bool:
    """A quoted cell spanning lines: Arrow reads it, but rows no longer match lines."""
    return any(
        pa.compute.any(pa.compute.match_substring(table.column(i), "\n")).as_py()
        for i in range(table.num_columns)
    )


def blank_rows(table: pa.Table) -> np.ndarray:
    """Rows whose every cell is empty, found in Arrow (pandas' ``== ""`` across the frame
    cost 230 MB for a 200 MB file)."""
    blank = None
    for i in range(table.num_columns):
        empty = pa.compute.equal(table.column(i), "")
        blank = empty if blank is None else pa.compute.and_(blank, empty)
    if blank is None:
        return np.zeros(0, dtype=bool)
    return np.asarray(blank.to_numpy(zero_copy_only=False), dtype=bool)


def stripped(table: pa.Table) -> pa.Table:
    """Cells without their surrounding spaces, copying only the columns that have any (a
    copy of every column cost the file's size again)."""
    for i in range(table.num_columns):
        column = table.column(i)
        if pa.compute.any(pa.compute.match_substring_regex(column, r"^\s|\s$")).as_py():
            table = table.set_column(i, table.field(i), pa.compute.utf8_trim_whitespace(column))
    return table


def renumbered(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows numbered from 0 again, sharing the cells (``reset_index`` copied every one)."""
    frame = frame.copy(deep=False)
    frame.index = pd.RangeIndex(len(frame))
    return frame


def has_empty_lines(body: memoryview, piece: int = 16 << 20) -> bool:
    """Whether a line of the bytes is empty, read a piece at a time (a copy of the whole
    file to search it cost its size again)."""
    for start in range(0, len(body), piece):
        chunk = bytes(body[max(start - 2, 0) : start + piece])  # a little overlap
        if b"\n\n" in chunk or b"\n\r\n" in chunk:
            return True
    return False
