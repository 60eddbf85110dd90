"""The detector contract: a small declared object that builds an Ibis expression.

A detector never executes anything. It declares what it reads (tables and
columns, checked against the purpose register when it is loaded), its typed
parameters, and builds one Ibis expression whose rows are its signals. The
runner (`fairwitness.detectors.runner`) executes it on DuckDB or Spark, formats
the plain-English explanation from ``explain`` and records everything.

Every expression returned by ``build`` has exactly the columns of
``SIGNAL_COLUMNS`` (a detector with its own ``finish`` may add columns after them, named
with a leading underscore, for ``finish`` to read; it returns the signal columns alone):

==================  =============  ==================================================
column              type           meaning
==================  =============  ==================================================
staff_id            string         the person flagged
period_start        date           first day of the period the signal covers
period_end          date           last day (inclusive)
value               float64        the person's value of the measure
peer_median         float64|null   median of the same measure in the peer group
peer_percentile     float64|null   the person's percentile in the peer group (0–100)
peer_group          string|null    how the peer group was defined, human-readable
score               float64        0–1, higher = stronger evidence
route               string         recommended route (`fairwitness.routes.ROUTES`)
evidence_table      string         source table of the evidence rows
evidence_keys       array<string>  keys of the evidence rows in that table
explanations_found  array<string>  legitimate explanations found (may be empty)
detail              string|null    short extra fact for the explanation (e.g. counterparty)
==================  =============  ==================================================
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, ClassVar

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:  # pragma: no cover
    import ibis.expr.types as ir
    import pyarrow as pa

    from fairwitness.detectors.sources import Sources

SIGNAL_COLUMNS: dict[str, str] = {
    "staff_id": "string",
    "period_start": "date",
    "period_end": "date",
    "value": "float64",
    "peer_median": "float64",
    "peer_percentile": "float64",
    "peer_group": "string",
    "score": "float64",
    "route": "string",
    "evidence_table": "string",
    "evidence_keys": "array<string>",
    "explanations_found": "array<string>",
    "detail": "string",
}

STANDARDS: tuple[str, ...] = (
    "Honesty and integrity",
    "Authority, respect and courtesy",
    "Equality and diversity",
    "Use of force",
    "Orders and instructions",
    "Duties and responsibilities",
    "Confidentiality",
    "Fitness for work",
    "Discreditable conduct",
    "Challenging and reporting improper conduct",
)
"""Headings of the Standards of Professional Behaviour (Police (Conduct) Regulations 2020, Sch. 2)."""

KINDS_PREFIX = "independent kinds of evidence: "
"""How a signal names the independent kinds of evidence present in it: its ``detail`` ends with
``[independent kinds of evidence: <label>; <label>]``, the labels being values of the
detector's ``evidence_kinds``. So the explanation names them, and `kinds_in` reads them back."""

_KINDS = re.compile(r"\[" + re.escape(KINDS_PREFIX) + r"([^\]]*)\]")


def kinds_in(detail: str | None, declared: dict[str, str]) -> list[str]:
    """The kinds (keys of ``declared``) a signal's ``detail`` names, in declared order.

    A label that is not declared raises `ValueError`: a detector may only claim the kinds it
    declared (so the registry's check of routes against kinds holds at run time)."""
    if not detail:
        return []
    by_label = {label: key for key, label in declared.items()}
    found: set[str] = set()
    for m in _KINDS.finditer(detail):
        for label in (x.strip() for x in m.group(1).split(";")):
            if not label:
                continue
            if label not in by_label:
                raise ValueError(
                    f"the signal names the kind of evidence {label!r}, which the detector does not declare "
                    f"(declared: {', '.join(declared.values()) or 'none'})"
                )
            found.add(by_label[label])
    return [k for k in declared if k in found]


class NoParams(BaseModel):
    """For detectors without parameters."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Detector(ABC):
    """Base class of every detector. Subclasses only declare and build."""

    name: ClassVar[str]
    """Stable identifier, also the module name and the docs anchor."""
    version: ClassVar[str]
    """Bump whenever the logic or defaults change: it goes into the run id."""
    title: ClassVar[str]
    standard: ClassVar[str]
    """The Standards of Professional Behaviour heading the pattern relates to."""
    purpose: ClassVar[str] = "counter_corruption"
    """A purpose from `fairwitness.contract.purposes.PURPOSES`."""
    reads: ClassVar[dict[str, tuple[str, ...]]]
    """Tables and the columns read from each; nothing else is visible to ``build``."""
    optional_reads: ClassVar[dict[str, tuple[str, ...]]] = {}
    """Tables used when loaded (e.g. to find legitimate explanations), skipped otherwise."""
    coverage_exempt: ClassVar[tuple[str, ...]] = ()
    """Optional sources whose absence can only hide a breach, never make an honest person look like
    one (e.g. expenses, a second place where self-authorisation shows): the data-coverage gate
    (`fairwitness.detectors.coverage`) does not hold the detector's routes when they are missing."""
    explanations_checked: ClassVar[tuple[str, ...]] = ()
    """The legitimate explanations this detector looks for before flagging."""
    explain: ClassVar[str]
    """One-sentence template, formatted with the signal's columns (``{value}``, ``{peer_median}``, ``{detail}``, ``{period_start}``…)."""
    scenarios: ClassVar[tuple[str, ...]] = ()
    """Ground-truth scenarios (`fairwitness.scenarios`) this detector is meant to find."""
    Params: ClassVar[type[BaseModel]] = NoParams
    routes: ClassVar[tuple[str, ...]] = ()
    """The routes this detector can recommend. Empty: any, up to ``max_route`` — the gravest
    routes still need declared ``evidence_kinds`` (the runner caps a signal without them)."""
    evidence_kinds: ClassVar[dict[str, str]] = {}
    """Independent kinds of evidence the detector can find: key -> label. A detector that can
    recommend ``gross_misconduct_assessment`` or ``criminal_referral`` declares at least two
    (the registry refuses it otherwise), and a signal takes those routes only when its
    ``detail`` names at least two present (`KINDS_PREFIX`); one kind stops at
    ``misconduct_assessment`` (`fairwitness.routes.corroborated_route`)."""
    max_route: ClassVar[str | None] = None
    """The gravest route this detector may recommend (`fairwitness.routes.ROUTES`); the runner
    caps every signal's route at it. ``None``: no cap. A detector whose ``purpose`` is
    ``wellbeing`` is always routed ``wellbeing``, whatever it says."""
    standalone_conduct: ClassVar[bool] = True
    """False for detectors (e.g. a multivariate anomaly score) that may never, on their own, put a
    person on a conduct route: combination caps them at ``advice`` unless another detector's
    signal about the same person corroborates at ``advice`` or above."""
    lookback_days: ClassVar[int] = 0
    """Days before the run's period that the detector also sees in event and interval tables
    (e.g. a baseline); register tables (declarations, cases…) are always visible up to the end."""
    lookahead_days: ClassVar[int] = 0
    """Days after the run's period that the detector also sees in event and interval tables
    (e.g. 1 to see the badge and device events of a night shift that ends the morning after)."""

    finish_imports: ClassVar[tuple[str, ...]] = ()
    """Modules ``finish`` imports (e.g. ``sklearn.ensemble``): a run imports them in a background
    thread from its start, while the engine runs queries, so their import time (1.5 s for
    scikit-learn) is not paid between two queries."""

    orders_rows: ClassVar[bool] = False
    """True when ``finish`` puts the query's rows in a total order of its own before it reads
    them: the runner then hands them over as the engine returns them. Otherwise they are first
    sorted on every column (`fairwitness.detectors.execution.finish_prepared`), so ``finish`` sees
    the same rows in the same order on every engine."""

    def __init__(self, params: BaseModel | dict[str, object] | None = None) -> None:
        if params is None:
            params = {}
        if isinstance(params, dict):
            params = self.Params.model_validate(params)
        if not isinstance(params, self.Params):
            raise TypeError(f"{self.name}: parameters must be {self.Params.__name__}")
        self.params = params

    @abstractmethod
    def build(self, src: Sources) -> ir.Table:
        """Return the signals expression (columns: `SIGNAL_COLUMNS`). Never execute."""

    def finish(self, result: pa.Table) -> pa.Table:
        """Optional pure step on the executed result (e.g. a model score over features built by
        ``build``). Must return a table with the columns of `SIGNAL_COLUMNS`. Default: unchanged."""
        return result

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name} v{self.version} {self.params!r}>"
