"""A CSV file's bytes to a table of text cells: its encoding, the lines above the table
(comments, a logger's metadata), its separator, whether it has a header, its decimal mark,
and every row's line number in the file, before anything is read as a time or a value.

The cells are parsed by Apache Arrow's CSV reader into Arrow strings: a 200 MB file costs
about its own size in memory (Python string objects cost ten times that), is read on every
core, and the memory goes back to the system when the table is dropped. Files Arrow cannot
take row by row (rows of different lengths, line breaks inside quotes) go through Python's
``csv`` module, which knows each row's line.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from dashboard.upload import arrow_cells
from dashboard.upload.csv_sniffing import (
    COMMENT_STARTS,
    SAMPLE_BYTES,
    CsvError,
    decimal_mark,
    decode_sample,
    detect_encoding,
    find_table_start,
    numberish,
    sniff_delimiter,
)

__all__ = ["CsvError", "CsvTable", "read_table"]

ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 with BOM",
    "utf-16": "UTF-16",
    "cp1252": "Windows-1252",
}


@dataclass
class CsvTable:
    """The file's cells as stripped text, with each row's line number in the file (1-based)."""

    frame: pd.DataFrame
    lines: np.ndarray
    delimiter: str
    has_header: bool
    encoding: str = "utf-8"
    skipped: list[tuple[int, str]] = field(default_factory=list)  # lines above the table
    decimal: str = "."
    ragged: list[tuple[int, str]] = field(default_factory=list)  # rows left out, and why
    # where the table starts in the bytes, how they are read, its own column names, and
    # the two columns ``with_date_and_time`` joined
    offset: int = 0
    byte_encoding: str = "utf-8"
    names: list[str] = field(default_factory=list)
    joined: tuple[str, str] | None = None
    # a large file checked in slices (``csv_batches``): its bytes, its rows, the line of
    # its first row; ``frame`` then holds its first rows only
    source: bytes | memoryview | None = None
    rows: int = 0
    data_line: int = 0

    @property
    def row_count(self) -> int:
        return self.rows if self.source is not None else len(self.frame)

    @property
    def had_bom(self) -> bool:
        return self.encoding == "utf-8-sig" or self.encoding == "utf-16"

    @property
    def encoding_name(self) -> str:
        return ENCODING_NAMES.get(self.encoding, self.encoding)


def read_table(raw: bytes | memoryview, preview: int | None = None) -> CsvTable:
    """Parse the bytes into text cells; blank lines and the lines above the table are
    skipped, line numbers kept. ``preview``: only the table's first lines, about that many
    bytes (the rest is read in slices, see ``csv_batches``)."""
    raw = memoryview(raw)  # never a copy: an uploaded file's bytes are read where they are
    encoding = detect_encoding(bytes(raw[:SAMPLE_BYTES]))
    if encoding == "utf-16":  # rare and small ("Unicode text" from Excel): read as UTF-8
        raw, encoding = bytes(raw).decode("utf-16").encode("utf-8"), "utf-16"
        byte_encoding = "utf-8"
    else:
        byte_encoding = "utf-8" if encoding == "utf-8-sig" else encoding
    sample = decode_sample(bytes(raw[:SAMPLE_BYTES]), byte_encoding)
    if sample.startswith("\ufeff"):
        sample = sample[1:]
    lines = sample.splitlines()
    if len(raw) > SAMPLE_BYTES and len(lines) > 1:
        lines = lines[:-1]  # the sample may end mid-line
    if not any(line.strip() for line in lines):
        raise CsvError("the file is empty.")
    content = [ln for ln in lines if ln.strip() and not ln.lstrip().startswith(COMMENT_STARTS)]
    delimiter = sniff_delimiter(content)
    start = find_table_start(lines, delimiter)
    skipped = [(i + 1, line) for i, line in enumerate(lines[:start]) if line.strip()]
    offset = _byte_offset(raw, start, encoding)
    end = len(raw) if preview is None else offset + _last_line_end(raw[offset:], preview)
    try:
        frame, line_numbers, ragged = _cells(raw[:end], offset, start, delimiter, byte_encoding)
    except _NotUtf8:  # UTF-8 at the start, not further on: Excel's Windows-1252 after all
        encoding = byte_encoding = "cp1252"
        frame, line_numbers, ragged = _cells(raw[:end], offset, start, delimiter, encoding)
    if frame.empty:
        raise CsvError("the file has no rows.")
    if frame.shape[1] < 2:
        raise CsvError(
            "found a single column: a time column and at least one value column are needed "
            "(separated by comma, semicolon or tab)."
        )
    head = frame.head(50).astype(str).values.tolist()
    first, later = head[0], [c for row in head[1:4] for c in row]
    has_header = not all(numberish(c) for c in first if c) and any(numberish(c) for c in later)
    if has_header:
        frame.columns = _unique([c or f"column {i + 1}" for i, c in enumerate(first)])
        frame, line_numbers = arrow_cells.renumbered(frame.iloc[1:]), line_numbers[1:]
    else:
        frame.columns = [f"column {i + 1}" for i in range(frame.shape[1])]
    decimal = decimal_mark(head[1:] if has_header else head, delimiter)
    table = CsvTable(frame, line_numbers, delimiter, has_header, encoding, skipped, decimal, ragged)
    table.offset, table.byte_encoding, table.names = offset, byte_encoding, list(frame.columns)
    return table


def _last_line_end(body: memoryview, size: int) -> int:
    """Where the last line that ends within ``size`` bytes ends."""
    head = bytes(body[:size])
    return (head.rfind(b"\n") + 1 or len(head)) if len(body) > size else len(body)


def _byte_offset(raw, start_line: int, encoding: str) -> int:
    """Where line ``start_line`` (0-based) begins in the bytes (after any BOM)."""
    position = len(codecs.BOM_UTF8) if encoding == "utf-8-sig" else 0
    view = bytes(raw[: SAMPLE_BYTES * 2])
    for _ in range(start_line):
        newline = view.find(b"\n", position)
        if newline < 0:
            break
        position = newline + 1
    return position


def _cells(
    raw, offset: int, first_line: int, delimiter: str, encoding: str
) -> tuple[pd.DataFrame, np.ndarray, list[tuple[int, str]]]:
    """Every cell as stripped text, blank rows dropped, each row's line number, and the
    rows left out (a different number of cells)."""
    body = memoryview(raw)[offset:]
    fallback = False
    invalid: list[str] = []

    def note_invalid(row) -> str:
        invalid.append(row.text)
        return "skip"

    try:
        table = pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(body)),
            read_options=pacsv.ReadOptions(
                autogenerate_column_names=True, encoding=encoding, block_size=8 << 20
            ),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, invalid_row_handler=note_invalid),
            convert_options=pacsv.ConvertOptions(
                column_types=arrow_cells.all_text_columns(body, delimiter),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError) as error:
        if "UTF8" in str(error) and encoding == "utf-8":
            raise _NotUtf8 from None
        fallback = True
    if not fallback and (
        invalid or arrow_cells.has_comment_rows(table) or arrow_cells.has_line_breaks(table)
    ):
        fallback = True
    if fallback:
        return _cells_by_python(bytes(body).decode(encoding, "replace"), first_line, delimiter)
    table = arrow_cells.stripped(table)
    blank = arrow_cells.blank_rows(table)
    # large strings are what pandas' Arrow strings hold: handed over without a copy
    frame = table.to_pandas(types_mapper={pa.large_string(): pd.StringDtype("pyarrow")}.get)
    del table
    empty_lines = arrow_cells.has_empty_lines(body)
    numbers = (
        _line_numbers(body, first_line, len(frame))
        if empty_lines
        else first_line + 1 + np.arange(len(frame), dtype=np.int64)
    )
    if blank.any():
        frame, numbers = frame[~blank].reset_index(drop=True), numbers[~blank]
    return frame, numbers, []


class _NotUtf8(Exception):
    """The bytes after the sample are not UTF-8 after all."""


def _line_numbers(body, first_line: int, rows: int) -> np.ndarray:
    """Arrow skips empty lines without saying where: the line of each row, from the bytes
    (only when the file has empty lines; quoted line breaks went the Python way)."""
    data = np.frombuffer(body, dtype=np.uint8)
    newlines = np.flatnonzero(data == 10)
    begins = np.concatenate([[0], newlines + 1])
    ends = np.append(newlines, len(data))
    lengths = ends - begins
    only_cr = (lengths == 1) & (data[np.minimum(begins, max(len(data) - 1, 0))] == 13)
    nonempty = np.flatnonzero((lengths > 0) & ~only_cr)
    return first_line + 1 + nonempty[:rows].astype(np.int64)


def _cells_by_python(
    text: str, first_line: int, delimiter: str
) -> tuple[pd.DataFrame, np.ndarray, list[tuple[int, str]]]:
    """Row by row: each row's line (where it ends), and rows whose width is not the
    first row's, left out with the reason."""
    rows, numbers, ragged = [], [], []
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    width = None
    for row in reader:
        cells = [cell.strip() for cell in row]
        if not any(cells) or cells[0].startswith(COMMENT_STARTS):
            continue
        line = first_line + reader.line_num
        width = width or len(cells)
        if len(cells) != width:
            ragged.append((line, f"has {len(cells)} cells where the table has {width}"))
            continue
        rows.append(cells)
        numbers.append(line)
    frame = pd.DataFrame(rows, dtype=pd.StringDtype("pyarrow"))
    return frame, np.asarray(numbers, dtype=np.int64), ragged


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        if name in seen:
            seen[name] += 1
            out.append(f"{name} ({seen[name]})")
        else:
            seen[name] = 0
            out.append(name)
    return out
