"""A large CSV checked a slice at a time, so its text is never all in memory at once.

A 200 MB file read whole is 460 MB of Arrow text beside the file itself (which Streamlit
holds while it is in the uploader), and checking it took 290 MB more: 1.3 GB at the peak
on the Upload page. Above ``STREAM_BYTES`` the page keeps only the first rows' text (to
show, to map columns, to detect the time format) and the check reads the file again in
slices of ``SLICE_BYTES``, keeping only each row's time and values. Files whose rows do not
map one to one onto lines (empty lines, rows of another width, quoted line breaks,
comment rows) are read whole, where each row's line is known.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from dashboard.upload import arrow_cells, csv_reading

STREAM_BYTES = 32 << 20  # files larger than this are checked in slices
SLICE_BYTES = 4 << 20  # about 110,000 rows of a phone's accelerometer
PREVIEW_BYTES = 4 << 20  # the rows shown and used to detect formats: the file's start


class NeedsWholeFile(Exception):
    """A slice holds a row that is not one line (or no row at all): read the file whole."""


def read(raw: bytes | memoryview) -> csv_reading.CsvTable:
    """The file's table: whole when it is small or its rows are not its lines, else its
    first rows, with what the check needs to read the rest in slices."""
    if len(raw) <= STREAM_BYTES:
        return csv_reading.read_table(raw)
    table = csv_reading.read_table(raw, preview=PREVIEW_BYTES)
    body = memoryview(raw)[table.offset :]
    lines = table.lines
    one_per_line = (
        table.encoding != "utf-16"
        and not table.ragged
        and len(lines) > 0
        and bool((np.diff(lines) == 1).all())
        and not arrow_cells.has_empty_lines(body)
    )
    if not one_per_line:
        return csv_reading.read_table(raw)
    table.source = raw
    table.rows = count_rows(body) - (1 if table.has_header else 0)
    table.data_line = int(lines[0])
    return table


def count_rows(body: memoryview) -> int:
    """The table's rows below its start: one per line (no line of a streamed file is empty),
    the last one counted whether or not the file ends with a line break."""
    rows = 0
    for start in range(0, len(body), SLICE_BYTES):
        rows += bytes(body[start : start + SLICE_BYTES]).count(b"\n")
    return rows + (1 if len(body) and body[-1] != ord("\n") else 0)


def text_slices(table) -> Iterator[pd.DataFrame]:
    """The table's rows as text, a slice at a time, named and joined as ``table.frame`` is
    (``with_date_and_time``'s column first when there is one). Raises ``NeedsWholeFile``."""
    body = memoryview(table.source)[table.offset :]
    invalid: list[str] = []

    def note_invalid(row) -> str:
        invalid.append(row.text)
        return "skip"

    reader = pacsv.open_csv(
        pa.BufferReader(pa.py_buffer(body)),
        read_options=pacsv.ReadOptions(
            autogenerate_column_names=True,
            encoding=table.byte_encoding,
            block_size=SLICE_BYTES,
        ),
        parse_options=pacsv.ParseOptions(
            delimiter=table.delimiter, invalid_row_handler=note_invalid
        ),
        convert_options=pacsv.ConvertOptions(
            column_types=arrow_cells.all_text_columns(body, table.delimiter),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    first = True
    for batch in _batches(reader):
        part = pa.Table.from_batches([batch])
        if (
            invalid
            or arrow_cells.has_comment_rows(part)
            or arrow_cells.has_line_breaks(part)
            or arrow_cells.blank_rows(part).any()
        ):
            raise NeedsWholeFile
        part = arrow_cells.stripped(part)
        frame = part.to_pandas(types_mapper={pa.large_string(): pd.StringDtype("pyarrow")}.get)
        del part
        pa.default_memory_pool().release_unused()  # the last slice's text, back to the system
        if first and table.has_header:
            frame = arrow_cells.renumbered(frame.iloc[1:])
        first = False
        frame.columns = table.names
        if table.joined:
            date, clock = table.joined
            joined = frame[date].str.cat(frame[clock], sep=" ").rename(f"{date} + {clock}")
            frame = pd.concat([joined, frame], axis=1)
        yield frame


def _batches(reader):
    """The reader's batches; bytes that are not in the file's encoding further on (the
    preview was) send the file the whole way, which knows what to do with them."""
    while True:
        try:
            yield reader.read_next_batch()
        except StopIteration:
            return
        except (pa.ArrowInvalid, UnicodeDecodeError):
            raise NeedsWholeFile from None


def slice_lines(table, start_row: int, rows: int) -> np.ndarray:
    """The file's line number of each row of a slice (a streamed file has no empty line)."""
    return table.data_line + start_row + np.arange(rows, dtype=np.int64)
