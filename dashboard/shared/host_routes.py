"""Whether the host in front of the app passes the app's own routes on to it.

Streamlit's page talks to the server through ``/_stcore/*`` only; sign-in, downloads and
phone links go to the app's own routes (``/auth``, ``/exports``, ``/phone``) beside it. A
host or proxy that forwards just what Streamlit needs answers those itself, so a sign-in
would end on the host's error page, a download would save an error page and a phone would
open nothing. Only the browser can tell (the server never sees what the host keeps back):
a small component asks ``<root>/<route>/reachable`` from the page once per session, and
the feature says why it cannot work instead of failing later. See
``docs/deploy/lab-server.md``."""

from __future__ import annotations

import json

import streamlit as st
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from dashboard.shared.public_address import root_path

ROUTES = ("auth", "exports", "phone")
ANSWERS_KEY = "host_routes_kept_back"  # the routes the browser found kept back, once it did

JS = """
export default async function ({ data, setStateValue }) {
  const ask = JSON.parse(data);
  // once per page load: a rerun draws this again with the same question
  window.__bucketHostRoutes = window.__bucketHostRoutes || {};
  if (window.__bucketHostRoutes[data]) return;
  window.__bucketHostRoutes[data] = true;
  const keptBack = [];
  for (const route of ask.routes) {
    try {
      const answer = await fetch(`${ask.root}/${route}/reachable`, { cache: "no-store" });
      // the host's own page (an error, or the app's index for every path) is not the answer
      const body = answer.ok ? await answer.json() : {};
      if (body.route !== route) keptBack.push(route);
    } catch (error) {
      keptBack.push(route);
    }
  }
  // said only when something is kept back: a host that passes everything costs no rerun
  if (keptBack.length) setStateValue("kept_back", keptBack);
}
"""


async def reachable(request: Request) -> JSONResponse:
    """What the component expects back: the app itself answered at this route."""
    route = request.url.path.rstrip("/").split("/")[-2]
    return JSONResponse({"route": route}, headers={"Cache-Control": "no-store"})


def reachable_routes() -> list[Route]:
    return [Route(f"/{route}/reachable", reachable) for route in ROUTES]


def check_host_routes() -> None:
    """Ask, from the browser, whether the host passes the app's routes on; once per session
    (a page run after the answer draws nothing)."""
    if ANSWERS_KEY in st.session_state:
        return
    element = st.components.v2.component("bucket_host_routes", js=JS)
    result = element(
        key="bucket_host_routes",
        data=json.dumps({"root": root_path(), "routes": list(ROUTES)}),
        on_kept_back_change=lambda: None,
    )
    kept_back = getattr(result, "kept_back", None)
    if kept_back:
        st.session_state[ANSWERS_KEY] = {str(route) for route in kept_back}


def kept_back(route: str) -> bool:
    """Whether the browser found ``<root>/<route>/`` answered by the host, not the app."""
    return route in st.session_state.get(ANSWERS_KEY, set())


def why_not(route: str, feature: str) -> str:
    """The sentence a feature shows when the host keeps its route back."""
    root = root_path()
    return (
        f"{feature} cannot work on this host: it does not pass `{root}/{route}/` on to the "
        "app (it answered that address itself). Whoever runs the host must forward every "
        f"path under `{root or '/'}` to the app, not only Streamlit's own: see the deploy "
        "guide, docs/deploy/lab-server.md."
    )


def said_if_kept_back(route: str, feature: str, where=st) -> bool:
    """Show ``why_not`` when the host keeps ``route`` back; True when it does."""
    if kept_back(route):
        where.warning(why_not(route, feature), icon=":material/block:")
        return True
    return False
