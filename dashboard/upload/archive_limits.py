"""Limits on what a packed file may unpack to, checked before any reader opens it.

An ``.xlsx``, an ``.ods`` and a phyphox export are zip archives, and a zip says how large
its members are without having to be honest. Measured here before these checks: a 0.12 MB
phyphox zip holding a 64 MB member took +2,440 MB as soon as it was chosen; a 471 KB
``.xlsx`` of 4 million tiny rows +820 MB; a 4.8 KB ``.xlsx`` with one cell at row 200,000,
column 2,000 made the spreadsheet reader fill the whole rectangle: 12 GB and 41 s.

So, following OWASP's advice for archives, each is refused with the limit it broke:

- the number of members, each member's unpacked size, the total, and the packing ratio,
  from the archive's directory;
- each member unpacked once in pieces and counted, so a member that holds more than it
  declares is caught without keeping it;
- a sheet's extent (rows x columns, from its cells' own references), because the reader
  holds a rectangle that size whatever is in it.

An ``.xls`` is not a zip: its cells are stored as they are, so its size is a limit, and its
sheets' extent is read from its records (``xls_extent``) and held to the same cells.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from xml.etree.ElementTree import iterparse

MB = 1_000_000


class ArchiveRefused(ValueError):
    """A packed file over one of its limits: the message names the limit, for the page."""


@dataclass(frozen=True)
class Limits:
    members: int
    member_bytes: int
    total_bytes: int
    ratio: int  # unpacked / packed, for members over 1 MB
    sheet_cells: int = 0  # 0: not a spreadsheet


PHYPHOX_ZIP = Limits(members=200, member_bytes=200 * MB, total_bytes=200 * MB, ratio=100)
SPREADSHEET = Limits(
    members=1_000, member_bytes=100 * MB, total_bytes=150 * MB, ratio=100, sheet_cells=2_000_000
)
XLS_BYTES = 20 * MB  # an .xls is at most 65,536 rows of 256 columns; stored unpacked


def check_xls(data: bytes, limits: Limits) -> None:
    """Refuse an ``.xls`` over its size, or whose farthest-reaching sheet spans more cells
    than a spreadsheet may (a 5.6 KB file with one far cell took the reader to 1 GB)."""
    from dashboard.upload.xls_extent import NotXls, largest_sheet

    if len(data) > XLS_BYTES:
        raise ArchiveRefused(f"it is over {XLS_BYTES // MB} MB, the most an .xls may be")
    try:
        rows, columns = largest_sheet(data)
    except (NotXls, struct.error) as error:
        raise ArchiveRefused(f"its sheets cannot be measured ({error})") from None
    _refuse_extent(rows, columns, limits.sheet_cells)


def _mb(n: int) -> str:
    return f"{n / MB:,.0f} MB" if n >= MB else f"{n:,} bytes"


def check_zip(data: bytes, limits: Limits) -> None:
    """Refuse ``data`` (a zip) over ``limits``; a spreadsheet's sheets are measured too."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as error:
        raise ArchiveRefused(f"it is not a readable zip archive ({error})") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.members:
            raise ArchiveRefused(f"it holds {len(infos):,} files; at most {limits.members:,}")
        total = 0
        for info in infos:
            name = info.filename[:80]
            if info.file_size > limits.member_bytes:
                raise ArchiveRefused(
                    f"its part {name} unpacks to {_mb(info.file_size)}; "
                    f"a part may be at most {_mb(limits.member_bytes)}"
                )
            total += info.file_size
            if total > limits.total_bytes:
                raise ArchiveRefused(
                    f"it unpacks to more than {_mb(limits.total_bytes)} in all, the most it may"
                )
            if info.file_size > MB and info.file_size > limits.ratio * max(info.compress_size, 1):
                raise ArchiveRefused(
                    f"its part {name} is packed {info.file_size // max(info.compress_size, 1):,} "
                    f"times smaller than it unpacks; at most {limits.ratio} times is taken"
                )
        for info in infos:
            _check_declared_size(archive, info)
        if limits.sheet_cells:
            for info in infos:
                _check_sheet_extent(archive, info, limits.sheet_cells)


def _check_declared_size(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Unpack the member's raw data in pieces and count: more than it declares is refused."""
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise ArchiveRefused(f"its part {info.filename[:80]} is packed in a way not taken")
    raw_info = zipfile.ZipInfo(info.filename, info.date_time)
    raw_info.header_offset, raw_info.flag_bits = info.header_offset, info.flag_bits
    raw_info.compress_type = zipfile.ZIP_STORED  # the packed bytes as they are
    raw_info.compress_size = raw_info.file_size = info.compress_size
    raw_info.CRC = None  # their checksum is checked by the reader, not here
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    produced = 0
    with archive.open(raw_info) as raw:
        while chunk := raw.read(1 << 16):
            while chunk:
                if inflater is None:
                    out, chunk = chunk, b""
                else:
                    out = inflater.decompress(chunk, 1 << 20)
                    chunk = inflater.unconsumed_tail
                produced += len(out)
                if produced > info.file_size:
                    raise ArchiveRefused(
                        f"its part {info.filename[:80]} holds more than the "
                        f"{_mb(info.file_size)} it declares"
                    )


XLSX_SHEET = re.compile(r"xl/worksheets/[^/]+\.xml$")
XLSX_CELL = re.compile(rb"<(?:\w+:)?c\b[^>]*?\br=\"([A-Z]{1,3})([0-9]{1,7})\"")
XLSX_ANY_CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")
ODS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"


def _column_number(letters: bytes) -> int:
    n = 0
    for letter in letters:
        n = n * 26 + letter - 64
    return n


def _check_sheet_extent(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cells: int) -> None:
    if XLSX_SHEET.match(info.filename):
        rows, columns = _xlsx_extent(archive, info)
    elif info.filename == "content.xml":
        rows, columns = _ods_extent(archive, info)
    else:
        return
    _refuse_extent(rows, columns, cells)


def _refuse_extent(rows: int, columns: int, cells: int) -> None:
    if rows * columns > cells:
        raise ArchiveRefused(
            f"a sheet spans {rows:,} rows by {columns:,} columns ({rows * columns:,} cells); "
            f"at most {cells:,} cells are read from a spreadsheet: save a larger table as CSV"
        )


def _xlsx_extent(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[int, int]:
    """The rectangle from A1 to the farthest cell reference, read in pieces; cells written
    without a reference (they follow each other) count one each."""
    rows = columns = cells = 0
    tail = b""
    with archive.open(info) as sheet:
        while chunk := sheet.read(1 << 20):
            cut = max(chunk.rfind(b"<"), 0)  # no tag split between two pieces
            text, tail = tail + chunk[:cut], chunk[cut:]
            for found in XLSX_CELL.finditer(text):
                columns = max(columns, _column_number(found.group(1)))
                rows = max(rows, int(found.group(2)))
            cells += len(XLSX_ANY_CELL.findall(text))
        cells += len(XLSX_ANY_CELL.findall(tail))
    return (rows, columns) if rows * columns >= cells else (cells, 1)


def _ods_extent(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[int, int]:
    """Rows and columns up to the last cell with a value, repeats counted as the reader
    expands them (trailing empty repeats, as LibreOffice writes them, cost nothing)."""
    rows = columns = 0
    row_at = column_at = 0
    repeat_row = f"{{{ODS}}}number-rows-repeated"
    repeat_column = f"{{{ODS}}}number-columns-repeated"
    with archive.open(info) as content:
        for event, element in iterparse(content, events=("start", "end")):
            tag = element.tag
            if tag == f"{{{ODS}}}table" and event == "start":
                row_at = 0
            elif tag == f"{{{ODS}}}table-row" and event == "start":
                column_at = 0
            elif tag == f"{{{ODS}}}table-row" and event == "end":
                repeated = int(element.get(repeat_row, "1") or 1)
                if any(_has_value(c) for c in element):
                    rows = max(rows, row_at + repeated)
                row_at += repeated
                element.clear()
            elif tag == f"{{{ODS}}}table-cell" and event == "end":
                repeated = int(element.get(repeat_column, "1") or 1)
                if _has_value(element):
                    columns = max(columns, column_at + repeated)
                column_at += repeated
    return rows, columns


def _has_value(cell) -> bool:
    return any(k.endswith("value-type") for k in cell.attrib) or len(cell) > 0
