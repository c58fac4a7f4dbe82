"""Account's "Download everything": every thing and property of the signed-in person as one
zip, to take home.

Per thing a folder (its name and id) with ``thing.json``; per property ``<name>.json`` (its
type and dimensions) and ``<name>.csv`` with every value: the time as the person's clock reads
it (ISO 8601 with its offset), the time in ms since 1970, a column per dimension. Values are
read a day at a time and written straight into the zip on disk, so a million rows never sit
in memory at once. Bucket's own ``GET /takeout`` (the real server's ``ThingService``) builds a
zip in memory with every property read in one request, named by ids, with ms times only.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable

import pandas as pd

from bucket_client import Property, Thing
from dashboard.shared.spreadsheet import neutralised
from dashboard.shared.value_tables import values_table

DAY_MS = 86_400_000


def safe_name(text: str, fallback: str) -> str:
    """A folder or file name from a person's name: letters, digits, ``-_.`` and spaces."""
    cleaned = "".join(c if c.isalnum() or c in "-_. " else "_" for c in text).strip(" .")
    return cleaned[:80] or fallback


def thing_json(thing: Thing) -> dict:
    return {
        "id": thing.id,
        "name": thing.name,
        "type": thing.type,
        "description": thing.description,
        "properties": [p.id for p in thing.properties],
    }


def property_json(prop: Property) -> dict:
    return {
        "id": prop.id,
        "thing_id": prop.thing_id,
        "name": prop.name,
        "description": prop.description,
        "type": {"id": prop.type.id, "name": prop.type.name},
        "dimensions": [
            {"id": d.id, "name": d.name, "unit": d.unit, "type": d.type} for d in prop.dimensions
        ],
    }


def write_takeout(
    out,
    things: list[Thing],
    read_day: Callable[[Property, int, int], pd.DataFrame],
    span: Callable[[Property], tuple[int, int] | None],
    tz: str,
    progress: Callable[[int, int, str], None] = lambda done, total, what: None,
) -> dict[str, int]:
    """Write the zip into the binary file ``out``; ``{property id: rows written}``.
    ``span(prop)`` is its first and last value's ms (None when it has none); ``read_day``
    reads ``[start, end]`` of one property."""
    props = [p for t in things for p in t.properties]
    written: dict[str, int] = {}
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for thing in things:
            folder = f"{safe_name(thing.name, 'thing')} ({thing.id.split(':')[-1]})"
            archive.writestr(f"{folder}/thing.json", json.dumps(thing_json(thing), indent=1))
            used: set[str] = set()
            for prop in thing.properties:
                name = safe_name(prop.name, "property")
                if name in used:
                    name = f"{name} ({prop.id.split(':')[-1]})"
                used.add(name)
                archive.writestr(f"{folder}/{name}.json", json.dumps(property_json(prop), indent=1))
                progress(len(written), len(props), prop.name)
                with archive.open(f"{folder}/{name}.csv", "w", force_zip64=True) as raw:
                    written[prop.id] = _values_csv(raw, prop, read_day, span(prop), tz)
        progress(len(written), len(props), "")
    return written


def _values_csv(raw, prop: Property, read_day, first_last, tz: str) -> int:
    text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
    names = [d.name for d in prop.dimensions]
    pd.DataFrame(columns=["time", "time_ms", *names]).to_csv(text, index=False)
    rows = 0
    if first_last is not None:
        first, last = first_last
        for start in range(first, last + 1, DAY_MS):
            part = read_day(prop, start, min(start + DAY_MS - 1, last))
            if part.empty:
                continue
            table = values_table(part.reindex(columns=names), tz)  # every dimension, in order
            neutralised(table).to_csv(text, index=False, header=False)
            rows += len(part)
    text.flush()
    text.detach()
    return rows
