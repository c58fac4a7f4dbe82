"""Cached reads, per user: keys hold who asks (their person id) and a version that a
change by this user bumps, so a change shows at once and lists cost few requests.

The version lives in the shared store, per user, not in one browser session: a change
made in one tab or on one replica is seen by every other tab, reload and replica of that
user on their next run (each run reads it once: one small read, no Bucket request).

The client is passed as ``_client`` (not hashed); the token never enters a key.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import streamlit as st

from bucket_client import BucketClient, BucketError, LastValue, Property, PropertyType, Thing
from dashboard.hosting.store import shared_store
from dashboard.shared.config import app_config
from dashboard.shared.errors import show_error
from dashboard.signin import gate

SEP = "~"  # joins thing and property ids into one key (ids contain colons)


def user_key() -> str:
    auth = st.session_state.get(gate.AUTH_KEY) or {}
    return str((auth.get("user") or {}).get("sub") or auth.get("sid") or "anonymous")


def _version_key(user: str) -> str:
    return "version:" + user


def version() -> int:
    """This user's last change (ns): one small read of the shared store, no Bucket request."""
    raw = shared_store(app_config()).get(_version_key(user_key()))
    return int(raw) if raw else 0


def changed() -> None:
    """Call after this user changed something: every session of theirs skips the cache
    on its next read. A nanosecond stamp, so an old entry is never reused by mistake."""
    changed_for(user_key())


def changed_for(user: str) -> None:
    """``changed`` for a user named by person id (also for a change made outside the app)."""
    shared_store(app_config()).put(_version_key(user), str(time.time_ns()).encode())


def name_order(item) -> tuple[str, str, str]:
    """Bucket answers lists in no order (no ORDER BY; the sandbox shuffles them): shown by
    name, the same on every visit, ignoring case, the id settling equal names."""
    return (item.name.casefold(), item.name, item.id)


def in_name_order(thing: Thing) -> Thing:
    return replace(thing, properties=tuple(sorted(thing.properties, key=name_order)))


@st.cache_data(ttl=30, show_spinner=False, max_entries=500)
def things_and_counts(
    _client: BucketClient, user: str, version: int
) -> tuple[list[Thing], dict[str, int]]:
    things, counts = _client.list_things_with_counts()
    return sorted((in_name_order(t) for t in things), key=name_order), counts


@st.cache_data(ttl=30, show_spinner=False, max_entries=500)
def thing_detail(_client: BucketClient, user: str, version: int, thing_id: str) -> Thing:
    return in_name_order(_client.get_thing(thing_id))


@st.cache_data(ttl=30, show_spinner=False, max_entries=2000)
def last_value(
    _client: BucketClient,
    user: str,
    version: int,
    thing_id: str,
    property_id: str,
    count: int,
    _prop: Property | None = None,
) -> LastValue | None:
    if count == 0:
        return None  # no request: the count already says there is nothing
    return _client.last_values(thing_id, property_id, prop=_prop)


@st.cache_data(ttl=3600, show_spinner=False, max_entries=10)
def property_types(_client: BucketClient, api_url: str) -> list[PropertyType]:
    """The type catalogue is the same for everyone on a Bucket: one request per replica
    per hour, whoever asks first."""
    return sorted(_client.list_property_types(), key=name_order)


def load_things() -> tuple[list[Thing], dict[str, int]]:
    return things_and_counts(gate.client(), user_key(), version())


def load_thing(thing_id: str) -> Thing:
    return thing_detail(gate.client(), user_key(), version(), thing_id)


def load_last(prop: Property, count: int) -> LastValue | None:
    return last_value(gate.client(), user_key(), version(), prop.thing_id, prop.id, count, prop)


def load_types() -> list[PropertyType]:
    client = gate.client()
    return property_types(client, client.settings.api_url)


@dataclass(frozen=True)
class PropertyChoice:
    """One property of the user, with its thing and its data-point count."""

    thing: Thing
    prop: Property
    count: int
    via: str | None = None  # shared with the user: the group whose consent opens it

    @property
    def label(self) -> str:
        shared = " (shared)" if self.via else ""
        return f"{self.thing.name} · {self.prop.name}{shared}"


def option_labels(choices: dict[str, PropertyChoice]) -> dict[str, str]:
    """Each choice's words in a select box, "Thing · Property (TYPE)", told apart where two
    read the same (two things of one name, each with a "Hall") by the end of the property's
    id: a select box knows its options by their words, and picked the other one."""
    words = {k: f"{c.label} ({c.prop.type.id})" for k, c in choices.items()}
    seen: dict[str, int] = {}
    for text in words.values():
        seen[text] = seen.get(text, 0) + 1
    return {
        k: text + (f" · …{choices[k].prop.id[-6:]}" if seen[text] > 1 else "")
        for k, text in words.items()
    }


def choice_key(thing_id: str, property_id: str) -> str:
    return thing_id + SEP + property_id


def linked_key() -> str | None:
    """The ``thing`` + ``property`` a link asked for (Things page buttons, copied URLs)."""
    thing, prop = st.query_params.get("thing"), st.query_params.get("property")
    return choice_key(thing, prop) if thing and prop else None


def property_choices(extra: dict[str, PropertyChoice] | None = None) -> dict[str, PropertyChoice]:
    """Every property of the user, keyed ``thing~property`` (then ``extra``: properties
    shared with them, on Explore). A link to a property newer than the cached list (made
    elsewhere a moment ago) refreshes the list once."""

    def build() -> dict[str, PropertyChoice]:
        things, counts = load_things()
        own = {
            choice_key(t.id, p.id): PropertyChoice(t, p, counts.get(p.id, 0))
            for t in things
            for p in t.properties
        }
        return own | {k: c for k, c in (extra or {}).items() if k not in own}

    choices = build()
    link = str(sorted(st.query_params.to_dict().items()))
    if linked_but_unseen(choices) and st.session_state.get("_list_read_for") != link:
        # made elsewhere since the list was cached: read it again, once per link
        st.session_state["_list_read_for"] = link
        changed()
        choices = build()
    return choices


SHARED_LINK_GONE = (
    "This link points to a property you cannot see: it belongs to someone else (Bucket "
    "does not share it with you), or it was deleted."
)


def linked_but_unseen(choices: dict) -> bool:
    """Whether the address names a property (``thing``+``property`` or ``p``) that is not
    among this user's: a link shared by someone else, or to something deleted."""
    wanted = [k for k in (st.query_params.get("p") or "").split(",") if k]
    linked = linked_key()
    if linked:
        wanted.append(linked)
    return any(k not in choices for k in wanted)


def choices_for_page(
    extra: dict[str, PropertyChoice] | None = None,
) -> dict[str, PropertyChoice]:
    """``property_choices`` as a page starts with them: a failure to load stops the page
    with its message, a link to a property not among them says so, and an empty dict
    comes with the hint to create one."""
    try:
        choices = property_choices(extra)
    except BucketError as error:
        show_error(error, "load your properties")
        st.stop()
    if linked_but_unseen(choices):
        st.warning(SHARED_LINK_GONE, icon=":material/link_off:")
    if not choices:
        st.info("You have no properties yet: create a thing and a property on the Things page.")
    return choices


def full_property(prop: Property) -> Property:
    """The property with its type's dimensions (lists of things leave them out)."""
    if prop.dimensions:
        return prop
    return next(p for p in load_thing(prop.thing_id).properties if p.id == prop.id)
