"""The real Bucket server as an oracle: ``start_real_bucket()``, and ``python -m conformance``."""

from .real_bucket import RealBucket, Unavailable, check_available, start_real_bucket

__all__ = ["RealBucket", "Unavailable", "check_available", "start_real_bucket"]
