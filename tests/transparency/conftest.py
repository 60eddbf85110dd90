"""The transparency tests report on the fairness tests' audited force (built once per test run)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "fairness"))

from audited import AuditedForce  # noqa: E402
from audited import audited_force as _audited_force  # noqa: E402


@pytest.fixture(scope="session")
def audited_force(small_force: tuple[Path, Any], tmp_path_factory: pytest.TempPathFactory) -> AuditedForce:
    return _audited_force(small_force, tmp_path_factory)
