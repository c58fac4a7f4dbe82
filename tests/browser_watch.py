"""What every browser test also checks, whatever it is about: no page of the app logs a
console error or throws, asks anything of a host outside the test's own machines, or gets
404 from the app. A test's pages are watched from the contexts its ``browser`` makes; the
test fails at its end with what was seen.

``ALLOWED`` names what cannot be fixed in the app, each with its reason; a test that
provokes an error on purpose (a wrong code, a refused file) says so with
``browser.allow(pattern, reason)``."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

# (pattern searched in the URL or message, reason): nothing the app could not fix
ALLOWED: list[tuple[str, str]] = []


def outside(url: str) -> bool:
    """A request to a host that is not one of the test's own machines (loopback, or the
    classroom test's private veth addresses)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https", "ws", "wss"):
        return False  # data:, blob:, about:
    host = parts.hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return False
    try:
        return not (ipaddress.ip_address(host).is_loopback or ipaddress.ip_address(host).is_private)
    except ValueError:
        return True


class WatchedBrowser:
    """The session's Chromium, with every context it makes watched."""

    def __init__(self, browser):
        self._browser = browser
        self.problems: list[str] = []
        self.allowed = [re.compile(pattern) for pattern, _reason in ALLOWED]

    def __getattr__(self, name):
        return getattr(self._browser, name)

    def allow(self, pattern: str, reason: str) -> None:
        """What this test provokes on purpose (``reason`` says what), matched in the URL or
        the message."""
        assert reason
        self.allowed.append(re.compile(pattern))

    def new_context(self, **options):
        context = self._browser.new_context(**options)
        self.watch(context)
        return context

    def new_page(self, **options):
        return self.new_context(**options).new_page()

    def watch(self, context) -> None:
        context.on("console", self._console)
        context.on("weberror", lambda error: self._problem(f"uncaught error: {error.error}"))
        context.on("request", self._request)
        context.on("response", self._response)

    def _console(self, message) -> None:
        if message.type == "error":
            where = (message.location or {}).get("url", "")
            self._problem(f"console error: {message.text} (at {where})")

    def _request(self, request) -> None:
        if outside(request.url):
            self._problem(f"outside request: {request.method} {request.url}")

    def _response(self, response) -> None:
        if response.status == 404 and not outside(response.url):
            self._problem(f"404 of the app's own: {response.url}")

    def _problem(self, text: str) -> None:
        if not any(pattern.search(text) for pattern in self.allowed):
            self.problems.append(text)

    def check(self) -> None:
        problems, self.problems = self.problems, []
        assert not problems, "the browser saw:\n" + "\n".join(dict.fromkeys(problems))
