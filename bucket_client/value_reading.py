"""Reading a property's values and counts: in slices read side by side, by dimension name
(a Bucket with history answers ``/count`` and ``/last`` with every field its measurement ever
held), with the server's own explanations when a read is refused. A part of ``BucketClient``
(its methods, on the same transport and budget), kept apart so each file has one job."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pandas as pd

from . import codec, history
from .errors import NotFound, ServerError
from .models import LastValue, Property

Progress = Callable[[int, int], None]
DAY_MS = 86_400_000
EVER_MS = 4_102_444_800_000  # 2100-01-01: "until now" for a count by name
WHOLE_SPAN = "10000w"  # one InfluxDB bucket from 1970 past 2100: a count by name in one row


def _no_nan(value):
    """A cell as "no value" (None) when it is missing or NaN."""
    return None if value is None or (isinstance(value, float) and value != value) else value


SLICE_ROWS = 250_000


class ValueReading:
    """``BucketClient``'s reads of values; expects ``_get``, ``transport`` and
    ``_dimensions`` from it."""

    def read_values(
        self,
        thing_id: str,
        property_id: str,
        start,
        end,
        interval: str | None = None,
        agg: str | None = None,
        fill: str | None = None,
        *,
        prop: Property | None = None,
        max_workers: int = 4,
        at_most: int | None = None,
    ) -> pd.DataFrame:
        """Values in ``[start, end]`` (inclusive) as a DataFrame indexed by UTC ``timestamp``.

        With ``interval`` (``"5m"``) and ``agg`` (``"mean"``) the server aggregates; buckets
        carry their start time. Long raw ranges are fetched in slices, concurrently while the
        rate budget allows; ``at_most`` (the property's whole count, when the caller knows
        it) under one slice's size spares the request that plans them.
        GET /things/{thingId}/properties/{propertyId}?from=&to="""
        first, last = codec.to_ms(start), codec.to_ms(end)
        if last < first:
            raise ValueError("end is before start")
        if interval or agg:
            params = {
                "from": first,
                "to": last,
                "timeInterval": interval or "1h",
                "fctInterval": agg or "mean",
            }
            if fill:
                params["fill"] = fill
            return self._read_slice(thing_id, property_id, params, prop)
        slices = (
            [(first, last)]
            if at_most is not None and at_most <= SLICE_ROWS
            else self._plan_slices(thing_id, property_id, first, last)
        )
        if len(slices) == 1:
            return self._read_slice(thing_id, property_id, {"from": first, "to": last}, prop)
        prop = (
            prop
            if prop is not None and prop.dimensions
            else self.get_property(thing_id, property_id)
        )
        workers = (
            max(1, min(max_workers, len(slices)))
            if self.transport.budget.can_spend(len(slices) + 10)
            else 1
        )
        with ThreadPoolExecutor(workers) as pool:
            frames = list(
                pool.map(
                    lambda s: self._read_slice(
                        thing_id, property_id, {"from": s[0], "to": s[1]}, prop
                    ),
                    slices,
                )
            )
        return pd.concat(frames) if frames else codec.empty_frame(prop.dimensions)

    def _plan_slices(self, thing_id, property_id, first: int, last: int) -> list[tuple[int, int]]:
        """Cut a long range where the per-day counts add up to about ``SLICE_ROWS`` rows."""
        if last - first <= DAY_MS:
            return [(first, last)]
        day0 = first - first % DAY_MS
        counts = self._get(
            "things",
            thing_id,
            "properties",
            property_id,
            "count",
            params={"from": str(max(0, day0) * 1_000_000 - 1), "timeInterval": "1d"},
        ).json()
        per_day = {int(r[0]): int(r[1]) for r in counts if len(r) > 1 and r[1]}
        slices, begin, rows = [], first, 0
        for day in range(day0, last + 1, DAY_MS):
            rows += per_day.get(day, 0)
            if rows >= SLICE_ROWS and day + DAY_MS - 1 < last:
                slices.append((begin, day + DAY_MS - 1))
                begin, rows = day + DAY_MS, 0
        slices.append((begin, last))
        return slices

    def _read_slice(
        self, thing_id, property_id, params: dict, prop: Property | None
    ) -> pd.DataFrame:
        response = self._read_or_explain(thing_id, property_id, params)
        meta, raw = codec.split_values(response.content)
        # value columns follow the reverse of the order this same response lists
        dims = Property.from_single_route(meta, thing_id).dimensions or (
            prop.dimensions if prop else ()
        )
        return codec.decode_values(raw, dims)

    def _read_or_explain(self, thing_id, property_id, params: dict):
        """A value read. The real server answers *every* read failure 404 "Property not
        found in the thing.", an InfluxDB timeout included: so a 404 is checked (does the
        property exist?), retried once if it does, then reported as the server's trouble."""
        try:
            return self._get("things", thing_id, "properties", property_id, params=params)
        except NotFound:
            self.get_property(thing_id, property_id)  # NotFound again: it is really gone
        try:
            return self._get("things", thing_id, "properties", property_id, params=params)
        except NotFound as error:
            raise ServerError(
                503,
                error.method,
                error.url,
                "Bucket could not read the values",
                "The property exists, but its values could not be read twice in a row "
                "(Bucket's time series database may be busy or down).",
            ) from None

    def last_values(
        self, thing_id: str, property_id: str, *, prop: Property | None = None
    ) -> LastValue | None:
        """The newest point, or None. The server answers InfluxDB's ``SELECT *`` row, columns
        sorted by name with the ``propertyId`` and ``thingId`` tags among them; they are mapped
        back to dimension names here. GET /things/{thingId}/properties/{propertyId}/last"""
        dims = self._dimensions(thing_id, property_id, prop)
        try:
            rows = self._get("things", thing_id, "properties", property_id, "last").json()
        except ServerError:  # the real server answers 500 for a property with no values
            if self.count_values(thing_id, property_id) == 0:
                return None
            raise
        if not rows:
            return None
        stamp = pd.Timestamp(int(rows[0][0]), unit="ms", tz="UTC")
        named = history.last_fields(rows[0], [d.name for d in dims], thing_id, property_id)
        if named is None:  # other fields beside this property's (history): read it by name
            at = int(rows[0][0])
            frame = self.read_values(thing_id, property_id, at, at, prop=prop)
            row = frame.iloc[-1] if len(frame) else {}
            named = {d.name: _no_nan(row.get(d.name)) for d in dims}
        return LastValue(stamp.to_pydatetime(), {d.name: named.get(d.name) for d in dims})

    def count_values(self, thing_id: str, property_id: str, since=None) -> int:
        """How many points (``since``: a time; its ``from`` is in nanoseconds on the wire).
        GET /things/{thingId}/properties/{propertyId}/count?from="""
        after_ns = 0 if since is None else codec.to_ms(since) * 1_000_000
        rows = self._get(
            "things", thing_id, "properties", property_id, "count", params={"from": str(after_ns)}
        ).json()
        count = history.plain_count(rows[0][1:]) if rows else 0
        if count is None:  # other fields beside this property's (history): count by name
            after_ms = 0 if since is None else codec.to_ms(since) + 1
            by_name = self.read_values(
                thing_id, property_id, after_ms, EVER_MS, interval=WHOLE_SPAN, agg="count"
            )
            count = int(by_name.max(axis=1).sum()) if len(by_name) else 0
        return count

    def stored_count(self, thing_id: str, property_id: str) -> int:
        """The points Bucket holds for the property, as ``list_things_with_counts`` counts
        them (under any name its dimensions ever had), in one request: for a property whose
        thing cannot be read (shared with the user). GET .../properties/{propertyId}/count"""
        rows = self._get(
            "things", thing_id, "properties", property_id, "count", params={"from": "0"}
        ).json()
        return history.rough_count(rows[0][1:]) if rows else 0

    def count_per_interval(
        self, thing_id: str, property_id: str, interval: str, since=None
    ) -> pd.Series:
        """Point counts per time bucket (only buckets that hold data), indexed by bucket start.
        GET /things/{thingId}/properties/{propertyId}/count?from=&timeInterval="""
        after_ns = 0 if since is None else max(0, codec.to_ms(since)) * 1_000_000
        rows = self._get(
            "things",
            thing_id,
            "properties",
            property_id,
            "count",
            params={"from": str(after_ns), "timeInterval": interval},
        ).json()
        rows = [r for r in rows if history.rough_count(r[1:])]
        index = pd.DatetimeIndex(
            [pd.Timestamp(int(r[0]), unit="ms", tz="UTC") for r in rows], name="timestamp"
        )
        return pd.Series([history.rough_count(r[1:]) for r in rows], index=index, dtype="int64")
