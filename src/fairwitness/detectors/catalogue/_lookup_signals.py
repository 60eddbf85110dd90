"""The signal rows of the police-systems lookup detectors (not a detector): the rows of
`_lookups.assess` projected onto the signal columns, with their detail and explanations found."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import ibis
import ibis.expr.types as ir

from fairwitness.detectors.base import SIGNAL_COLUMNS
from fairwitness.detectors.catalogue._common import flags, fmt
from fairwitness.detectors.catalogue._lookup_context import CASELESS_LABEL, ROLE_LABEL, TEAM_LABEL

if TYPE_CHECKING:
    from fairwitness.detectors.catalogue._lookups import LookupParams

RECALL_LABEL = "lookups while recalled to duty: those in line with everybody else recalled are not counted"


def lookup_signals(
    t: ir.Table, p: LookupParams, *, subjects: Callable[[ir.Table], ir.StringValue], explained_label: str
) -> ir.Table:
    """Project the rows of `assess` onto `SIGNAL_COLUMNS` (the period is the row's own: the
    run's, or the flagged window). ``subjects`` gives the detail's first clause."""
    window = ibis.ifelse(
        t.in_window,
        ibis.literal(f"in the {p.window_days} days ")
        + t.period_start.cast("string")
        + " to "
        + t.period_end.cast("string")
        + ": ",
        "",
    )
    usual = ibis.ifelse(
        t.in_window,
        "; "
        + fmt(t.n.cast("float64") / ibis.greatest(t.usual, ibis.literal(1.0)), 1)
        + ibis.literal(f" times their usual count per {p.window_days} days (median ")
        + fmt(t.usual, 1)
        + ", z "
        + fmt(t.burst_z, 1)
        + " above it)",
        "",
    )
    detail = (
        window
        + subjects(t)
        + "; "
        + fmt(t.share * 100, 0)
        + "% of their lookups against a peer median of "
        + fmt(t.peer_share * 100, 0)
        + "%; robust z "
        + fmt(t.robust_z, 1)
        + usual
    )
    cols = {
        "staff_id": t.staff_id.cast("string"),
        "period_start": t.period_start.cast("date"),
        "period_end": t.period_end.cast("date"),
        "value": t.n.cast("float64"),
        "peer_median": t.peer_median.cast("float64"),
        "peer_percentile": t.peer_percentile.cast("float64"),
        "peer_group": t.peer_group.cast("string"),
        "score": t.score.cast("float64"),
        "route": t.route.cast("string"),
        "evidence_table": ibis.literal("system_access").cast("string"),
        "evidence_keys": t.ev.cast("array<string>"),
        "explanations_found": flags(
            (t.explained, explained_label),
            (t.n_recall > 0, RECALL_LABEL),
            (t.in_team, TEAM_LABEL),
            (t.in_role, ROLE_LABEL),
            (t.caseless, CASELESS_LABEL),
        ).cast("array<string>"),
        "detail": detail.cast("string"),
    }
    assert list(cols) == list(SIGNAL_COLUMNS)
    return t.select(**cols)


__all__ = ["RECALL_LABEL", "lookup_signals"]
