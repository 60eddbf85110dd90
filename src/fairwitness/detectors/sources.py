"""What a detector sees: the declared columns of loaded sources, within the run's period.

The runner builds one `Sources` per detector. ``table(name)`` returns an Ibis
table holding only the columns the detector declared in ``reads`` /
``optional_reads`` (reading anything else fails when the expression is built),
with privacy filters applied in the view itself (device location outside duty
is never visible).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import ibis.expr.types as ir


class SourceNotLoaded(LookupError):
    """A detector needs a source that is not loaded in the workspace."""


@dataclass
class Sources:
    """Declared, filtered views of the loaded contract tables for one detector."""

    tables: dict[str, ir.Table]
    """Loaded tables, already restricted and filtered by the runner."""
    period_start: dt.date
    period_end: dt.date
    """Inclusive bounds of the run's period."""
    allowed: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def has(self, name: str) -> bool:
        return name in self.tables

    def table(self, name: str) -> ir.Table:
        if name not in self.tables:
            raise SourceNotLoaded(f"source {name!r} is not loaded in this workspace")
        t = self.tables[name]
        cols = self.allowed.get(name)
        return t.select(*cols) if cols else t
