"""The purpose register export for a DPIA: JSON and Markdown."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from fairwitness.contract.purposes import PURPOSES, REGISTER, register_as_records
from fairwitness.governance import purposes
from fairwitness.governance.models import AuditEvent
from fairwitness.governance.roles import ACTIONS

from .governance_world import World


def test_register_export(world: World, tmp_path: Path) -> None:
    with world.session() as s:
        json_path, md_path = purposes.export_register(session=s, actor=world.auditor, out_dir=tmp_path / "dpia")
    doc = json.loads(json_path.read_text())
    assert doc["sources"] == json.loads(json.dumps(register_as_records()))
    assert doc["purposes"] == PURPOSES and doc["case_retention"]["months"] == 12
    assert {row["action"] for row in doc["permissions"]} == set(ACTIONS)
    md = md_path.read_text()
    for source in REGISTER:
        assert f"| `{source.table}` |" in md
    assert "DPA 2018 Part 3" in md and "`display_name`: record_linkage" in md and "## Permissions" in md
    with world.session() as s:
        assert s.scalar(select(AuditEvent.actor).where(AuditEvent.action == "purposes.export")) == "audrey"
