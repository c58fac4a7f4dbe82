"""API errors become short messages with the server's own words and what to do next."""

from __future__ import annotations

import pytest

from bucket_client import TransportError
from bucket_client.errors import api_error
from dashboard.shared.errors import describe

URL = "https://dwd.tudelft.nl/bucket/api/things/x"


@pytest.mark.parametrize(
    ("status", "body", "says", "advice"),
    [
        (
            403,
            {
                "message": "Access denied - Authentication information missing, malformed or invalid",
                "hint": "Request was not allowed",
            },
            "not yours, or it was deleted",
            "pick one from the list",
        ),
        (
            404,
            {"message": "Resource not found", "hint": "Property not found."},
            "Property not found.",
            "Reload",
        ),
        (
            500,
            {"message": "Server error", "hint": "Failed updating property values"},
            "Failed updating property values",
            "tell the lab",
        ),
        (503, None, "HTTP 503", "Try again"),
        (
            500,
            {"message": "request entity too large", "name": "PayloadTooLargeError"},
            "request entity too large",
            "100 KB",
        ),
    ],
)
def test_api_errors_say_what_and_what_to_do(status, body, says, advice):
    text = describe(api_error(status, "GET", URL, body))
    assert says in text and advice in text


def test_rate_limited_and_unreachable():
    limited = describe(api_error(429, "GET", URL, None, "Too many requests", retry_after=42))
    assert "shared by everyone using this app" in limited and "about 42 s" in limited
    assert "Check the network" in describe(TransportError("GET", URL, "ConnectTimeout"))
