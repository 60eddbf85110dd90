"""The fairwitness import contract, version 1, declared table by table.

Read `docs/reference/contract.md` for the same content as prose; a test checks that
the document is regenerated whenever this file changes.
"""

from __future__ import annotations

from fairwitness.contract.schema import Column as C
from fairwitness.contract.schema import Table
from fairwitness.contract.notes import ABSENCE_STATUS_DOC, ACTIVITY_DOC, PART_DAY_DOC

CONTRACT_VERSION = "1.0"
LOCAL_TIMEZONE = "Europe/London"
PART_DAY_HOURS = 7.0
"""A record of one day with fewer hours absent than this is part of that day (a police staff
day is 7.4 hours, a shift 8 to 12)."""
ABSENCE_STATUSES = ("approved", "pending", "rejected", "cancelled", "withdrawn")
ABSENCE_WITHDRAWN = ("rejected", "cancelled", "withdrawn")
"""Statuses of an absence that did not happen: no detector sees such a record."""
_staff = C(name="staff_id", kind="string", references="people.staff_id", doc="the person")
_site = C(name="site_id", kind="string", references="sites.site_id")

TABLES: tuple[Table, ...] = (
    Table(
        name="sites",
        group="Who and where",
        doc="Buildings: stations, offices, custody suites.",
        key=("site_id",),
        optional=False,
        columns=(
            C(name="site_id", kind="string"),
            C(name="name", kind="string"),
            C(name="kind", kind="enum", values=("station", "office", "custody", "other")),
            C(name="lat", kind="float", required=False, min=-90, max=90),
            C(name="lon", kind="float", required=False, min=-180, max=180),
        ),
    ),
    Table(
        name="units",
        group="Who and where",
        doc="Teams and departments; the unit type drives peer groups and demand.",
        key=("unit_id",),
        optional=False,
        depends_on=("sites",),
        columns=(
            C(name="unit_id", kind="string"),
            C(name="name", kind="string"),
            C(
                name="unit_type",
                kind="enum",
                values=("response", "neighbourhood", "investigation", "custody", "specialist", "hq", "other"),
            ),
            C(name="command", kind="string", required=False, doc="the command or BCU (no detector reads it)"),
            _site,
        ),
    ),
    Table(
        name="people",
        group="Who and where",
        doc="Everyone in the workforce, current and former.",
        key=("staff_id",),
        optional=False,
        depends_on=("units",),
        columns=(
            C(name="staff_id", kind="string"),
            C(name="rank_grade", kind="string", doc="rank (officers) or grade (staff)"),
            C(name="role", kind="string"),
            C(name="unit_id", kind="string", references="units.unit_id"),
            C(name="employment_type", kind="enum", values=("officer", "staff", "special", "volunteer")),
            C(name="fte", kind="float", min=0, max=1, min_exclusive=True, doc="full-time equivalent"),
            C(name="start_date", kind="date"),
            C(name="end_date", kind="date", required=False, nullable=True, doc="empty = in post"),
            C(name="hybrid_policy", kind="bool", required=False, doc="covered by the office-attendance rule; empty or left out: not covered"),
            C(
                name="line_manager_id",
                kind="string",
                required=False,
                nullable=True,
                references="people.staff_id",
                doc="a staff_id; empty at the top",
            ),
            C(
                name="display_name",
                kind="string",
                required=False,
                personal=True,
                doc="optional; for record linkage, shown only after a recorded re-identification",
            ),
            C(name="date_of_birth", kind="date", required=False, personal=True, doc="optional; for record linkage only"),
        ),
    ),
    Table(
        name="people_protected",
        group="Who and where",
        doc="Protected characteristics: read only by the fairness audit, never by a detector.",
        key=("staff_id",),
        depends_on=("people",),
        columns=(
            _staff,
            C(name="sex", kind="string", required=False, personal=True),
            C(name="ethnicity_group", kind="string", required=False, personal=True),
            C(name="age_band", kind="string", required=False, personal=True),
            C(name="disability", kind="string", required=False, personal=True),
        ),
    ),
    Table(
        name="identities",
        group="Who and where",
        doc="Maps a source system's own key (badge number, device id, account) to a staff_id.",
        key=("system", "identifier", "valid_from"),
        depends_on=("people",),
        columns=(
            C(name="system", kind="string"),
            C(name="identifier", kind="string"),
            _staff,
            C(name="valid_from", kind="date"),
            C(name="valid_to", kind="date", required=False, doc="inclusive; empty = still valid. The morning after it (before 12:00 local), when nobody else holds the identifier, still resolves to the holder: a final night shift"),
        ),
    ),
    Table(
        name="shifts",
        group="What was planned, claimed and recorded",
        doc="The roster as worked-to.",
        key=("shift_id",),
        time_column="start",
        identity_resolvable=True,
        depends_on=("people", "sites"),
        columns=(
            C(name="shift_id", kind="string"),
            _staff,
            C(name="start", kind="timestamp"),
            C(name="end", kind="timestamp", span_end=True),
            C(
                name="duty_type",
                kind="enum",
                values=("normal", "rest_day_working", "bank_holiday", "training", "court", "other"),
            ),
            _site,
        ),
    ),
    Table(
        name="roster_changes",
        group="What was planned, claimed and recorded",
        doc="Every edit of a roster entry.",
        key=("change_id",),
        time_column="changed_at",
        identity_resolvable=True,
        depends_on=("people", "shifts"),
        columns=(
            C(name="change_id", kind="string"),
            C(name="shift_id", kind="string", references="shifts.shift_id"),
            _staff,
            C(name="changed_by", kind="string", references="people.staff_id"),
            C(name="changed_at", kind="timestamp"),
            C(name="field", kind="string"),
            C(name="old_value", kind="string", required=False),
            C(name="new_value", kind="string", required=False),
        ),
    ),
    Table(
        name="overtime_claims",
        group="What was planned, claimed and recorded",
        doc="Overtime claimed, with who authorised it.",
        key=("claim_id",),
        time_column="start",
        identity_resolvable=True,
        depends_on=("people",),
        columns=(
            C(name="claim_id", kind="string"),
            _staff,
            C(name="start", kind="timestamp"),
            C(name="end", kind="timestamp", span_end=True),
            C(name="hours", kind="float", min=0, max=24, min_exclusive=True),
            C(name="rate", kind="float", required=False, min=1, max=3, doc="the pay multiplier, where the export holds it (no detector reads it)"),
            C(name="reason_code", kind="string"),
            C(name="submitted_at", kind="timestamp", required=False, doc="no detector reads it"),
            C(name="authorised_by", kind="string", required=False, nullable=True, references="people.staff_id"),
            C(name="authorised_at", kind="timestamp", required=False, nullable=True),
            C(name="authorisation_route", kind="string", required=False,
              doc="how the claim was authorised, where the export says: a line manager, a delegated authority, a "
              "system rule (auto-approval), a bulk upload"),
            C(name="status", kind="enum", values=("approved", "rejected", "pending")),
        ),
    ),
    Table(
        name="absences",
        group="What was planned, claimed and recorded",
        doc="Sickness, leave, rest days, training and other absence.",
        key=("absence_id",),
        time_column="start",
        identity_resolvable=True,
        depends_on=("people",),
        columns=(
            C(name="absence_id", kind="string"),
            _staff,
            C(
                name="type",
                kind="enum",
                values=(
                    "sickness",
                    "annual_leave",
                    "rest_day",
                    "training",
                    "parental",
                    "compassionate",
                    "suspension",
                    "other",
                ),
            ),
            C(name="start", kind="timestamp"),
            C(name="end", kind="timestamp", span_end=True, doc="exclusive; a date alone = the whole of that day"),
            C(name="reason_category", kind="string", required=False, personal=True, doc="never medical detail"),
            C(name="days", kind="float", required=False, min=0, doc=PART_DAY_DOC.format(unit="days", part="less than 1 (0.5: half a day)", what="SAP `ABWTG`, SuccessFactors `fractionQuantity`")),
            C(name="hours", kind="float", required=False, min=0, doc=PART_DAY_DOC.format(unit="hours", part=f"fewer than {PART_DAY_HOURS:g}", what="SAP `ABMST`, Oracle's duration in hours")),
            C(name="status", kind="enum", values=ABSENCE_STATUSES, required=False, doc=ABSENCE_STATUS_DOC),
        ),
    ),
    Table(
        name="badge_events",
        group="What was planned, claimed and recorded",
        doc="Building access.",
        key=("staff_id", "ts", "site_id", "direction"),
        time_column="ts",
        identity_resolvable=True,
        depends_on=("people", "sites"),
        columns=(_staff, C(name="ts", kind="timestamp"), _site, C(name="direction", kind="enum", values=("in", "out"))),
    ),
    Table(
        name="device_events",
        group="What was planned, claimed and recorded",
        doc="Work-device logins, logouts and locations (location only ever read inside duty hours).",
        key=("staff_id", "device_id", "ts", "kind"),
        time_column="ts",
        identity_resolvable=True,
        depends_on=("people",),
        columns=(
            _staff,
            C(name="device_id", kind="string"),
            C(name="ts", kind="timestamp"),
            C(name="kind", kind="enum", values=("login", "logout", "location")),
            C(name="site_id", kind="string", required=False, references="sites.site_id"),
            C(name="lat", kind="float", required=False, min=-90, max=90, personal=True),
            C(name="lon", kind="float", required=False, min=-180, max=180, personal=True),
        ),
    ),
    Table(
        name="system_access",
        group="What was planned, claimed and recorded",
        doc="Police-systems audit log. An empty case_ref means no recorded policing purpose.",
        key=("event_id",),
        time_column="ts",
        identity_resolvable=True,
        depends_on=("people",),
        columns=(
            C(name="event_id", kind="string"),
            _staff,
            C(name="ts", kind="timestamp"),
            C(name="system", kind="string", required=False, doc="the police system (Niche, PNC…); an export of one system may leave it out"),
            C(name="action", kind="enum", values=("search", "view", "update", "print", "export"), required=False, doc="every row is counted as a lookup, whatever its action"),
            C(name="subject_ref", kind="string", required=False),
            C(name="case_ref", kind="string", required=False, nullable=True),
        ),
    ),
    Table(
        name="comms_events",
        group="What was planned, claimed and recorded",
        doc="Work-device communications metadata, never content.",
        key=("event_id",),
        time_column="ts",
        identity_resolvable=True,
        depends_on=("people",),
        columns=(
            C(name="event_id", kind="string"),
            _staff,
            C(name="ts", kind="timestamp"),
            C(name="channel", kind="enum", values=("call", "sms", "email")),
            C(name="counterpart_ref", kind="string"),
            C(name="direction", kind="enum", values=("in", "out")),
            C(name="duration_s", kind="float", required=False, min=0),
        ),
    ),
    Table(
        name="expenses",
        group="What was planned, claimed and recorded",
        doc="Expense claims (optional source).",
        key=("claim_id",),
        time_column="date",
        identity_resolvable=True,
        depends_on=("people",),
        columns=(
            C(name="claim_id", kind="string"),
            _staff,
            C(name="date", kind="date"),
            C(name="category", kind="string"),
            C(name="amount_gbp", kind="float", min=0),
            C(name="site_id", kind="string", required=False, references="sites.site_id"),
            C(name="authorised_by", kind="string", required=False, nullable=True, references="people.staff_id"),
        ),
    ),
    Table(
        name="case_parties",
        group="Cases, conduct and interests",
        doc="Links officers to the people in their cases.",
        key=("case_ref", "subject_ref", "role"),
        time_column="opened",
        depends_on=("people",),
        columns=(
            C(name="case_ref", kind="string"),
            C(name="subject_ref", kind="string"),
            C(name="role", kind="enum", values=("victim", "witness", "suspect", "other")),
            C(name="vulnerable", kind="bool", required=False, doc="a vulnerable victim or witness; empty or left out: not known to be"),
            C(name="officer_in_case", kind="string", references="people.staff_id"),
            C(name="opened", kind="timestamp"),
            C(name="closed", kind="timestamp", required=False, span_end=True),
        ),
    ),
    Table(
        name="declarations",
        group="Cases, conduct and interests",
        doc="The register of declared interests.",
        key=("declaration_id",),
        time_column="declared_at",
        identity_resolvable=True,
        depends_on=("people",),
        columns=(
            C(name="declaration_id", kind="string"),
            _staff,
            C(
                name="kind",
                kind="enum",
                values=("business_interest", "secondary_employment", "membership", "relationship", "gift_hospitality"),
            ),
            C(name="counterparty", kind="string", personal=True),
            C(name="declared_at", kind="timestamp"),
            C(name="status", kind="enum", values=("approved", "refused", "pending", "withdrawn")),
        ),
    ),
    Table(
        name="external_records",
        group="Cases, conduct and interests",
        doc=(
            "Lawfully held evidence of an interest. Rows without staff_id carry full_name + "
            "date_of_birth and are linked to a person by record linkage before use."
        ),
        key=("record_id",),
        time_column="observed_at",
        depends_on=("people",),
        columns=(
            C(name="record_id", kind="string"),
            C(name="kind", kind="enum", values=("directorship", "employment", "membership", "relationship")),
            C(name="counterparty", kind="string", personal=True),
            C(name="source", kind="string"),
            C(name="observed_at", kind="timestamp"),
            C(name="strength", kind="enum", values=("confirmed", "indicative")),
            C(name="staff_id", kind="string", required=False, nullable=True, references="people.staff_id"),
            C(name="full_name", kind="string", required=False, nullable=True, personal=True),
            C(name="date_of_birth", kind="date", required=False, nullable=True, personal=True),
            C(name="activity", kind="string", required=False, doc=ACTIVITY_DOC),
        ),
    ),
    Table(
        name="complaints",
        group="Cases, conduct and interests",
        doc="Conduct history.",
        key=("complaint_id",),
        time_column="received_at",
        identity_resolvable=True,
        depends_on=("people",),
        columns=(
            C(name="complaint_id", kind="string"),
            _staff,
            C(name="received_at", kind="timestamp"),
            C(name="allegation", kind="string"),
            C(name="outcome", kind="enum", values=("upheld", "not_upheld", "pending", "withdrawn")),
        ),
    ),
    Table(
        name="truth",
        group="Ground truth (synthetic data and evaluation sets only)",
        doc=(
            "Planted misconduct and decoys. Never loaded into the lake and never read by a detector; "
            "read only by `fairwitness evaluate`."
        ),
        key=("staff_id", "scenario", "start"),
        ingested=False,
        columns=(
            C(name="staff_id", kind="string"),
            C(name="scenario", kind="string"),
            C(name="start", kind="timestamp"),
            C(name="end", kind="timestamp", span_end=True),
            C(name="kind", kind="enum", values=("misconduct", "decoy")),
        ),
    ),
)

BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}


def table(name: str) -> Table:
    """The declared table called ``name``; a clear error for an unknown one."""
    try:
        return BY_NAME[name]
    except KeyError:
        raise KeyError(f"no contract table named {name!r}; known: {', '.join(BY_NAME)}") from None


def ingest_order() -> list[Table]:
    """Ingested tables, each after the tables it references."""
    done: list[str] = []
    pending = [t for t in TABLES if t.ingested]
    while pending:
        for t in list(pending):
            if all(d in done or d not in BY_NAME for d in t.depends_on):
                done.append(t.name)
                pending.remove(t)
    return [BY_NAME[n] for n in done]
