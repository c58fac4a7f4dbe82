"""Which Bucket type a phyphox table fills, from its column names as phyphox writes them.

The names are those of phyphox's own experiment definitions (``phyphox/phyphox-experiments``,
each experiment's ``<export>`` section; exports keep the English names in every locale):
"Acceleration with g" and "Acceleration (without g)" ("Linear Acceleration x (m/s^2)"),
"Gyroscope (rotation rate)", "Magnetometer" ("Magnetic Field x (µT)"), "Light", "Pressure",
"Location (GPS)" (Latitude, Longitude, Altitude, Speed, Direction ...). Names are matched
without their unit and without regard to case.

One layout cannot be told apart: phyphox's Optical Stopwatch and Proximity Stopwatch both
export a table "Raw" of ``t (s)`` and ``Illuminance (lx)``, beside a "Timing" table; in the
second the numbers are the proximity sensor's distances in cm. Such a table is offered for a
Light or a Proximity property only once the person says which experiment recorded it.
"""

from __future__ import annotations

import re

import pandas as pd

TIME_BASES = ("time", "t")  # "Time (s)" in most experiments, "t (s)" in the stopwatches
# a Bucket type -> each dimension's id -> the phyphox column names (without unit) that fill it
COLUMNS_FOR: dict[str, dict[str, tuple[str, ...]]] = {
    "ACCELEROMETER": {
        "acceleration-x": ("Acceleration x", "Linear Acceleration x"),
        "acceleration-y": ("Acceleration y", "Linear Acceleration y"),
        "acceleration-z": ("Acceleration z", "Linear Acceleration z"),
    },
    "GYROSCOPE": {
        "rotation-acc-x": ("Gyroscope x",),
        "rotation-acc-y": ("Gyroscope y",),
        "rotation-acc-z": ("Gyroscope z",),
    },
    "MAGNETIC_FIELD": {  # "megnetic-y": Bucket's own spelling of the id
        "magnetic-x": ("Magnetic Field x",),
        "megnetic-y": ("Magnetic Field y",),
        "magnetic-z": ("Magnetic Field z",),
    },
    "LIGHT": {"illuminance": ("Illuminance",)},
    # only the Proximity Stopwatch records it, under its own name (below); a GPS table's
    # "Distance (km)" is the distance travelled, no proximity
    "PROXIMITY": {"distance-cm": ()},
    "PRESSURE": {"pressure": ("Pressure",)},
    "LOCATION": {"longitude": ("Longitude",), "latitude": ("Latitude",)},
    "ALTITUDE": {"distance-m": ("Altitude",)},
    "SPEED": {"speed": ("Speed",)},
    "BEARING": {"bearing": ("Direction",)},
    "RELATIVE_HUMIDITY": {"relative-humidity": ("Relative Humidity",)},
}
STOPWATCH_TYPES = ("LIGHT", "PROXIMITY")
STOPWATCH_EXPERIMENTS = {
    "LIGHT": "phyphox's Optical Stopwatch (illuminance, lx)",
    "PROXIMITY": "phyphox's Proximity Stopwatch (distance, cm)",
}


def base(column: str) -> str:
    """'Acceleration x (m/s^2)' -> 'Acceleration x'."""
    return re.sub(r"\s*\([^)]*\)\s*$", "", str(column)).strip()


def time_column(table: pd.DataFrame) -> str | None:
    """The table's time column (seconds of experiment time), or None."""
    return next((c for c in table.columns if base(c).lower() in TIME_BASES), None)


def column_for(table: pd.DataFrame, names: tuple[str, ...]) -> str | None:
    """The table's column with one of ``names`` (unit and case aside), or None."""
    wanted = {n.lower() for n in names}
    return next((c for c in table.columns if base(c).lower() in wanted), None)


def is_stopwatch(tables: dict[str, pd.DataFrame], name: str) -> bool:
    """The Optical/Proximity Stopwatch's "Raw" table: ``t`` and ``Illuminance`` beside a
    "Timing" table, which the two experiments write alike."""
    bases = sorted(base(c).lower() for c in tables[name].columns)
    timing = any(base(c).lower() == "on 0" for t in tables.values() for c in t.columns)
    return bases == ["illuminance", "t"] and timing


def fits(tables: dict[str, pd.DataFrame], name: str, type_id: str) -> bool:
    """Whether the table fills every dimension of the type (a stopwatch table: Light or
    Proximity, the person to say which)."""
    table = tables[name]
    if time_column(table) is None:
        return False
    if is_stopwatch(tables, name):
        return type_id in STOPWATCH_TYPES
    wanted = COLUMNS_FOR.get(type_id)
    return bool(wanted) and all(column_for(table, names) for names in wanted.values())


def types_fitting(tables: dict[str, pd.DataFrame], name: str) -> list[str]:
    """Every type the table fills, in ``COLUMNS_FOR``'s order."""
    return [t for t in COLUMNS_FOR if fits(tables, name, t)]


def value_column(tables: dict[str, pd.DataFrame], name: str, type_id: str, dim: str) -> str:
    """The table's column for one dimension of the type (a stopwatch's one column)."""
    table = tables[name]
    if is_stopwatch(tables, name):
        return next(c for c in table.columns if base(c).lower() == "illuminance")
    found = column_for(table, COLUMNS_FOR[type_id][dim])
    assert found is not None, (name, type_id, dim)
    return found
