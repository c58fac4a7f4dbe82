"""The real server's error bodies, produced in one place.

Bucket's Express error handler turns a ``DCDError(code, hint)`` into
``{"status", "message", "name", "hint", "requirements"}``; internal codes map to
statuses and generic messages (any unknown code becomes 500 "Server error").
Errors the server did not build (JSON syntax, body too large, database errors)
are answered 500 with the library's message and name and no hint. The sandbox
reproduces both, because a client must read the body, not only the status.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify
from werkzeug.exceptions import HTTPException, NotFound, RequestEntityTooLarge

log = logging.getLogger(__name__)

# code -> (status, message, requirements), as in @datacentricdesign/types DCDError.
_CODES: dict[int, tuple[int, str, str]] = {
    400: (
        400,
        "Information missing or malformed",
        "Something is missing or malformed in body, query params or path params.",
    ),
    4003: (
        400,
        "Thing information missing or malformed",
        "Thing information must be provided in JSON format and includes fields name and type.",
    ),
    4007: (
        400,
        "Property information missing or malformed",
        "Property information must be provided in JSON format and includes fields name and type.",
    ),
    4031: (
        403,
        "Access denied - Authentication information missing, malformed or invalid",
        "You must provide a valid bearer token.",
    ),
    404: (404, "Resource not found", ""),
}

NOT_ACTIVE = "The bearer token is not active"
NOT_ALLOWED = "Request was not allowed"
UNKNOWN_URL = "This URL does not match any Bucket API."


class DcdError(Exception):
    """An error the real server builds itself: an internal code plus a hint."""

    def __init__(self, code: int, hint: str = ""):
        super().__init__(hint)
        self.code = code
        self.hint = hint

    def body(self) -> dict:
        status, message, requirements = _CODES.get(self.code, (500, "Server error", ""))
        return {
            "status": status,
            "message": message,
            "name": "DCD Hub Error",
            "hint": self.hint,
            "requirements": requirements,
        }


class LibraryError(Exception):
    """An error the real server did not build: answered 500 with the library's text."""

    def __init__(self, message: str, name: str):
        super().__init__(message)
        self.message = message
        self.name = name


def _json(body: dict) -> Response:
    response = jsonify(body)
    response.status_code = body["status"]
    return response


def dcd_error_response(error: DcdError) -> Response:
    return _json(error.body())


def library_error_response(error: LibraryError) -> Response:
    return _json({"status": 500, "message": error.message, "name": error.name})


def init_app(app: Flask) -> None:
    """Register the handlers that make every API error look like the real one."""
    app.register_error_handler(DcdError, dcd_error_response)
    app.register_error_handler(LibraryError, library_error_response)

    @app.errorhandler(RequestEntityTooLarge)
    def _too_large(_error):
        return library_error_response(
            LibraryError("request entity too large", "PayloadTooLargeError")
        )

    @app.errorhandler(NotFound)
    def _not_found(_error):
        return dcd_error_response(DcdError(404, UNKNOWN_URL))

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        if error.code == 405:  # Express falls through to the unknown-URL handler.
            return dcd_error_response(DcdError(404, UNKNOWN_URL))
        return library_error_response(LibraryError(error.description or "", type(error).__name__))

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        log.exception("unexpected sandbox error")
        return library_error_response(LibraryError(str(error), type(error).__name__))
