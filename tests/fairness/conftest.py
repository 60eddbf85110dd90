"""Fixtures of the fairness tests: the audited force (see `audited`) and the biased plugin's entry point."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # the test plugin and the shared audited force

from audited import HERE, AuditedForce, with_plugin  # noqa: E402
from audited import audited_force as _audited_force  # noqa: E402


@pytest.fixture
def biased_entry_point(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every `load_registry()` in the test (CLI included) see the biased plugin."""
    import fairwitness.detectors.registry as registry

    monkeypatch.syspath_prepend(str(HERE))
    monkeypatch.setattr(registry, "entry_points", lambda group: with_plugin(group))


@pytest.fixture(scope="session")
def audited_force(small_force: tuple[Path, Any], tmp_path_factory: pytest.TempPathFactory) -> AuditedForce:
    return _audited_force(small_force, tmp_path_factory)
