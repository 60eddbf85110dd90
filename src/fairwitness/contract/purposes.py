"""The purpose register: why each source may be read, by what, and for how long.

Each source declares its lawful basis, the purposes it may be processed for, its
retention, and columns that are more restricted than the table (for example the
names used only for record linkage, or device location readable only inside duty
hours). Detectors declare a purpose and the columns they read; the detector
registry refuses one that reads outside this register. The register is exported
for a data protection impact assessment by `fairwitness purposes`.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

PURPOSES: dict[str, str] = {
    "counter_corruption": "Detecting and preventing corruption, abuse of position and misconduct (Standards of Professional Behaviour).",
    "attendance_policy": "Checking compliance with the hybrid office-attendance rule.",
    "wellbeing": "Identifying excess hours and absence patterns that call for welfare support.",
    "record_linkage": "Linking external records keyed by name and date of birth to a person.",
    "fairness_audit": "Measuring false positives and outcomes by protected group.",
}

AUDIT_ONLY: frozenset[str] = frozenset({"fairness_audit"})
"""Purposes no detector or derived source may declare: ``people_protected`` is read by the fairness audit (`fairwitness.fairness.groups`) and nowhere else."""

_LE = "Law enforcement processing, DPA 2018 Part 3, s.35 (sensitive processing: s.35(5) and Sch. 8)"
_EMP = "UK GDPR Art. 6(1)(c) and (e): legal obligations and public task of the employer (Police Regulations 2003, Police (Conduct) Regulations 2020)"
_FAIR = "UK GDPR Art. 9(2)(g) and DPA 2018 Sch. 1 para 8: equality of opportunity or treatment"


class Restriction(BaseModel):
    model_config = ConfigDict(frozen=True)
    column: str
    purposes: tuple[str, ...]
    note: str


class Source(BaseModel):
    """One registered source table."""

    model_config = ConfigDict(frozen=True)
    table: str
    lawful_basis: str
    purposes: tuple[str, ...]
    retention_months: int
    restrictions: tuple[Restriction, ...] = ()

    def permits(self, column: str, purpose: str) -> bool:
        for r in self.restrictions:
            if r.column == column:
                return purpose in r.purposes
        return purpose in self.purposes


_CC = ("counter_corruption",)
_ALL_CONDUCT = ("counter_corruption", "attendance_policy", "wellbeing")

REGISTER: tuple[Source, ...] = (
    Source(table="sites", lawful_basis=_EMP, purposes=(*_ALL_CONDUCT, "fairness_audit"), retention_months=120),
    Source(table="units", lawful_basis=_EMP, purposes=(*_ALL_CONDUCT, "fairness_audit"), retention_months=120),
    Source(
        table="people",
        lawful_basis=_EMP,
        purposes=(*_ALL_CONDUCT, "fairness_audit", "record_linkage"),
        retention_months=72,
        restrictions=(
            Restriction(column="display_name", purposes=("record_linkage",), note="shown only after recorded re-identification"),
            Restriction(column="date_of_birth", purposes=("record_linkage",), note="linkage only"),
        ),
    ),
    Source(
        table="people_protected",
        lawful_basis=_FAIR,
        purposes=("fairness_audit",),
        retention_months=72,
    ),
    Source(table="identities", lawful_basis=_EMP, purposes=(*_ALL_CONDUCT, "record_linkage"), retention_months=72),
    Source(table="shifts", lawful_basis=_EMP, purposes=_ALL_CONDUCT, retention_months=24),
    Source(table="roster_changes", lawful_basis=_EMP, purposes=_CC, retention_months=24),
    Source(table="overtime_claims", lawful_basis=_EMP, purposes=_ALL_CONDUCT, retention_months=72),
    Source(table="absences", lawful_basis=_EMP, purposes=_ALL_CONDUCT, retention_months=24),
    Source(table="badge_events", lawful_basis=_EMP, purposes=_ALL_CONDUCT, retention_months=13),
    Source(
        table="device_events",
        lawful_basis=_EMP,
        purposes=_ALL_CONDUCT,
        retention_months=13,
        restrictions=(
            Restriction(
                column="lat", purposes=_ALL_CONDUCT, note="only rows inside rostered duty or approved overtime are visible"
            ),
            Restriction(
                column="lon", purposes=_ALL_CONDUCT, note="only rows inside rostered duty or approved overtime are visible"
            ),
        ),
    ),
    Source(table="system_access", lawful_basis=_LE, purposes=_CC, retention_months=72),
    Source(table="comms_events", lawful_basis=_LE, purposes=_CC, retention_months=13),
    Source(table="expenses", lawful_basis=_EMP, purposes=_CC, retention_months=72),
    Source(table="case_parties", lawful_basis=_LE, purposes=_CC, retention_months=72),
    Source(table="declarations", lawful_basis=_EMP, purposes=(*_CC, "record_linkage"), retention_months=72),
    Source(table="external_records", lawful_basis=_LE, purposes=(*_CC, "record_linkage"), retention_months=72),
    Source(table="complaints", lawful_basis=_EMP, purposes=_CC, retention_months=72),
    Source(
        table="external_links",
        lawful_basis=_LE,
        purposes=_CC,
        retention_months=72,
    ),
)
"""``external_links`` is derived, not imported: external records linked to staff by record linkage."""

BY_TABLE: dict[str, Source] = {s.table: s for s in REGISTER}


def check_access(table: str, columns: list[str] | tuple[str, ...], purpose: str) -> list[str]:
    """Reasons the access is not permitted; empty when it is."""
    if purpose not in PURPOSES:
        return [f"unknown purpose {purpose!r}"]
    src = BY_TABLE.get(table)
    if src is None:
        return [f"{table} is not in the purpose register"]
    return [
        f"{table}.{c} may not be read for {purpose}" for c in columns if not src.permits(c, purpose)
    ]


def register_as_records() -> list[dict[str, object]]:
    """The register as plain rows, for export (DPIA) and documentation."""
    rows: list[dict[str, object]] = []
    for s in REGISTER:
        rows.append(
            {
                "table": s.table,
                "lawful_basis": s.lawful_basis,
                "purposes": list(s.purposes),
                "retention_months": s.retention_months,
                "restrictions": [r.model_dump() for r in s.restrictions],
            }
        )
    return rows
