"""Where a row's time bucket starts, in SQL: shared by aggregated reads and the count of
earlier fields, neither of which imports the other."""

from __future__ import annotations


def bucket_sql(step: int) -> str:
    """SQL for the start of a row's ``step``-ms bucket, aligned to the epoch as InfluxDB does."""
    return f"(ts - (((ts % {step}) + {step}) % {step}))"
