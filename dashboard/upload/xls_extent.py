"""How far an ``.xls`` workbook's sheets reach, read from its records before any reader
holds them.

The spreadsheet reader keeps a sheet as the rectangle from A1 to its farthest cell: a 5.6 KB
``.xls`` with one cell at row 65,000, column 250 took it to 1 GB here. An ``.xls`` is a
Compound File (sectors chained by a table) holding a "Workbook" stream of BIFF records; each
cell record starts with its row and column, and each sheet says its dimensions. This reads
that stream and returns the largest sheet's rows and columns (the larger of what the cells
and the dimensions say), in time and memory proportional to the file.
"""

from __future__ import annotations

import struct

SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
END_OF_CHAIN = 0xFFFFFFFE
# BIFF8 records that start with (row, column): NUMBER, RK, LABELSST, LABEL, BLANK, BOOLERR,
# FORMULA, RSTRING; MULRK and MULBLANK end with their last column
CELLS = {0x0203, 0x027E, 0x00FD, 0x0204, 0x0201, 0x0205, 0x0006, 0x00D6}
MULTIPLE = {0x00BD, 0x00BE}
DIMENSIONS, BOF, EOF = 0x0200, 0x0809, 0x000A


class NotXls(ValueError):
    """Not a Compound File with a workbook stream: says why."""


def _chain(table: list[int], start: int, limit: int) -> list[int]:
    """The sectors from ``start`` by ``table``; a loop or a wrong index is refused."""
    sectors: list[int] = []
    sector = start
    while sector != END_OF_CHAIN:
        if sector >= len(table) or len(sectors) > limit:
            raise NotXls("its sector chain is broken")
        sectors.append(sector)
        sector = table[sector]
    return sectors


def workbook_stream(data: bytes) -> bytes:
    """The ``Workbook`` (or BIFF5's ``Book``) stream of a Compound File."""
    if data[:8] != SIGNATURE or len(data) < 512:
        raise NotXls("it is not a Compound File")
    shift, mini_shift = struct.unpack_from("<HH", data, 30)
    if shift not in (9, 12) or mini_shift != 6:
        raise NotXls("its sector sizes are not a Compound File's")
    size = 1 << shift
    count = (len(data) - size) // size + 1

    def sector(n: int) -> bytes:
        return data[(n + 1) * size : (n + 2) * size]

    fat_sectors = list(struct.unpack_from("<109I", data, 76))
    difat, difat_count = struct.unpack_from("<II", data, 68)
    for _ in range(min(difat_count, count)):
        if difat >= count:
            break
        entries = struct.unpack(f"<{size // 4}I", sector(difat))
        fat_sectors += entries[:-1]
        difat = entries[-1]
    fat: list[int] = []
    for n in fat_sectors:
        if n < count:
            fat += struct.unpack(f"<{size // 4}I", sector(n))
    directory = b"".join(
        sector(n) for n in _chain(fat, struct.unpack_from("<I", data, 48)[0], count)
    )
    entries = [directory[i : i + 128] for i in range(0, len(directory) - 127, 128)]
    root = entries[0]
    for entry in entries:
        length = struct.unpack_from("<H", entry, 64)[0]
        name = entry[: max(0, length - 2)].decode("utf-16-le", "replace")
        if name in ("Workbook", "Book") and entry[66] == 2:
            start, stream_size = struct.unpack_from("<IQ", entry, 116)
            if shift == 9:  # version 3: the size's high half is not a size
                stream_size &= 0xFFFFFFFF
            if stream_size >= struct.unpack_from("<I", data, 56)[0]:
                stream = b"".join(sector(n) for n in _chain(fat, start, count))
                return stream[:stream_size]
            # a small stream lies in 64-byte pieces inside the root entry's stream
            mini_table: list[int] = []
            for n in _chain(fat, struct.unpack_from("<I", data, 60)[0], count):
                mini_table += struct.unpack(f"<{size // 4}I", sector(n))
            mini = b"".join(
                sector(n) for n in _chain(fat, struct.unpack_from("<I", root, 116)[0], count)
            )
            pieces = _chain(mini_table, start, len(mini) // 64 + 1)
            return b"".join(mini[n * 64 : (n + 1) * 64] for n in pieces)[:stream_size]
    raise NotXls("it has no workbook stream")


def largest_sheet(data: bytes) -> tuple[int, int]:
    """``(rows, columns)`` of the farthest-reaching sheet of an ``.xls`` file."""
    stream = workbook_stream(data)
    best = (0, 0)
    rows = columns = 0
    at = 0
    while at + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, at)
        body = stream[at + 4 : at + 4 + length]
        at += 4 + length
        if kind == BOF:
            rows = columns = 0
        elif kind in CELLS and len(body) >= 4:
            row, column = struct.unpack_from("<HH", body, 0)
            rows, columns = max(rows, row + 1), max(columns, column + 1)
        elif kind in MULTIPLE and len(body) >= 6:
            row = struct.unpack_from("<H", body, 0)[0]
            last = struct.unpack_from("<H", body, len(body) - 2)[0]
            rows, columns = max(rows, row + 1), max(columns, last + 1)
        elif kind == DIMENSIONS and len(body) >= 12:
            _first_row, last_row, _first_col, last_col = struct.unpack_from("<IIHH", body, 0)
            rows, columns = max(rows, last_row), max(columns, last_col)
        elif kind == EOF and rows * columns > best[0] * best[1]:
            best = (rows, columns)
    if rows * columns > best[0] * best[1]:
        best = (rows, columns)
    return best
