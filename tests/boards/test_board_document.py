"""A board's document: what one app writes another reads back, and whatever cannot be read
is said (a whole board, or one panel) instead of raised."""

from __future__ import annotations

import json

import pytest

from dashboard.boards.board_document import (
    MAX_CHARS,
    Board,
    NotABoard,
    Panel,
    PropertyRef,
    board_text,
    read_board,
)
from dashboard.boards.board_view import requests_per_read, rows, screen_pace

SOIL = PropertyRef("dcd:things:1", "dcd:properties:2")


def test_a_board_of_every_kind_reads_back_as_written():
    board = Board(
        "Our <b>prototype</b>",
        (
            Panel("chart", "Soil", "large", (SOIL,), "7d"),
            Panel("last", "Now", "small", (SOIL,), dimension="Temperature", above=30.5),
            Panel("gauge", "Bar", "small", (SOIL,), dimension="Temperature", low=-5, high=40),
            Panel("map", "Route", "medium", (SOIL,)),
            Panel("table", "Latest", "medium", (SOIL,), rows=5),
            Panel("note", "Read me", "medium", text="*water* at 9 <script>"),
        ),
        position=3,
    )
    again = read_board(board_text(board))
    assert again == board


@pytest.mark.parametrize(
    "text, said",
    [
        ("{", "it is not JSON"),
        ("[]", "it is not a board"),
        ('{"format": "bucket-dashboard/board", "version": 2, "title": "x"}', "newer app"),
        ('{"format": "bucket-dashboard/board", "version": 1, "title": " "}', "no title"),
        ('{"format": "bucket-dashboard/board", "version": "1", "title": "x"}', "version"),
        ("x" * (MAX_CHARS + 1), "over the"),
    ],
)
def test_a_document_that_is_not_a_board_says_why(text, said):
    with pytest.raises(NotABoard, match=said):
        read_board(text)


def test_a_panel_that_cannot_be_read_is_kept_with_its_problem_and_the_rest_draws():
    text = json.dumps(
        {
            "format": "bucket-dashboard/board",
            "version": 1,
            "title": "Mixed",
            "panels": [
                {"kind": "sparkline", "title": "From a newer app"},
                {"kind": "last", "properties": []},
                {"kind": "gauge", "properties": [SOIL.__dict__], "low": 5, "high": 1},
                {"kind": "note", "text": "fine"},
                "not a panel",
            ],
            "theme": "dark",
        }
    )
    board = read_board(text)
    problems = [p.problem for p in board.panels]
    assert "no kind this app draws ('sparkline')" in problems[0]
    assert problems[1] == "panel 2: a last value shows one property"
    assert "top is not above its bottom" in problems[2]
    assert problems[3] == ""
    assert "not an object" in problems[4]
    # saved again: what could not be read is left out, what a newer app added is kept
    saved = json.loads(board_text(board))
    assert [p["kind"] for p in saved["panels"]] == ["note"]
    assert saved["theme"] == "dark"


def test_panels_fill_rows_of_four_columns_in_order():
    sizes = ["small", "medium", "small", "large", "medium", "medium", "small"]
    board_panels = tuple(Panel("note", size=s) for s in sizes)
    assert [[i for i, _ in row] for row in rows(board_panels)] == [[0, 1, 2], [3], [4, 5], [6]]


def test_a_boards_reading_costs_what_its_panels_ask():
    board_panels = (
        Panel("chart", properties=(SOIL, SOIL)),
        Panel("last", properties=(SOIL,)),
        Panel("note"),
        Panel("last", problem="broken"),
    )
    assert requests_per_read(board_panels) == 5


@pytest.mark.parametrize("limit", [100, 1000])
def test_a_board_of_twelve_panels_stays_under_a_quarter_of_the_budget(limit):
    """Twelve time charts of six properties each (the most a board of twelve can ask) on
    the budget the comment in Bucket's code names (100 a minute) and on its default (1000):
    the pace the screen states leaves three quarters to people's clicks."""
    board_panels = tuple(Panel("chart", properties=(SOIL,) * 6) for _ in range(12))
    per_read = requests_per_read(board_panels)
    every = screen_pace(per_read, limit)
    assert per_read * 60 / every <= limit * 0.25
    assert screen_pace(per_read, None) == 30  # budget not known yet: a moderate pace
