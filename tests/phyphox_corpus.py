"""phyphox exports as phyphox writes them, for the sensors students use: each experiment's
table and column names as its definition in ``phyphox/phyphox-experiments`` names them (its
``<export>`` section), written as a ``.zip`` (a CSV per table, ``meta/time.csv``) and as an
``.xls`` (a sheet per table, "Metadata Time"), paused once (``student_files.TIME_EVENTS``).

``EXPERIMENTS``: file name -> (the table, its columns, the Bucket types it fills). Values
are made up per column, plausible for the sensor, so that each column is told apart."""

from __future__ import annotations

import datetime as dt
import math
import zipfile
from pathlib import Path

import xlwt

from .student_files import TIME_EVENTS, _phyphox_csv, _phyphox_number

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


def write_zip(path: Path, experiment: str) -> Path:
    table, columns, _types = EXPERIMENTS[experiment]
    time_lines = ['"event","experiment time","system time","system time text"']
    for event, experiment_s, system in TIME_EVENTS:
        text = dt.datetime.fromtimestamp(system, dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]
        time_lines.append(
            f'"{event}",{_phyphox_number(experiment_s)},{system:.3f},"{text} UTC+00:00"'
        )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(f"{table}.csv", _phyphox_csv(columns, rows_of(columns)))
        if table == "Raw":  # the stopwatches' second table: the times they measured
            archive.writestr("Timing.csv", _phyphox_csv(TIMING, [[0.4 * n for n in range(12)]]))
        archive.writestr("meta/device.csv", b'"property","value"\n"deviceModel","Pixel 8"\n')
        archive.writestr("meta/time.csv", ("\n".join(time_lines) + "\n").encode())
    return path


def write_xls(path: Path, experiment: str) -> Path:
    table, columns, _types = EXPERIMENTS[experiment]
    book = xlwt.Workbook(encoding="utf-8")
    sheets = [(table, columns, rows_of(columns))]
    if table == "Raw":
        sheets.append(("Timing", TIMING, [[0.4 * n for n in range(12)]]))
    for name, header, rows in sheets:
        sheet = book.add_sheet(name)
        for c, column in enumerate(header):
            sheet.write(0, c, column)
        for r, row in enumerate(rows, start=1):
            for c, cell in enumerate(row):
                sheet.write(r, c, cell)
    book.add_sheet("Metadata Device").write(0, 0, "property")
    times = book.add_sheet("Metadata Time")
    for c, column in enumerate(["event", "experiment time", "system time", "system time text"]):
        times.write(0, c, column)
    for r, (event, experiment_s, system) in enumerate(TIME_EVENTS, start=1):
        times.write(r, 0, event)
        times.write(r, 1, experiment_s)
        times.write(r, 2, system)
    book.save(str(path))
    return path
