"""CSV import: a table of real-world files with their exact parse results or errors, and a
property-based round trip."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bucket_client import PropertyType
from dashboard.upload.csv_import import check_file, guess_mapping, template_csv
from dashboard.upload.csv_reading import CsvError

from .conftest import ACC, TEMP


def run(raw: bytes, dims=ACC, tz="UTC"):
    return check_file(raw, dims, tz)


def ms(*stamps: str) -> list[int]:
    return [int(pd.Timestamp(s).value // 1_000_000) for s in stamps]


GOOD = [
    (
        "comma, header, ms",
        b"timestamp,x,y,z\n1700000000000,1,2,3\n1700000000100,4.5,-5,6e-3\n",
        "UNIX milliseconds",
        [1700000000000, 1700000000100],
        [[1, 2, 3], [4.5, -5, 0.006]],
    ),
    (
        "no header, seconds",
        b"1700000000,1,2,3\n1700000001.5,4,5,6\n",
        "UNIX seconds",
        [1700000000000, 1700000001500],
        [[1, 2, 3], [4, 5, 6]],
    ),
    (
        "microseconds",
        b"time,x,y,z\n1700000000000000,1,2,3\n1700000000123000,4,5,6\n",
        "UNIX microseconds",
        [1700000000000, 1700000000123],
        [[1, 2, 3], [4, 5, 6]],
    ),
    (
        "ISO with offsets",
        b"time,x,y,z\n2026-11-25T14:30:00+01:00,1,2,3\n2026-11-25T13:30:01Z,4,5,6\n",
        "ISO 8601 with offset",
        ms("2026-11-25T13:30:00Z", "2026-11-25T13:30:01Z"),
        [[1, 2, 3], [4, 5, 6]],
    ),
    (
        "semicolons, decimal comma",
        b"time;x;y;z\n1700000000000;1,5;2;3\n1700000000100;4;5,25;6\n",
        "UNIX milliseconds",
        [1700000000000, 1700000000100],
        [[1.5, 2, 3], [4, 5.25, 6]],
    ),
    (
        "BOM and tabs",
        "\ufefftimestamp\tx\ty\tz\n1700000000000\t1\t2\t3\n".encode(),
        "UNIX milliseconds",
        [1700000000000],
        [[1, 2, 3]],
    ),
    (
        "blank lines",
        b"timestamp,x,y,z\n\n1700000000000,1,2,3\n\n\n1700000000100,4,5,6\n\n",
        "UNIX milliseconds",
        [1700000000000, 1700000000100],
        [[1, 2, 3], [4, 5, 6]],
    ),
    (
        "day-first date-time",
        b"date,x,y,z\n25/11/2026 14:30:00,1,2,3\n26/11/2026 08:00:00,4,5,6\n",
        "date-time %d/%m/%Y %H:%M:%S",
        ms("2026-11-25T14:30:00Z", "2026-11-26T08:00:00Z"),
        [[1, 2, 3], [4, 5, 6]],
    ),
]


@pytest.mark.parametrize(("name", "raw", "fmt", "times", "values"), GOOD, ids=[g[0] for g in GOOD])
def test_good_files(name, raw, fmt, times, values):
    _table, detected, checked = run(raw)
    assert detected.describe() == fmt
    assert checked.problems == []
    assert list(checked.good.index.as_unit("ms").asi8) == times
    assert checked.good.to_numpy().tolist() == values


def test_naive_iso_times_take_the_chosen_zone():
    _t, fmt, checked = run(
        b"time,Temperature\n2026-07-01 12:00:00,21.5\n", TEMP, tz="Europe/Amsterdam"
    )
    assert fmt.describe() == "ISO 8601 without offset"
    assert list(checked.good.index) == [pd.Timestamp("2026-07-01T10:00:00Z")]


def test_blank_lines_keep_file_line_numbers():
    raw = b"timestamp,x,y,z\n\n1700000000000,1,2,3\n\n1700000000100,oops,5,6\n"
    table, _fmt, checked = run(raw)
    assert list(table.lines) == [3, 5]
    assert [(p.row, p.column, p.reason) for p in checked.problems] == [(5, "x", "not a number")]


def test_bad_rows_each_with_line_column_and_reason():
    raw = (
        b"time,Temperature\n"
        b"2026-03-29 01:30:00,20\n"  # line 2: fine
        b"2026-03-29 02:30:00,21\n"  # line 3: does not exist in Amsterdam (clock jumps)
        b"2026-03-29 03:30:00,\n"  # line 4: missing value
        b"2026-03-29 03:45:00,warm\n"  # line 5: not a number
        b"2026-03-29 01:30:00,22\n"  # line 6: duplicate of line 2
        b"yesterday,23\n"
    )  # line 7: not a time
    _t, _fmt, checked = run(raw, TEMP, tz="Europe/Amsterdam")
    assert [
        (p.row, p.column, p.reason.split(" (")[0].split(" in ")[0]) for p in checked.problems
    ] == [
        (3, "time", "impossible time"),
        (4, "Temperature", "missing"),
        (5, "Temperature", "not a number"),
        (6, "time", "duplicate timestamp"),
        (7, "time", "not a time"),
    ]
    assert len(checked.good) == 1 and checked.bad_rows == 5


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "empty"),
        (b"\n\n", "empty"),
        (b"just,one\nline", "time column"),
        (b"1700000000000\n1700000000001\n", "single column"),
        (b"time,x\n\xff\xfe,1\n", "line 2 is not UTF-8"),
        (b"time,Temperature\nnoon,1\nlater,2\n", "format is not recognised"),
    ],
)
def test_unreadable_files_say_why(raw, message):
    with pytest.raises(CsvError, match=message):
        run(raw, TEMP)


def test_column_mapping_is_guessed_from_names():
    assert guess_mapping(["Z", "when", "x", "timestamp", "y"], ACC) == {
        "timestamp": "timestamp",
        "x": "x",
        "y": "y",
        "z": "Z",
    }
    assert guess_mapping(["a", "b"], TEMP) == {"timestamp": "a", "Temperature": "b"}


def test_template_has_the_type_header():
    text = template_csv(PropertyType("ACCELEROMETER", "Accelerometer", dimensions=ACC))
    assert text.splitlines()[0] == "timestamp,x,y,z"
    _t, _f, checked = run(text.encode())
    assert len(checked.good) == 1


finite = st.floats(allow_nan=False, allow_infinity=False, width=64, min_value=-1e12, max_value=1e12)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(946_684_800_000, 4_000_000_000_000), finite, finite, finite),
        min_size=1,
        max_size=40,
        unique_by=lambda r: r[0],
    )
)
def test_any_valid_frame_round_trips_through_csv(rows):
    index = pd.DatetimeIndex(
        np.array([r[0] for r in rows], dtype="datetime64[ms]"), name="timestamp"
    ).tz_localize("UTC")
    frame = pd.DataFrame([r[1:] for r in rows], columns=["x", "y", "z"], index=index)
    text = frame.assign(timestamp=frame.index.as_unit("ms").asi8)[
        ["timestamp", "x", "y", "z"]
    ].to_csv(index=False)
    _t, _f, checked = run(text.encode())
    assert checked.problems == []
    pd.testing.assert_frame_equal(
        checked.good, frame, check_exact=True, check_freq=False, check_index_type=False
    )
