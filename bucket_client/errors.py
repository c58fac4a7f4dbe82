"""One exception hierarchy for everything that can go wrong talking to Bucket.

The real API answers 403 both for a bad token and for a refused resource, and 500
for several client mistakes (body too large, bad JSON, unknown type id), so the
mapping reads the error body, not only the status. No exception ever holds a token:
URLs are stripped of their query string before they are stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

TOKEN_HINTS = (
    "The bearer token is not active",
    "Add 'Authorization' header.",
    "Add 'bearer ' in front of your 'Authorization' token.",
)


class BucketError(Exception):
    """Base of every error this client raises."""


class TransportError(BucketError):
    """The request never got an HTTP answer: refused, reset, timed out, DNS."""

    def __init__(self, method: str, url: str, reason: str):
        self.method, self.url, self.reason = method, safe_url(url), reason
        super().__init__(f"{reason} ({method} {self.url})")


class ApiError(BucketError):
    """Bucket answered with an error status."""

    def __init__(
        self,
        status: int,
        method: str,
        url: str,
        message: str = "",
        hint: str = "",
        name: str = "",
        retry_after: float | None = None,
    ):
        self.status, self.method, self.url = status, method, safe_url(url)
        self.message, self.hint, self.name = message, hint, name
        self.retry_after = retry_after
        detail = f": {hint}" if hint else ""
        super().__init__(f"{status} {message or 'Error'}{detail} ({method} {path_of(self.url)})")


class BadRequest(ApiError):
    """The request was malformed or its values did not fit the property type."""


class AuthError(ApiError):
    """The token is missing, expired, revoked or lacks a scope: sign in again."""


class MissingScope(AuthError):
    """The token is valid but lacks a scope this route needs (Bucket says only "not
    active"): signing in again with the same settings will not help; the scope will."""

    def __init__(self, error: ApiError, scope: str):
        super().__init__(
            error.status, error.method, error.url, error.message, error.hint, error.name
        )
        self.scope = scope


class SessionEnded(AuthError):
    """The provider refused the refresh token (``invalid_grant``: expired or revoked;
    ``token_inactive``: Hydra saw it used twice and revoked the chain). Only signing in
    again helps; every other token-endpoint failure is transient and keeps the sign-in."""


class Forbidden(ApiError):
    """Not yours, or does not exist (the real API does not tell the two apart)."""


class NotFound(ApiError):
    """The resource does not exist (or a deleted thing answered with an empty body)."""


class PayloadTooLarge(ApiError):
    """A JSON body over the server's limit (100 KB); the real API says so with a 500."""


class RateLimited(ApiError):
    """Too many requests from this address in the current window."""


class ServerError(ApiError):
    """The server failed (5xx) for a reason of its own."""


@dataclass(frozen=True)
class RowProblem:
    """One bad input row: where (row number, column) and why."""

    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column!r}: {self.reason}"


class ValidationError(BucketError, ValueError):
    """Values were refused before anything was sent."""

    def __init__(self, problems: list[RowProblem], total_rows: int):
        self.problems = problems
        self.total_rows = total_rows
        shown = "; ".join(str(p) for p in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        super().__init__(
            f"{len(problems)} problem(s) in {total_rows} rows, nothing sent: {shown}{more}"
        )


@dataclass
class WriteStopped(BucketError):
    """A write stopped part way. Rows ``[0, rows_written)`` are stored; resume from there."""

    rows_written: int
    total_rows: int
    cause: BaseException = field(repr=False)

    def __post_init__(self):
        super().__init__(str(self))

    def __str__(self) -> str:
        return (
            f"stopped after {self.rows_written:,} of {self.total_rows:,} rows were written "
            f"(rows 0 to {self.rows_written - 1} are stored; resume with "
            f"start_row={self.rows_written}): {self.cause}"
        )


def safe_url(url: str) -> str:
    """Drop the query string: it may carry ``authorization=<token>``."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def path_of(url: str) -> str:
    return urlsplit(url).path or url


_BY_NAME = {
    "PayloadTooLargeError": PayloadTooLarge,
    "SyntaxError": BadRequest,
    "EntityNotFound": NotFound,
    "QueryFailedError": BadRequest,
}
_BY_STATUS = {400: BadRequest, 404: NotFound, 413: PayloadTooLarge, 429: RateLimited}


def error_class(status: int, body: dict) -> type[ApiError]:
    """Pick the exception for a status and the server's error body."""
    hint = str(body.get("hint") or "")
    if status == 403:
        return AuthError if hint in TOKEN_HINTS or not body else Forbidden
    if status == 401:
        return AuthError
    if status == 404 and hint.startswith("Mismatch type of value"):
        return BadRequest
    if status >= 500 and body.get("name") in _BY_NAME:
        return _BY_NAME[body["name"]]
    if status in _BY_STATUS:
        return _BY_STATUS[status]
    return ServerError if status >= 500 else BadRequest


def api_error(
    status: int,
    method: str,
    url: str,
    body: dict | None,
    text: str = "",
    retry_after: float | None = None,
) -> ApiError:
    body = body if isinstance(body, dict) else {}
    cls = error_class(status, body)
    message = str(body.get("message") or text.strip()[:200] or "")
    return cls(
        status,
        method,
        url,
        message,
        str(body.get("hint") or ""),
        str(body.get("name") or ""),
        retry_after,
    )
