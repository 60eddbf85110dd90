"""Alembic migrations for the governance store (run through `fairwitness.governance.db`)."""
