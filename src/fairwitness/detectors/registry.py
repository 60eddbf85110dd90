"""The detector registry: detectors and derived sources from plugins, checked when loaded.

Detectors register through the entry-point group ``fairwitness.detectors``: each entry
point names a callable returning a list of `Detector` classes (or the list itself).
The built-in catalogue is one such plugin (``builtin`` in ``pyproject.toml``); a force
adds its own package with its own entry point, without forking. Derived sources
(`DerivedSource`) come from `BUILTIN_DERIVED` and the entry-point group
``fairwitness.derived`` (a callable returning a list of `DerivedSource`, or one).

On load each detector is checked (`check_detector`): its declared reads against the
contract and the purpose register (`fairwitness.contract.purposes.check_access`) — a
detector reading a column outside its purpose is refused with the reasons —, its
``standard``, ``purpose``, routes, scenarios, explanation template and default
parameters. A refused detector is not registered; ``Registry.refused`` says why.

Nothing is loaded at import time: call `load_registry`.
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import Any

from pydantic import BaseModel

from fairwitness.contract import BY_NAME
from fairwitness.contract.purposes import AUDIT_ONLY, BY_TABLE, PURPOSES, check_access
from fairwitness.detectors.base import SIGNAL_COLUMNS, STANDARDS, Detector
from fairwitness.detectors.sources import DerivedSource
from fairwitness.routes import GRAVE_ROUTES, MIN_KINDS_FOR_GRAVE, ROUTES
from fairwitness.scenarios import SCENARIOS

DETECTOR_GROUP = "fairwitness.detectors"
DERIVED_GROUP = "fairwitness.derived"

BUILTIN_DERIVED: dict[str, str] = {"external_links": "fairwitness.linkage:external_links"}
"""Derived sources shipped with fairwitness: name -> ``module:attribute``. The attribute is a
`DerivedSource`, or a pure function of Arrow tables named like the tables it reads
(``external_links(external_records, people)``), adapted by `arrow_compute` with
`EXTERNAL_LINKS_READS`, the module's ``LINKAGE_VERSION`` and ``LINK_SCHEMA`` columns. A
module-level ``DERIVED = DerivedSource(...)`` in that module takes precedence."""

EXTERNAL_LINKS_READS: dict[str, tuple[str, ...]] = {
    "external_records": tuple(c.name for c in BY_NAME["external_records"].columns),
    "people": ("staff_id", "display_name", "date_of_birth"),
}
"""What the built-in ``external_links`` derivation reads when its module does not declare it."""

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")

EXPLAIN_FIELDS: frozenset[str] = frozenset(
    {*SIGNAL_COLUMNS, "detector", "title", "period", "evidence_count", "explanations", "checked"}
)
"""Fields an ``explain`` template may use: the signal's columns plus ``detector`` (name),
``title``, ``period`` ("2025-01-01 to 2025-01-31"), ``evidence_count``, ``explanations``
(found ones, joined) and ``checked`` (checked ones, joined)."""


class DetectorRefused(ValueError):
    """A detector that may not be loaded (reads outside its purpose, bad declaration…)."""


class UnknownDetector(KeyError):
    """A detector name that is not registered."""

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass
class Registry:
    """Loaded, checked detectors and derived sources."""

    detectors: dict[str, type[Detector]] = field(default_factory=dict)
    derived: dict[str, DerivedSource] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)
    """Detector (or plugin) name -> why it was refused."""

    def add(self, cls: type[Detector]) -> type[Detector]:
        """Check and register one detector class; `DetectorRefused` with the reasons otherwise."""
        problems = check_detector(cls, derived=self.derived)
        name = getattr(cls, "name", getattr(cls, "__name__", "?"))
        existing = self.detectors.get(name)
        if existing is not None and existing is not cls:
            problems.append(f"the name {name!r} is already registered by {existing.__module__}.{existing.__qualname__}")
        if problems:
            raise DetectorRefused(f"detector {name!r} refused: " + "; ".join(problems))
        self.detectors[name] = cls
        return cls

    def add_derived(self, d: DerivedSource) -> DerivedSource:
        problems = check_derived(d)
        if problems:
            raise DetectorRefused(f"derived source {d.name!r} refused: " + "; ".join(problems))
        self.derived[d.name] = d
        return d

    def get(self, name: str) -> type[Detector]:
        try:
            return self.detectors[name]
        except KeyError:
            why = f" (refused: {self.refused[name]})" if name in self.refused else ""
            known = ", ".join(sorted(self.detectors)) or "none"
            raise UnknownDetector(f"no detector named {name!r}{why}; registered: {known}") from None

    def select(self, wanted: Sequence[str | type[Detector]] | None = None) -> list[type[Detector]]:
        """Detectors by name or class (classes are checked and added); all when ``None``."""
        if wanted is None:
            return [self.detectors[n] for n in sorted(self.detectors)]
        out: list[type[Detector]] = []
        for w in wanted:
            cls = self.get(w) if isinstance(w, str) else w
            if cls not in out:
                out.append(cls)
        return out

    def describe(self) -> list[dict[str, Any]]:
        """One row per registered detector, for listings."""
        return [describe_detector(self.detectors[n]) for n in sorted(self.detectors)]


def describe_detector(cls: type[Detector]) -> dict[str, Any]:
    params = cls.Params.model_json_schema().get("properties", {})
    defaults = cls.Params().model_dump(mode="json")
    return {
        "name": cls.name,
        "version": cls.version,
        "title": cls.title,
        "standard": cls.standard,
        "purpose": cls.purpose,
        "reads": {t: list(c) for t, c in cls.reads.items()},
        "optional_reads": {t: list(c) for t, c in cls.optional_reads.items()},
        "params": {k: defaults.get(k) for k in params},
        "max_route": cls.max_route,
        "routes": list(getattr(cls, "routes", ())),
        "evidence_kinds": dict(getattr(cls, "evidence_kinds", {})),
        "standalone_conduct": cls.standalone_conduct,
        "scenarios": list(cls.scenarios),
        "explanations_checked": list(cls.explanations_checked),
        "module": cls.__module__,
    }


def check_detector(cls: Any, *, derived: dict[str, DerivedSource] | None = None) -> list[str]:
    """Every reason the class may not be registered; empty when it may."""
    derived = derived or {}
    if not (inspect.isclass(cls) and issubclass(cls, Detector)):
        return [f"{cls!r} is not a Detector subclass"]
    problems: list[str] = []
    for attr in ("name", "version", "title", "standard", "reads", "explain"):
        if not hasattr(cls, attr):
            problems.append(f"declares no {attr}")
    if problems:
        return problems
    if inspect.isabstract(cls):
        problems.append("does not implement build()")
    if not isinstance(cls.name, str) or not _NAME.match(cls.name):
        problems.append(f"name {cls.name!r} must be lower_snake_case")
    if not isinstance(cls.version, str) or not cls.version:
        problems.append("version must be a non-empty string")
    if cls.standard not in STANDARDS:
        problems.append(f"standard {cls.standard!r} is not a heading of the Standards of Professional Behaviour")
    if cls.purpose not in PURPOSES:
        problems.append(f"unknown purpose {cls.purpose!r}; expected one of {', '.join(PURPOSES)}")
    elif cls.purpose in AUDIT_ONLY:
        problems.append(f"purpose {cls.purpose!r} is the fairness audit's alone; no detector may declare it")
    if cls.max_route is not None and cls.max_route not in ROUTES:
        problems.append(f"max_route {cls.max_route!r} is not a route")
    problems += _check_kinds(cls)
    problems += [
        f"coverage_exempt {t!r} is not one of its optional_reads"
        for t in getattr(cls, "coverage_exempt", ()) if t not in getattr(cls, "optional_reads", {})
    ]
    unknown = [s for s in cls.scenarios if s not in SCENARIOS]
    if unknown:
        problems.append(f"unknown scenarios {unknown}")
    for attr in ("lookback_days", "lookahead_days"):
        if not isinstance(getattr(cls, attr), int) or getattr(cls, attr) < 0:
            problems.append(f"{attr} must be a non-negative integer")
    if not cls.reads:
        problems.append("reads nothing: declare the tables and columns it reads")
    for decl in (cls.reads, cls.optional_reads):
        for table, cols in decl.items():
            problems += _check_read(table, tuple(cols), cls.purpose, derived)
    problems += _check_explain(cls.explain)
    if not (inspect.isclass(cls.Params) and issubclass(cls.Params, BaseModel)):
        problems.append("Params must be a pydantic model")
    else:
        try:
            cls.Params()
        except Exception as e:  # noqa: BLE001 - any validation failure refuses the detector
            problems.append(f"default parameters are invalid: {_one_line(e)}")
    return problems


def _check_kinds(cls: Any) -> list[str]:
    """Declared routes are routes; a detector that declares a route in `GRAVE_ROUTES` declares at
    least `MIN_KINDS_FOR_GRAVE` independent kinds of evidence (labels usable in a ``detail``)."""
    problems: list[str] = []
    routes = getattr(cls, "routes", ())
    if isinstance(routes, str) or not isinstance(routes, tuple | list):
        return ["routes must be a tuple of routes"]
    problems += [f"route {r!r} is not a route" for r in routes if r not in ROUTES]
    kinds = getattr(cls, "evidence_kinds", {})
    if not isinstance(kinds, dict):
        return [*problems, "evidence_kinds must be a dict of key -> label"]
    for key, label in kinds.items():
        if not isinstance(key, str) or not _NAME.match(key):
            problems.append(f"evidence kind {key!r} must be lower_snake_case")
        if not isinstance(label, str) or not label.strip() or any(c in label for c in ";[]"):
            problems.append(f"evidence kind {key!r} needs a label without ';', '[' or ']'")
    if len(set(kinds.values())) != len(kinds):
        problems.append("evidence kinds need distinct labels")
    grave = sorted(set(routes) & GRAVE_ROUTES)
    if grave and len(kinds) < MIN_KINDS_FOR_GRAVE:
        problems.append(
            f"can recommend {', '.join(grave)} but declares {len(kinds)} independent kind(s) of evidence "
            f"(evidence_kinds); those routes need at least {MIN_KINDS_FOR_GRAVE}"
        )
    return problems


def _check_read(table: str, cols: tuple[str, ...], purpose: str, derived: dict[str, DerivedSource]) -> list[str]:
    if isinstance(cols, str):
        return [f"reads[{table!r}] must be a tuple of column names, not a string"]
    if not cols:
        return [f"declares no columns of {table}"]
    problems: list[str] = []
    if table in derived:
        declared = derived[table].columns
        if declared:
            problems += [f"{table} has no column {c}" for c in cols if c not in declared]
    elif table in BY_NAME:
        if not BY_NAME[table].ingested:
            return [f"{table} is never readable by a detector"]
        names = BY_NAME[table].column_names
        problems += [f"{table} has no column {c}" for c in cols if c not in names]
    elif table not in BY_TABLE:
        return [f"{table} is neither a contract table nor a derived source"]
    return problems + check_access(table, cols, purpose)


def _check_explain(template: Any) -> list[str]:
    if not isinstance(template, str) or not template.strip():
        return ["explain must be a one-sentence template"]
    from fairwitness.detectors.signals import format_explanation, sample_row

    try:
        fields = {f for _, f, _, _ in __import__("string").Formatter().parse(template) if f}
    except ValueError as e:
        return [f"explain template is malformed: {e}"]
    bad = sorted({f.split(".")[0].split("[")[0] for f in fields} - EXPLAIN_FIELDS)
    if bad:
        return [f"explain template uses unknown fields {bad}; available: {', '.join(sorted(EXPLAIN_FIELDS))}"]
    try:
        format_explanation(template, sample_row())
    except Exception as e:  # noqa: BLE001
        return [f"explain template does not format: {_one_line(e)}"]
    return []


def check_derived(d: Any) -> list[str]:
    if not isinstance(d, DerivedSource):
        return [f"{d!r} is not a DerivedSource"]
    problems: list[str] = []
    if not _NAME.match(d.name):
        problems.append(f"name {d.name!r} must be lower_snake_case")
    if d.name not in BY_TABLE:
        problems.append(f"{d.name} is not in the purpose register: register it before deriving it")
    if d.name in BY_NAME:
        problems.append(f"{d.name} is a contract table; a derived source needs its own name")
    if d.purpose not in PURPOSES:
        problems.append(f"unknown purpose {d.purpose!r}")
    elif d.purpose in AUDIT_ONLY:
        problems.append(f"purpose {d.purpose!r} is the fairness audit's alone; no derived source may declare it")
    if not callable(d.compute):
        problems.append("compute is not callable")
    for decl in (d.reads, d.optional_reads):
        for table, cols in decl.items():
            if table not in BY_NAME:
                problems.append(f"{table} is not a contract table")
                continue
            problems += _check_read(table, tuple(cols), d.purpose, {})
    return problems


def _one_line(e: BaseException) -> str:
    return " ".join(str(e).split())


def _load_object(spec: str) -> Any:
    module, _, attr = spec.partition(":")
    obj: Any = importlib.import_module(module)
    for part in attr.split(".") if attr else ():
        obj = getattr(obj, part)
    return obj


def _as_list(obj: Any) -> list[Any]:
    if inspect.isclass(obj) or isinstance(obj, DerivedSource):
        return [obj]
    if callable(obj):
        obj = obj()
    if inspect.isclass(obj) or isinstance(obj, DerivedSource):
        return [obj]
    return list(obj)


def arrow_compute(fn: Callable[..., Any]) -> Callable[[Any], Any]:
    """Adapt a pure function of Arrow tables (``f(external_records, people, ...)``) to the
    `DerivedSource` hook: each parameter named like a table it reads receives that table,
    restricted and filtered, as a ``pyarrow.Table`` (``None`` for an optional one not loaded)."""
    names = [
        p.name
        for p in inspect.signature(fn).parameters.values()
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty
    ]

    def compute(src: Any) -> Any:
        args = [src.table(n).to_pyarrow() if src.has(n) else None for n in names]
        return fn(*args)

    compute.__doc__ = fn.__doc__
    compute.__name__ = getattr(fn, "__name__", "compute")
    compute.reads_period = False  # type: ignore[attr-defined]  # only its tables' rows: see incremental
    return compute


def _builtin_derived(name: str, obj: Any) -> DerivedSource:
    if isinstance(obj, DerivedSource):
        return obj
    module = importlib.import_module(obj.__module__) if hasattr(obj, "__module__") else None
    declared = getattr(module, "DERIVED", None)
    if isinstance(declared, DerivedSource) and declared.name == name:
        return declared
    schema = getattr(module, "LINK_SCHEMA", None) if name == "external_links" else None
    return DerivedSource(
        name=name,
        compute=arrow_compute(obj),
        reads=getattr(obj, "reads", EXTERNAL_LINKS_READS),
        purpose=getattr(obj, "purpose", "record_linkage"),
        version=str(getattr(module, "LINKAGE_VERSION", getattr(obj, "version", "1"))),
        columns=tuple(schema.names) if schema is not None else tuple(getattr(obj, "columns", ())),
        doc=(obj.__doc__ or "").strip().splitlines()[0] if obj.__doc__ else "",
        # each record's links come from that record and ``people`` alone (fixed model, no training)
        rows_of=("external_records", "record_id") if name == "external_links" else getattr(obj, "rows_of", None),
    )


def load_registry(
    detectors: Iterable[type[Detector]] | None = None,
    *,
    plugins: bool = True,
    derived: Iterable[DerivedSource] = (),
    loader: Callable[[str], Iterable[Any]] | None = None,
) -> Registry:
    """A registry of checked detectors.

    ``plugins``: load the ``fairwitness.detectors`` / ``fairwitness.derived`` entry points and
    `BUILTIN_DERIVED`. ``detectors`` / ``derived``: classes and derived sources passed directly
    (tests). A plugin that fails to import or a refused detector is recorded in ``refused``;
    a class passed directly and refused raises `DetectorRefused`."""
    reg = Registry()
    eps = loader or (lambda group: entry_points(group=group))
    if plugins:
        for name, spec in BUILTIN_DERIVED.items():
            try:
                reg.add_derived(_builtin_derived(name, _load_object(spec)))
            except ModuleNotFoundError as e:
                reg.refused[f"derived:{name}"] = f"not available ({e})"
            except Exception as e:  # noqa: BLE001 - one bad plugin must not stop the others
                reg.refused[f"derived:{name}"] = _one_line(e)
        for ep in eps(DERIVED_GROUP):
            try:
                for d in _as_list(ep.load()):
                    reg.add_derived(d)
            except Exception as e:  # noqa: BLE001
                reg.refused[f"plugin:{ep.name}"] = f"derived-source plugin {ep.value} failed: {_one_line(e)}"
    for d in derived:
        reg.add_derived(d)
    if plugins:
        for ep in eps(DETECTOR_GROUP):
            try:
                classes = _as_list(ep.load())
            except Exception as e:  # noqa: BLE001
                reg.refused[f"plugin:{ep.name}"] = f"detector plugin {ep.value} failed to load: {_one_line(e)}"
                continue
            for cls in classes:
                try:
                    reg.add(cls)
                except DetectorRefused as e:
                    reg.refused[getattr(cls, "name", repr(cls))] = str(e)
    for cls in detectors or ():
        reg.add(cls)
    return reg
