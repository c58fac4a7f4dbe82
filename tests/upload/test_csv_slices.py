"""A large CSV is checked a slice at a time (``csv_batches``); the answer must be the one a
whole read gives. Here the sizes are shrunk so that small files go the sliced way: every
stored shape, bad rows named by line across slices, repeats across slices, a clock change
whose repeated hour straddles a slice, and files that must be read whole after all."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.upload import csv_batches
from dashboard.upload.csv_check import check_file

from ..conftest import ACC, TEMP
from ..upload.test_csv_import import START, STORED, finite


@pytest.fixture
def small_slices(monkeypatch):
    """Every file sliced: a preview of 120 bytes, slices of 200."""
    monkeypatch.setattr(csv_batches, "STREAM_BYTES", 0)
    monkeypatch.setattr(csv_batches, "PREVIEW_BYTES", 120)
    monkeypatch.setattr(csv_batches, "SLICE_BYTES", 200)


def both_ways(raw: bytes, dims, tz="UTC"):
    """``check_file`` whole, then sliced: (whole, sliced, whether it was sliced)."""
    whole = check_file(raw, dims, tz, start_ms=START)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(csv_batches, "STREAM_BYTES", 0)
        patch.setattr(csv_batches, "PREVIEW_BYTES", 120)
        patch.setattr(csv_batches, "SLICE_BYTES", 200)
        sliced = check_file(raw, dims, tz, start_ms=START)
    return whole, sliced, sliced[0].source is not None


def same(whole, sliced) -> None:
    assert sliced[1] == whole[1]  # the time format
    assert sliced[2].problems == whole[2].problems
    assert sliced[2].total == whole[2].total
    pd.testing.assert_frame_equal(sliced[2].good, whole[2].good, check_freq=False)


@pytest.mark.parametrize(
    ("name", "raw", "dims", "tz", "shown", "times", "values"), STORED, ids=[s[0] for s in STORED]
)
def test_every_stored_shape_reads_the_same_in_slices(name, raw, dims, tz, shown, times, values):
    whole, sliced, _ = both_ways(raw, dims, tz)
    same(whole, sliced)


def rows_text(count: int, bad_every: int = 0, repeat_at: int = -1) -> bytes:
    lines = ["time,x,y,z"]
    for i in range(count):
        stamp = 1_700_000_000_000 + (i - 1 if i == repeat_at else i) * 10
        x = "oops" if bad_every and i % bad_every == 7 else f"{i / 10}"
        lines.append(f"{stamp},{x},{i},{-i}")
    return ("\n".join(lines) + "\n").encode()


def test_bad_rows_and_repeats_are_named_by_line_across_slices():
    raw = rows_text(400, bad_every=50, repeat_at=333)  # about 30 slices
    whole, sliced, was_sliced = both_ways(raw, ACC)
    assert was_sliced
    same(whole, sliced)
    lines = [(p.row, p.column, p.reason) for p in sliced[2].problems]
    assert (9, "x", "not a number") in lines  # row 7 is the file's line 9
    assert (335, "time", "duplicate timestamp (an earlier row has the same time)") in lines
    assert len(sliced[2].good) == 400 - 8 - 1


def test_the_hour_a_clock_repeats_is_placed_by_the_whole_files_order():
    """Amsterdam's 02:00-03:00 happens twice on 25 Oct 2026: a logger a minute apart writes
    it twice, across many slices. Sliced, each slice is read as wall clock and the whole
    column is placed in the zone at the end, as a whole read does."""
    times = pd.date_range("2026-10-25T00:00:00Z", "2026-10-25T02:30:00Z", freq="1min")
    wall = times.tz_convert("Europe/Amsterdam").strftime("%Y-%m-%d %H:%M:%S")
    raw = ("time,Temperature\n" + "".join(f"{w},{i}\n" for i, w in enumerate(wall))).encode()
    whole, sliced, was_sliced = both_ways(raw, TEMP, "Europe/Amsterdam")
    assert was_sliced
    same(whole, sliced)
    assert sliced[2].problems == []
    assert list(sliced[2].good.index) == list(times)


def test_files_whose_rows_are_not_their_lines_are_read_whole():
    """An empty line, a row of another width far down, a quoted line break: sliced reading
    gives up (before or mid-way) and the whole read answers, with the same lines."""
    base = rows_text(120).decode().splitlines()
    empty_line = "\n".join(base[:60] + [""] + base[60:]) + "\n"
    ragged = "\n".join(base[:100] + ["1700000009999,1,2"] + base[100:]) + "\n"
    quoted = "\n".join(base[:90] + ['1700000009999,"1\n",2,3'] + base[90:]) + "\n"
    for text in (empty_line, ragged, quoted):
        whole, sliced, _ = both_ways(text.encode(), ACC)
        same(whole, sliced)


def test_the_preview_shows_the_first_rows_and_counts_them_all(small_slices):
    raw = rows_text(400)
    table, _fmt, checked = check_file(raw, ACC)
    assert table.source is not None and len(table.frame) < 20  # only the first rows held
    assert table.row_count == 400 == checked.total == len(checked.good)
    assert len(list(csv_batches.text_slices(table))) > 10


@settings(max_examples=40, deadline=None)
@given(
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
    rows=st.lists(
        st.tuples(st.integers(946_684_800, 4_000_000_000), finite, finite, finite),
        min_size=1,
        max_size=60,
    ),
)
def test_any_file_reads_the_same_whole_and_in_slices(delimiter, encoding, rows):
    """Repeats included (hypothesis draws them): the same problems, the same rows."""
    lines = [delimiter.join(["time", "x", "y", "z"])]
    lines += [delimiter.join([str(s * 1000), *(repr(float(v)) for v in vs)]) for s, *vs in rows]
    raw = ("\n".join(lines) + "\n").encode(encoding)
    whole, sliced, _ = both_ways(raw, ACC)
    same(whole, sliced)
