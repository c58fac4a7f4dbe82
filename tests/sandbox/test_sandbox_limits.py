"""The sandbox's own limits at their defaults (the contract suite runs both servers with
high limits): 100 requests a minute, then 429 as express-rate-limit answers it."""

from __future__ import annotations

from bucket_sandbox.tokens import issue_token

from ..conftest import DEMO_EMAIL, Api


def test_rate_limit_headers_and_429(limited_sandbox):
    token = issue_token(limited_sandbox.app, DEMO_EMAIL)
    api = Api(limited_sandbox.api_url, token["access_token"])
    first = api("GET", "/things")
    assert first.headers["RateLimit-Limit"] == "100"
    assert first.headers["RateLimit-Remaining"] == "99"
    assert 0 < int(first.headers["RateLimit-Reset"]) <= 60
    for _ in range(99):
        assert api("GET", "/").status_code == 200
    refused = api("GET", "/things")
    assert refused.status_code == 429
    assert refused.text == "Too many requests, please try again later."
    assert refused.headers["Retry-After"] == "60"
