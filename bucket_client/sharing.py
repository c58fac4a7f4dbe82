"""Sharing a property, as Bucket's server does it (checked on its code: see
``tests/contract/test_consents.py``).

A consent names subjects (a group ``dcd:groups:...`` or a person ``dcd:persons:...``) and
actions for one property. Only a group's consent opens the values: its members read them
with ``?sharedWith=<group>`` (``BucketClient.shared_through``). A person's consent lists the
property for that person but its values answer 403. The server stores whatever it is sent
(``{}`` becomes a consent with nothing in it), so subjects are checked here first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import NotFound
from .models import Property

READ = "dcd:actions:read"
SUBJECT = re.compile(r"^dcd:(groups|persons):[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$")


@dataclass(frozen=True)
class Consent:
    id: str
    subjects: tuple[str, ...]
    actions: tuple[str, ...]

    @classmethod
    def from_dict(cls, d: dict) -> Consent:
        return cls(
            str(d.get("id", "")),
            tuple(str(s) for s in d.get("subjects") or ()),
            tuple(str(a) for a in d.get("actions") or ()),
        )


@dataclass(frozen=True)
class SharedProperty:
    """A property someone shared with this person or a group of theirs."""

    prop: Property
    thing_name: str
    owner: str  # the owner's person id
    shared_with: tuple[str, ...]  # the consents' subjects that name it


def is_group(subject: str) -> bool:
    return subject.startswith("dcd:groups:")


def check_subject(subject: str) -> str:
    """The subject as Bucket names one, or ValueError saying what is wrong."""
    subject = subject.strip()
    if not SUBJECT.match(subject):
        raise ValueError(
            f"{subject!r} is not a Bucket group or person id "
            "(dcd:groups:<name> or dcd:persons:<id>)"
        )
    return subject


def consents(client, thing_id: str, property_id: str) -> list[Consent]:
    """Who has access. GET .../properties/{propertyId}/consents"""
    url = client.transport.url("things", thing_id, "properties", property_id, "consents")
    answer = client.transport.request("GET", url).json() or []
    return [Consent.from_dict(c) for c in answer]


def grant(client, thing_id: str, property_id: str, subject: str) -> Consent:
    """Let ``subject`` read the property. POST .../consents"""
    url = client.transport.url("things", thing_id, "properties", property_id, "consents")
    body = {"subjects": [check_subject(subject)], "actions": [READ]}
    return Consent.from_dict(client.transport.request("POST", url, expect=(201,), json=body).json())


def revoke(client, thing_id: str, property_id: str, consent_id: str) -> None:
    """DELETE .../consents/{consentId} (the server does not check it is this property's)."""
    url = client.transport.url(
        "things", thing_id, "properties", property_id, "consents", consent_id
    )
    client.transport.request("DELETE", url, expect=(204,))


def shared_with_me(client) -> list[SharedProperty]:
    """Every property shared with the person or a group of theirs.
    GET /properties?sharedWith=*"""
    answer = client.transport.request(
        "GET", client.transport.url("properties"), params={"sharedWith": "*"}
    ).json()
    shared = []
    for d in answer or []:
        thing = d.get("thing") if isinstance(d.get("thing"), dict) else {}
        shared.append(
            SharedProperty(
                Property.from_dict(d),
                str(thing.get("name", "")),
                str(thing.get("personId", "")),
                tuple(str(s) for s in d.get("sharedWith") or ()),
            )
        )
    return shared


def member_of(client, group_id: str) -> bool:
    """Whether the person is in the group: the one question Bucket answers safely about it
    (``/properties?sharedWith=<group>`` is 404 for a group one is not in)."""
    try:
        client.transport.request(
            "GET", client.transport.url("properties"), params={"sharedWith": group_id}
        )
    except NotFound:
        return False
    return True
