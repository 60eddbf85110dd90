"""`WebSettings`: what the web app needs to start (validated by pydantic)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field


class WebSettings(BaseModel):
    """Settings of one web app instance."""

    model_config = ConfigDict(frozen=True)

    workspace: Path
    """The workspace: its lake (timelines, evidence rows, line management) and default store."""
    db: str | None = None
    """Store URL (default ``WS/governance.sqlite``; ``postgresql://...`` for PostgreSQL)."""
    secure_cookies: bool = False
    """Always mark cookies ``Secure`` (they are anyway when the request arrived over HTTPS)."""
    session_idle_minutes: int = Field(default=30, ge=1, le=24 * 60)
    session_max_hours: int = Field(default=10, ge=1, le=24)
    login_attempts: int = Field(default=20, ge=1)
    """Failed sign-ins allowed per client address within ``login_window_minutes`` (rate limiting; the account
    lockout is the library's)."""
    login_window_minutes: int = Field(default=15, ge=1)
    page_size: int = Field(default=50, ge=5, le=500)
