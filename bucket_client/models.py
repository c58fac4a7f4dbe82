"""Bucket's resources as small frozen dataclasses, built from the API's JSON."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime


def _time(text) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None


# Units as Bucket's catalogue spells them -> as people write them.
UNIT_TEXT = {"m/s2": "m/s²", "H%": "%RH", "uT": "µT", "degree": "°"}


def unit_text(unit: str) -> str:
    """A catalogue unit as people write it (``m/s2`` -> ``m/s²``, ``H%`` -> ``%RH``)."""
    return UNIT_TEXT.get(unit, unit)


@dataclass(frozen=True)
class Dimension:
    id: str
    name: str
    description: str = ""
    unit: str = ""
    type: str = "number"
    labels: tuple[str, ...] = ()

    @property
    def unit_text(self) -> str:
        return unit_text(self.unit)

    @property
    def label(self) -> str:
        """``x (m/s²)``, or the bare name when the dimension has no unit."""
        return f"{self.name} ({self.unit_text})" if self.unit else self.name

    @property
    def is_number(self) -> bool:
        return self.type == "number"

    @property
    def is_media(self) -> bool:
        """Media dimensions (a MIME type such as ``video/mp4``) carry files, not values."""
        return "/" in self.type

    @classmethod
    def from_dict(cls, d: dict) -> Dimension:
        return cls(
            str(d.get("id", d.get("name", ""))),
            str(d.get("name", "")),
            str(d.get("description") or ""),
            str(d.get("unit") or ""),
            str(d.get("type") or "number"),
            tuple(d.get("labels") or ()),
        )


@dataclass(frozen=True)
class PropertyType:
    id: str
    name: str
    description: str = ""
    icon: str | None = None
    dimensions: tuple[Dimension, ...] = ()

    @property
    def dimension_names(self) -> list[str]:
        return [d.name for d in self.dimensions]

    @classmethod
    def from_dict(cls, d: dict) -> PropertyType:
        return cls(
            str(d["id"]),
            str(d.get("name", d["id"])),
            str(d.get("description") or ""),
            d.get("icon"),
            tuple(Dimension.from_dict(x) for x in d.get("dimensions") or ()),
        )


@dataclass(frozen=True)
class Property:
    id: str
    name: str
    description: str
    type: PropertyType
    thing_id: str | None = None
    created_at: datetime | None = None

    @property
    def dimensions(self) -> tuple[Dimension, ...]:
        return self.type.dimensions

    @classmethod
    def from_dict(cls, d: dict, thing_id: str | None = None) -> Property:
        thing = d.get("thing")
        if isinstance(thing, dict):
            thing_id = thing.get("id", thing_id)
        return cls(
            str(d["id"]),
            str(d.get("name") or ""),
            str(d.get("description") or ""),
            PropertyType.from_dict(d.get("type") or {"id": "UNKNOWN"}),
            thing_id,
            _time(d.get("createdAt")),
        )

    @classmethod
    def from_single_route(cls, d: dict, thing_id: str | None = None) -> Property:
        """From ``GET /things/{id}/properties/{id}``, which lists ``type.dimensions`` in the
        reverse of the stored order (the server reverses them after reading values; see
        bucket-api.md "Dimension order"). Put back in stored order (x, y, z), the order
        of its ``values`` columns and of every other route."""
        prop = cls.from_dict(d, thing_id)
        ptype = prop.type
        return replace(prop, type=replace(ptype, dimensions=tuple(reversed(ptype.dimensions))))


@dataclass(frozen=True)
class Thing:
    id: str
    name: str
    description: str
    type: str
    person_id: str = ""
    pem: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None
    properties: tuple[Property, ...] = ()

    @classmethod
    def from_dict(cls, d: dict) -> Thing:
        return cls(
            str(d["id"]),
            str(d.get("name") or ""),
            str(d.get("description") or ""),
            str(d.get("type") or ""),
            str(d.get("personId") or ""),
            str(d.get("pem") or ""),
            _time(d.get("createdAt")),
            _time(d.get("updatedAt")),
            tuple(Property.from_dict(p, d["id"]) for p in d.get("properties") or ()),
        )


@dataclass(frozen=True)
class LastValue:
    """The newest point of a property, its columns mapped back to dimension names."""

    timestamp: datetime
    values: dict[str, object]


@dataclass(frozen=True)
class WriteResult:
    rows_written: int
    requests: int
    seconds: float
