"""A client for Bucket, the Data-Centric Design Lab's IoT data platform.

Usable on its own (a notebook) and by the Streamlit app; it never imports Streamlit::

    from bucket_client import BucketClient
    client = BucketClient.from_env()
    df = client.read_values(thing_id, property_id, "2026-11-01", "2026-11-02")
"""

from .client import BucketClient
from .errors import (
    ApiError,
    AuthError,
    BadRequest,
    BucketError,
    Forbidden,
    MissingScope,
    NotFound,
    PayloadTooLarge,
    RateLimited,
    RowProblem,
    ServerError,
    SessionEnded,
    TransportError,
    ValidationError,
    WriteStopped,
)
from .models import Dimension, LastValue, Property, PropertyType, Thing, WriteResult
from .ratelimit import RateBudget
from .settings import DEFAULT_SCOPE, BucketSettings

__all__ = [
    "ApiError",
    "AuthError",
    "BadRequest",
    "BucketClient",
    "BucketError",
    "BucketSettings",
    "DEFAULT_SCOPE",
    "Dimension",
    "Forbidden",
    "MissingScope",
    "LastValue",
    "NotFound",
    "PayloadTooLarge",
    "Property",
    "PropertyType",
    "RateBudget",
    "RateLimited",
    "RowProblem",
    "ServerError",
    "SessionEnded",
    "Thing",
    "TransportError",
    "ValidationError",
    "WriteResult",
    "WriteStopped",
]
