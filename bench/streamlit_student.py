"""A simulated student without a browser: what the app's server sees of one.

Signs in over HTTP as a browser does (the app's ``/auth/login``, the provider's form and
consent, the callback's cookie), then speaks Streamlit's own websocket protocol: a
``rerun_script`` for a page with its query string, the page's elements back until
``script_finished``; a form is submitted with its widgets' ids, as the frontend does.
Twenty Chromium contexts would take this 2-core machine's CPU from the app they measure.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import requests
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg


def sign_in(app_url: str, email: str, password: str) -> dict[str, str]:
    """The app's cookies after a sign-in through the provider's own pages."""
    session = requests.Session()
    form = session.get(app_url + "/auth/login", timeout=120)
    consent = session.post(
        form.url, data={"action": "login", "email": email, "password": password}, timeout=120
    )
    back = session.post(consent.url, data={"action": "consent", "decision": "allow"}, timeout=120)
    back.raise_for_status()
    host = app_url.split("//", 1)[1].split(":", 1)[0]
    # the cookie jar files "localhost" under "localhost.local" (a host without a dot)
    cookies = {
        c.name: c.value for c in session.cookies if c.domain.lstrip(".") in (host, host + ".local")
    }
    if "bucket_session" not in cookies:
        raise RuntimeError("signed in, but the app set no session cookie")
    return cookies


@dataclass
class PageRun:
    seconds: float
    elements: list = field(default_factory=list)  # (kind, element proto)

    def kinds(self) -> list[str]:
        return [k for k, _ in self.elements]

    def texts(self) -> str:
        out = []
        for kind, element in self.elements:
            if kind in ("alert", "markdown", "exception"):
                out.append(getattr(element, kind).body if kind != "exception" else "exception")
        return "\n".join(out)

    def in_form(self, form_id: str) -> list:
        """The widgets of one form, in page order: ``(kind, widget proto)``."""
        found = []
        for kind, element in self.elements:
            widget = getattr(element, kind)
            if getattr(widget, "form_id", None) == form_id:
                found.append((kind, widget))
        return found


def set_number(widget_id: str, value: float):
    """A ``WidgetState`` setter: this number input holds ``value``."""

    def set_state(state) -> None:
        state.id = widget_id
        state.double_value = value

    return set_state


def press(widget_id: str):
    """A ``WidgetState`` setter: this button (or a form's submit button) was pressed."""

    def set_state(state) -> None:
        state.id = widget_id
        state.trigger_value = True

    return set_state


class StreamlitStudent:
    """One browser tab's websocket: ``await run(page, query)`` as often as needed."""

    def __init__(self, app_url: str, cookies: dict[str, str]):
        self.url = app_url.replace("http", "ws", 1) + "/_stcore/stream"
        self.cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
        self.ws = None

    async def open(self) -> None:
        self.ws = await websockets.connect(
            self.url,
            subprotocols=["streamlit"],
            additional_headers={"Cookie": self.cookie},
            max_size=None,
            open_timeout=120,
        )

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    async def run(self, page: str, query: str = "", widgets=()) -> PageRun:
        """Run ``page`` (its url path) with ``query``; ``widgets``: WidgetState setters."""
        message = BackMsg()
        message.rerun_script.page_name = page
        message.rerun_script.query_string = query
        for set_state in widgets:
            set_state(message.rerun_script.widget_states.widgets.add())
        started = time.perf_counter()
        await self.ws.send(message.SerializeToString())
        run = PageRun(0.0)
        while True:
            forward = ForwardMsg()
            forward.ParseFromString(await self.ws.recv())
            kind = forward.WhichOneof("type")
            if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                element = forward.delta.new_element
                run.elements.append((element.WhichOneof("type"), element))
            elif kind == "script_finished":
                if forward.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    run.elements.clear()  # the page asked for a rerun: it starts again
                    continue
                run.seconds = time.perf_counter() - started
                return run
