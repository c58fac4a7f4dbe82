"""Where boards live: in the person's own Bucket, so that a board outlasts a hosted app's
restart, opens on another copy of the app and is shared the way Bucket shares anything.

One thing the app makes and names plainly ("Boards (Bucket Dashboard)"); each board is a
TEXT property of it, named as the board is; each save writes the board's JSON document as
a new value, so the newest value is the board and the older ones are its earlier versions
(a deletion is a version too, and is undone by writing the one before it)."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from datetime import datetime

from bucket_client import BucketClient, Property, Thing, sharing
from dashboard.boards.board_document import Board, NotABoard, board_text, read_board

THING_NAME = "Boards (Bucket Dashboard)"
THING_TYPE = "Bucket Dashboard boards"
THING_DESCRIPTION = (
    "Made by Bucket Dashboard's Boards page: each TEXT property is one board, its newest "
    "value the board as JSON, its older values the board's earlier versions."
)
BOARD_DESCRIPTION = "A board of Bucket Dashboard (JSON; the newest value is the board)"
TEXT_TYPE = "TEXT"
EVER = (0, 4_102_444_800_000)  # 1970 to 2100


@dataclass(frozen=True)
class StoredBoard:
    """A board as read from Bucket: where it is, what it says (or why it cannot be read),
    and, shared with this person, whose it is and through which group it opens."""

    thing_id: str
    property_id: str
    name: str  # the property's name, what Bucket lists
    board: Board | None
    problem: str = ""
    saved_at: datetime | None = None
    owner: str | None = None  # another person's board
    via: str | None = None  # the group whose consent opens it

    @property
    def key(self) -> str:
        return self.property_id


def is_board_property(prop: Property) -> bool:
    return prop.type is not None and prop.type.id == TEXT_TYPE


def boards_thing(things: list[Thing]) -> Thing | None:
    """The person's boards thing (the first made, should there be two)."""
    found = [t for t in things if t.type == THING_TYPE]
    return min(found, key=lambda t: (t.name != THING_NAME, t.id)) if found else None


def read_stored(
    client: BucketClient, thing_id: str, prop: Property, owner=None, via=None
) -> StoredBoard:
    """One board's newest version, read; what is wrong with it said, never raised."""
    last = client.last_values(thing_id, prop.id, prop=prop if prop.dimensions else None)
    if last is None:
        return StoredBoard(thing_id, prop.id, prop.name, None, "it holds no version yet")
    text = next(iter(last.values.values()), None)
    if not isinstance(text, str):
        return StoredBoard(thing_id, prop.id, prop.name, None, "its newest value is not text")
    try:
        board = read_board(text)
    except NotABoard as error:
        return StoredBoard(thing_id, prop.id, prop.name, None, str(error), last.timestamp)
    return StoredBoard(thing_id, prop.id, prop.name, board, "", last.timestamp, owner, via)


def own_boards(client: BucketClient, things: list[Thing]) -> list[StoredBoard]:
    """The person's boards in their order (then by title), from every boards thing they
    have (two copies of the app that each made one at once leave two)."""
    found = []
    for thing in things:
        if thing.type == THING_TYPE:
            props = [p for p in client.list_properties(thing.id) if is_board_property(p)]
            found += [read_stored(client, thing.id, p) for p in props]
    return sorted(
        found,
        key=lambda s: (
            s.board.position if s.board else 10**6,
            (s.board.title if s.board else s.name).casefold(),
            s.property_id,
        ),
    )


def make_thing(client: BucketClient) -> Thing:
    return client.create_thing(THING_NAME, THING_TYPE, THING_DESCRIPTION)


def save(client: BucketClient, thing_id: str, property_id: str, board: Board, after=None) -> int:
    """Write ``board`` as the property's newest value; its time, after ``after`` (ms) so
    that two saves in one millisecond do not overwrite each other."""
    at = int(time.time() * 1000)
    if after is not None:
        at = max(at, after + 1)
    client.write_values(thing_id, property_id, [[at, board_text(board)]])
    return at


def save_next(client: BucketClient, stored: StoredBoard, board: Board) -> int:
    """``board`` as the next version of ``stored`` (after the version it was read from)."""
    return save(client, stored.thing_id, stored.property_id, board, _ms(stored.saved_at))


def create(client: BucketClient, thing: Thing, board: Board) -> str:
    """A new board's property, with its first version; its id."""
    board_text(board)  # refused before anything is made when too large
    prop = client.create_property(thing.id, board.title, TEXT_TYPE, BOARD_DESCRIPTION)
    save(client, thing.id, prop.id, board)
    return prop.id


def rename(client: BucketClient, stored: StoredBoard, title: str) -> None:
    board = replace(stored.board, title=title)
    client.update_property(stored.thing_id, stored.property_id, title, BOARD_DESCRIPTION)
    save_next(client, stored, board)


def versions(client: BucketClient, stored: StoredBoard) -> list[tuple[datetime, str]]:
    """Every version, newest first, as stored (the text, read or not)."""
    frame = client.read_values(stored.thing_id, stored.property_id, *EVER)
    if frame.empty:
        return []
    column = frame.columns[0]
    return [(t.to_pydatetime(), str(v)) for t, v in frame[column].items()][::-1]


def delete_for_good(client: BucketClient, stored: StoredBoard) -> None:
    client.delete_property(stored.thing_id, stored.property_id)


def share(client: BucketClient, stored: StoredBoard, group: str, own: set[str]) -> list[str]:
    """Share the board and each property of the person's it shows with ``group`` (a
    property shared already is left as it is); what was newly shared, by property id.
    ``own``: the ids of the person's properties (someone else's cannot be shared here)."""
    refs = {(r.thing, r.property) for p in stored.board.panels for r in p.properties}
    targets = [(stored.thing_id, stored.property_id)]
    targets += sorted((t, p) for t, p in refs if p in own)
    done = []
    for thing_id, property_id in targets:
        held = sharing.consents(client, thing_id, property_id)
        if any(tuple(c.subjects) == (group,) for c in held):
            continue
        sharing.grant(client, thing_id, property_id, group)
        done.append(property_id)
    return done


def _ms(at: datetime | None) -> int | None:
    return None if at is None else int(at.timestamp() * 1000)
