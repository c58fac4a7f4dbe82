"""Turning the client's exceptions into short messages that say what to do next."""

from __future__ import annotations

import streamlit as st

from bucket_client import (
    AuthError,
    BadRequest,
    BucketError,
    Forbidden,
    MissingScope,
    NotFound,
    PayloadTooLarge,
    RateLimited,
    ServerError,
    SessionEnded,
    TransportError,
    WriteStopped,
)
from dashboard.signin.gate import end_session


def describe(error: BucketError) -> str:
    """One or two sentences: what happened (with the server's own words) and what to do."""
    said = ""
    if getattr(error, "message", "") or getattr(error, "hint", ""):
        parts = [p for p in (getattr(error, "message", ""), getattr(error, "hint", "")) if p]
        said = " Bucket said: " + " — ".join(parts) + "."
    if isinstance(error, Forbidden):
        # Bucket's own words here ("Authentication information missing...") mislead: the
        # sign-in is fine, the thing is someone else's or gone, and Bucket does not say which.
        return (
            "This is not yours, or it was deleted (Bucket answers both the same way). "
            "Go back to your things and pick one from the list."
        )
    if isinstance(error, NotFound):
        return "This no longer exists on Bucket." + said + " Reload the list."
    if isinstance(error, RateLimited):
        wait = f" in about {error.retry_after:.0f} s" if error.retry_after else " in a minute"
        return (
            "Bucket's request budget for this server is spent (it is shared by everyone using this app). Try again"
            + wait
            + "."
        )
    if isinstance(error, PayloadTooLarge):
        return "The request was too large for Bucket (100 KB)." + said
    if isinstance(error, BadRequest):
        return "Bucket did not accept this input." + said
    if isinstance(error, ServerError):
        return (
            f"Bucket had a problem (HTTP {error.status})."
            + said
            + " Try again; if it persists, tell the lab."
        )
    if isinstance(error, TransportError):
        return f"Bucket cannot be reached ({error.reason}). Check the network, then try again."
    return str(error)  # ValidationError, WriteStopped: their text already says what and where


def show_error(error: BucketError, doing: str = "") -> None:
    """Show the error; an auth failure that refresh could not fix ends the sign-in."""
    if isinstance(error, MissingScope):
        st.error(
            f"Your Bucket sign-in does not include the {error.scope} scope, which this needs, "
            "so Bucket answers that the token is not active. Fix: add "
            f"{error.scope} to OAUTH2_SCOPE in the app's settings (the default asks for "
            "dcd:things dcd:properties dcd:types dcd:consents), restart the app and sign in again.",
            icon=":material/key_off:",
        )
        return
    if isinstance(error, WriteStopped) and isinstance(error.cause, SessionEnded):
        end_session(
            sign_in_again(error.cause)
            + (
                f" Rows 1 to {error.rows_written:,} of {error.total_rows:,} were stored before "
                "it ended; nothing after them. Upload the same values again after signing in: "
                "the upload resumes after the stored rows."
                if error.rows_written
                else " Nothing was stored."
            )
        )
        return
    if isinstance(error, SessionEnded):
        end_session(sign_in_again(error))
        return
    if isinstance(error, AuthError):
        # Refused even after a fresh token: not a reason to end a sign-in the provider
        # still honours (only SessionEnded is); say so and let the user try again.
        st.error(
            (f"Could not {doing}. " if doing else "")
            + "Bucket refused this request although your sign-in was just renewed"
            + (f" ({error.hint})" if error.hint else "")
            + ". Try again; if it repeats, sign out and sign in again.",
            icon=":material/key_off:",
        )
        return
    prefix = f"Could not {doing}. " if doing else ""
    st.error(prefix + describe(error), icon=":material/error:")


def sign_in_again(error: SessionEnded) -> str:
    """Why the sign-in ended, in the provider's words when it gave some."""
    reason = error.hint or "the sign-in provider no longer accepts it"
    return f"Your Bucket sign-in has ended ({reason}). Please sign in again."
