"""Which column of a file is the time and which each of the type's dimensions, by their
names ("Tijdstip", "accX [m/s²]", "Temperatuur (°C)"); only a file with no header and
exactly the type's width is taken by position. What no name settles is left for the
person to choose."""

from __future__ import annotations

import re

from bucket_client import Dimension
from dashboard.upload.column_words import TIME_WORDS, means


def normalised(name: str) -> str:
    """``accX [m/s²]`` -> ``acc x``: lower case words, units in brackets left out."""
    name = re.sub(r"\(.*?\)|\[.*?\]", " ", name)
    name = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name)
    return " ".join(re.sub(r"[^0-9a-z]+", " ", name.lower()).split())


def _matches(column: str, dim: Dimension) -> bool:
    col = normalised(column)
    names = {normalised(dim.name), normalised(dim.id), normalised(dim.id.split("-")[-1])}
    if col in names or means(col, dim.id):
        return True
    axis = normalised(dim.name)
    if len(axis) == 1 and col:
        words = col.split()
        if len(words) > 1 and words[-1] == axis:  # "acc x", "acceleration x", "accX"
            return True
        if len(col) == 2 and col.isalpha() and col[1] == axis:  # "ax", "gy"
            return True
    return False


def guess_mapping(
    columns: list[str], dimensions: tuple[Dimension, ...], has_header: bool = True
) -> dict[str, str | None]:
    """``{"timestamp": column, <dimension name>: column}`` by name; a dimension no column
    names (or that two columns name) is None, for the person to choose. Only a file with no
    header and exactly the type's width is taken by position."""
    if not has_header and len(columns) == len(dimensions) + 1:
        return {"timestamp": columns[0], **{d.name: c for d, c in zip(dimensions, columns[1:])}}
    times = [c for c in columns if " + " in c] + [
        c for c in columns if normalised(c) in TIME_WORDS or normalised(c).startswith("time")
    ]
    mapping: dict[str, str | None] = {"timestamp": times[0] if times else None}
    used = {mapping["timestamp"]}
    for dim in dimensions:
        found = [c for c in columns if c not in used and _matches(c, dim)]
        mapping[dim.name] = found[0] if len(found) == 1 else None
        used.add(mapping[dim.name])
    return mapping
