"""One session-scoped audited force: the shared small synthetic force, copied, run with the default
catalogue plus the biased test plugin (loaded through the entry point group), with its own store."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from typing import Any

import pytest

from fairwitness.detectors.registry import DETECTOR_GROUP

HERE = Path(__file__).parent
PLUGIN = EntryPoint(name="biased_test", value="biased_plugin:detectors", group=DETECTOR_GROUP)


def with_plugin(group: str) -> list[EntryPoint]:
    """The installed entry points of ``group``, plus the biased test plugin for detectors."""
    eps = list(entry_points(group=group))
    return [*eps, PLUGIN] if group == DETECTOR_GROUP else eps


@pytest.fixture
def biased_entry_point(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every `load_registry()` in the test (CLI included) see the biased plugin."""
    import fairwitness.detectors.registry as registry

    monkeypatch.syspath_prepend(str(HERE))
    monkeypatch.setattr(registry, "entry_points", lambda group: with_plugin(group))


@dataclass
class AuditedForce:
    data: Path
    workspace: Path
    run_id: str

    def store_url(self, name: str) -> str:
        return f"sqlite:///{self.workspace.parent / name}.sqlite"


@pytest.fixture(scope="session")
def audited_force(small_force: tuple[Path, Any], tmp_path_factory: pytest.TempPathFactory) -> Iterator[AuditedForce]:
    import sys

    from fairwitness.detectors.registry import load_registry
    from fairwitness.detectors.runner import run
    from fairwitness.workspace import Workspace

    data, ws = small_force
    root = tmp_path_factory.mktemp("audited")
    shutil.copytree(ws.path, root / "ws", ignore=shutil.ignore_patterns("runs", "governance.sqlite*"))
    sys.path.insert(0, str(HERE))
    try:
        reg = load_registry(loader=with_plugin)
        assert "part_time_suspicion" in reg.detectors, reg.refused
        result = run(Workspace(root / "ws"), registry=reg)
    finally:
        sys.path.remove(str(HERE))
    assert result.ok, result.errors
    yield AuditedForce(data=data, workspace=root / "ws", run_id=result.run_id)
