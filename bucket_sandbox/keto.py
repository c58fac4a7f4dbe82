"""ORY Keto 0.x's access control, as Bucket uses it: policies and roles per flavour, and the
``allowed`` decision. The sandbox's own consent routes and the stand-in the real server
calls (``ory_admin``) both decide here, so the sandbox and the real server's code grant,
list, revoke and check consents the same way.

- Two flavours, as ladon's: ``exact`` compares whole strings (Bucket's consents: a property
  id, a person or group id); ``regex`` reads ``<...>`` parts of a pattern as regular
  expressions, the rest literally, matched whole (Bucket's owner policies).
- A role is an id with members (Bucket's groups, ``dcd:groups:...``). ``allowed`` asks for the
  subject and for every role the subject is a member of: a policy for a group holds for its
  members. A matching ``deny`` wins; nothing matching is a deny.
"""

from __future__ import annotations

import functools
import json
import re
import sqlite3

FLAVORS = ("exact", "regex")


@functools.lru_cache(maxsize=4096)
def _pattern(text: str) -> re.Pattern:
    parts = re.split(r"(<[^>]*>)", text)
    return re.compile(
        "".join(p[1:-1] if p.startswith("<") and p.endswith(">") else re.escape(p) for p in parts)
    )


def matches(flavor: str, patterns, value: str) -> bool:
    """Whether one of ``patterns`` names ``value`` under the flavour's rule."""
    if flavor == "exact":
        return value in (patterns or ())
    try:
        return any(_pattern(str(p)).fullmatch(value) for p in patterns or ())
    except re.error:
        return False


def policies(db: sqlite3.Connection, flavor: str) -> list[dict]:
    rows = db.execute("SELECT body FROM keto_policies WHERE flavor = ? ORDER BY rowid", (flavor,))
    return [json.loads(r["body"]) for r in rows]


def find_policies(db: sqlite3.Connection, flavor: str, **wanted: str | None) -> list[dict]:
    """The policies naming each of ``subject``, ``resource``, ``action`` given."""
    found = policies(db, flavor)
    for key, value in wanted.items():
        if value:
            found = [p for p in found if matches(flavor, p.get(key + "s"), value)]
    return found


def put_policy(db: sqlite3.Connection, flavor: str, policy: dict) -> dict:
    db.execute(
        "INSERT OR REPLACE INTO keto_policies (flavor, id, body) VALUES (?, ?, ?)",
        (flavor, str(policy["id"]), json.dumps(policy)),
    )
    db.commit()
    return policy


def delete_policy(db: sqlite3.Connection, flavor: str, policy_id: str) -> None:
    db.execute("DELETE FROM keto_policies WHERE flavor = ? AND id = ?", (flavor, policy_id))
    db.commit()


def roles(db: sqlite3.Connection, flavor: str, member: str | None = None) -> list[dict]:
    """Every role, or those with ``member`` among their members: ``{"id", "members"}``."""
    rows = db.execute("SELECT id, members FROM keto_roles WHERE flavor = ? ORDER BY id", (flavor,))
    found = [{"id": r["id"], "members": json.loads(r["members"])} for r in rows]
    return [r for r in found if member in r["members"]] if member else found


def get_role(db: sqlite3.Connection, flavor: str, role_id: str) -> dict | None:
    return next((r for r in roles(db, flavor) if r["id"] == role_id), None)


def put_role(db: sqlite3.Connection, flavor: str, role_id: str, members: list[str]) -> dict:
    unique = list(dict.fromkeys(str(m) for m in members))
    db.execute(
        "INSERT OR REPLACE INTO keto_roles (flavor, id, members) VALUES (?, ?, ?)",
        (flavor, role_id, json.dumps(unique)),
    )
    db.commit()
    return {"id": role_id, "members": unique}


def add_members(db: sqlite3.Connection, flavor: str, role_id: str, members: list[str]) -> dict:
    role = get_role(db, flavor, role_id) or {"members": []}
    return put_role(db, flavor, role_id, role["members"] + list(members))


def remove_member(db: sqlite3.Connection, flavor: str, role_id: str, member: str) -> None:
    role = get_role(db, flavor, role_id)
    if role is not None:
        put_role(db, flavor, role_id, [m for m in role["members"] if m != member])


def delete_role(db: sqlite3.Connection, flavor: str, role_id: str) -> None:
    db.execute("DELETE FROM keto_roles WHERE flavor = ? AND id = ?", (flavor, role_id))
    db.commit()


def allowed(db: sqlite3.Connection, flavor: str, subject: str, resource: str, action: str) -> bool:
    """Keto's decision for the subject and the roles it is a member of."""
    subjects = [subject] + [r["id"] for r in roles(db, flavor, member=subject)]
    verdict = False
    for policy in policies(db, flavor):
        if (
            any(matches(flavor, policy.get("subjects"), s) for s in subjects)
            and matches(flavor, policy.get("resources"), resource)
            and matches(flavor, policy.get("actions"), action)
        ):
            if policy.get("effect") == "deny":
                return False
            verdict = True
    return verdict
