"""The people a fairness audit compares, and the groups each belongs to.

The population is everyone in post at some point of the run's period. Each person has one
value per attribute in `ATTRIBUTES`: the protected characteristics from ``people_protected``
(sex, ethnicity group, age band, disability: the only place in fairwitness that reads that
table, under the ``fairness_audit`` purpose of the purpose register) and three workload
proxies, because a detector that mistakes workload for wrongdoing hurts whoever carries it:
the FTE band (from ``people.fte``), the shift pattern (from the period's ``shifts``) and the
unit type (``units.unit_type``). A missing value is its own group, ``not recorded``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from fairwitness.contract.purposes import check_access

PROTECTED: tuple[str, ...] = ("sex", "ethnicity_group", "age_band", "disability")
WORKLOAD: tuple[str, ...] = ("fte_band", "shift_pattern", "unit_type")
ATTRIBUTES: tuple[str, ...] = (*PROTECTED, *WORKLOAD)
LABELS: dict[str, str] = {
    "sex": "Sex",
    "ethnicity_group": "Ethnicity group",
    "age_band": "Age band",
    "disability": "Disability",
    "fte_band": "FTE band",
    "shift_pattern": "Shift pattern",
    "unit_type": "Unit type",
}
NOT_RECORDED = "not recorded"
NIGHT_SHARE = 0.10
"""A person whose rostered shifts in the period start at night (20:00-04:59 UTC) at least this
often works a pattern that ``includes nights``; otherwise ``days only``; no shift: ``not rostered``."""

_PROTECTED_COLUMNS = ("staff_id", *PROTECTED)


class PopulationError(ValueError):
    """The workspace lacks what a fairness audit needs."""


def _sql(ws: Any, con: Any, name: str) -> str:
    return f"({ws.table_sql(name)})"


def population(ws: Any, period: tuple[dt.date, dt.date]) -> pd.DataFrame:
    """One row per person in post during ``period``: ``staff_id`` and one column per attribute."""
    refused = check_access("people_protected", _PROTECTED_COLUMNS, "fairness_audit")
    if refused:  # the purpose register is the authority: never read it otherwise
        raise PopulationError("; ".join(refused))
    loaded = set(ws.loaded_tables())
    if "people" not in loaded:
        raise PopulationError(f"{ws.path}: the people table is not loaded; ingest it before a fairness audit")
    p0, p1 = period
    con = ws.connect()
    try:
        protected = (
            f"LEFT JOIN (SELECT {', '.join(_PROTECTED_COLUMNS)} FROM people_protected) pp USING (staff_id)"
            if "people_protected" in loaded
            else ""
        )
        cols = ", ".join(f"pp.{c}" if protected else f"NULL AS {c}" for c in PROTECTED)
        units = "LEFT JOIN (SELECT unit_id, unit_type FROM units) u USING (unit_id)" if "units" in loaded else ""
        unit_type = "u.unit_type" if units else "NULL"
        if "shifts" in loaded:
            nights = (
                "LEFT JOIN (SELECT staff_id, count(*) AS n, "
                "avg(CASE WHEN hour(start) >= 20 OR hour(start) < 5 THEN 1 ELSE 0 END) AS night "
                "FROM shifts WHERE CAST(start AS DATE) BETWEEN ? AND ? GROUP BY staff_id) s USING (staff_id)"
            )
            params: list[Any] = [p0, p1]
        else:
            nights, params = "LEFT JOIN (SELECT NULL AS staff_id, 0 AS n, 0.0 AS night) s USING (staff_id)", []
        sql = f"""
            SELECT p.staff_id, {cols}, p.fte, {unit_type} AS unit_type, coalesce(s.n, 0) AS shifts, s.night
            FROM people p {protected} {units} {nights}
            WHERE CAST(p.start_date AS DATE) <= ? AND (p.end_date IS NULL OR CAST(p.end_date AS DATE) >= ?)
        """
        df = con.execute(sql, [*params, p1, p0]).df()
    finally:
        con.close()
    df["fte_band"] = df["fte"].map(fte_band)
    df["shift_pattern"] = [
        "not rostered" if n == 0 else ("includes nights" if night >= NIGHT_SHARE else "days only")
        for n, night in zip(df["shifts"], df["night"].fillna(0.0), strict=True)
    ]
    for c in ATTRIBUTES:
        df[c] = df[c].astype(object).where(df[c].notna(), NOT_RECORDED).astype(str)
    return df[["staff_id", *ATTRIBUTES]].drop_duplicates("staff_id").reset_index(drop=True)


def fte_band(fte: float | None) -> str:
    """``full time`` (1.0), ``part time 0.5-0.99``, ``under 0.5`` (specials, volunteers, few hours)."""
    if fte is None or pd.isna(fte):
        return NOT_RECORDED
    if fte >= 0.995:
        return "full time"
    return "part time 0.5-0.99" if fte >= 0.5 else "under 0.5"
