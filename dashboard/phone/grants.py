"""Grants that let a phone write to a person's properties without their password or token.

A person asks for one on a laptop (a property's card) or on the phone itself (the "Phone as
a sensor" page). It names the properties it may write (one per sensor), lasts
``GRANT_MINUTES`` and can be revoked. It is handed over as a short claim code (in a QR code's
link, after the ``#``, so that no server or proxy log sees it) that works once: the first
phone to claim it receives a stream key of its own, kept in that phone's browser only. The
person's Bucket token stays on the server, in their sign-in's record; writes are made for
that sign-in, so signing out ends every grant it made.

Records live in the shared store (files, or Redis across replicas), encrypted with a key
derived from the cookie secret and keyed by digests: the store never holds a usable code,
key or session id.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import asdict, dataclass, replace

from dashboard.hosting.sealed import Sealed
from dashboard.hosting.store import SharedStore, shared_store
from dashboard.shared.config import AppConfig

GRANT_MINUTES = 30
PREFIX = "phone-grant:"
# a claim code: 10 letters and digits people can read aloud (no 0/O, 1/I/L): 48 bits,
# single use, 30 minutes, and claims are counted per address by the route
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10


@dataclass(frozen=True)
class Target:
    """One sensor's destination: a property, and its dimensions as Bucket's PUT orders them
    (``id``, ``name``, ``unit``, ``type``; read when the grant is made)."""

    sensor: str  # ACCELEROMETER, GYROSCOPE, LOCATION
    thing_id: str
    property_id: str
    label: str  # "Phone · Accelerometer", as the person named them
    wire: tuple[dict, ...]


@dataclass(frozen=True)
class Grant:
    id: str
    owner: str  # the person's user key (``data.user_key``)
    sid: str  # the sign-in the writes are made for
    targets: tuple[Target, ...]
    created_ms: int
    expires_ms: int
    claimed_ms: int | None = None
    revoked: bool = False
    rate_hz: int = 10

    def target(self, sensor: str) -> Target | None:
        return next((t for t in self.targets if t.sensor == sensor), None)

    def live(self, now_ms: int | None = None) -> bool:
        now = int(time.time() * 1000) if now_ms is None else now_ms
        return not self.revoked and now < self.expires_ms

    def state(self) -> str:
        if self.revoked:
            return "revoked"
        if not self.live():
            return "expired"
        return "connected" if self.claimed_ms else "waiting for a phone"


def _digest(kind: str, value: str) -> str:
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()[:40]


def _grant_from(data: dict) -> Grant:
    targets = tuple(Target(**{**t, "wire": tuple(t["wire"])}) for t in data.pop("targets"))
    return Grant(targets=targets, **data)


class GrantStore:
    def __init__(self, store: SharedStore, secret: str):
        self.store = store
        self._sealed = Sealed(secret, "phone")

    # -- records --------------------------------------------------------------------------
    def _ttl(self, grant: Grant) -> float:
        return max(60.0, (grant.expires_ms - time.time() * 1000) / 1000 + 3600)

    def save(self, grant: Grant) -> None:
        key = PREFIX + grant.id
        self.store.put(key, self._sealed.seal(key, asdict(grant)), self._ttl(grant))

    def _read(self, blob: bytes | None, key: str | None = None) -> Grant | None:
        data = self._sealed.open(blob, key)
        return _grant_from(data) if data else None

    def get(self, grant_id: str) -> Grant | None:
        key = PREFIX + grant_id
        return self._read(self.store.get(key), key)

    def of_owner(self, owner: str) -> list[Grant]:
        """The person's grants, newest first."""
        found = [g for g in map(self._read, self.store.scan(PREFIX)) if g and g.owner == owner]
        return sorted(found, key=lambda g: (-g.created_ms, g.id))

    # -- the life of a grant --------------------------------------------------------------
    def create(
        self,
        owner: str,
        sid: str,
        targets: list[Target],
        rate_hz: int = 10,
        minutes: float = GRANT_MINUTES,
    ) -> tuple[Grant, str]:
        """A new grant and its claim code (shown once, in the QR code's link)."""
        now = int(time.time() * 1000)
        grant = Grant(
            id=secrets.token_urlsafe(9),
            owner=owner,
            sid=sid,
            targets=tuple(targets),
            created_ms=now,
            expires_ms=now + int(minutes * 60_000),
            rate_hz=rate_hz,
        )
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        self.save(grant)
        self.store.put("phone-code:" + _digest("code", code), grant.id.encode(), self._ttl(grant))
        return grant, code

    def claim(self, code: str) -> tuple[Grant, str] | None:
        """The grant and a new stream key, the first time a live code is claimed; None for
        a code that is unknown, used, expired or revoked."""
        code = normal_code(code)
        digest = _digest("code", code)
        grant_id = self.store.get("phone-code:" + digest)
        if grant_id is None:
            return None
        grant = self.get(grant_id.decode())
        if grant is None or not grant.live():
            return None
        if not self.store.add("phone-claimed:" + digest, b"1", self._ttl(grant)):
            return None  # single use: a second phone (or a replayed link) gets nothing
        self.store.delete("phone-code:" + digest)
        key = secrets.token_urlsafe(32)
        claimed = replace(grant, claimed_ms=_now())
        self.save(claimed)
        self.store.put("phone-key:" + _digest("key", key), grant.id.encode(), self._ttl(grant))
        return claimed, key

    def for_key(self, key: str | None) -> Grant | None:
        """The grant a stream key was given for (live or not: the caller says which)."""
        if not key:
            return None
        grant_id = self.store.get("phone-key:" + _digest("key", key))
        return self.get(grant_id.decode()) if grant_id else None

    def revoke(self, grant_id: str, owner: str) -> bool:
        grant = self.get(grant_id)
        if grant is None or grant.owner != owner:
            return False
        self.save(replace(grant, revoked=True))
        return True

    def end_sign_in(self, sid: str) -> None:
        """Sign-out: every grant made by that sign-in stops."""
        for grant in map(self._read, self.store.scan(PREFIX)):
            if grant and grant.sid == sid and grant.live():
                self.save(replace(grant, revoked=True))


def normal_code(code: str) -> str:
    """A code as typed or read: case and separators do not matter."""
    return "".join(c for c in str(code).upper() if c.isalnum())[:40]


def _now() -> int:
    return int(time.time() * 1000)


def grant_store(config: AppConfig) -> GrantStore:
    return GrantStore(shared_store(config), config.cookie_secret)
