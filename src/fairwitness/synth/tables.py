"""Contract columns from the generator's arrays: one function per table (or part)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from fairwitness.synth.activity import ACTIONS, CHANNELS, SYSTEMS
from fairwitness.synth.amendments import FIELDS, shift_number, values_text
from fairwitness.synth.cases import OPEN, ROLES, Cases
from fairwitness.synth.clock import Period
from fairwitness.synth.conduct import ALLEGATIONS, EXPENSE_CATEGORIES
from fairwitness.synth.credentials import BADGE_SYSTEM, DEVICE_PREFIX, DEVICE_SYSTEM, Credentials
from fairwitness.synth.identifiers import as_text, tokens
from fairwitness.synth.interests import Interests
from fairwitness.synth.names import full_name
from fairwitness.synth.organisation import UNIT_TYPES, Organisation
from fairwitness.synth.overtime import STATUSES
from fairwitness.synth.roster import DUTY_TYPES, Roster
from fairwitness.synth.workforce import AGE_BANDS, CATEGORY_NAMES, DISABILITY, ETHNICITIES, SEXES
from fairwitness.synth.writer import dates, labels, pick, timestamps

Columns = dict[str, pa.Array]


def sites(org: Organisation) -> Columns:
    return {"site_id": org.site_id, "name": pa.array(org.site_name), "kind": pa.array(org.site_kind),
            "lat": pa.array(np.round(org.site_lat, 5)), "lon": pa.array(np.round(org.site_lon, 5))}


def units(org: Organisation) -> Columns:
    return {"unit_id": org.unit_id, "name": pa.array(org.unit_name), "unit_type": labels(UNIT_TYPES, org.unit_type),
            "command": pa.array([org.commands[c] for c in org.unit_command]), "site_id": pick(org.site_id, org.unit_site)}


def people(org: Organisation, period: Period) -> Columns:
    wf = org.wf
    left = wf.end < 10**6
    return {
        "staff_id": org.staff_id, "rank_grade": pa.array(wf.rank.tolist()), "role": pa.array(org.role.tolist()),
        "unit_id": pick(org.unit_id, org.unit), "employment_type": labels(CATEGORY_NAMES, wf.category),
        "fte": pa.array(wf.fte.astype(np.float64).round(2)), "start_date": dates(period.first + wf.start),
        "end_date": dates(period.first + np.where(left, wf.end - 1, 0), valid=left), "hybrid_policy": pa.array(org.hybrid),
        "line_manager_id": pick(org.staff_id, np.maximum(org.manager, 0), valid=org.manager >= 0),
        "display_name": pa.array([full_name(*x) for x in zip(wf.first, wf.middle, wf.last, strict=True)]),
        "date_of_birth": dates(wf.dob),
    }


def people_protected(org: Organisation, period: Period) -> Columns:
    wf = org.wf
    return {
        "staff_id": org.staff_id, "sex": labels(SEXES, np.where(wf.female, 0, 1)),
        "ethnicity_group": labels(ETHNICITIES, wf.ethnicity), "age_band": labels(AGE_BANDS, wf.age_band(period)),
        "disability": labels(DISABILITY, np.maximum(wf.disability, 0), valid=wf.disability >= 0),
    }


def identities(org: Organisation, creds: Credentials, period: Period) -> Columns:
    r = creds.identities(org, period)
    device = r["system"] == DEVICE_SYSTEM
    ident = pa.array(np.where(device, DEVICE_PREFIX, "").astype(object) + r["number"].astype(str).astype(object))
    return {"system": pa.array(r["system"].tolist()), "identifier": ident, "staff_id": pick(org.staff_id, r["p"]),
            "valid_from": dates(r["valid_from"]), "valid_to": dates(np.maximum(r["valid_to"], 0), valid=r["valid_to"] >= 0)}


def shifts(org: Organisation, roster: Roster, period: Period, days: tuple[int, int]) -> Columns:
    a, b = days
    kind = roster.kind[:, a:b]
    p, j = np.nonzero((kind >= 1) & (kind <= 5))
    d = j + a
    k = roster.kind[p, d]
    start = roster.start[p, d].astype(np.int64)
    site = org.site[p].copy()
    site[k == 4] = org.training_site
    site[k == 5] = org.court_sites[p[k == 5] % len(org.court_sites)]
    return {"shift_id": as_text(shift_number(p, d)), "staff_id": pick(org.staff_id, p),
            "start": timestamps(period.at(d, start)), "end": timestamps(period.at(d, start + roster.dur[p, d])),
            "duty_type": labels(DUTY_TYPES, k), "site_id": pick(org.site_id, site)}


def roster_changes(org: Organisation, log: dict[str, np.ndarray], first_id: int) -> Columns:
    n = len(log["p"])
    return {"change_id": as_text(np.arange(first_id, first_id + n)), "shift_id": as_text(shift_number(log["p"], log["d"])),
            "staff_id": pick(org.staff_id, log["p"]), "changed_by": pick(org.staff_id, log["by"]),
            "changed_at": timestamps(log["at"]), "field": labels(FIELDS, log["field"]),
            "old_value": values_text(log["field"], log["old"], org), "new_value": values_text(log["field"], log["new"], org)}


def overtime_claims(org: Organisation, c: dict[str, np.ndarray], first_id: int) -> Columns:
    n = len(c["p"])
    ok = c["by"] >= 0
    return {"claim_id": as_text(np.arange(first_id, first_id + n)), "staff_id": pick(org.staff_id, c["p"]),
            "start": timestamps(c["start"]), "end": timestamps(c["end"]),
            "hours": pa.array(np.round((c["end"] - c["start"]) / 3600, 2)), "rate": pa.array(c["rate"].astype(float)),
            "reason_code": pa.array(c["reason"].tolist(), type=pa.string()), "submitted_at": timestamps(c["submitted"]),
            "authorised_by": pick(org.staff_id, np.maximum(c["by"], 0), valid=ok),
            "authorised_at": timestamps(np.maximum(c["at"], 0), valid=c["at"] >= 0), "status": labels(STATUSES, c["status"])}


def absences(org: Organisation, a: dict[str, np.ndarray], period: Period, first_id: int) -> Columns:
    n = len(a["p"])
    return {"absence_id": as_text(np.arange(first_id, first_id + n)), "staff_id": pick(org.staff_id, a["p"]),
            "type": pa.array(a["type"].tolist(), type=pa.string()), "start": timestamps(period.at(a["start_day"], 0)),
            "end": timestamps(period.at(a["end_day"], 0)), "reason_category": pa.array(a["reason"].tolist(), type=pa.string()),
            "hours": pa.array(a["hours"], mask=np.isnan(a["hours"]))} | _status(a)


def _status(a: dict[str, np.ndarray]) -> Columns:
    """The requests' status, when the export has them (some were not taken, as a leave-request
    export has it): every other record ``approved``."""
    st = a.get("status")
    if st is None:
        return {}
    return {"status": pa.array([v or "approved" for v in st.tolist()], type=pa.string())}


def badge_events(org: Organisation, e: dict[str, np.ndarray]) -> Columns:
    return {"staff_id": pick(org.staff_id, e["p"], valid=e["resolved"]), "ts": timestamps(e["ts"]),
            "site_id": pick(org.site_id, e["site"]), "direction": labels(("out", "in"), e["inward"].astype(np.int8)),
            "system": pa.array(np.full(len(e["p"]), BADGE_SYSTEM)), "identifier": as_text(e["identifier"])}


def device_events(org: Organisation, e: dict[str, np.ndarray]) -> Columns:
    ident = as_text(e["identifier"], DEVICE_PREFIX)
    return {"staff_id": pick(org.staff_id, e["p"], valid=e["resolved"]), "device_id": ident, "ts": timestamps(e["ts"]),
            "kind": labels(("login", "logout", "location"), e["kind"]),
            "site_id": pick(org.site_id, np.maximum(e["site"], 0), valid=e["site"] >= 0),
            "lat": pa.array(np.round(e["lat"], 5), from_pandas=True), "lon": pa.array(np.round(e["lon"], 5), from_pandas=True),
            "system": pa.array(np.full(len(e["p"]), DEVICE_SYSTEM)), "identifier": ident}


def system_access(org: Organisation, e: dict[str, np.ndarray], first_id: int) -> Columns:
    n = len(e["p"])
    has_case = e["case"] >= 0
    case_ref = as_text(np.maximum(e["case"], 0), "CR")
    return {"event_id": as_text(np.arange(first_id, first_id + n)), "staff_id": pick(org.staff_id, e["p"]),
            "ts": timestamps(e["ts"]), "system": labels(SYSTEMS, e["system"]), "action": labels(ACTIONS, e["action"]),
            "subject_ref": tokens(e["subject"]),
            "case_ref": pa.array(case_ref.to_numpy(zero_copy_only=False), mask=~has_case, type=pa.string())}


def comms_events(org: Organisation, e: dict[str, np.ndarray], first_id: int) -> Columns:
    n = len(e["p"])
    return {"event_id": as_text(np.arange(first_id, first_id + n)), "staff_id": pick(org.staff_id, e["p"]),
            "ts": timestamps(e["ts"]), "channel": labels(CHANNELS, e["channel"]), "counterpart_ref": tokens(e["counterpart"]),
            "direction": labels(("out", "in"), e["inward"].astype(np.int8)),
            "duration_s": pa.array(e["duration"].astype(float), from_pandas=True)}


def case_parties(org: Organisation, cases: Cases, period: Period) -> Columns:
    case = np.repeat(np.arange(cases.n_cases), cases.party_count)
    owner = cases.slot_owner[cases.case_slot[case]]
    opened = period.at(cases.case_open[case], 540)
    closed_day = cases.case_close[case]
    still_open = closed_day >= OPEN
    closed = period.at(np.where(still_open, 0, closed_day), 960)
    return {"case_ref": as_text(cases.case_number[case], "CR"), "subject_ref": tokens(cases.party_subject),
            "role": labels(ROLES, cases.party_role), "vulnerable": pa.array(cases.party_vulnerable),
            "officer_in_case": pick(org.staff_id, owner), "opened": timestamps(opened),
            "closed": timestamps(closed, valid=~still_open)}


def declarations(org: Organisation, interests: Interests) -> Columns:
    rows = sorted(interests.declarations, key=lambda r: (r[3], r[0]))
    p = np.array([r[0] for r in rows], dtype=np.int64)
    return {"declaration_id": as_text(np.arange(len(rows)) + 70_001), "staff_id": pick(org.staff_id, p),
            "kind": pa.array([r[1] for r in rows], type=pa.string()), "counterparty": pa.array([r[2] for r in rows], type=pa.string()),
            "declared_at": timestamps(np.array([r[3] for r in rows], dtype=np.int64)),
            "status": pa.array([r[4] for r in rows], type=pa.string())}


def external_records(org: Organisation, interests: Interests, rng: np.random.Generator) -> Columns:
    rows = [interests.records[i] for i in rng.permutation(len(interests.records))]
    p = np.array([r[5] for r in rows], dtype=np.int64)
    dob = np.array([r[7] for r in rows], dtype=np.int64)
    return {"record_id": as_text(np.arange(len(rows)) + 900_001, "X"), "kind": pa.array([r[0] for r in rows], type=pa.string()),
            "counterparty": pa.array([r[1] for r in rows], type=pa.string()), "source": pa.array([r[2] for r in rows], type=pa.string()),
            "observed_at": timestamps(np.array([r[3] for r in rows], dtype=np.int64)),
            "strength": pa.array([r[4] for r in rows], type=pa.string()),
            "staff_id": pick(org.staff_id, np.maximum(p, 0), valid=p >= 0),
            "full_name": pa.array([r[6] for r in rows], type=pa.string()), "date_of_birth": dates(dob, valid=p < 0),
            "activity": pa.array([r[8] if len(r) > 8 else None for r in rows], type=pa.string())}


def complaints(org: Organisation, c: dict[str, np.ndarray]) -> Columns:
    return {"complaint_id": as_text(np.arange(len(c["p"])) + 300_001, "CO"), "staff_id": pick(org.staff_id, c["p"]),
            "received_at": timestamps(c["received"]), "allegation": labels(ALLEGATIONS, c["allegation"]),
            "outcome": labels(("upheld", "not_upheld", "pending", "withdrawn"), c["outcome"])}


def expenses(org: Organisation, e: dict[str, np.ndarray]) -> Columns:
    ok = e["by"] >= 0
    return {"claim_id": as_text(np.arange(len(e["p"])) + 500_001, "EX"), "staff_id": pick(org.staff_id, e["p"]),
            "date": dates(e["date"]), "category": labels(EXPENSE_CATEGORIES, e["category"]),
            "amount_gbp": pa.array(e["amount"]), "site_id": pick(org.site_id, e["site"]),
            "authorised_by": pick(org.staff_id, np.maximum(e["by"], 0), valid=ok)}


def truth(org: Organisation, t: dict[str, np.ndarray]) -> Columns:
    return {"staff_id": pick(org.staff_id, t["p"]), "scenario": pa.array(t["scenario"].tolist(), type=pa.string()),
            "start": timestamps(t["start"]), "end": timestamps(t["end"]), "kind": pa.array(t["kind"].tolist(), type=pa.string())}
