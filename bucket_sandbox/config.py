"""Sandbox settings: defaults, then ``BUCKET_SANDBOX_*`` environment variables, then the
dict a caller passes (tests, the app's zero-config mode)."""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass, field, fields, replace

# Shaped like the lab's: a colon in the id, '+' and '/' in the secret. Sent unencoded in
# HTTP Basic, Hydra (and this sandbox) cannot read them. Public on purpose: sandbox only.
DEMO_CLIENT_ID = "clients:bucket-dashboard"
DEMO_CLIENT_SECRET = "sandbox+secret/not-for:production"


@dataclass(frozen=True)
class SandboxConfig:
    """Everything a sandbox instance can be told. Limits default to a busy shared server."""

    db_path: str = "bucket-sandbox.db"
    base_path: str = "/bucket/api"
    body_limit_bytes: int = 100 * 1024  # body-parser's default "100kb"
    rate_limit_per_minute: int = 100  # the real code says 1000; a busy server sets 100
    rate_limit_window_seconds: int = 60
    # reads that cost much memory (many buckets, many rows) run this many at a time, the
    # others wait: the rate limit counts requests, not their size (8 at once near the bucket
    # cap peaked at 2.2 GB once; with fill(null) built without a copy: +385 MB unbounded,
    # +310 MB two at a time, +250 MB one at a time, and one at a time is done soonest on two
    # cores); 0 lifts the bound (bench/sandbox_memory_bench.py compares)
    heavy_reads_at_once: int = 1
    # the real server deletes times one InfluxDB query each: about 2 ms a time (3,000 took
    # 6 s). 0 (the default) deletes at once; a test of a long deletion sets 0.002
    delete_seconds_per_time: float = 0.0
    access_token_ttl: int = 3600
    refresh_token_ttl: int = 30 * 24 * 3600
    # Hydra's oauth2.grant.refresh_token.rotation_grace_period: a refresh token used again this
    # many seconds after its rotation still works (an answer lost on the way can be recovered);
    # 0, Hydra's default, ends the chain on any reuse
    refresh_grace_seconds: int = 0
    client_id: str = DEMO_CLIENT_ID
    client_secret: str = DEMO_CLIENT_SECRET
    # The zero-config app's client: its callback on any loopback origin is allowed (the app
    # may get any port), checked per request and never stored.
    loopback_redirects: bool = False
    # Hydra accepts only the method a client was registered with: client_secret_basic,
    # client_secret_post, or none (a public client: PKCE, no secret).
    client_auth_method: str = "client_secret_basic"
    redirect_uris: tuple[str, ...] = (
        "http://localhost:8501/auth/callback",
        "http://127.0.0.1:8501/auth/callback",
    )
    secret_key: str = field(default_factory=lambda: secrets.token_hex(32))
    demo_data: bool = True
    # the type measurements hold fields of earlier dimension names, as on a long-lived Bucket
    # (catalogue.EARLIER_FIELDS); off only to mirror a fresh real server (the contract suite)
    history: bool = True
    # register (or update) the OAuth client from these settings; off for a tool that only
    # opens another program's database (the token command must not change the app's client)
    register_client: bool = True
    # More people, as "email:password" or "email:password:Full Name" (flag --user, repeatable).
    users: tuple[str, ...] = ()
    # Lists come in no guaranteed order from the real server; shuffle them so nobody relies on one.
    shuffle_lists: bool = True
    # The real server's PATCH on a deleted thing never answers; this is how long we stall.
    deleted_thing_patch_stall_seconds: float = 30.0

    @classmethod
    def from_env(cls, overrides: dict | None = None) -> SandboxConfig:
        """Build from ``BUCKET_SANDBOX_<FIELD>`` variables, then ``overrides``."""
        values: dict = {}
        for f in fields(cls):
            raw = os.environ.get("BUCKET_SANDBOX_" + f.name.upper())
            if raw is not None:
                values[f.name] = _parse(raw, f.type)
        config = cls(**values)
        return replace(config, **_normalise(overrides or {}))


def _parse(raw: str, kind) -> object:
    kind = str(kind)
    if "int" in kind:
        return int(raw)
    if "float" in kind:
        return float(raw)
    if "bool" in kind:
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if "tuple" in kind:
        return tuple(part for part in raw.replace(",", " ").split() if part)
    return raw


def _normalise(overrides: dict) -> dict:
    out = dict(overrides)
    for key in ("redirect_uris", "users"):
        if key in out and isinstance(out[key], (list, str)):
            value = out[key]
            out[key] = tuple(json.loads(value) if isinstance(value, str) else value)
    return out
