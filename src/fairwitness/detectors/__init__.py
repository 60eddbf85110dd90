"""Detectors: declared, purpose-checked patterns, executed only by the runner.

Public API (imported lazily, so importing a detector module stays cheap):

- `Detector`, `SIGNAL_COLUMNS`, `STANDARDS`, `NoParams` — the contract (`base`);
- `Sources`, `SourceNotLoaded`, `DerivedSource` — what a detector sees (`sources`);
- `load_registry`, `Registry`, `DetectorRefused`, `UnknownDetector` — plugins (`registry`);
- `run`, `run_detector`, `RunResult`, `RunError` — execution (`runner`, `runs`);
- `fairwitness.detectors.combine.combine` — signals to case candidates.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS: dict[str, str] = {
    "Detector": "base",
    "NoParams": "base",
    "SIGNAL_COLUMNS": "base",
    "STANDARDS": "base",
    "Sources": "sources",
    "SourceNotLoaded": "sources",
    "DerivedSource": "sources",
    "Registry": "registry",
    "DetectorRefused": "registry",
    "UnknownDetector": "registry",
    "load_registry": "registry",
    "run": "runner",
    "run_detector": "runner",
    "RunError": "runner",
    "RunResult": "runs",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(f"fairwitness.detectors.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module 'fairwitness.detectors' has no attribute {name!r}")
