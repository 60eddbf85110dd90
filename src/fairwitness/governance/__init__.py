"""Case management and governance: people decide, the library enforces the rules.

Human decisions with four eyes on adverse outcomes, the right to respond,
pseudonymity with audited re-identification, roles enforced here (not only in a
UI), retention, subject access and a tamper-evident audit log. The store is
SQLite by default (``WS/governance.sqlite``) or PostgreSQL, created and upgraded
by Alembic migrations (`fairwitness.governance.db.create_store`).

Modules, one concept each:

``db``          the store: engine, sessions, migrations
``models``      the tables
``roles``       the permission matrix, as data
``access``      `require`: the permission check every governed function makes first
``errors``      what the library refuses, and why
``users``       local accounts (argon2) and authentication
``pseudonyms``  stable pseudonyms and audited, expiring re-identification
``keys``        the store's secret key, kept outside the database
``workforce``   staff ids and line managers kept with the store (refreshed on ingest)
``conflicts``   self and line-management chain checks, failing closed
``usernames``   one normalised spelling per account
``intake``      case candidates in: Parquet loader and import
``cases``       workflow: list, show, assign, transition, notes
``views``       what a case looks like to a reader (pseudonymised, no protected characteristics)
``decisions``   decisions, four eyes, per-signal outcomes, detector precision
``responses``   the subject's response and the disclosure pack
``audit``       the hash-chained, sealed, append-only audit log
``integrity``   verify's checks beyond the chain: triggers present, decisions as recorded
``privileges``  PostgreSQL: the application role's grants
``outputs``     where exports may be written (never over a file unless forced, never into a workspace)
``retention``   purging closed no-further-action and false-positive cases
``sar``         subject access export
``purposes``    purpose register export for a DPIA
``reports``     JSON and HTML (Jinja2) rendering
``cli``         the ``fairwitness`` commands (`register(app)`); ``cli_oversight`` the oversight ones
"""
