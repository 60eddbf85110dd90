"""`RunFiles`: run records and masked queries kept in memory, and dropped exactly when what they depend on changes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from fairwitness.governance import views, workforce
from fairwitness.governance.db import create_store
from fairwitness.web.runfiles import RunFiles

SQL = "SELECT * FROM shifts WHERE staff_id IN ('S1', 'S2') -- S3"


@pytest.fixture
def store(tmp_path: Path):
    s = create_store(f"sqlite:///{tmp_path / 'governance.sqlite'}")
    with s.session() as session:
        workforce.refresh(session=session, actor="test", people={"S1": None, "S2": "S1"})
    yield s
    s.dispose()


def _write(ws: Path, run_id: str, sql: str) -> Path:
    path = ws / "runs" / run_id / "run.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"run_id": run_id, "detectors": [{"name": "d1", "title": "D one", "sql": sql}]}))
    return path


def test_a_record_is_read_once_and_again_when_its_file_changes(tmp_path: Path) -> None:
    path = _write(tmp_path, "r1", SQL)
    runs = RunFiles(tmp_path)
    first = runs.record("r1")
    assert first is not None and first["detectors"][0]["sql"] == SQL
    assert runs.record("r1") is first
    _write(tmp_path, "r1", SQL + " AND 1 = 1")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    again = runs.record("r1")
    assert again is not first and again is not None and again["detectors"][0]["sql"].endswith("1 = 1")
    assert runs.record("missing") is None
    _write(tmp_path, "missing", SQL)  # a run that appears later is read then
    assert runs.record("missing") is not None


def test_masked_queries_follow_the_workforce_and_the_revealed_subject(tmp_path: Path, store) -> None:
    _write(tmp_path, "r1", SQL)
    runs = RunFiles(tmp_path)
    with store.session() as s:
        mask = views.masker(session=s)
        masked = runs.masked_query(session=s, mask=mask, run_id="r1", detector="d1", sql=SQL)
        assert masked == mask.text(SQL) and "'S1'" not in masked and "S3" in masked
        assert runs.masked_query(session=s, mask=mask, run_id="r1", detector="d1", sql=SQL) is masked
        revealed = views.masker(session=s, keep="S1")
        shown = runs.masked_query(session=s, mask=revealed, run_id="r1", detector="d1", sql=SQL)
        assert "'S1'" in shown and "'S2'" not in shown
    with store.session() as s:  # S3 joins the workforce: the cached text no longer masks enough
        workforce.refresh(session=s, actor="test", people={"S1": None, "S2": "S1", "S3": "S1"})
    with store.session() as s:
        mask = views.masker(session=s)
        now = runs.masked_query(session=s, mask=mask, run_id="r1", detector="d1", sql=SQL)
        assert now != masked and "S3" not in now.replace("SELECT", "")
        outsider = views.masker(session=s, also=("X9",))  # a subject outside the workforce: never cached
        assert outsider.ids is not workforce.staff_ids(s)
        assert runs.masked_query(session=s, mask=outsider, run_id="r1", detector="d1", sql=SQL + " X9").count("X9") == 0
