"""The sentences the app writes: one helper each for plurals, articles, sentence starts
and durations, so "1 points", "a Accelerometer", "About under a second" cannot recur."""

from __future__ import annotations

import pytest

from dashboard.explore.resolution import Resolution
from dashboard.shared.text import a_or_an, about, count_of, sentence


@pytest.mark.parametrize(
    ("n", "noun", "said"),
    [(0, "point", "0 points"), (1, "point", "1 point"), (1200, "point", "1,200 points"),
     (2, "property", "2 properties"), (3, "day", "3 days")],
)  # fmt: skip
def test_counts_take_the_plural_they_need(n, noun, said):
    assert count_of(n, noun) == said


@pytest.mark.parametrize(
    ("phrase", "said"),
    [("Accelerometer", "an Accelerometer"), ("Temperature", "a Temperature"),
     ("UV index", "a UV index"), ("LED", "an LED"), ("unit", "a unit"),
     ("Humidity", "a Humidity"), ("8-bit", "an 8-bit"),
     ("Orientation (ORIENTATION)", "an Orientation (ORIENTATION)"), ("one", "a one")],
)  # fmt: skip
def test_articles_follow_the_sound_of_the_word(phrase, said):
    assert a_or_an(phrase) == said


def test_sentences_start_with_a_capital_and_durations_read_in_a_sentence():
    assert sentence("a type needs a name") == "A type needs a name"
    assert sentence("") == ""
    assert sentence(about(0.2)) == "Under a second"
    assert about(42) == "about 42 s"
    assert about(600) == "about 10 minutes"


def test_a_single_point_is_not_points():
    assert Resolution("raw").describe(1, 1) == "1 point, shown"
    assert Resolution("raw").describe(2, 2) == "2 points, all shown"
