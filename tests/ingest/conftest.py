from __future__ import annotations

import copy
from pathlib import Path

import pytest

from fairwitness.testing.fixtures import MINIMAL, write_minimal
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
