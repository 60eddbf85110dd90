"""A force's detector settings: the parameters its own policies set, kept in the workspace.

Every detector's parameters have documented defaults (``docs/reference/detectors.md``), but
several are a force's policy rather than a statistical choice: the office-attendance rule, how
late a declaration may be, which roles check records for a living, whether unpaid offices must
be registered. A force writes them once, in ``<workspace>/detectors.toml``, one table per
detector::

    # Our register covers unpaid offices too (not the national default).
    [undeclared_interest]
    not_for_gain_pattern = ""
    grace_days = 60

    [lookups_without_case_ref]
    checking_roles = "intelligence researcher|disclosure officer|pnc bureau"

Every run reads it (``fairwitness run``, ``tune``, the library's `fairwitness.detectors.runner.run`);
``fairwitness run --settings FILE`` reads another file instead. Parameters given to a run in
code override the file's, key by key. The parameters a run used are in its record and its id
(`fairwitness.detectors.runconfig.run_config`), and the file's SHA-256 in the record's
``settings``: a run can always say which policy it applied.

A file that cannot be applied stops the run before anything runs, with an error naming the
file, the detector's table and the key: TOML syntax, an unknown detector, an unknown parameter,
a value of the wrong type. A table for a detector that a run does not select is checked and
then not used.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

FILE_NAME = "detectors.toml"


class SettingsError(ValueError):
    """A settings file that cannot be applied; the message names the file, table and key."""


@dataclass(frozen=True)
class Settings:
    """Detector name -> parameters, and where they came from."""

    params: dict[str, dict[str, Any]] = field(default_factory=dict)
    path: Path | None = None
    sha256: str | None = None

    def record(self) -> dict[str, Any]:
        """What the run record says about the settings (empty when there were none)."""
        if self.path is None:
            return {}
        return {"file": str(self.path), "sha256": self.sha256, "detectors": sorted(self.params)}

    def merged(self, given: Mapping[str, Any] | None) -> dict[str, Any]:
        """These settings overlaid by parameters given to a run in code, key by key."""
        out: dict[str, Any] = {name: dict(p) for name, p in self.params.items()}
        for name, p in (given or {}).items():
            values = p.model_dump() if hasattr(p, "model_dump") else dict(p)
            out[name] = {**out.get(name, {}), **values}
        return out


def _problem(error: ValidationError) -> str:
    parts = []
    for e in error.errors():
        where = ".".join(str(x) for x in e.get("loc", ())) or "?"
        if e.get("type") == "extra_forbidden":
            parts.append(f"{where}: not a parameter of this detector")
        else:
            parts.append(f"{where}: {e.get('msg', 'invalid')} (got {e.get('input')!r})")
    return "; ".join(parts)


def read(path: str | Path, registry: Any) -> Settings:
    """Parse and check a settings file against ``registry``'s detectors (`SettingsError`)."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as e:
        raise SettingsError(f"{p}: cannot read the detector settings ({e.strerror or e})") from None
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as e:
        raise SettingsError(f"{p}: not UTF-8 text ({e.reason} at byte {e.start})") from None
    except tomllib.TOMLDecodeError as e:
        raise SettingsError(f"{p}: not valid TOML: {e}") from None
    params: dict[str, dict[str, Any]] = {}
    for name, values in data.items():
        if name not in registry.detectors:
            known = ", ".join(sorted(registry.detectors))
            raise SettingsError(f"{p}: [{name}] is not a detector of this catalogue (detectors: {known})")
        if not isinstance(values, dict):
            raise SettingsError(f"{p}: {name} must be a table of parameters ([{name}] then key = value lines)")
        cls = registry.detectors[name]
        try:
            cls.Params.model_validate(values)
        except ValidationError as e:
            raise SettingsError(f"{p}: [{name}] {_problem(e)}") from None
        params[name] = dict(values)
    return Settings(params, p, hashlib.sha256(raw).hexdigest())


def of_workspace(ws: Any, registry: Any, path: str | Path | None = None) -> Settings:
    """The settings a run over ``ws`` (a workspace or its directory) applies: ``path`` when given
    (it must exist), else the workspace's ``detectors.toml`` when there is one, else none."""
    if path is not None:
        return read(path, registry)
    root = ws if isinstance(ws, (str, Path)) else getattr(ws, "path", None)
    if root is None:
        return Settings()
    default = Path(root) / FILE_NAME
    return read(default, registry) if default.is_file() else Settings()


__all__ = ["FILE_NAME", "Settings", "SettingsError", "of_workspace", "read"]
