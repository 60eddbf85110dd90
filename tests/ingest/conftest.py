from __future__ import annotations

import copy
from pathlib import Path

import pytest

from fairwitness.testing.fixtures import MINIMAL, with_references, write_minimal
from fairwitness.workspace import Workspace


@pytest.fixture
def tables() -> dict[str, list[dict[str, str]]]:
    """A private copy of the minimal data set to break one thing at a time."""
    return copy.deepcopy(MINIMAL)


@pytest.fixture
def dataset(tmp_path: Path, tables):
    def make(t: dict | None = None, name: str = "export") -> Path:
        return write_minimal(tmp_path / name, t if t is not None else tables)

    return make


@pytest.fixture
def changed_dataset(tmp_path: Path, tables):
    """Like ``dataset``, writing only the tables that differ from the minimal set, those named in
    ``about`` (the tables a test writes itself) and the tables their rows need
    (`fairwitness.testing.fixtures.with_references`); the whole set when none differs and
    ``about`` names none. For tests of one form of one table: the 18-table ingest's fixed cost
    was most of each such test. A table that only references a changed one is not written, so a
    test of what its rows do when a referenced row goes names that table in ``about``."""
    def make(t: dict | None = None, name: str = "export", about: tuple[str, ...] = ()) -> Path:
        return write_minimal(tmp_path / name, with_references(t if t is not None else tables, about))

    return make


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path / "ws")


@pytest.fixture
def quarantine():
    """Rows of the quarantine table: (table, file, row, column, reason)."""
    return _quarantine


def _quarantine(ws: Workspace) -> list[tuple]:
    with ws.catalog() as con:
        return con.execute(
            'SELECT table_name, file, "row", "column", reason FROM quarantine ORDER BY table_name, file, "row", "column"'
        ).fetchall()
