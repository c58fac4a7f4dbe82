"""Records the shared store keeps sealed: JSON encrypted with a key derived from the
cookie secret (Fernet: authenticated), each naming its own store key inside the seal, so a
value copied onto another record's key (by someone who can write to the store but has not
the secret) opens as nothing. Sign-ins and phone links are kept this way."""

from __future__ import annotations

import base64
import hashlib
import json

from cryptography.fernet import Fernet, InvalidToken


class Sealed:
    def __init__(self, secret: str, purpose: str):
        digest = hashlib.sha256(f"{purpose}:{secret}".encode()).digest()
        self._fernet = Fernet(base64.urlsafe_b64encode(digest))

    def seal(self, key: str, record: dict) -> bytes:
        return self._fernet.encrypt(json.dumps({"key": key, **record}).encode())

    def open(self, blob: bytes | None, key: str | None = None) -> dict | None:
        """The record (without its key), if it opens and (``key`` given) was sealed for
        that key; else None."""
        if blob is None:
            return None
        try:
            data = json.loads(self._fernet.decrypt(blob))
        except (InvalidToken, ValueError):
            return None
        if not isinstance(data, dict) or (key is not None and data.get("key") != key):
            return None
        data.pop("key", None)
        return data
