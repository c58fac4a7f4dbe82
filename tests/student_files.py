"""Files as students' tools write them, made with libraries (never bytes by hand): a
workbook with a title and a note above its header and real date cells (openpyxl for .xlsx,
xlwt for .xls, odfpy for .ods), and phyphox exports laid out as phyphox-android's
``DataExport`` writes them (a zip of quoted-header CSVs with ``meta/time.csv``; an .xls with
a sheet per table and "Metadata Time")."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import odf.opendocument
import odf.table
import odf.text
import openpyxl
import xlwt

TITLE = "Greenhouse log, week 13"
NOTE = "Measured by team 4; times on the wall clock"
HEADER = ["Time", "Temperature"]


def rows_with_dates(times: list[dt.datetime], values: list[float]) -> list[list]:
    return [[TITLE], [NOTE], [], HEADER, *([t, v] for t, v in zip(times, values))]


def write_xlsx(path: Path, rows: list[list], sheet: str = "Log") -> Path:
    book = openpyxl.Workbook()
    book.active.title = "Read me"
    book.active.append(["This workbook's data is on the Log sheet"])
    data = book.create_sheet(sheet)
    for row in rows:
        data.append(row)
    for cell in data["A"]:
        if isinstance(cell.value, dt.datetime):
            cell.number_format = "yyyy-mm-dd hh:mm:ss"
    book.save(path)
    return path


def write_xls(path: Path, rows: list[list], sheet: str = "Log") -> Path:
    book = xlwt.Workbook()
    data = book.add_sheet(sheet)
    dates = xlwt.easyxf(num_format_str="yyyy-mm-dd hh:mm:ss")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, dt.datetime):
                data.write(r, c, value, dates)
            else:
                data.write(r, c, value)
    book.save(str(path))
    return path


def write_ods(path: Path, rows: list[list], sheet: str = "Log") -> Path:
    doc = odf.opendocument.OpenDocumentSpreadsheet()
    first = odf.table.Table(name="Read me")
    note = odf.table.TableRow()
    cell = odf.table.TableCell(valuetype="string")
    cell.addElement(odf.text.P(text="This workbook's data is on the Log sheet"))
    note.addElement(cell)
    first.addElement(note)
    doc.spreadsheet.addElement(first)
    table = odf.table.Table(name=sheet)
    for row in rows:
        tr = odf.table.TableRow()
        for value in row:
            if isinstance(value, dt.datetime):
                cell = odf.table.TableCell(valuetype="date", datevalue=value.isoformat())
                cell.addElement(odf.text.P(text=value.isoformat(sep=" ")))
            elif isinstance(value, (int, float)):
                cell = odf.table.TableCell(valuetype="float", value=value)
                cell.addElement(odf.text.P(text=str(value)))
            else:
                cell = odf.table.TableCell(valuetype="string")
                cell.addElement(odf.text.P(text=str(value)))
            tr.addElement(cell)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return path


# phyphox: an accelerometer recording, paused once: the experiment clock stops while paused
ACC_COLUMNS = [
    "Time (s)",
    "Acceleration x (m/s^2)",
    "Acceleration y (m/s^2)",
    "Acceleration z (m/s^2)",
]
GYR_COLUMNS = ["Time (s)", "Gyroscope x (rad/s)", "Gyroscope y (rad/s)", "Gyroscope z (rad/s)"]
# (event, experiment time s, system time s)
TIME_EVENTS = [("START", 0.0, 1_796_000_000.25), ("PAUSE", 0.5, 1_796_000_000.75),
               ("START", 0.5, 1_796_000_010.5)]  # fmt: skip
ACC_ROWS = [[0.01 * i, 0.1 * i, -0.2, 9.81 - 0.01 * i] for i in range(0, 100, 7)]
GYR_ROWS = [[0.02 * i, 0.001 * i, 0.5, -0.25] for i in range(0, 50, 9)]


def _phyphox_number(value: float) -> str:
    """As DataExport's DecimalFormat "0.000000000E0" writes it (Java's exponent form)."""
    mantissa, exponent = f"{value:.9E}".split("E")
    return f"{mantissa}E{int(exponent)}"


def _phyphox_csv(columns: list[str], rows: list[list[float]]) -> bytes:
    lines = [",".join(f'"{c}"' for c in columns)]
    lines += [",".join(_phyphox_number(v) for v in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def phyphox_zip(path: Path, tables: list[tuple[str, list[str], list[list[float]]]]) -> Path:
    """A phyphox zip of ``(name, columns, rows)`` tables, with ``TIME_EVENTS`` as its clock."""
    time_lines = ['"event","experiment time","system time","system time text"']
    for event, experiment, system in TIME_EVENTS:
        text = dt.datetime.fromtimestamp(system, dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]
        time_lines.append(
            f'"{event}",{_phyphox_number(experiment)},{system:.3f},"{text} UTC+00:00"'
        )
    with zipfile.ZipFile(path, "w") as archive:
        for name, columns, rows in tables:
            archive.writestr(f"{name}.csv", _phyphox_csv(columns, rows))
        archive.writestr("meta/device.csv", b'"property","value"\n"deviceModel","Pixel 8"\n')
        archive.writestr("meta/time.csv", ("\n".join(time_lines) + "\n").encode())
    return path


def phyphox_xls(path: Path, tables: list[tuple[str, list[str], list[list[float]]]]) -> Path:
    """The same as a phyphox .xls: a sheet per table, "Metadata Time" for the clock."""
    book = xlwt.Workbook(encoding="utf-8")  # "µT" in a magnetometer's header
    for name, columns, rows in tables:
        sheet = book.add_sheet(name)
        for c, column in enumerate(columns):
            sheet.write(0, c, column)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                sheet.write(r, c, value)
    book.add_sheet("Metadata Device").write(0, 0, "property")
    times = book.add_sheet("Metadata Time")
    for c, column in enumerate(["event", "experiment time", "system time", "system time text"]):
        times.write(0, c, column)
    for r, (event, experiment, system) in enumerate(TIME_EVENTS, start=1):
        times.write(r, 0, event)
        times.write(r, 1, experiment)
        times.write(r, 2, system)
        times.write(r, 3, "")
    book.save(str(path))
    return path


STUDENT_TABLES = [("Accelerometer", ACC_COLUMNS, ACC_ROWS), ("Gyroscope", GYR_COLUMNS, GYR_ROWS)]


def write_phyphox_zip(path: Path) -> Path:
    return phyphox_zip(path, STUDENT_TABLES)


def write_phyphox_xls(path: Path) -> Path:
    return phyphox_xls(path, STUDENT_TABLES)


def expected_phyphox_ms(rows: list[list[float]]) -> list[int]:
    """Each sample's time by the recording's START events (the oracle, written plainly)."""
    out = []
    for row in rows:
        start = [e for e in TIME_EVENTS if e[0] == "START" and e[1] <= row[0]][-1]
        out.append(round((start[2] + row[0] - start[1]) * 1000))
    return out
