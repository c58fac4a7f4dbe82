"""Sign-in as plain HTTP routes beside the Streamlit UI: ``/auth/login``,
``/auth/callback``, ``/auth/logout``.

The OAuth dance never touches a Streamlit session (a redirect away and back starts
a new one): ``state`` and the PKCE verifier travel in a signed, short-lived cookie,
so whichever server process receives the callback can finish it. The token goes
to the server-side store; the browser only gets a signed session id.
"""

from __future__ import annotations

import html
import logging
from dataclasses import replace
from urllib.parse import parse_qs, urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from bucket_client import BucketError, auth
from dashboard.hosting.store import StoreUnavailable
from dashboard.phone.grants import grant_store
from dashboard.shared.config import app_config
from dashboard.shared.embedded import NotLoopback, browser_settings, server_settings
from dashboard.shared.export_files import remove_exports
from dashboard.shared.public_address import base_path, safe_root
from dashboard.signin import cookies, people
from dashboard.signin.session_store import session_store

log = logging.getLogger(__name__)


def origin_of(request: Request) -> str:
    return f"{request.url.scheme}://{request.url.netloc}"


def _secure(request: Request) -> bool:
    """Served over https here, or behind a proxy whose public address is https (the
    configured redirect URL says which): the cookie must not travel over plain http."""
    config = app_config()
    public = config.public_url or config.settings.redirect_url or ""
    return request.url.scheme == "https" or public.startswith("https://")


def _public_origins(request: Request) -> set[str]:
    """Where a sign-out form may be posted from: this address and the configured one."""
    origins = {origin_of(request)}
    config = app_config()
    for public in (config.settings.redirect_url or "", config.public_url or ""):
        if not public:
            continue
        parts = urlsplit(public)
        origins.add(f"{parts.scheme}://{parts.netloc}")
    return origins


def _root(request: Request, form: dict | None = None) -> str:
    """The app's prefix as the browser has it: the one the page named (``root``: a frame's
    prefix the proxy strips and the server never sees), else the mount's (baseUrlPath)."""
    named = request.query_params.get("root") or ((form or {}).get("root") or [""])[0]
    return safe_root(named) or base_path()


def safe_next(value: str | None) -> str:
    """Only a path on this app (no other host): an open redirect would help phishers."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


def _back_home(
    request: Request, flash: str | dict | None = None, to: str | None = None
) -> RedirectResponse:
    """To ``to`` (a path on this app, as the browser had it), or to the app's root: ``../``
    from ``<root>/auth/...``, whatever prefix the browser used (a path, a frame's)."""
    response = RedirectResponse(safe_next(to) if to else "../", status_code=303)
    response.delete_cookie(cookies.FLOW_COOKIE, path=None)
    if flash:
        secret = app_config().cookie_secret
        _set_cookie(
            response, request, cookies.FLASH_COOKIE, cookies.sign(secret, "flash", flash), 60
        )
    return response


def _set_cookie(
    response, request: Request, name: str, value: str, max_age: int, path: str | None = "/"
) -> None:
    """HttpOnly, SameSite=Lax, and Secure whenever the app is served over https. ``path``
    None: the browser's own folder of the address (``<prefix>/auth``), whatever the prefix."""
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path=path,
        httponly=True,
        samesite="lax",
        secure=_secure(request),
    )


async def login(request: Request) -> RedirectResponse:
    """Make ``state`` and a PKCE verifier, keep them in a signed cookie, go to the provider."""
    config = app_config()
    if config.problems:
        return _back_home(request)
    try:
        settings = await run_in_threadpool(
            browser_settings, config, origin_of(request) + _root(request)
        )
    except NotLoopback:
        return _back_home(
            request,
            "The built-in sandbox signs in on this machine's own address only: open the app "
            "at http://localhost (same port), or configure a real Bucket client with "
            "OAUTH2_REDIRECT_URL for this address. For a demo on a hosted server, set "
            "BUCKET_PUBLIC_URL to the app's public address (docs/deploy).",
        )
    # After a sign-out on this browser (or "not you?"), the provider must ask who it is:
    # its own session still remembers the previous person.
    ask = request.query_params.get("prompt") == "login" or bool(
        request.cookies.get(cookies.LAST_USER_COOKIE)
    )
    flow = auth.authorization_request(settings, prompt="login" if ask else None)
    response = RedirectResponse(flow.url, status_code=303)
    value = cookies.sign(
        config.cookie_secret,
        "flow",
        {
            "state": flow.state,
            "verifier": flow.code_verifier,
            "redirect": settings.redirect_url,
            "next": safe_next(request.query_params.get("next")),
            "root": _root(request),  # where the browser has the app, to come back there
        },
    )
    _set_cookie(response, request, cookies.FLOW_COOKIE, value, cookies.FLOW_MAX_AGE, path=None)
    return response


async def callback(request: Request) -> RedirectResponse:
    """Check ``state`` (once), trade the code, store the token, set the session cookie."""
    config = app_config()
    params = request.query_params
    if params.get("error"):
        # the provider's words (or anyone's: no state is needed to call this) go in a
        # separate field, shown as plain text, never as Markdown
        code = "".join(c for c in params["error"] if c.isalnum() or c == "_")[:40]
        return _back_home(
            request,
            {
                "message": f"Sign-in was not completed ({code or 'error'}).",
                "quote": params.get("error_description", "")[:300],
            },
        )
    flow = cookies.unsign(
        config.cookie_secret, "flow", request.cookies.get(cookies.FLOW_COOKIE), cookies.FLOW_MAX_AGE
    )
    state = params.get("state", "")
    if not flow or flow.get("state") != state:
        return _back_home(
            request,
            "Sign-in could not be verified (it expired or was started "
            "elsewhere). Please sign in again.",
        )
    store = session_store(config)
    if not store.consume_state(state):
        return _back_home(request, "This sign-in link was already used. Please sign in again.")
    settings = replace(server_settings(config), redirect_url=flow["redirect"])
    try:
        token = await run_in_threadpool(
            auth.exchange_code,
            settings,
            params.get("code", ""),
            state,
            flow["state"],
            flow["verifier"],
        )
        user = await run_in_threadpool(auth.userinfo, settings, token)
    except BucketError as error:
        log.warning("sign-in failed: %s", type(error).__name__)
        return _back_home(request, f"Sign-in failed: {getattr(error, 'hint', '') or error}")
    sid = store.create(token, user)
    people.remember(config, user)  # their name beside their id where they share something
    response = _back_home(request, to=flow.get("root", "") + safe_next(flow.get("next")))
    session_cookie = cookies.sign(config.cookie_secret, "session", sid)
    _set_cookie(response, request, cookies.SESSION_COOKIE, session_cookie, cookies.SESSION_MAX_AGE)
    return response


async def logout(request: Request) -> RedirectResponse:
    """Revoke the token, forget the session, clear the cookie, then end the provider's own
    session too (its browser logout), so the next person at this browser signs in as
    themselves. The browser remembers who signed out, to say so on the sign-in page.

    Only a POST from the app's own form signs out: its token is this session's id signed,
    and a browser's Origin, when sent, must be this app. A GET (an old link, another
    site's image or redirect) changes nothing and goes home."""
    config = app_config()
    if request.method != "POST":
        return _back_home(request)
    store = session_store(config)
    sid = cookies.unsign(
        config.cookie_secret,
        "session",
        request.cookies.get(cookies.SESSION_COOKIE),
        cookies.SESSION_MAX_AGE,
    )
    form = parse_qs((await request.body())[:4096].decode("latin-1"))
    token = (form.get("csrf") or [""])[0]
    origin = request.headers.get("origin")
    proven = cookies.unsign(
        config.cookie_secret, cookies.SIGN_OUT_PURPOSE, token, cookies.SESSION_MAX_AGE
    )
    if (origin and origin not in _public_origins(request)) or sid is None or proven != sid:
        log.warning("sign-out refused: no valid token from this app")
        return _back_home(
            request, "Sign-out was not done: the request did not come from this app's button."
        )
    signed_in = store.get(sid)
    if signed_in is not None:
        try:
            await run_in_threadpool(auth.revoke, server_settings(config), signed_in.token)
        except BucketError as error:
            log.warning("revocation failed: %s", type(error).__name__)
        store.delete(signed_in.sid)
    remove_exports(sid)  # the session's downloads go with it
    grant_store(config).end_sign_in(sid)  # and the phones streaming for it stop
    response = _back_home(request, "You are signed out.")
    response.delete_cookie(cookies.SESSION_COOKIE)
    if signed_in is not None:
        who = {"name": signed_in.user.get("name", ""), "email": signed_in.user.get("email", "")}
        _set_cookie(
            response,
            request,
            cookies.LAST_USER_COOKIE,
            cookies.sign(config.cookie_secret, "last-user", who),
            cookies.LAST_USER_MAX_AGE,
        )
        home = origin_of(request) + _root(request, form)
        try:
            settings = await run_in_threadpool(browser_settings, config, home)
        except NotLoopback:
            settings = None
        if settings is not None and settings.logout_url:
            fields = auth.logout_form(settings, signed_in.token, home + "/")
            return _post_to_provider(response, settings.logout_url, fields)
    return response


def _post_to_provider(redirect: Response, url: str, fields: dict[str, str]) -> HTMLResponse:
    """The provider's logout as a form the browser posts at once (no token in an address),
    with the cookies the redirect would have set."""
    inputs = "".join(
        f'<input type="hidden" name="{html.escape(k, quote=True)}" '
        f'value="{html.escape(v, quote=True)}">'
        for k, v in fields.items()
    )
    page = HTMLResponse(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Signing out'
        "</title></head><body><main><p>Signing out of Bucket…</p>"
        f'<form method="post" action="{html.escape(url, quote=True)}">{inputs}'
        '<button type="submit">Continue</button></form></main>'
        "<script>document.forms[0].submit()</script></body></html>",
        headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
    )
    for value in redirect.headers.getlist("set-cookie"):
        page.headers.append("set-cookie", value)
    return page


def store_guarded(handler):
    """A route that reads or writes sign-ins: a shared store that is down sends the browser
    home with the store's message, never a stack trace (nothing was half written: each
    route writes one record, last)."""

    async def guarded(request: Request) -> RedirectResponse:
        try:
            return await handler(request)
        except StoreUnavailable as error:
            log.warning("shared store unavailable: %s", error.detail)
            return _back_home(request, str(error))

    return guarded


def auth_routes() -> list[Route]:
    return [
        Route("/auth/login", login),
        Route("/auth/callback", store_guarded(callback)),
        Route("/auth/logout", store_guarded(logout), methods=["GET", "POST"]),
    ]
