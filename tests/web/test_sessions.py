"""Server-side sessions expire when idle or too old; the throttle forgets old failures."""

from __future__ import annotations

import datetime as dt

from fairwitness.web import sessions
from fairwitness.web.sessions import LoginThrottle, SessionStore


def test_sessions_expire_when_idle_or_too_old(monkeypatch):
    clock = [dt.datetime(2026, 1, 1, 9, 0, tzinfo=dt.UTC)]
    monkeypatch.setattr(sessions, "_now", lambda: clock[0])
    store = SessionStore(idle=dt.timedelta(minutes=30), max_age=dt.timedelta(hours=2))
    s = store.create(user_id=1, username="rita")
    assert s.token != s.csrf and len(s.token) >= 40
    for _ in range(4):  # used every 25 minutes: alive at 100 minutes, gone after two hours
        clock[0] += dt.timedelta(minutes=25)
        assert store.get(s.token) is s
    clock[0] += dt.timedelta(minutes=25)
    assert store.get(s.token) is None
    idle = store.create(user_id=2, username="rex")
    clock[0] += dt.timedelta(minutes=31)
    assert store.get(idle.token) is None
    other = store.create(user_id=3, username="ana")
    store.end_for_user(3)
    assert store.get(other.token) is None and store.get(None) is None


def test_throttle_counts_failures_within_the_window(monkeypatch):
    clock = [dt.datetime(2026, 1, 1, 9, 0, tzinfo=dt.UTC)]
    monkeypatch.setattr(sessions, "_now", lambda: clock[0])
    throttle = LoginThrottle(attempts=2, window=dt.timedelta(minutes=15))
    throttle.failed("user:a")
    assert not throttle.blocked("user:a")
    throttle.failed("user:a")
    assert throttle.blocked("user:a") and not throttle.blocked("user:b")
    clock[0] += dt.timedelta(minutes=16)
    assert not throttle.blocked("user:a")
