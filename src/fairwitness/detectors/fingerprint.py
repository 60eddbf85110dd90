"""Code fingerprints: which source files a stored detector result depends on.

An incremental run reuses a stored (detector, window) result only when the code that computed it
is unchanged (`fairwitness.detectors.incremental.InputKeys`). Two fingerprints say so:

- the framework's (`framework_fingerprint`): the files of the modules that execute one detector
  over one window and finalise its signals — `fairwitness.detectors.execution` and everything it
  imports within the ``fairwitness`` package (the sources and the privacy filter, the engines,
  the signals' finalising, the detector base class, the contract). What only chooses which
  pieces run or acts on their results (`AFTER_PIECES`) — combining signals into case candidates
  (`combine`), the run's orchestration (`runner`, `schedule`, `runconfig`), the keys and the cache
  (`incremental`, `ranges`), the coverage gate (applied to fresh and reused results alike), the
  run's storage — is not in it, so changing it reuses every stored result;
- each detector's and derived source's own (`unit_fingerprints`): the files of its module and of
  every ``fairwitness`` module it imports, transitively (found by reading the ``import``
  statements, including those inside functions). Changing one detector's module recomputes that
  detector's windows, not the catalogue's; changing a helper module recomputes the detectors
  that import it.
"""

from __future__ import annotations

import hashlib
import inspect
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

PACKAGE = "fairwitness"
FRAMEWORK_ROOT = "fairwitness.detectors.execution"
"""The module that executes one detector over one window; its imports are the framework."""

AFTER_PIECES: frozenset[str] = frozenset(
    {
        "fairwitness.detectors.combine",  # signals -> case candidates
        "fairwitness.detectors.runner",  # the run's orchestration
        "fairwitness.detectors.schedule",  # which pieces run, merging them
        "fairwitness.detectors.coverage",  # the coverage gate, applied to fresh and reused results alike
        "fairwitness.detectors.runs",  # a run's storage (imported for writing its files)
        "fairwitness.candidates",  # the case candidate model
        "fairwitness.detectors.runconfig",  # the run's configuration and id, computing derived sources
        "fairwitness.detectors.incremental",  # the keys and the cache: which results are reused
        "fairwitness.detectors.ranges",  # the time ranges lake files touch (for the keys)
    }
)
"""Modules the framework imports that do not shape what a detector returns over a window (they
act on the pieces' results, or choose which pieces run): not followed. A derived source's content
enters its readers' keys by its hash, whatever code computed it."""


def _module_file(name: str) -> Path | None:
    """The file of a ``fairwitness`` module (found beside the package, without importing), or None
    for a name that is not a module (``from m import function``)."""
    import fairwitness

    root = Path(fairwitness.__file__).parent
    rel = Path(*name.split(".")[1:]) if "." in name else Path()
    for path in (root / rel / "__init__.py", root / rel.with_suffix(".py")) if rel.parts else (root / "__init__.py",):
        if path.is_file():
            return path
    return None


_FROM = re.compile(r"^[ \t]*from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#]*)", re.M)
_IMPORT = re.compile(r"^[ \t]*import[ \t]+([^\n#]*)", re.M)


@lru_cache(maxsize=512)
def _imports(path: Path, module: str, mtime_ns: int) -> frozenset[str]:
    """The ``fairwitness`` modules a file imports, anywhere in it (read from its ``import``
    lines, not parsed: an import in a string only adds a file); ``from m import x`` names both
    ``m`` and ``m.x``, which is a module or not. ``mtime_ns`` keys the cache."""
    text = path.read_text(encoding="utf-8", errors="replace")
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    out: set[str] = set()
    for m in _IMPORT.finditer(text):
        out.update(part.split()[0] for part in m.group(1).split(",") if part.strip())
    for m in _FROM.finditer(text):
        base = m.group(1)
        dots = len(base) - len(base.lstrip("."))
        if dots:
            parts = package.split(".")
            parts = parts[: len(parts) - dots + 1]
            base = ".".join([*parts, *([base[dots:]] if base[dots:] else [])])
        out.add(base)
        names = m.group(2).strip("() \t\n").replace("\n", " ").split(",")
        out.update(f"{base}.{n.split()[0]}" for n in names if n.strip() and not n.strip().startswith("#"))
    return frozenset(m for m in out if m.split(".")[0] == PACKAGE)


def module_files(modules: Iterable[str], extra: Iterable[Path] = ()) -> dict[str, Path]:
    """Module name -> file, for ``modules`` and every ``fairwitness`` module they import,
    transitively, but for `AFTER_PIECES`; ``extra`` files (a class defined outside the
    package) are read too."""
    found: dict[str, Path] = {}
    stack: list[tuple[str, Path | None]] = [(m, None) for m in modules] + [(f"<{p}>", p) for p in extra]
    while stack:
        name, path = stack.pop()
        if name in found:
            continue
        path = path or _module_file(name)
        if path is None or not path.is_file():
            continue
        found[name] = path
        module = name if not name.startswith("<") else ""
        imported = _imports(path, module, path.stat().st_mtime_ns)
        stack.extend((m, None) for m in imported if m not in found and m not in AFTER_PIECES)
    return found


def _digest(files: Mapping[str, Path]) -> str:
    h = hashlib.sha256()
    for name in sorted(files):
        h.update(name.encode())
        h.update(files[name].read_bytes())
    return h.hexdigest()[:32]


def framework_fingerprint() -> str:
    """Hash of the framework's files (module doc)."""
    return _digest(module_files([FRAMEWORK_ROOT]))


def _class_files(cls: type) -> tuple[list[str], list[Path]]:
    module = getattr(cls, "__module__", "") or ""
    if module.split(".")[0] == PACKAGE:
        return [module], []
    try:
        return [], [Path(inspect.getfile(cls))]
    except (TypeError, OSError):
        return [], []


def _compute_modules(compute: Any) -> list[str]:
    """The modules of a derived source's ``compute`` and of the functions it closes over
    (`fairwitness.detectors.registry.arrow_compute` wraps the real function)."""
    out = [getattr(compute, "__module__", None)]
    try:
        closed = inspect.getclosurevars(compute).nonlocals.values()
    except (TypeError, ValueError):
        closed = ()
    out.extend(getattr(v, "__module__", None) for v in closed if callable(v))
    return [m for m in out if m]


def unit_fingerprints(classes: Sequence[type], derived: Mapping[str, Any] | None = None) -> dict[str, str]:
    """Detector or derived source name -> hash of its own code (module doc). A name whose
    code cannot be found hashes its module's name, so it still keys on something stable."""
    out: dict[str, str] = {}
    for cls in classes:
        modules, extra = _class_files(cls)
        files = module_files(modules, extra)
        out[str(getattr(cls, "name", cls.__qualname__))] = _digest(files) if files else _digest({})
    for name, d in (derived or {}).items():
        modules = _compute_modules(getattr(d, "compute", None))
        out[name] = _digest(module_files(modules)) + ":" + ",".join(sorted(modules))
    return out


__all__ = ["framework_fingerprint", "module_files", "unit_fingerprints"]
