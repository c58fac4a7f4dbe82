"""A CSV file's bytes to a table of text cells: its encoding, its separator, whether it
has a header, and its columns, before anything is interpreted as a time or a value."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

DELIMITERS = [",", ";", "\t"]


@dataclass
class CsvTable:
    """The file's cells as text, with each row's line number in the file (1-based)."""

    frame: pd.DataFrame
    lines: np.ndarray
    delimiter: str
    has_header: bool
    had_bom: bool


class CsvError(ValueError):
    """The file cannot be read as a table at all."""


def decode(raw: bytes) -> tuple[str, bool]:
    """UTF-8 text, and whether it started with a BOM."""
    had_bom = raw.startswith(b"\xef\xbb\xbf")
    try:
        return raw.decode("utf-8-sig"), had_bom
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise CsvError(
            f"line {line} is not UTF-8 text; save the file as UTF-8 (CSV UTF-8)."
        ) from None


def sniff_delimiter(sample: str) -> str:
    lines = [line for line in sample.splitlines()[:50] if line.strip()]
    if not lines:
        raise CsvError("the file is empty.")
    best, best_score = ",", -1.0
    for delim in DELIMITERS:
        counts = [len(next(csv.reader([line], delimiter=delim))) for line in lines]
        if max(counts) < 2:
            continue
        common = max(set(counts), key=counts.count)
        score = counts.count(common) / len(counts) + common / 100
        if score > best_score:
            best, best_score = delim, score
    return best


def _numberish(cell: str) -> bool:
    text = cell.strip()
    return bool(text) and (_to_float(text) is not None or _looks_like_time(text))


def _looks_like_time(text: str) -> bool:
    return bool(re.match(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}", text))


def _to_float(text: str) -> float | None:
    try:
        return (
            float(text.replace(",", "."))
            if text.count(",") == 1 and "." not in text
            else float(text)
        )
    except ValueError:
        return None


def _cells(text: str, delimiter: str) -> tuple[pd.DataFrame, np.ndarray]:
    """All cells as text and each row's line number; blank lines dropped.

    pandas' C reader keeps a 1M-row file small and fast; a ragged file (rows of
    different lengths) falls back to the csv module.
    """
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            header=None,
            dtype=str,
            engine="c",
            skip_blank_lines=False,
            keep_default_na=False,
            na_filter=False,
            skipinitialspace=True,
        )
        lines = np.arange(1, len(frame) + 1, dtype=np.int64)
        if "\n" in text and '"' in text:  # quoted newlines would shift line numbers
            raise pd.errors.ParserError("quoted text: count lines exactly")
    except pd.errors.ParserError:
        rows, numbers = [], []
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        for row in reader:
            rows.append([cell.strip() for cell in row])
            numbers.append(reader.line_num)
        width = max((len(r) for r in rows), default=0)
        frame = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype="str")
        lines = np.asarray(numbers, dtype=np.int64)
    frame = frame.apply(lambda col: col.str.strip())
    blank = (frame == "").all(axis=1).to_numpy()
    return frame[~blank].reset_index(drop=True), lines[~blank]


def read_table(raw: bytes) -> CsvTable:
    """Parse the bytes into text cells; blank lines are skipped but line numbers kept."""
    text, had_bom = decode(raw)
    delimiter = sniff_delimiter(text[:20_000])
    frame, lines = _cells(text, delimiter)
    if frame.empty:
        raise CsvError("the file has no rows.")
    if frame.shape[1] < 2:
        raise CsvError(
            "found a single column: a time column and at least one value column are needed "
            "(separated by comma, semicolon or tab)."
        )
    first = frame.iloc[0].tolist()
    later = [c for r in frame.iloc[1:3].itertuples(index=False) for c in r]
    has_header = not all(_numberish(c) for c in first if c) and any(_numberish(c) for c in later)
    if has_header:
        frame.columns = _unique([c or f"column {i + 1}" for i, c in enumerate(first)])
        frame, lines = frame.iloc[1:].reset_index(drop=True), lines[1:]
    else:
        frame.columns = [f"column {i + 1}" for i in range(frame.shape[1])]
    return CsvTable(frame, lines, delimiter, has_header, had_bom)


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
