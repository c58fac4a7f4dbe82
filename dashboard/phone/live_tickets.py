"""Which properties a viewer's chart may follow live: a ticket the Explore page signs for
its own sign-in and the properties it shows (the ones this person can read), checked by
``/phone/live`` against the request's session cookie, so a ticket copied to another
browser reads nothing."""

from __future__ import annotations

from starlette.requests import Request

from dashboard.shared.config import AppConfig
from dashboard.signin import cookies

PURPOSE = "phone-live"
TICKET_MAX_AGE = 12 * 3600
HEADER = "x-live-ticket"


def ticket(config: AppConfig, sid: str, property_ids: list[str]) -> str:
    return cookies.sign(config.cookie_secret, PURPOSE, {"sid": sid, "p": sorted(property_ids)})


def properties(config: AppConfig, request: Request) -> list[str] | None:
    """The ticket's properties, when it was signed for this request's sign-in; else None."""
    value = cookies.unsign(
        config.cookie_secret, PURPOSE, request.headers.get(HEADER), TICKET_MAX_AGE
    )
    sid = cookies.unsign(
        config.cookie_secret,
        "session",
        request.cookies.get(cookies.SESSION_COOKIE),
        cookies.SESSION_MAX_AGE,
    )
    if not isinstance(value, dict) or sid is None or value.get("sid") != sid:
        return None
    return [str(p) for p in value.get("p") or []]
