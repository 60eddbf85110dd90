"""Server-side sessions and the sign-in throttle (both in memory, per process).

A session is a random 256-bit token in an HttpOnly, SameSite=Strict cookie; the
server keeps the account id and a CSRF token against it. Nothing about the person
is in the cookie. A session ends after ``idle`` without use, after ``max_age`` at
most, or at sign-out; signing in always issues a new token (no fixation).

The throttle refuses sign-in for an account, or from a client address, after
``attempts`` failures within ``window`` (ASVS 2.2.1); the refusal itself is
answered before the password is checked.
"""

from __future__ import annotations

import datetime as dt
import secrets
import threading
from collections import deque
from dataclasses import dataclass, field

COOKIE = "fw_session"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class WebSession:
    token: str
    user_id: int
    username: str
    csrf: str
    created: dt.datetime
    last_seen: dt.datetime


@dataclass
class SessionStore:
    idle: dt.timedelta
    max_age: dt.timedelta
    _items: dict[str, WebSession] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def create(self, *, user_id: int, username: str) -> WebSession:
        now = _now()
        s = WebSession(secrets.token_urlsafe(32), user_id, username, secrets.token_urlsafe(32), now, now)
        with self._lock:
            self._items[s.token] = s
        return s

    def get(self, token: str | None) -> WebSession | None:
        """The live session for ``token`` (touching it), or ``None``."""
        if not token:
            return None
        now = _now()
        with self._lock:
            s = self._items.get(token)
            if s is None:
                return None
            if now - s.last_seen > self.idle or now - s.created > self.max_age:
                del self._items[token]
                return None
            s.last_seen = now
            return s

    def end(self, token: str | None) -> None:
        with self._lock:
            self._items.pop(token or "", None)

    def end_for_user(self, user_id: int) -> None:
        """End every session of an account (e.g. when it is disabled)."""
        with self._lock:
            for token in [t for t, s in self._items.items() if s.user_id == user_id]:
                del self._items[token]


@dataclass
class LoginThrottle:
    attempts: int
    window: dt.timedelta
    _failures: dict[str, deque[dt.datetime]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _recent(self, key: str, now: dt.datetime) -> deque[dt.datetime]:
        q = self._failures.setdefault(key, deque())
        while q and now - q[0] > self.window:
            q.popleft()
        return q

    def blocked(self, *keys: str) -> bool:
        now = _now()
        with self._lock:
            return any(len(self._recent(k, now)) >= self.attempts for k in keys)

    def failed(self, *keys: str) -> None:
        now = _now()
        with self._lock:
            for k in keys:
                self._recent(k, now).append(now)

    def succeeded(self, *keys: str) -> None:
        with self._lock:
            for k in keys:
                self._failures.pop(k, None)
