"""SQLite storage: one connection per thread, WAL, the schema in one string.

Things, properties and types stand in for Bucket's PostgreSQL; ``points`` stands
in for InfluxDB (one row per property and millisecond, so a second write of a
timestamp replaces the first, as InfluxDB does).
"""

from __future__ import annotations

import sqlite3
import threading

MAX_DIMENSIONS = 16
VALUE_COLUMNS = [f"v{i}" for i in range(MAX_DIMENSIONS)]

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS users (
    id TEXT PRIMARY KEY, email TEXT UNIQUE NOT NULL, name TEXT NOT NULL,
    password_hash TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS clients (
    client_id TEXT PRIMARY KEY, client_secret TEXT NOT NULL, metadata TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS auth_codes (
    code TEXT PRIMARY KEY, client_id TEXT NOT NULL, user_id TEXT NOT NULL,
    redirect_uri TEXT, scope TEXT, nonce TEXT, auth_time INTEGER NOT NULL,
    code_challenge TEXT, code_challenge_method TEXT, used INTEGER DEFAULT 0);
CREATE TABLE IF NOT EXISTS tokens (
    access_token TEXT PRIMARY KEY, refresh_token TEXT UNIQUE, family TEXT NOT NULL,
    client_id TEXT NOT NULL, user_id TEXT NOT NULL, scope TEXT NOT NULL,
    issued_at INTEGER NOT NULL, expires_in INTEGER NOT NULL,
    access_revoked INTEGER DEFAULT 0, refresh_revoked INTEGER DEFAULT 0);
CREATE INDEX IF NOT EXISTS tokens_family ON tokens(family);
CREATE TABLE IF NOT EXISTS types (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT NOT NULL, icon TEXT,
    dimensions TEXT NOT NULL, owner TEXT, position INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS things (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT NOT NULL, type TEXT NOT NULL,
    person_id TEXT NOT NULL, pem TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS policies (
    person_id TEXT NOT NULL, thing_id TEXT NOT NULL, PRIMARY KEY (person_id, thing_id));
CREATE TABLE IF NOT EXISTS properties (
    pk INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, thing_id TEXT NOT NULL,
    name TEXT NOT NULL, description TEXT NOT NULL, type_id TEXT NOT NULL,
    created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS points (
    property_pk INTEGER NOT NULL, ts INTEGER NOT NULL, {", ".join(VALUE_COLUMNS)},
    PRIMARY KEY (property_pk, ts)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rotations (
    access_token TEXT PRIMARY KEY, rotated_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS earlier_points (
    property_pk INTEGER NOT NULL, ts INTEGER NOT NULL, name TEXT NOT NULL, value,
    PRIMARY KEY (property_pk, name, ts)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS type_fields (
    type_id TEXT NOT NULL, name TEXT NOT NULL, PRIMARY KEY (type_id, name));
CREATE TABLE IF NOT EXISTS keto_policies (
    flavor TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (flavor, id));
CREATE TABLE IF NOT EXISTS remembered_consents (
    user_id TEXT NOT NULL, client_id TEXT NOT NULL, scope TEXT NOT NULL,
    PRIMARY KEY (user_id, client_id));
CREATE TABLE IF NOT EXISTS keto_roles (
    flavor TEXT NOT NULL, id TEXT NOT NULL, members TEXT NOT NULL, PRIMARY KEY (flavor, id));
"""


class Database:
    """Hands each thread its own connection to one SQLite file."""

    def __init__(self, path: str):
        self.path = path
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self.connect().executescript(SCHEMA)

    def connect(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.row_factory = sqlite3.Row
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                conn.close()
            self._all.clear()
        self._local = threading.local()
