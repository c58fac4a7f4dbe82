"""The CSV import on the files students bring: each shape written here, small, with the exact
rows that must be stored or the exact question that must be asked; and a property-based
round trip over every supported shape."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bucket_client import PropertyType
from dashboard.upload.column_mapping import guess_mapping
from dashboard.upload.csv_check import check_file
from dashboard.upload.csv_import import (
    detect_time_format,
    template_csv,
    with_date_and_time,
)
from dashboard.upload.csv_reading import CsvError, read_table

from ..conftest import ACC, TEMP

START = 1_764_000_000_000  # the start of a recording, entered by the person (2025-11-24)


def ms(*stamps: str) -> list[int]:
    return [int(pd.Timestamp(s).value // 1_000_000) for s in stamps]


# (name, bytes, dimensions, time zone, format shown, stored times, stored values)
STORED = [
    (
        "ISO with offsets",
        b"time,x,y,z\n2026-11-25T14:30:00+01:00,1,2,3\n2026-11-25T13:30:01Z,4,5,6\n",
        ACC,
        "UTC",
        "ISO 8601 with offset",
        ms("2026-11-25T13:30:00Z", "2026-11-25T13:30:01Z"),
        [[1, 2, 3], [4, 5, 6]],
    ),
    (
        "epoch ms, header",
        b"timestamp,x,y,z\n1700000000000,1,2,3\n1700000000100,4.5,-5,6e-3\n",
        ACC,
        "UTC",
        "UNIX time in milliseconds (since 1 Jan 1970)",
        [1700000000000, 1700000000100],
        [[1, 2, 3], [4.5, -5, 0.006]],
    ),
    (
        "no header, the type's width: by position",
        b"1700000000,1,2,3\n1700000001.5,4,5,6\n",
        ACC,
        "UTC",
        "UNIX time in seconds (since 1 Jan 1970)",
        [1700000000000, 1700000001500],
        [[1, 2, 3], [4, 5, 6]],
    ),
    (
        "epoch microseconds",
        b"time,x,y,z\n1700000000000000,1,2,3\n1700000000123000,4,5,6\n",
        ACC,
        "UTC",
        "UNIX time in microseconds (since 1 Jan 1970)",
        [1700000000000, 1700000000123],
        [[1, 2, 3], [4, 5, 6]],
    ),
    (
        "epoch nanoseconds (a phone's sensor app)",
        b"time,x,y,z\n1700000000000000000,1,2,3\n1700000000250000000,4,5,6\n",
        ACC,
        "UTC",
        "UNIX time in nanoseconds (since 1 Jan 1970)",
        [1700000000000, 1700000000250],
        [[1, 2, 3], [4, 5, 6]],
    ),
    (
        "Dutch Excel: semicolons, decimal comma",
        b"time;x;y;z\n1700000000000;1,5;2;3\n1700000000100;4;5,25;6\n",
        ACC,
        "UTC",
        "UNIX time in milliseconds (since 1 Jan 1970)",
        [1700000000000, 1700000000100],
        [[1.5, 2, 3], [4, 5.25, 6]],
    ),
    (
        "thousands separators with a decimal comma",
        b"time;Temperature\n1700000000000;1.234,5\n1700000000100;-2.000\n",
        TEMP,
        "UTC",
        "UNIX time in milliseconds (since 1 Jan 1970)",
        [1700000000000, 1700000000100],
        [[1234.5], [-2000.0]],
    ),
    (
        "epoch seconds with a decimal comma",
        b"time;Temperature\n1700000000,5;21,5\n1700000001,25;22\n",
        TEMP,
        "UTC",
        "UNIX time in seconds (since 1 Jan 1970)",
        [1700000000500, 1700000001250],
        [[21.5], [22.0]],
    ),
    (
        "UTF-8 BOM and tabs",
        "\ufefftimestamp\tx\ty\tz\n1700000000000\t1\t2\t3\n".encode(),
        ACC,
        "UTC",
        "UNIX time in milliseconds (since 1 Jan 1970)",
        [1700000000000],
        [[1, 2, 3]],
    ),
    (
        "Windows-1252 (a header with °C)",
        "tijd;Temperature (°C)\n2026-03-02 09:00:00;21,5\n2026-03-02 09:05:00;22\n".encode(
            "cp1252"
        ),
        TEMP,
        "Europe/Amsterdam",
        "ISO 8601 without offset",
        ms("2026-03-02T08:00:00Z", "2026-03-02T08:05:00Z"),
        [[21.5], [22.0]],
    ),
    (
        "UTF-16 'Unicode text' from Excel",
        "time\tTemperature\n1700000000000\t21.5\n".encode("utf-16"),
        TEMP,
        "UTC",
        "UNIX time in milliseconds (since 1 Jan 1970)",
        [1700000000000],
        [[21.5]],
    ),
    (
        "comment lines above the header",
        b"# exported by a logger\n// v2\ntime,Temperature\n1700000000000,21.5\n",
        TEMP,
        "UTC",
        "UNIX time in milliseconds (since 1 Jan 1970)",
        [1700000000000],
        [[21.5]],
    ),
    (
        "a logger's metadata lines above the header",
        b"Device: Greenhouse 3\nSample rate: 1/min\n\ntime;Temperature\n1700000000000;21,5\n",
        TEMP,
        "UTC",
        "UNIX time in milliseconds (since 1 Jan 1970)",
        [1700000000000],
        [[21.5]],
    ),
    (
        "date and time in two columns",
        b"Date,Time,Temperature\n2026-03-02,09:00:00,21.5\n2026-03-02,09:05:30,22\n",
        TEMP,
        "UTC",
        "ISO 8601 without offset",
        ms("2026-03-02T09:00:00Z", "2026-03-02T09:05:30Z"),
        [[21.5], [22.0]],
    ),
    (
        "US 12-hour clock, month first settled by a day over 12",
        b"time,Temperature\n3/2/2026 1:05:00 PM,20\n3/14/2026 11:05:00 AM,21\n",
        TEMP,
        "UTC",
        "date-time %m/%d/%Y %I:%M:%S %p (month first)",
        ms("2026-03-02T13:05:00Z", "2026-03-14T11:05:00Z"),
        [[20.0], [21.0]],
    ),
    (
        "day first settled by a day over 12",
        b"time,Temperature\n02/03/2026 14:30,20\n25/03/2026 08:00,21\n",
        TEMP,
        "UTC",
        "date-time %d/%m/%Y %H:%M (day first)",
        ms("2026-03-02T14:30:00Z", "2026-03-25T08:00:00Z"),
        [[20.0], [21.0]],
    ),
    (
        "mm-dd-yyyy",
        b"time,Temperature\n03-02-2026 09:00,20\n03-14-2026 09:00,21\n",
        TEMP,
        "UTC",
        "date-time %m-%d-%Y %H:%M (month first)",
        ms("2026-03-02T09:00:00Z", "2026-03-14T09:00:00Z"),
        [[20.0], [21.0]],
    ),
    (
        "Arduino millis() since boot: a counter",
        b"millis,x,y,z\n0,1,2,3\n10,4,5,6\n20,7,8,9\n",
        ACC,
        "UTC",
        "Milliseconds since the start of the recording",
        [START, START + 10, START + 20],
        [[1, 2, 3], [4, 5, 6], [7, 8, 9]],
    ),
    (
        "phyphox 'Time (s)': a counter in seconds",
        b'"Time (s)","Acceleration x (m/s^2)","Acceleration y (m/s^2)","Acceleration z (m/s^2)"\n'
        b"0.0,0.1,0.2,9.8\n0.01,0.2,0.3,9.7\n",
        ACC,
        "UTC",
        "Seconds since the start of the recording",
        [START, START + 10],
        [[0.1, 0.2, 9.8], [0.2, 0.3, 9.7]],
    ),
    (
        "columns by name, whatever their order",
        b"time,battery,az,ay,ax\n1700000000000,3.7,3,2,1\n",
        ACC,
        "UTC",
        "UNIX time in milliseconds (since 1 Jan 1970)",
        [1700000000000],
        [[1, 2, 3]],
    ),
]


@pytest.mark.parametrize(
    ("name", "raw", "dims", "tz", "shown", "times", "values"), STORED, ids=[s[0] for s in STORED]
)
def test_each_shape_stores_exactly_these_rows(name, raw, dims, tz, shown, times, values):
    _table, fmt, checked = check_file(raw, dims, tz, start_ms=START)
    assert fmt.describe() == shown
    assert checked.problems == []
    assert list(checked.good.index.as_unit("ms").asi8) == times
    assert checked.good.to_numpy().tolist() == values


def test_the_reader_says_what_it_read():
    raw = "Device: X\n# note\ntijd;Temp (°C)\n2026-03-02 09:00;21,5\n".encode("cp1252")
    table = read_table(raw)
    assert table.encoding_name == "Windows-1252"
    assert table.delimiter == ";" and table.decimal == ","
    assert table.skipped == [(1, "Device: X"), (2, "# note")]
    assert list(table.lines) == [4]


def test_ambiguous_day_and_month_is_asked():
    table = read_table(b"time,Temperature\n01/02/2026 10:00,20\n02/02/2026 10:00,21\n")
    guess = detect_time_format(table.frame["time"], table.decimal, "time")
    assert guess.question is not None
    day_first, month_first = guess.question
    assert day_first.describe() == "date-time %d/%m/%Y %H:%M (day first)"
    assert month_first.describe() == "date-time %m/%d/%Y %H:%M (month first)"
    assert guess.example == "01/02/2026 10:00"
    with pytest.raises(CsvError, match="reads both day first and month first"):
        check_file(b"time,Temperature\n01/02/2026 10:00,1\n", TEMP)


def test_settled_order_says_why():
    table = read_table(b"time,Temperature\n02/03/2026 14:30,20\n25/03/2026 08:00,21\n")
    guess = detect_time_format(table.frame["time"], table.decimal, "time")
    assert guess.question is None
    assert guess.reason == (
        "Day first: '25/03/2026 08:00' has 25 before the month, which can only be a day."
    )


def test_a_counter_is_never_taken_for_1970():
    table = read_table(b"millis,x,y,z\n0,1,2,3\n10,4,5,6\n")
    guess = detect_time_format(table.frame["millis"], table.decimal, "millis")
    assert guess.counter is True
    assert guess.options[0].kind == "relative" and guess.options[0].unit == "ms"
    with pytest.raises(CsvError, match="enter when the recording started"):
        check_file(b"millis,x,y,z\n0,1,2,3\n10,4,5,6\n", ACC)


def test_columns_are_matched_by_name_never_by_position():
    assert guess_mapping(["time", "battery", "ax", "ay", "az"], ACC) == {
        "timestamp": "time",
        "x": "ax",
        "y": "ay",
        "z": "az",
    }
    unnamed = guess_mapping(["time", "battery", "a", "b", "c"], ACC)
    assert unnamed == {"timestamp": "time", "x": None, "y": None, "z": None}
    with pytest.raises(CsvError, match="no column is named for x, y, z"):
        check_file(b"time,battery,a,b,c\n1700000000000,1,2,3,4\n", ACC)
    units = guess_mapping(["Time", "Temperature (°C)"], TEMP)
    assert units == {"timestamp": "Time", "Temperature": "Temperature (°C)"}


def test_date_and_time_columns_are_joined():
    table = with_date_and_time(read_table(b"Date,Time,T\n2026-03-02,09:00,1\n"))
    assert list(table.frame.columns)[0] == "Date + Time"
    assert table.frame.iloc[0, 0] == "2026-03-02 09:00"


def test_bad_rows_each_with_line_column_and_reason():
    raw = (
        b"timestamp,x,y,z\n\n1700000000000,1,2,3\n\n1700000000100,oops,5,6\n"
        b"1700000000200,1,2\n1700000000300,,5,6\n1700000000000,7,8,9\n"
    )
    table, _fmt, checked = check_file(raw, ACC)
    assert [(p.row, p.column, p.reason) for p in checked.problems] == [
        (5, "x", "not a number"),
        (6, "(row)", "has 3 cells where the table has 4"),
        (7, "x", "missing"),
        (8, "timestamp", "duplicate timestamp (an earlier row has the same time)"),
    ]
    assert len(checked.good) == 1


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "empty"),
        (b"\n\n", "empty"),
        (b"time\n1\n2\n", "single column"),
    ],
)
def test_unreadable_files_say_why(raw, message):
    with pytest.raises(CsvError, match=message):
        check_file(raw, ACC)


def test_template_has_the_type_header():
    text = template_csv(PropertyType("ACCELEROMETER", "Accelerometer", dimensions=ACC))
    assert text.splitlines()[0] == "timestamp,x,y,z"
    _t, _f, checked = check_file(text.encode(), ACC)
    assert len(checked.good) == 1


finite = st.floats(allow_nan=False, allow_infinity=False, width=64, min_value=-1e9, max_value=1e9)
SHAPES = st.fixed_dictionaries(
    {
        "delimiter": st.sampled_from([",", ";", "\t"]),
        "decimal_comma": st.booleans(),
        "time": st.sampled_from(["epoch_ms", "epoch_s", "iso_offset", "iso_z"]),
        "encoding": st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
        "header": st.sampled_from(["x,y,z", "acc_x (m/s²),acc_y (m/s²),acc_z (m/s²)", "ax,ay,az"]),
        "preamble": st.sampled_from(["", "# recorded by a test\n", "Device: test\n\n"]),
    }
)


def _cell_number(value: float, decimal_comma: bool) -> str:
    text = repr(float(value))
    return text.replace(".", ",") if decimal_comma else text


@settings(max_examples=80, deadline=None)
@given(
    shape=SHAPES,
    rows=st.lists(
        st.tuples(st.integers(946_684_800, 4_000_000_000), finite, finite, finite),
        min_size=1,
        max_size=30,
        unique_by=lambda r: r[0],
    ),
)
def test_any_frame_in_any_supported_shape_reads_back_the_same_rows(shape, rows):
    delimiter = shape["delimiter"]
    comma = shape["decimal_comma"] and delimiter != ","
    names = shape["header"].split(",")
    lines = [delimiter.join(["time", *names])]
    for seconds, *values in rows:
        stamp = {
            "epoch_ms": str(seconds * 1000),
            "epoch_s": str(seconds),
            "iso_offset": pd.Timestamp(seconds, unit="s", tz="Europe/Amsterdam").isoformat(),
            "iso_z": pd.Timestamp(seconds, unit="s").strftime("%Y-%m-%dT%H:%M:%SZ"),
        }[shape["time"]]
        lines.append(delimiter.join([stamp, *(_cell_number(v, comma) for v in values)]))
    text = shape["preamble"] + "\n".join(lines) + "\n"
    _table, _fmt, checked = check_file(text.encode(shape["encoding"]), ACC)
    assert checked.problems == []
    expected = pd.DataFrame(
        [r[1:] for r in rows],
        columns=["x", "y", "z"],
        index=pd.DatetimeIndex(
            np.array([r[0] * 1000 for r in rows], dtype="datetime64[ms]"), name="timestamp"
        ).tz_localize("UTC"),
    )
    pd.testing.assert_frame_equal(
        checked.good, expected, check_exact=True, check_freq=False, check_index_type=False
    )
