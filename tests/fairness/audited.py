"""The audited force shared by the fairness and transparency tests (built once per test run).

The shared small synthetic force is copied, then run with the default catalogue plus the biased
test plugin (loaded through the ``fairwitness.detectors`` entry point group)."""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from typing import Any

from fairwitness.detectors.registry import DETECTOR_GROUP

HERE = Path(__file__).parent
PLUGIN = EntryPoint(name="biased_test", value="biased_plugin:detectors", group=DETECTOR_GROUP)
_BUILT: dict[str, Any] = {}


def with_plugin(group: str) -> list[EntryPoint]:
    """The installed entry points of ``group``, plus the biased test plugin for detectors."""
    eps = list(entry_points(group=group))
    return [*eps, PLUGIN] if group == DETECTOR_GROUP else eps


@dataclass
class AuditedForce:
    data: Path
    workspace: Path
    run_id: str


def audited_force(small_force: tuple[Path, Any], tmp_path_factory: Any) -> AuditedForce:
    """The audited force of this test run (built on first use)."""
    if "force" in _BUILT:
        return _BUILT["force"]
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
    _BUILT["force"] = AuditedForce(data=data, workspace=root / "ws", run_id=result.run_id)
    return _BUILT["force"]
