"""phyphox as phyphox writes it (``phyphox_corpus``): for each experiment students use, as a
zip and as an .xls, the table is offered for every Bucket type it fills and for no other,
each sample lands at its own time across the pause, with the numbers phyphox wrote; written
to Bucket into a property of each type, the API gives back the same by name."""

from __future__ import annotations

import pytest

from bucket_client import BucketClient
from dashboard.upload import phyphox
from dashboard.upload import phyphox_columns as columns

from .. import phyphox_corpus as corpus
from ..student_files import _phyphox_number, expected_phyphox_ms

CASES = [(e, f) for e in corpus.EXPERIMENTS for f in ("zip", "xls")]


def read(tmp_path, experiment: str, form: str) -> phyphox.Recording:
    if form == "zip":
        data = corpus.write_zip(tmp_path / f"{experiment}.zip", experiment).read_bytes()
        assert phyphox.is_phyphox_zip(data)
        return phyphox.read_zip(data)
    data = corpus.write_xls(tmp_path / f"{experiment}.xls", experiment).read_bytes()
    assert phyphox.is_phyphox_workbook(data)
    return phyphox.read_workbook(data)


@pytest.fixture
def client(sandbox, token):
    return BucketClient(sandbox.api_url, token)


def written(cell: float, form: str) -> float:
    """What the file holds: the zip's 10-digit text, or the workbook's own double."""
    return float(_phyphox_number(cell)) if form == "zip" else cell


@pytest.mark.parametrize(("experiment", "form"), CASES)
def test_each_table_fits_its_types_and_no_other(tmp_path, experiment, form):
    table, _header, types = corpus.EXPERIMENTS[experiment]
    recording = read(tmp_path, experiment, form)
    fitting = columns.types_fitting(recording.tables, table)
    assert fitting == types
    assert columns.is_stopwatch(recording.tables, table) == (experiment == "proximity_stopwatch")
    others = [n for n in recording.tables if n != table]  # "Timing": no time series
    assert all(columns.types_fitting(recording.tables, n) == [] for n in others)


@pytest.mark.parametrize(("experiment", "form"), CASES)
def test_stored_at_each_samples_time_with_phyphoxs_numbers(client, tmp_path, experiment, form):
    """Into a new property of each type the table fills, through the API; read back by name."""
    table, header, types = corpus.EXPERIMENTS[experiment]
    recording = read(tmp_path, experiment, form)
    rows = corpus.rows_of(header)
    thing = client.create_thing(f"phyphox {experiment} {form}", "Phone")
    for type_id in types:
        prop = client.create_property(thing.id, f"{experiment} {form} {type_id}", type_id)
        assert phyphox.tables_for(recording, prop) == [table]
        frame = phyphox.samples(recording, table, prop).sort_index()
        client.write_values(thing.id, prop.id, frame, prop=prop)
        expected_ms = expected_phyphox_ms(rows)
        back = client.read_values(thing.id, prop.id, expected_ms[0], expected_ms[-1])
        assert [int(t.value // 1_000_000) for t in back.index] == expected_ms
        for dim in prop.dimensions:
            column = columns.value_column(recording.tables, table, type_id, dim.id)
            assert back[dim.name].tolist() == [
                written(r[header.index(column)], form) for r in rows
            ], (type_id, dim.name)
