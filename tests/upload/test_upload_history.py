"""The record an undo is made from (``dashboard/upload/upload_history.py``), on the shared
store the app runs on (files here; Redis in test_shared_store's runs): exact parts back,
newest first, one user's records never another's, and a record or part someone wrote into
the store read as none."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pandas as pd

from dashboard.hosting.file_store import FileStore
from dashboard.upload.upload_history import UploadHistory, times_bytes, times_from

PROP = SimpleNamespace(thing_id="dcd:things:t1", id="dcd:properties:p1")


def history(tmp_path, secret: str = "s3cret") -> UploadHistory:
    return UploadHistory(FileStore(tmp_path), secret)


def times(n: int, start: int = 1_790_000_000_000, every: int = 10) -> pd.DatetimeIndex:
    return pd.DatetimeIndex(
        pd.to_datetime([start + i * every for i in range(n)], unit="ms", utc=True),
        name="timestamp",
    )


def test_a_records_parts_come_back_exactly_and_its_state_moves(tmp_path):
    h = history(tmp_path)
    written = times(6)
    before = pd.DataFrame(
        {"Temperature": [1.5, float("nan")], "Note": ["<b>x</b>", "a|b"]}, index=written[:2]
    )
    rid = h.start("alex", PROP, "Logger / Hall", "the grid", written, before)
    record = h.get("alex", rid)
    assert (record.written, record.overwritten, record.new, record.state) == (6, 2, 4, "writing")
    back_times, back_before = h.parts("alex", rid)
    pd.testing.assert_index_equal(back_times, written)
    pd.testing.assert_frame_equal(back_before, before)
    h.mark("alex", rid, "written")
    assert h.get("alex", rid).state == "written"


def test_five_million_file_times_are_kept_in_a_few_kilobytes():
    many = times(5_000_000)
    raw = times_bytes(many)
    assert len(raw) < 200_000  # 40 MB as plain int64
    pd.testing.assert_index_equal(times_from(raw), many)


def test_recent_uploads_are_newest_first_and_only_the_users_own(tmp_path, monkeypatch):
    h = history(tmp_path)
    clock = iter(range(100, 200))
    monkeypatch.setattr("dashboard.upload.upload_history.time.time", lambda: next(clock))
    ids = [
        h.start("alex", PROP, f"upload {i}", "the form", times(1), pd.DataFrame())
        for i in range(12)
    ]
    h.start("sam", PROP, "sam's", "the form", times(1), pd.DataFrame())
    recent = h.recent("alex")
    assert [r.id for r in recent] == ids[::-1][:10]  # ten, newest first
    assert [r.label for r in h.recent("sam")] == ["sam's"]
    assert h.get("sam", ids[0]) is None  # another user's id reads as none


def test_a_forged_or_swapped_record_reads_as_none(tmp_path):
    store = FileStore(tmp_path)
    h = UploadHistory(store, "s3cret")
    one = h.start("alex", PROP, "one", "the form", times(3), pd.DataFrame())
    two = h.start(
        "alex", PROP, "two", "the form", times(3, start=1_800_000_000_000), pd.DataFrame()
    )
    prefix = h._prefix("alex")

    # a record written by someone without the secret: a wrong signature
    raw = json.loads(store.get(prefix + one))
    body = json.loads(raw["body"])
    body["record"]["written"] = 99
    store.put(prefix + one, json.dumps({"body": json.dumps(body), "mac": raw["mac"]}).encode())
    assert h.get("alex", one) is None and h.parts("alex", one) is None

    # the times of one upload put under another's record: its digest no longer matches
    store.put(h._part("alex", two, "times"), times_bytes(times(3, start=0)))
    assert h.get("alex", two) is not None and h.parts("alex", two) is None

    # not JSON at all, and a record signed under another secret
    store.put(prefix + "junk", b"\x00not json")
    other = UploadHistory(store, "another secret")
    assert other.get("alex", two) is None
    assert [r.label for r in h.recent("alex")] == ["two"]
