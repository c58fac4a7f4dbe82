"""phyphox exports as phyphox writes them, for the sensors students use: each experiment's
table and column names as its definition in ``phyphox/phyphox-experiments`` names them (its
``<export>`` section), written as a ``.zip`` (a CSV per table, ``meta/time.csv``) and as an
``.xls`` (a sheet per table, "Metadata Time"), paused once (``student_files.TIME_EVENTS``).

``EXPERIMENTS``: file name -> (the table, its columns, the Bucket types it fills). Values
are made up per column, plausible for the sensor, so that each column is told apart."""

from __future__ import annotations

import math
from pathlib import Path

from .student_files import phyphox_xls, phyphox_zip

TIMING = [f"{kind} {n} (s)" for n in range(6) for kind in ("On", "Off")]
EXPERIMENTS: dict[str, tuple[str, list[str], list[str]]] = {
    "accelerometer": (  # "Acceleration with g"
        "Raw Data",
        ["Time (s)", "Acceleration x (m/s^2)", "Acceleration y (m/s^2)",
         "Acceleration z (m/s^2)", "Absolute acceleration (m/s^2)"],
        ["ACCELEROMETER"],
    ),
    "linear_accelerometer": (  # "Acceleration (without g)"
        "Raw Data",
        ["Time (s)", "Linear Acceleration x (m/s^2)", "Linear Acceleration y (m/s^2)",
         "Linear Acceleration z (m/s^2)", "Absolute acceleration (m/s^2)"],
        ["ACCELEROMETER"],
    ),
    "gyroscope": (
        "Raw Data",
        ["Time (s)", "Gyroscope x (rad/s)", "Gyroscope y (rad/s)", "Gyroscope z (rad/s)",
         "Absolute (rad/s)"],
        ["GYROSCOPE"],
    ),
    "magnetometer": (
        "Raw Data",
        ["Time (s)", "Magnetic Field x (µT)", "Magnetic Field y (µT)", "Magnetic Field z (µT)",
         "Absolute field (µT)"],
        ["MAGNETIC_FIELD"],
    ),
    "light": ("Raw Data", ["Time (s)", "Illuminance (lx)"], ["LIGHT"]),
    "pressure": ("Raw Data", ["Time (s)", "Pressure (hPa)"], ["PRESSURE"]),
    "gps": (  # "Location (GPS)"
        "Raw Data",
        ["Time (s)", "Latitude (°)", "Longitude (°)", "Altitude (m)", "Altitude WGS84 (m)",
         "Speed (m/s)", "Direction (°)", "Distance (km)", "Horizontal Accuracy (m)",
         "Vertical Accuracy (m)", "Satellites"],
        ["LOCATION", "ALTITUDE", "SPEED", "BEARING"],
    ),
    # the proximity sensor's distances (cm) under the name the Optical Stopwatch uses too
    "proximity_stopwatch": ("Raw", ["t (s)", "Illuminance (lx)"], ["LIGHT", "PROXIMITY"]),
}  # fmt: skip
ROWS = 12


def value(column: str, i: int) -> float:
    """A plausible reading of ``column`` at row ``i`` (a distinct value per column)."""
    name = column.lower()
    if name.startswith(("time", "t (")):
        return round(0.1 * i, 3)  # 10 Hz; 0.5 s falls in the pause's gap
    if "latitude" in name:
        return 52.0 + 0.0001 * i
    if "longitude" in name:
        return 4.37 + 0.0001 * i
    if "illuminance" in name:
        return 5.0 if i % 3 == 0 else 0.0  # a stopwatch's two distances, or dim light
    if "pressure" in name:
        return 1013.25 - 0.01 * i
    if name.startswith("satellites"):
        return 9.0
    offset = sum(map(ord, column)) % 97 / 10
    return round(offset + math.sin(i / 3), 6)


def rows_of(columns: list[str]) -> list[list[float]]:
    return [[value(c, i) for c in columns] for i in range(ROWS)]


def tables_of(experiment: str) -> list[tuple[str, list[str], list[list[float]]]]:
    """The experiment's table, and the stopwatches' "Timing" beside it."""
    table, columns, _types = EXPERIMENTS[experiment]
    tables = [(table, columns, rows_of(columns))]
    if table == "Raw":  # the stopwatches' second table: the times they measured
        tables.append(("Timing", TIMING, [[0.4 * n for n in range(12)]]))
    return tables


def write_zip(path: Path, experiment: str) -> Path:
    return phyphox_zip(path, tables_of(experiment))


def write_xls(path: Path, experiment: str) -> Path:
    return phyphox_xls(path, tables_of(experiment))
