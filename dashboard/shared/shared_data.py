"""Properties other people shared with this user, read the way Bucket allows: listed by
``/properties?sharedWith=*``, read through a group the user is a member of.

A consent names subjects; the list says which (``sharedWith``). Values open only through a
group's consent, and only with ``?sharedWith=<that group>`` from one of its members: the
real server's process stops answering after a ``sharedWith`` it refuses, so membership is
asked first, by the one route that answers it safely (``/properties?sharedWith=<group>``:
404 for a group one is not in). Cached per user like the other lists (30 s; membership 5
minutes).
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from bucket_client import BucketClient, Property, Thing, sharing
from dashboard.shared import data
from dashboard.signin import gate


@dataclass(frozen=True)
class SharedChoice:
    """A property shared with the user: who owns it, through what, and whether (and
    through which group) its values can be read."""

    shared: sharing.SharedProperty
    via: str | None  # a group the user is in whose consent opens it; None: listed only
    count: int | None  # its data points, when readable

    @property
    def prop(self) -> Property:
        return self.shared.prop

    @property
    def thing(self) -> Thing:
        return Thing(
            self.prop.thing_id or "",
            self.shared.thing_name,
            "",
            "",
            person_id=self.shared.owner,
            properties=(self.prop,),
        )


@st.cache_data(ttl=300, show_spinner=False, max_entries=500)
def _member_of(_client: BucketClient, user: str, group: str) -> bool:
    return sharing.member_of(_client, group)


def _listed(client: BucketClient, user: str) -> list[SharedChoice]:
    found = []
    listed = sorted(sharing.shared_with_me(client), key=lambda s: data.name_order(s.prop))
    for item in sorted(listed, key=lambda s: s.thing_name.casefold()):
        groups = sorted(s for s in item.shared_with if sharing.is_group(s))
        via = next((g for g in groups if _member_of(client, user, g)), None)
        count = None
        if via is not None and item.prop.thing_id:
            count = client.shared_through(via).stored_count(item.prop.thing_id, item.prop.id)
        found.append(SharedChoice(item, via, count))
    return found


@st.cache_data(ttl=30, show_spinner=False, max_entries=500)
def _shared(_client: BucketClient, user: str, version: int) -> list[SharedChoice]:
    return _listed(_client, user)


def shared_with_me(fresh: bool = False) -> list[SharedChoice]:
    """Every property shared with the user, in name order (thing, then property). ``fresh``:
    asked of Bucket now (a revoke by the owner does not change this user's cache key)."""
    if fresh:
        return _listed(gate.client(), data.user_key())
    return _shared(gate.client(), data.user_key(), data.version())


def readable_choices() -> dict[str, SharedChoice]:
    """The shared properties whose values can be read, keyed as ``data.choice_key``."""
    return {
        data.choice_key(c.prop.thing_id or "", c.prop.id): c
        for c in shared_with_me()
        if c.via is not None
    }


def client_for(via: str | None) -> BucketClient:
    """The client that reads a property: the user's own, or through the group whose
    consent shares it (``via``)."""
    own = gate.client()
    return own.shared_through(via) if via else own
