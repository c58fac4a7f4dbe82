"""Reading ``/count`` and ``/last`` on a Bucket whose InfluxDB has history.

Both routes query ``SELECT COUNT(*)`` / ``SELECT *`` on the type's measurement, so they answer
one column per field the measurement has ever held, sorted by name, without the names: a
dimension renamed once (``POST /types`` reusing a dimension id renames it for everyone) leaves
its old field beside the new one. Seen on the real server's code after TEMPERATURE's dimension
became "Kelvin": ``/count`` of a property written before answered ``[[0, None, 2]]``, one
written after ``[[0, 1, None]]``, and ``/last`` ``[[t, None, 19.5, propertyId, thingId]]``;
reading the values by the current name gave ``[]`` for the first. So an answer is read by
position only when it has exactly this property's columns and no gap; otherwise the client
asks the values route, which selects fields by this property's dimension names.
"""

from __future__ import annotations

from collections.abc import Sequence


def plain_count(cells: Sequence) -> int | None:
    """A count row's cells (after the time): the count when they can only be this property's
    own (every cell a number, all equal), else None: ask by name."""
    if not cells or any(c is None for c in cells):
        return None if cells else 0
    numbers = {int(c) for c in cells}
    return numbers.pop() if len(numbers) == 1 else None


def rough_count(cells: Sequence) -> int:
    """The most any field of the row counts, nulls as none: for lists of many properties,
    where asking each by name would cost a request apiece. A property written before a
    rename counts the points it holds under the old name."""
    return max((int(c) for c in cells if c is not None), default=0)


def last_fields(row: Sequence, names: Sequence[str], thing_id: str, property_id: str):
    """``/last``'s cells by dimension name when the row holds exactly this property's fields
    (the two tags found by their values, every field present), else None: ask by name."""
    cells = [c for c in row[1:] if c not in (thing_id, property_id)]
    if len(cells) != len(names) or any(c is None for c in cells):
        return None
    return dict(zip(sorted(names), cells))
