"""PostgreSQL: an owner role that migrates, an application role that only does the application's work.

The owner (the role that owns the database and ran the migrations) grants the
application role exactly what the library needs and nothing more:

- read and write the case tables, the workforce and the tombstones (retention
  deletes cases; tombstones are never deleted, so only SELECT and INSERT);
- only SELECT and INSERT on ``audit_events``: no UPDATE, DELETE or TRUNCATE, on
  top of the triggers;
- only SELECT on ``settings`` and ``alembic_version``;
- never ownership: it cannot ALTER a table, disable or drop a trigger, or migrate.

The pseudonym key is not in the database at all (`fairwitness.governance.keys`),
so no role can read it there.
"""

from __future__ import annotations

import re

from sqlalchemy import Engine, text

from fairwitness.governance.errors import InvalidInput

READ_WRITE = (
    "users", "cases", "signals", "notes", "decisions", "signal_outcomes", "outcome_tallies", "responses",
    "attachments", "reidentifications", "workforce", "detector_states", "held_signals",
)  # fmt: skip
APPEND_ONLY = ("audit_events", "tombstones")
READ_ONLY = ("settings", "alembic_version")
_ROLE = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def grant_application_role(*, engine: Engine, role: str) -> list[str]:
    """Run, as the owner, the grants that make ``role`` the application role; returns the statements."""
    if engine.dialect.name != "postgresql":
        raise InvalidInput("roles apply to a PostgreSQL store (a SQLite store is protected by file permissions)")
    if not _ROLE.fullmatch(role):
        raise InvalidInput(f"{role!r} is not a plain PostgreSQL role name (a-z, 0-9, _)")
    r = f'"{role}"'
    statements = [
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {r}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {r}",
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
        f"GRANT USAGE ON SCHEMA public TO {r}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON {', '.join(READ_WRITE)} TO {r}",
        f"GRANT SELECT, INSERT ON {', '.join(APPEND_ONLY)} TO {r}",
        f"GRANT SELECT ON {', '.join(READ_ONLY)} TO {r}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {r}",
    ]
    with engine.begin() as conn:
        owner = conn.execute(text("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()"))
        if owner.scalar() == role:
            raise InvalidInput(f"{role!r} owns the database: the application role must be a different role")
        for statement in statements:
            conn.execute(text(statement))
    return statements
