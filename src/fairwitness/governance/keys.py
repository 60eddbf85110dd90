"""The store's secret key, kept outside the database.

One 32-byte key per store pseudonymises staff numbers (``HMAC-SHA256(key,
staff_id)``) and, through a derived key, seals each audit event (`audit_key`),
so someone holding only the database credential can neither link a pseudonym to
a person nor forge or re-hash audit events unnoticed.

Where the key is read from, first found wins:

1. ``FAIRWITNESS_PSEUDONYM_KEY``: the key as 64 hex characters;
2. ``FAIRWITNESS_KEY_FILE``: a file holding it;
3. for a SQLite store ``X.sqlite``, the file ``X.sqlite.key`` beside it.

A PostgreSQL store needs (1) or (2). Migration ``0002_hardening`` moves the key
of an older store out of its ``settings`` table into that place (creating the
file, readable by its owner only) and deletes it from the database.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from sqlalchemy.engine import make_url

from fairwitness.governance.errors import GovernanceError

ENV_KEY = "FAIRWITNESS_PSEUDONYM_KEY"
ENV_KEY_FILE = "FAIRWITNESS_KEY_FILE"
KEY_BYTES = 32


class KeyUnavailable(GovernanceError):
    """The store's key is not where it should be (or is malformed)."""


def _parse(text: str, where: str) -> bytes:
    try:
        key = bytes.fromhex(text.strip())
    except ValueError:
        raise KeyUnavailable(f"{where}: the key must be {KEY_BYTES * 2} hex characters") from None
    if len(key) != KEY_BYTES:
        raise KeyUnavailable(f"{where}: the key must be {KEY_BYTES * 2} hex characters, not {len(key) * 2}")
    return key


def key_file(url: str) -> Path | None:
    """The key file for the store at ``url`` (``None`` when the key must come from the environment)."""
    if explicit := os.environ.get(ENV_KEY_FILE):
        return Path(explicit)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        return Path(parsed.database).resolve().with_name(Path(parsed.database).name + ".key")
    return None


def find(url: str) -> bytes | None:
    """The key of the store at ``url``, or ``None`` if none is configured yet."""
    if value := os.environ.get(ENV_KEY):
        return _parse(value, ENV_KEY)
    path = key_file(url)
    if path is not None and path.exists():
        return _parse(path.read_text(encoding="ascii"), str(path))
    return None


def load(url: str) -> bytes:
    """The key of the store at ``url``; `KeyUnavailable` if it cannot be found."""
    key = find(url)
    if key is None:
        where = key_file(url)
        raise KeyUnavailable(
            f"the store's key is missing (expected {where})"
            if where
            else f"a PostgreSQL store's key lives outside the database: set {ENV_KEY_FILE} (a file) or {ENV_KEY}"
        )
    return key


def write(url: str, key: bytes) -> Path:
    """Write ``key`` to the store's key file (never over another key); readable by its owner only."""
    path = key_file(url)
    if path is None:
        raise KeyUnavailable(
            f"nowhere to keep the key of a PostgreSQL store: set {ENV_KEY_FILE} to a file outside the database"
        )
    if path.exists():
        if _parse(path.read_text(encoding="ascii"), str(path)) != key:
            raise KeyUnavailable(f"{path} already holds a different key: refusing to replace it")
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(key.hex() + "\n")
    return path


def provide(url: str, *, legacy: bytes | None) -> bytes:
    """The key the store will use from now on, creating or moving it out of the database if needed.

    ``legacy`` is the key found in the store's ``settings`` (older stores), which
    must agree with a key already configured outside.
    """
    configured = find(url)
    if configured is not None:
        if legacy is not None and legacy != configured:
            raise KeyUnavailable(
                "the key configured outside the database differs from the one the store was created with: "
                "pseudonyms would change; configure the store's own key"
            )
        return configured
    key = legacy if legacy is not None else secrets.token_bytes(KEY_BYTES)
    write(url, key)
    return key


def audit_key(key: bytes) -> bytes:
    """The key that seals audit events and anchors (derived, so one secret serves both)."""
    return hmac.new(key, b"fairwitness audit seal v1", hashlib.sha256).digest()
