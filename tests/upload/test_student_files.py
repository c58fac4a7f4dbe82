"""Spreadsheets and phyphox exports as their tools write them (``student_files``), read into
what the upload path checks and writes: the chosen sheet from its header down, dates as
zone-less ISO text (the CSV path asks their zone), numbers with every digit; phyphox's
tables on the clock of its time table, across a pause, with nothing asked."""

from __future__ import annotations

import datetime as dt

import pytest

from bucket_client import Dimension, Property, PropertyType
from dashboard.upload import phyphox, workbooks

from .. import student_files as files

TIMES = [dt.datetime(2026, 3, 29, 1, 30) + dt.timedelta(minutes=15 * i) for i in range(6)]
VALUES = [18.5, 18.25, 19.0, 19.125, 20.0, 21.0625]
ACC = Property(
    "dcd:properties:p",
    "Shake",
    "",
    PropertyType(
        "ACCELEROMETER",
        "Accelerometer",
        dimensions=tuple(Dimension(f"acceleration-{a}", a, unit="m/s2") for a in "xyz"),
    ),
    thing_id="dcd:things:t",
)


@pytest.mark.parametrize("write", [files.write_xlsx, files.write_xls, files.write_ods])
def test_a_sheet_is_read_from_its_header_with_its_dates(tmp_path, write):
    path = write(
        tmp_path / f"log{write.__name__[-5:].replace('_', '.')}",
        files.rows_with_dates(TIMES, VALUES),
    )
    data = path.read_bytes()
    assert workbooks.is_workbook(path.name)
    assert "Log" in workbooks.sheet_names(data)
    sheet = workbooks.read_sheet(data, "Log")
    assert sheet.header == 3 and sheet.data_rows == 6  # title, note, a blank row above
    text = workbooks.sheet_csv(sheet).decode().splitlines()
    assert text[0] == "Time,Temperature"
    shown = ["18.5", "18.25", "19", "19.125", "20", "21.0625"]  # every digit, none added
    assert text[1:] == [
        f"{t:%Y-%m-%d %H:%M:%S}.000,{v}" for t, v in zip(TIMES, shown)
    ]  # no zone: the upload asks which


def test_a_file_that_is_not_a_spreadsheet_says_so(tmp_path):
    with pytest.raises(workbooks.WorkbookError, match="not a spreadsheet"):
        workbooks.sheet_names(b"time,value\n1,2\n")


@pytest.mark.parametrize("write", [files.write_phyphox_zip, files.write_phyphox_xls])
def test_phyphox_samples_are_on_the_recordings_clock_across_a_pause(tmp_path, write):
    path = write(tmp_path / ("rec.zip" if "zip" in write.__name__ else "rec.xls"))
    data = path.read_bytes()
    if path.suffix == ".zip":
        assert phyphox.is_phyphox_zip(data)
        recording = phyphox.read_zip(data)
    else:
        assert phyphox.is_phyphox_workbook(data)
        recording = phyphox.read_workbook(data)
    assert phyphox.tables_for(recording, ACC) == ["Accelerometer"]
    rows = phyphox.samples(recording, "Accelerometer", ACC)
    assert [int(t.value // 1_000_000) for t in rows.index] == files.expected_phyphox_ms(
        files.ACC_ROWS
    )
    if path.suffix == ".zip":  # the text phyphox wrote (10 digits), read exactly
        written = [[float(files._phyphox_number(v)) for v in r[1:]] for r in files.ACC_ROWS]
    else:  # the workbook's own doubles
        written = [r[1:] for r in files.ACC_ROWS]
    assert rows[["x", "y", "z"]].values.tolist() == written
    assert str(recording.started) == "2026-11-30 00:53:20.250000+00:00"  # 1,796,000,000.25 s


def test_a_zip_without_phyphoxs_time_table_is_not_taken_for_one(tmp_path):
    import zipfile

    with zipfile.ZipFile(tmp_path / "x.zip", "w") as archive:
        archive.writestr("Accelerometer.csv", "a,b\n1,2\n")
    assert not phyphox.is_phyphox_zip((tmp_path / "x.zip").read_bytes())
    assert not phyphox.is_phyphox_zip(b"not a zip")


def test_phyphoxs_acceleration_without_g_is_taken_for_an_accelerometer(tmp_path):
    """ "Acceleration without g" names its columns "Linear Acceleration x (m/s^2)"...: it was
    refused (only "Acceleration x" was known)."""
    import zipfile

    source = files.write_phyphox_zip(tmp_path / "rec.zip")
    linear = tmp_path / "linear.zip"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(linear, "w") as new:
        for name in old.namelist():
            data = old.read(name)
            if name == "Accelerometer.csv":
                name, data = "Linear Acceleration.csv", data.replace(b'"Acc', b'"Linear Acc')
            new.writestr(name, data)
    recording = phyphox.read_zip(linear.read_bytes())
    assert phyphox.tables_for(recording, ACC) == ["Linear Acceleration"]
    rows = phyphox.samples(recording, "Linear Acceleration", ACC)
    assert len(rows) == len(files.ACC_ROWS) and list(rows.columns) == ["x", "y", "z"]
