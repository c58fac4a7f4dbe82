"""A board as the JSON document stored in Bucket: its title, its place among the person's
boards and its panels, each of one kind. Versioned (``format`` and ``version``) so that a
later app can read what an earlier one wrote, and read with every problem named (a field
that is not what it should be, a kind this app does not draw), never with a crash: a board
is typed by people and may have been written by another copy of the app."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace

from dashboard.shared.text import a_or_an

FORMAT = "bucket-dashboard/board"
VERSION = 1
MAX_CHARS = 60_000  # InfluxDB keeps a string field up to 64 KB; Bucket takes 100 KB a request
MAX_PANELS = 24

KINDS = {
    "chart": "Time chart",
    "last": "Last value",
    "gauge": "Gauge",
    "map": "Map of a track",
    "table": "Newest values",
    "note": "Text note",
}
SIZES = {"small": 1, "medium": 2, "large": 4}  # of the grid's four columns
SIZE_WORDS = {"small": "Small (a quarter)", "medium": "Medium (half)", "large": "Large (whole row)"}
RANGES = {"15m", "1h", "24h", "7d", "30d", "all"}


@dataclass(frozen=True)
class PropertyRef:
    """A property a panel shows: its thing and its id (the owner's, for a shared board)."""

    thing: str
    property: str


@dataclass(frozen=True)
class Panel:
    kind: str
    title: str = ""
    size: str = "medium"
    properties: tuple[PropertyRef, ...] = ()
    range: str = "24h"  # a time chart's window, one of Explore's presets
    dimension: str = ""  # last value and gauge: which dimension ("" the first)
    above: float | None = None  # last value: shown in the warning colour above this
    low: float = 0.0  # gauge
    high: float = 100.0
    rows: int = 10  # newest values
    text: str = ""  # note (Markdown is not rendered: shown as written)
    problem: str = ""  # what was wrong with it as read (drawn as that, not as a panel)


@dataclass(frozen=True)
class Board:
    title: str
    panels: tuple[Panel, ...] = ()
    position: int = 0
    deleted: bool = False
    extra: dict = field(default_factory=dict)  # fields a later version added, kept as read


class NotABoard(ValueError):
    """The stored text is not a board this app can read: the message says why."""


def _number(value, name: str, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{where}: {name} is not a number ({json.dumps(value)[:40]})")
    return float(value)


def _refs(value, where: str) -> tuple[PropertyRef, ...]:
    if not isinstance(value, list):
        raise ValueError(f"{where}: properties is not a list")
    refs = []
    for item in value:
        if not (
            isinstance(item, dict)
            and isinstance(item.get("thing"), str)
            and isinstance(item.get("property"), str)
        ):
            raise ValueError(f"{where}: a property is not {{thing, property}}")
        refs.append(PropertyRef(item["thing"], item["property"]))
    return tuple(refs)


def _panel(raw, number: int) -> Panel:
    """One panel; a panel that cannot be read comes back with its ``problem`` said."""
    where = f"panel {number}"
    if not isinstance(raw, dict):
        return Panel("note", problem=f"{where} is not an object")
    kind = raw.get("kind")
    title = raw.get("title") if isinstance(raw.get("title"), str) else ""
    if kind not in KINDS:
        return Panel("note", title, problem=f"{where}: no kind this app draws ({kind!r})")
    try:
        size = raw.get("size", "medium")
        if size not in SIZES:
            raise ValueError(f"{where}: size {size!r} is not small, medium or large")
        refs = _refs(raw.get("properties", []), where)
        needs = {"chart": (1, 6), "last": (1, 1), "gauge": (1, 1), "map": (1, 1), "table": (1, 1)}
        if kind in needs and not needs[kind][0] <= len(refs) <= needs[kind][1]:
            low, high = needs[kind]
            wanted = "one property" if low == high == 1 else f"{low} to {high} properties"
            raise ValueError(f"{where}: {a_or_an(KINDS[kind].lower())} shows {wanted}")
        window = raw.get("range", "24h")
        if window not in RANGES:
            raise ValueError(f"{where}: range {window!r} is not one of Explore's")
        above = raw.get("above")
        panel = Panel(
            kind,
            title[:200],
            size,
            refs,
            window,
            str(raw.get("dimension", ""))[:200],
            None if above is None else _number(above, "above", where),
            _number(raw.get("low", 0), "low", where),
            _number(raw.get("high", 100), "high", where),
            int(_number(raw.get("rows", 10), "rows", where)),
            str(raw.get("text", ""))[:5000],
        )
    except ValueError as error:
        return Panel(kind, title, problem=str(error))
    if panel.kind == "gauge" and panel.high <= panel.low:
        return replace(panel, problem=f"{where}: the gauge's top is not above its bottom")
    if not 1 <= panel.rows <= 100:
        return replace(panel, problem=f"{where}: rows must be 1 to 100")
    return panel


def read_board(text: str) -> Board:
    """The board in ``text``; ``NotABoard`` says why there is none."""
    if len(text) > MAX_CHARS:
        raise NotABoard(f"it is {len(text):,} characters, over the {MAX_CHARS:,} a board may be")
    try:
        raw = json.loads(text)
    except ValueError as error:
        raise NotABoard(f"it is not JSON ({error})") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise NotABoard(f'it is not a board (no "format": "{FORMAT}")')
    version = raw.get("version")
    if not isinstance(version, int) or version < 1:
        raise NotABoard("its version is not a whole number from 1")
    if version > VERSION:
        raise NotABoard(
            f"it was written by a newer app (board version {version}; this app reads "
            f"up to {VERSION})"
        )
    title = raw.get("title")
    if not isinstance(title, str) or not title.strip():
        raise NotABoard("it has no title")
    panels = raw.get("panels", [])
    if not isinstance(panels, list):
        raise NotABoard("its panels are not a list")
    position = raw.get("position", 0)
    known = {"format", "version", "title", "panels", "position", "deleted"}
    return Board(
        title.strip()[:120],
        tuple(_panel(p, i + 1) for i, p in enumerate(panels[:MAX_PANELS])),
        position if isinstance(position, int) and not isinstance(position, bool) else 0,
        raw.get("deleted") is True,
        {k: v for k, v in raw.items() if k not in known},
    )


def _panel_fields(panel: Panel) -> dict:
    out: dict = {"kind": panel.kind, "title": panel.title, "size": panel.size}
    if panel.kind != "note":
        out["properties"] = [{"thing": r.thing, "property": r.property} for r in panel.properties]
    if panel.kind == "chart":
        out["range"] = panel.range
    if panel.kind in ("last", "gauge"):
        out["dimension"] = panel.dimension
    if panel.kind == "last" and panel.above is not None:
        out["above"] = panel.above
    if panel.kind == "gauge":
        out.update(low=panel.low, high=panel.high)
    if panel.kind == "table":
        out["rows"] = panel.rows
    if panel.kind == "note":
        out["text"] = panel.text
    return out


def board_text(board: Board) -> str:
    """The document to store; panels read with a problem are left out (they said so)."""
    document = {
        **board.extra,
        "format": FORMAT,
        "version": VERSION,
        "title": board.title,
        "position": board.position,
        "deleted": board.deleted,
        "panels": [_panel_fields(p) for p in board.panels if not p.problem],
    }
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    if len(text) > MAX_CHARS:
        raise NotABoard(f"it would be {len(text):,} characters, over the {MAX_CHARS:,} allowed")
    return text
