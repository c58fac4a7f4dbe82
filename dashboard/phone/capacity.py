"""How many phones one app can carry within Bucket's request limit, from the batching.

Bucket counts requests per client address, and every phone of a hosted app writes through
that app: one address, one budget. A streamed property costs one PUT every ``FLUSH_S``
(its samples gathered on the server meanwhile; at the highest rate offered a body stays
under Bucket's 100 KB), and live views read the relay, not Bucket. Phones may use
``PHONE_SHARE`` of the budget; the rest is kept for people's pages.
"""

from __future__ import annotations

import math

BUCKET_REQUESTS_PER_MINUTE = 100  # Bucket's limit per client address
PHONE_SHARE = 0.5  # of it, for phones; the other half for people's clicks
FLUSH_S = 15  # each streamed property is written to Bucket once per this
RATES_HZ = (1, 5, 10, 20, 30, 60)  # offered on the phone; 10 by default
DEFAULT_RATE_HZ = 10
SAMPLE_BYTES = 70  # a row of an ACCELEROMETER PUT body, as JSON: [1790000000000,-0.1234,...]
BODY_LIMIT_BYTES = 100_000
# Bucket writes all phones of this app may make in a minute, whatever their number: more
# phones than fit wait their turn (their samples acknowledged and kept), and each write then
# carries more samples (``streaming.flush_due``)
PHONE_WRITES_PER_MINUTE = int(BUCKET_REQUESTS_PER_MINUTE * PHONE_SHARE)


def writes_for(rows: int) -> int:
    """Bucket requests one property's ``rows`` waiting samples take (bodies under 100 KB)."""
    return max(1, math.ceil(rows * SAMPLE_BYTES / BODY_LIMIT_BYTES))


def requests_per_minute(properties: int = 1, rate_hz: int = DEFAULT_RATE_HZ) -> float:
    """Bucket requests a minute for one phone streaming ``properties`` at ``rate_hz``."""
    body = rate_hz * FLUSH_S * SAMPLE_BYTES
    bodies = max(1, math.ceil(body / BODY_LIMIT_BYTES))
    return properties * bodies * 60 / FLUSH_S


def phones_that_fit(properties: int = 1, rate_hz: int = DEFAULT_RATE_HZ) -> int:
    """Phones one app carries at once within the phones' share of Bucket's limit."""
    share = BUCKET_REQUESTS_PER_MINUTE * PHONE_SHARE
    return math.floor(share / requests_per_minute(properties, rate_hz))


def streams_that_wait(rate_hz: int = DEFAULT_RATE_HZ) -> int:
    """Properties streamed at ``rate_hz`` that one app can still store, each waiting its turn:
    every one of the phones' writes then carries a full body."""
    per_write = BODY_LIMIT_BYTES // SAMPLE_BYTES
    return math.floor(PHONE_WRITES_PER_MINUTE * per_write / (rate_hz * 60))


def capacity_sentence() -> str:
    """For the page and the README (a test checks that they say this)."""
    return (
        f"One app writes {phones_that_fit(1)} phones streaming motion (one property each), "
        f"or {phones_that_fit(3)} streaming motion, rotation and location, to Bucket every "
        f"{FLUSH_S} s: phones may use half of Bucket's {BUCKET_REQUESTS_PER_MINUTE} requests a "
        f"minute per address. More phones take turns (up to {streams_that_wait()} properties "
        f"at {DEFAULT_RATE_HZ} Hz): live views show every sample at once, and each phone's "
        "samples are kept until Bucket has them."
    )
