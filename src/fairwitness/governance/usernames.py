"""Usernames: one spelling per account, so one person cannot hold look-alike accounts.

A username is normalised (Unicode NFKC, then case-folded, surrounding spaces
removed) before it is stored, looked up or compared, so ``Rev1`` and ``rev1``
are one account. After normalisation it must be plain ASCII letters, digits,
``.``, ``-`` and ``_``: any other script is refused, which rules out
confusables and mixed scripts (``rеv1`` with a Cyrillic ``е``) at the root.
"""

from __future__ import annotations

import re
import unicodedata

from fairwitness.governance.errors import InvalidInput

MAX_LENGTH = 64
_ALLOWED = re.compile(r"[a-z0-9][a-z0-9._-]*")


def normalise_username(name: str) -> str:
    """The stored spelling of ``name`` (NFKC, case-folded, trimmed); not validated."""
    return unicodedata.normalize("NFKC", name or "").strip().casefold()


def valid_username(name: str) -> str:
    """The normalised username, or `InvalidInput` saying what is wrong with it."""
    norm = normalise_username(name)
    if not norm or len(norm) > MAX_LENGTH:
        raise InvalidInput(f"a username is 1-{MAX_LENGTH} characters")
    if not norm.isascii():
        odd = sorted({f"U+{ord(c):04X} {unicodedata.name(c, '?')}" for c in norm if not c.isascii()})
        raise InvalidInput(
            f"username {name!r} has characters outside a-z, 0-9, '.', '-', '_' ({'; '.join(odd)}): "
            "look-alike letters from other scripts are refused"
        )
    if not _ALLOWED.fullmatch(norm):
        raise InvalidInput("a username is letters a-z, digits, '.', '-' or '_', starting with a letter or digit")
    return norm
