"""The client's sharing on both servers: what ``bucket_client.sharing`` grants, lists and
revokes is what the server stores; a member reads a group-shared property with
``shared_through`` and gets what the owner reads; a subject that is no Bucket id is refused
before anything is sent."""

from __future__ import annotations

import pandas as pd
import pytest

from bucket_client import BucketClient, sharing
from bucket_sandbox.users import person_id

from ..conftest import DEMO_EMAIL, OTHER_EMAIL
from .test_consents import SCOPE, group  # noqa: F401 (the fixture)


def test_a_member_reads_what_the_owner_reads_through_the_group(server, thing, group):  # noqa: F811
    owner = BucketClient(server.api_url, server.token(DEMO_EMAIL, SCOPE))
    member = BucketClient(server.api_url, server.token(OTHER_EMAIL, SCOPE))
    prop = owner.create_property(thing["id"], "Arm", "ACCELEROMETER")
    owner.write_values(
        thing["id"], prop.id, [[1_790_000_000_000 + i * 100, i, -i, 9.81] for i in range(500)]
    )
    consent = sharing.grant(owner, thing["id"], prop.id, group)
    assert sharing.consents(owner, thing["id"], prop.id) == [consent]
    assert consent.subjects == (group,) and consent.actions == (sharing.READ,)

    listed = [s for s in sharing.shared_with_me(member) if s.prop.id == prop.id]
    assert len(listed) == 1 and listed[0].shared_with == (group,)
    assert listed[0].owner == person_id(DEMO_EMAIL) and listed[0].thing_name == "Contract thing"
    assert sharing.member_of(member, group)
    assert not sharing.member_of(member, "dcd:groups:not-a-member-here")

    through = member.shared_through(group)
    theirs = through.read_values(thing["id"], prop.id, 0, "2100-01-01")
    pd.testing.assert_frame_equal(theirs, owner.read_values(thing["id"], prop.id, 0, "2100-01-01"))
    assert through.count_values(thing["id"], prop.id) == 500
    assert through.last_values(thing["id"], prop.id).values["x"] == 499

    sharing.revoke(owner, thing["id"], prop.id, consent.id)
    assert sharing.consents(owner, thing["id"], prop.id) == []
    assert prop.id not in [s.prop.id for s in sharing.shared_with_me(member)]


@pytest.mark.parametrize(
    "subject", ["", "alex@bucket.sandbox", "dcd:things:x", "dcd:groups:", "dcd:groups:a b"]
)
def test_a_subject_that_is_no_bucket_id_is_refused_before_sending(subject):
    with pytest.raises(ValueError, match="is not a Bucket group or person id"):
        sharing.check_subject(subject)
