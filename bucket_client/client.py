"""``BucketClient``: every Bucket operation the app and a notebook need.

Each method is a path, a payload and one call through ``Transport``; its docstring
ends with the endpoint it calls (see ``bucket-api.md``).
"""

from __future__ import annotations

import contextlib
import copy
import threading
import time
from collections.abc import Callable

from . import history
from .errors import NotFound
from .models import Dimension, Property, PropertyType, Thing
from .ratelimit import RateBudget
from .settings import BucketSettings
from .transport import TokenCallback, Transport
from .value_reading import ValueReading
from .value_writing import ValueWriting

Progress = Callable[[int, int], None]


class BucketClient(ValueReading, ValueWriting):
    """A signed-in connection to one Bucket (the real service or the sandbox)."""

    def __init__(
        self,
        api_url: str | None = None,
        token: dict | None = None,
        *,
        settings: BucketSettings | None = None,
        on_token: TokenCallback | None = None,
        refresh_lock: threading.Lock | None = None,
        token_source=None,
        budget: RateBudget | None = None,
        timeout=(5, 60),
        sleep=time.sleep,
        on_wait=None,
    ):
        """``on_wait(seconds)`` is told whenever the rate budget makes a request wait."""
        settings = settings or BucketSettings()
        if api_url:
            settings = BucketSettings(**{**settings.__dict__, "api_url": api_url})
        if not token or not token.get("access_token"):
            raise ValueError("a token with an access_token is required; sign in first")
        self.settings = settings
        self.transport = Transport(
            settings,
            token,
            on_token,
            refresh_lock,
            token_source,
            budget,
            timeout,
            sleep=sleep,
            on_wait=on_wait,
        )
        self.shared_params: dict[str, str] = {}  # see shared_through

    @classmethod
    def from_env(
        cls, token: dict | None = None, dotenv_path: str = ".env", **kwargs
    ) -> BucketClient:
        """Settings from the environment and ``.env`` (the lab tutorial's names).

        ``token`` defaults to ``BUCKET_ACCESS_TOKEN`` (and ``BUCKET_REFRESH_TOKEN``), e.g. from
        ``python -m bucket_sandbox token --user ...`` for the sandbox.
        """
        import os

        settings = BucketSettings.from_env(dotenv_path)
        if token is None:
            token = {
                "access_token": os.environ.get("BUCKET_ACCESS_TOKEN", ""),
                "refresh_token": os.environ.get("BUCKET_REFRESH_TOKEN") or None,
                "token_type": "Bearer",
            }
        return cls(token=token, settings=settings, **kwargs)

    @property
    def token(self) -> dict:
        return self.transport.token

    def _get(self, *parts, params=None, headers=None):
        params = {**self.shared_params, **(params or {})} if self.shared_params else params
        return self.transport.request(
            "GET", self.transport.url(*parts), params=params, headers=headers
        )

    def shared_through(self, group_id: str) -> BucketClient:
        """This client reading through a group's consent: every read carries
        ``?sharedWith=<group>`` (the real server then checks the group's consent on the
        property, not ownership). Only for a group the person is a member of: the real
        server's process stops answering after a ``sharedWith`` it refuses."""
        view = copy.copy(self)
        view.shared_params = {"sharedWith": group_id}
        return view

    # -- things --------------------------------------------------------------------------
    @contextlib.contextmanager
    def paced(self, keep_share: float = 0.5, on_wait=None):
        """Within this block, requests leave ``keep_share`` of Bucket's limit to others:
        bulk work (every value of an account, a long delete) waits for the next window
        instead of spending the window everyone behind this address shares. ``on_wait``
        (seconds) hears of each wait instead of the client's own."""
        transport = self.transport
        before = transport.keep_share, transport.on_wait
        transport.keep_share = keep_share
        if on_wait is not None:
            transport.on_wait = on_wait
        try:
            yield self
        finally:
            transport.keep_share, transport.on_wait = before

    def list_things(self) -> list[Thing]:
        """The user's things with their properties (types without dimensions). GET /things"""
        return [Thing.from_dict(t) for t in self._get("things").json()]

    def get_thing(self, thing_id: str) -> Thing:
        """One thing with its properties and their dimensions. GET /things/{thingId}"""
        response = self._get("things", thing_id)
        if not response.content.strip():  # a deleted thing answers 200 with nothing
            raise NotFound(404, "GET", response.url, "Resource not found", "Thing not found")
        return Thing.from_dict(response.json())

    def create_thing(self, name: str, type: str, description: str = "") -> Thing:
        """Create a thing, then set its description (the server drops it on create).
        POST /things, then PATCH /things/{thingId}"""
        created = self.transport.request(
            "POST", self.transport.url("things"), expect=(201,), json={"name": name, "type": type}
        ).json()
        thing = Thing.from_dict(created)
        if description:
            self.update_thing(thing.id, name, description)
            thing = Thing(**{**thing.__dict__, "description": description})
        return thing

    def update_thing(self, thing_id: str, name: str, description: str) -> None:
        """Set name and description (send both), on a thing just seen alive.

        The real server's PATCH on a deleted thing throws outside its error path and ends
        the Node process (Bucket restarts for everyone): so GET first (``NotFound`` for an
        empty 200), and never resend a PATCH whose connection dropped.
        GET, then PATCH /things/{thingId}"""
        self.get_thing(thing_id)
        self.transport.request(
            "PATCH",
            self.transport.url("things", thing_id),
            expect=(204,),
            json={"name": name, "description": description},
            retry=False,
        )

    def delete_thing(self, thing_id: str) -> int:
        """Delete a thing's properties (each with its values), then the thing; returns how
        many properties went. The real server's thing delete leaves its properties' values
        in InfluxDB, out of everyone's reach. DELETE each property, then /things/{thingId}"""
        properties = self.list_properties(thing_id)
        for prop in properties:
            self.delete_property(thing_id, prop.id)
        self.transport.request("DELETE", self.transport.url("things", thing_id), expect=(204,))
        return len(properties)

    # -- properties ----------------------------------------------------------------------
    def list_properties(self, thing_id: str) -> list[Property]:
        """A thing's properties with types and dimensions. GET /things/{thingId}/properties"""
        return [
            Property.from_dict(p, thing_id)
            for p in self._get("things", thing_id, "properties").json()
        ]

    def list_all_properties(self) -> list[Property]:
        """Every property of every thing of the user, in one request. GET /things"""
        return [p for t in self.list_things() for p in t.properties]

    def get_property(self, thing_id: str, property_id: str) -> Property:
        """One property with its type and dimensions in stored order (x, y, z).
        GET /things/{thingId}/properties/{propertyId}"""
        return Property.from_single_route(
            self._get("things", thing_id, "properties", property_id).json(), thing_id
        )

    def write_order(self, thing_id: str, property_id: str) -> tuple[Dimension, ...]:
        """The order a PUT row's cells must follow: exactly the order in which the single
        property route lists ``type.dimensions`` (the reverse of the stored order on the
        real server). Asked for every write, never taken from another list, whose order
        the server does not guarantee. GET /things/{thingId}/properties/{propertyId}"""
        listed = self._get("things", thing_id, "properties", property_id).json()
        return Property.from_dict(listed, thing_id).dimensions

    def create_property(
        self, thing_id: str, name: str, type_id: str, description: str = ""
    ) -> Property:
        """Create a property of a catalogue type. POST /things/{thingId}/properties"""
        body = {"name": name, "typeId": type_id, "description": description}
        created = self.transport.request(
            "POST", self.transport.url("things", thing_id, "properties"), expect=(201,), json=body
        ).json()
        return Property.from_dict(created, thing_id)

    def update_property(self, thing_id: str, property_id: str, name: str, description: str) -> None:
        """Rename or describe a property. PATCH /things/{thingId}/properties/{propertyId}"""
        self.transport.request(
            "PATCH",
            self.transport.url("things", thing_id, "properties", property_id),
            expect=(204,),
            json={"name": name, "description": description},
            retry=False,
        )

    def delete_property(self, thing_id: str, property_id: str) -> None:
        """Delete a property and its values. DELETE /things/{thingId}/properties/{propertyId}"""
        self.transport.request(
            "DELETE",
            self.transport.url("things", thing_id, "properties", property_id),
            expect=(204,),
        )

    def list_property_types(self) -> list[PropertyType]:
        """The type catalogue plus user-created types. GET /types"""
        return [PropertyType.from_dict(t) for t in self._get("types").json()]

    def _dimensions(self, thing_id: str, property_id: str, prop: Property | None):
        """Dimensions by name (for ``/last`` and positional rows); any route's order will do."""
        if prop is not None and prop.dimensions:
            return prop.dimensions
        return self.get_property(thing_id, property_id).dimensions

    def count_all(self) -> dict[str, int]:
        """Every property's point count in one request. GET /things/count?from=0"""
        return self.list_things_with_counts()[1]

    def list_things_with_counts(self) -> tuple[list[Thing], dict[str, int]]:
        """The user's things and every property's point count, in one request.
        GET /things/count?from=0"""
        raw = self._get("things", "count", params={"from": "0"}).json()
        counts = {}
        for thing in raw:
            for p in thing.get("properties") or ():
                rows = p.get("values") or []
                # by position, nulls as none: exact without history, and never a crash
                counts[p["id"]] = history.rough_count(rows[0][1:]) if rows else 0
        return [Thing.from_dict(t) for t in raw], counts
