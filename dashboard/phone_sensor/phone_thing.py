"""Where a phone's samples go: the person's "Phone" thing (made, or completed, the first
time a link asks for a sensor it lacks) or a property they picked; and, for each, the order
Bucket's PUT takes its dimensions in, read when the link is made."""

from __future__ import annotations

from bucket_client import Property
from dashboard.phone.grants import Target
from dashboard.shared import data
from dashboard.signin import gate

# sensor (a property type) -> (its property's name on the Phone thing, what a person calls it)
SENSORS = {
    "ACCELEROMETER": ("Accelerometer", "Motion (accelerometer)"),
    "GYROSCOPE": ("Gyroscope", "Rotation (gyroscope)"),
    "LOCATION": ("Location", "Location (GPS)"),
}
PHONE_THING = "Phone"


def target_for(prop: Property, thing_name: str = "") -> Target:
    """The sensor of ``prop``'s type writing into it."""
    wire = gate.client().write_order(prop.thing_id, prop.id)
    label = f"{thing_name} · {prop.name}" if thing_name else prop.name
    return Target(
        sensor=prop.type.id,
        thing_id=prop.thing_id or "",
        property_id=prop.id,
        label=label,
        wire=tuple({"id": d.id, "name": d.name, "unit": d.unit, "type": d.type} for d in wire),
    )


def phone_targets(sensors: list[str]) -> list[Target]:
    """The Phone thing's property for each sensor, made when missing (the oldest Phone
    thing, by name order, when the person has several)."""
    client = gate.client()
    things, _counts = data.load_things()
    phone = next((t for t in things if t.name == PHONE_THING), None)
    made = False
    if phone is None:
        phone = client.create_thing(
            PHONE_THING, "Phone", description="A phone streaming its sensors (Phone as a sensor)"
        )
        made = True
    properties = client.list_properties(phone.id)
    targets = []
    for sensor in sensors:
        prop = next((p for p in properties if p.type.id == sensor), None)
        if prop is None:
            prop = client.create_property(phone.id, SENSORS[sensor][0], sensor)
            made = True
        targets.append(target_for(prop, PHONE_THING))
    if made:
        data.changed()
    return targets
