"""Sandbox people: a demo user whose credentials the sign-in page shows, and a second one.

DEMO ACCOUNTS ONLY: the passwords are printed on the sign-in page on purpose.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from werkzeug.security import check_password_hash, generate_password_hash

DEMO_USERS = (
    ("demo@bucket.sandbox", "Demo Designer", "demo-password"),
    ("alex@bucket.sandbox", "Alex Second", "alex-password"),
)


@dataclass(frozen=True)
class User:
    id: str
    email: str
    name: str

    def get_user_id(self) -> str:
        return self.id


def person_id(email: str) -> str:
    """Deterministic ``dcd:persons:<uuid>`` so demo data survives restarts."""
    return "dcd:persons:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "bucket-sandbox:" + email))


def ensure_demo_users(conn) -> None:
    for email, name, password in DEMO_USERS:
        conn.execute(
            "INSERT OR IGNORE INTO users (id, email, name, password_hash) VALUES (?, ?, ?, ?)",
            (person_id(email), email, name, generate_password_hash(password)),
        )
    conn.commit()


def add_user(conn, email: str, name: str, password: str) -> User:
    conn.execute(
        "INSERT OR REPLACE INTO users (id, email, name, password_hash) VALUES (?, ?, ?, ?)",
        (person_id(email), email, name, generate_password_hash(password)),
    )
    conn.commit()
    return User(person_id(email), email, name)


def _from_row(row) -> User | None:
    return User(row["id"], row["email"], row["name"]) if row else None


def find_by_id(conn, user_id: str) -> User | None:
    return _from_row(conn.execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone())


def find_by_email(conn, email: str) -> User | None:
    row = conn.execute("SELECT * FROM users WHERE email = ?", (email.strip().lower(),)).fetchone()
    return _from_row(row)


def check_login(conn, email: str, password: str) -> User | None:
    row = conn.execute("SELECT * FROM users WHERE email = ?", (email.strip().lower(),)).fetchone()
    if row and check_password_hash(row["password_hash"], password):
        return _from_row(row)
    return None
