"""Dutch and English column names of the common sensors, matched to Bucket's types."""

from __future__ import annotations

import pytest

from bucket_client import Dimension
from bucket_sandbox.catalogue import seed_types
from dashboard.upload.column_mapping import guess_mapping

TYPES = {t["id"]: t for t in seed_types()}  # Bucket's catalogue, as the sandbox seeds it


def dimensions(type_id: str) -> tuple[Dimension, ...]:
    return tuple(
        Dimension(d["id"], d["name"], d.get("description", ""), d.get("unit", ""))
        for d in TYPES[type_id]["dimensions"]
    )


@pytest.mark.parametrize(
    ("type_id", "columns"),
    [
        ("TEMPERATURE", ["Tijdstip", "Temperatuur (°C)"]),
        ("TEMPERATURE", ["Time", "temp [C]"]),
        ("RELATIVE_HUMIDITY", ["Datum en tijd", "Luchtvochtigheid (%)"]),
        ("RELATIVE_HUMIDITY", ["timestamp", "Humidity"]),
        ("LIGHT", ["Tijd", "Licht (lux)"]),
        ("LIGHT", ["Date time", "Light"]),
        ("PRESSURE", ["tijd", "Luchtdruk [hPa]"]),
        ("PRESSURE", ["Timestamp", "Air pressure (hPa)"]),
        ("ACCELEROMETER", ["Tijd (s)", "Versnelling x", "Versnelling y", "Versnelling z"]),
        ("ACCELEROMETER", ["time", "acceleration x", "acceleration y", "acceleration z"]),
    ],
)
def test_common_sensor_columns_in_dutch_and_english_need_no_question(type_id, columns):
    mapping = guess_mapping(columns, dimensions(type_id))
    assert list(mapping.values()) == columns, mapping


def test_a_word_of_another_sensor_is_not_taken():
    assert guess_mapping(["Tijd", "Temperatuur"], dimensions("LIGHT"))["Illuminance"] is None
