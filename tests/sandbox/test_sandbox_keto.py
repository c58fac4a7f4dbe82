"""The Keto stand-in's decisions (``bucket_sandbox/keto.py``), as ORY Keto 0.x's ladon
flavours make them: ``exact`` compares whole strings, ``regex`` reads ``<...>`` as regular
expressions; a role's members are asked as the role; a matching deny wins."""

from __future__ import annotations

import sqlite3

import pytest

from bucket_sandbox import keto
from bucket_sandbox.db import SCHEMA


@pytest.fixture
def db():
    conn = sqlite3.connect(":memory:")
    conn.row_factory = sqlite3.Row
    conn.executescript(SCHEMA)
    return conn


def policy(pid, subjects, resources, actions, effect="allow"):
    return {
        "id": pid,
        "subjects": subjects,
        "resources": resources,
        "actions": actions,
        "effect": effect,
    }


def test_exact_compares_whole_strings_and_roles_stand_for_their_members(db):
    keto.put_policy(
        db, "exact", policy("c1", ["dcd:groups:class"], ["dcd:properties:p1"], ["dcd:actions:read"])
    )
    keto.put_role(db, "exact", "dcd:groups:class", ["dcd:persons:alex"])
    assert keto.allowed(db, "exact", "dcd:groups:class", "dcd:properties:p1", "dcd:actions:read")
    assert keto.allowed(db, "exact", "dcd:persons:alex", "dcd:properties:p1", "dcd:actions:read")
    assert not keto.allowed(db, "exact", "dcd:persons:sam", "dcd:properties:p1", "dcd:actions:read")
    assert not keto.allowed(
        db, "exact", "dcd:groups:class", "dcd:properties:p1", "dcd:actions:update"
    )
    assert not keto.allowed(
        db, "exact", "dcd:groups:class", "dcd:properties:<.*>", "dcd:actions:read"
    )
    keto.remove_member(db, "exact", "dcd:groups:class", "dcd:persons:alex")
    assert not keto.allowed(
        db, "exact", "dcd:persons:alex", "dcd:properties:p1", "dcd:actions:read"
    )


def test_regex_reads_angle_brackets_and_a_deny_wins(db):
    keto.put_policy(
        db,
        "regex",
        policy("o1", ["dcd:persons:demo"], ["dcd:things:t1:properties:<.*>"], ["dcd:actions:<.*>"]),
    )
    assert keto.allowed(
        db, "regex", "dcd:persons:demo", "dcd:things:t1:properties:p9", "dcd:actions:read"
    )
    assert not keto.allowed(
        db, "regex", "dcd:persons:demo", "dcd:things:t2:properties:p9", "dcd:actions:read"
    )
    keto.put_policy(
        db,
        "regex",
        policy(
            "d1",
            ["dcd:persons:demo"],
            ["dcd:things:t1:properties:p9"],
            ["dcd:actions:read"],
            "deny",
        ),
    )
    assert not keto.allowed(
        db, "regex", "dcd:persons:demo", "dcd:things:t1:properties:p9", "dcd:actions:read"
    )
    assert keto.allowed(
        db, "regex", "dcd:persons:demo", "dcd:things:t1:properties:p8", "dcd:actions:read"
    )


def test_lists_filter_as_the_flavour_matches(db):
    keto.put_policy(
        db, "exact", policy("c1", ["dcd:groups:a"], ["dcd:properties:p1"], ["dcd:actions:read"])
    )
    keto.put_policy(
        db, "exact", policy("c2", ["dcd:groups:b"], ["dcd:properties:p2"], ["dcd:actions:read"])
    )
    assert [p["id"] for p in keto.find_policies(db, "exact", resource="dcd:properties:p1")] == [
        "c1"
    ]
    assert [p["id"] for p in keto.find_policies(db, "exact", subject="dcd:groups:b")] == ["c2"]
    keto.put_role(db, "exact", "dcd:groups:a", ["x", "y"])
    keto.add_members(db, "exact", "dcd:groups:a", ["y", "z"])
    assert keto.get_role(db, "exact", "dcd:groups:a")["members"] == ["x", "y", "z"]
    assert [r["id"] for r in keto.roles(db, "exact", member="z")] == ["dcd:groups:a"]
