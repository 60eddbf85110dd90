"""`WebState` on PostgreSQL: the app's connections run queries without parallel workers, for good."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from fairwitness.governance import keys
from fairwitness.web import WebSettings
from fairwitness.web.state import WebState
from tests.governance.conftest import pg_cluster  # noqa: F401  (the throwaway cluster fixture)


@pytest.mark.postgres
def test_postgres_connections_never_start_parallel_workers(pg_cluster, tmp_path: Path, monkeypatch) -> None:  # noqa: F811
    monkeypatch.setenv(keys.ENV_KEY, "6b" * 32)
    state = WebState.open(WebSettings(workspace=tmp_path, db=pg_cluster.new_database()))
    try:
        for _ in range(3):  # a session rolled back, then later ones on the same pooled connections
            with pytest.raises(RuntimeError), state.session() as s:
                assert s.scalar(text("SHOW max_parallel_workers_per_gather")) == "0"
                raise RuntimeError("roll back")
            with state.session() as s:
                assert s.scalar(text("SHOW max_parallel_workers_per_gather")) == "0"
        with state.store.engine.connect() as a, state.store.engine.connect() as b:  # every connection of the pool
            assert [c.scalar(text("SHOW max_parallel_workers_per_gather")) for c in (a, b)] == ["0", "0"]
    finally:
        state.close()
