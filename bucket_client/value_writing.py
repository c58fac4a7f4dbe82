"""Writing and deleting a property's values: validated in full first, then sent in bodies
under the server's size limit, in order, resumable from the row that stopped. A part of
``BucketClient`` (its methods, on the same transport and budget), kept apart so each file
has one job."""

from __future__ import annotations

import time
from collections.abc import Callable

import pandas as pd

from . import codec
from .errors import WriteStopped
from .models import Dimension, Property, WriteResult

Progress = Callable[[int, int], None]


class ValueWriting:
    """``BucketClient``'s writes of values; expects ``transport`` and ``write_order`` from
    it."""

    def write_values(
        self,
        thing_id: str,
        property_id: str,
        values,
        progress: Progress | None = None,
        *,
        start_row: int = 0,
        prop: Property | None = None,
        wire: tuple[Dimension, ...] | None = None,
    ) -> WriteResult:
        """Validate everything, then send it in bodies under the size limit, in order.

        ``values``: a DataFrame (DatetimeIndex or ``timestamp`` column, one column per
        dimension, by name) or rows ``[ms, v1, ...]`` in the order of ``prop.dimensions``
        (stored order, x, y, z, when ``prop`` is not given). Cells go on the wire in the
        order the single property route lists, matched by dimension id. On a final failure
        raises ``WriteStopped`` saying which rows are stored; call again with ``start_row``
        to resume. ``wire``: the order, when the caller read it moments ago (a phone's
        stream, every few seconds), else it is asked first.
        GET, then PUT /things/{thingId}/properties/{propertyId}"""
        wire = wire or self.write_order(thing_id, property_id)
        if isinstance(values, pd.DataFrame):
            parsed = codec.from_frame(values, wire)
        else:
            named = (
                prop.dimensions if prop is not None and prop.dimensions else tuple(reversed(wire))
            )
            parsed = codec.reorder(codec.from_rows(list(values), named), named, wire)
        batch = codec.validate(*parsed, wire)
        url = self.transport.url("things", thing_id, "properties", property_id)
        started, done, requests = time.perf_counter(), start_row, 0
        if progress:
            progress(done, len(batch))
        try:
            for _start, stop, body in codec.chunks(batch, start_row):
                self.transport.request("PUT", url, body=body)
                done, requests = stop, requests + 1
                if progress:
                    progress(done, len(batch))
        except Exception as error:
            raise WriteStopped(done, len(batch), error) from error
        return WriteResult(done - start_row, requests, time.perf_counter() - started)

    def delete_values(self, thing_id: str, property_id: str, timestamps) -> int:
        """Delete points by time (ms, datetimes). DELETE .../properties/{propertyId}/timestamps"""
        stamps = [codec.to_ms(t) for t in timestamps]
        url = self.transport.url("things", thing_id, "properties", property_id, "timestamps")
        for i in range(0, len(stamps), 5000):  # 5000 ms stamps are ~75 KB of JSON
            self.transport.request(
                "DELETE", url, expect=(204,), json={"timestamps": stamps[i : i + 5000]}
            )
        return len(stamps)
