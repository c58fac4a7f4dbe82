"""What kind of CSV a file is, from a sample of its bytes: its encoding, its separator,
the line its table starts on (comments and a logger's metadata above it), and its decimal
mark. Nothing here reads the whole file."""

from __future__ import annotations

import codecs
import csv
import re
from collections import Counter

import charset_normalizer


class CsvError(ValueError):
    """The file cannot be read as a table at all."""


DELIMITERS = [";", "\t", ","]  # on a tie, not the comma: "1;2,5" is a decimal comma
COMMENT_STARTS = ("#", "//")
SAMPLE_BYTES = 256 * 1024
CP1252_UNDEFINED = (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")


def detect_encoding(raw: bytes) -> str:
    """UTF-8 or UTF-16 by their byte-order mark, UTF-8 when the start decodes as UTF-8,
    else Windows-1252 (Excel's "CSV" in Western Europe and America: a header with "°C"
    shows it), unless bytes that Windows-1252 leaves undefined say otherwise: then what
    charset-normalizer finds."""
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(raw[:SAMPLE_BYTES], final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    if not any(b in raw[:SAMPLE_BYTES] for b in CP1252_UNDEFINED):
        return "cp1252"
    best = charset_normalizer.from_bytes(
        raw[:SAMPLE_BYTES], cp_isolation=["cp1250", "latin_1", "mac_roman", "cp437"]
    ).best()
    return best.encoding if best is not None else "latin_1"


def decode_sample(raw: bytes, encoding: str) -> str:
    chunk = raw[: SAMPLE_BYTES * (2 if encoding == "utf-16" else 1)]
    return codecs.getincrementaldecoder(encoding)("replace").decode(chunk, final=False)


def sniff_delimiter(lines: list[str]) -> str:
    """The separator that splits the most lines into the same number of cells."""
    lines = [line for line in lines[:200] if line.strip()]
    if not lines:
        raise CsvError("the file is empty.")
    best, best_score = ",", -1.0
    for delim in DELIMITERS:
        counts = [len(next(csv.reader([line], delimiter=delim))) for line in lines]
        split = Counter(c for c in counts if c >= 2)
        if not split:
            continue
        common = max(split, key=lambda w: (split[w], w))
        score = split[common] / len(counts) + common / 100
        if score > best_score + 1e-9:
            best, best_score = delim, score
    return best


def find_table_start(lines: list[str], delimiter: str) -> int:
    """Index of the table's first line (its header, if any): the first line as wide as most
    lines are. Comment lines (``#``, ``//``) and a logger's metadata ("Device: X", "Sample
    rate: 100 Hz") above it are not part of it; a ragged row further down is a bad row."""
    widths = []
    for line in lines:
        if not line.strip() or line.lstrip().startswith(COMMENT_STARTS):
            widths.append(None)
        else:
            widths.append(len(next(csv.reader([line], delimiter=delimiter))))
    content = [w for w in widths if w is not None]
    if not content:
        raise CsvError("the file has no rows.")
    tables = [w for w in content if w >= 2] or content  # a table has two columns at least
    counts = Counter(tables)
    width = max(counts, key=lambda w: (counts[w], w))
    return next(i for i, w in enumerate(widths) if w == width)


def numberish(cell: str) -> bool:
    text = cell.strip()
    return bool(text) and (_to_float(text) is not None or _looks_like_time(text))


def _looks_like_time(text: str) -> bool:
    return bool(re.match(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}|^\d{1,2}:\d{2}", text))


def _to_float(text: str) -> float | None:
    try:
        return float(text.replace(".", "").replace(",", ".")) if "," in text else float(text)
    except ValueError:
        return None


DECIMAL_COMMA = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+|\d+),\d+([eE][+-]?\d+)?$")
THOUSANDS_ONLY = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+$")
DECIMAL_POINT = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)\.\d+$")


def decimal_mark(rows: list[list[str]], delimiter: str) -> str:
    """``,`` when the file's numbers are written 21,5 (Dutch or German Excel), else ``.``."""
    if delimiter == ",":
        return "."
    cells = [c.strip() for row in rows for c in row]
    commas = sum(bool(DECIMAL_COMMA.match(c)) for c in cells)
    points = sum(
        bool(DECIMAL_POINT.match(c)) and "," not in c and not THOUSANDS_ONLY.match(c) for c in cells
    )  # "2.000" may be two thousand written with a decimal comma: it does not count
    return "," if commas and commas >= points else "."
