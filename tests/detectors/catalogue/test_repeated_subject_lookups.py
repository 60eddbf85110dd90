import datetime as dt

import pytest

from fairwitness.detectors.catalogue.repeated_subject_lookups import RepeatedSubjectLookups

OFF = [f"O{i:02d}" for i in range(1, 16)]


def look(eid, staff, subject, day=5, case=None):
    return {"event_id": eid, "staff_id": staff, "ts": f"2024-03-{day:02d} 10:00", "system": "NICHE", "action": "view",
            "subject_ref": subject, "case_ref": case}


@pytest.fixture
def tables(T, P, base):
    parties = [{"case_ref": f"C-{s}", "subject_ref": f"P-{s}-{j}", "role": "suspect", "vulnerable": False,
                "officer_in_case": s, "opened": "2024-01-01 00:00", "closed": None} for s in OFF for j in range(3)]
    rows = []
    for s in OFF:
        # everybody: their own case's parties on many days, and a stream of one-off checks
        rows += [look(f"{s}-own-{i}", s, f"P-{s}-{i % 3}", 1 + i % 28, f"C-{s}" if i % 4 else None) for i in range(30)]
        rows += [look(f"{s}-x-{i}", s, f"RANDOM-{s}-{i}", 1 + i % 28) for i in range(40)]
        # and a prolific local offender, whom everybody checks now and then
        rows += [look(f"{s}-prolific-{i}", s, "PROLIFIC", 3 + 7 * i) for i in range(3)]
    # O01: the same four people (an ex-partner's family), a few times a week all month, hidden in
    # ordinary volume; none is a party to any case of theirs
    fam = ["FAM-1", "FAM-2", "FAM-3", "FAM-4"]
    rows += [look(f"O01-fam-{i}", "O01", fam[i % 4], 1 + (i * 3) % 28) for i in range(32)]
    # O02: a colleague's suspect, looked up on many days citing the colleague's case
    rows += [look(f"O02-help-{i}", "O02", "P-O05-1", 1 + i % 28, "C-O05") for i in range(30)]
    # O03: many one-off lookups of other people (each once): a volume, not repeats
    rows += [look(f"O03-once-{i}", "O03", f"ONCE-{i}", 1 + i % 28) for i in range(40)]
    return base([P(s) for s in OFF]) | {"system_access": T("system_access", rows), "case_parties": T("case_parties", parties)}


def test_repeats_of_few_people_nobody_else_looks_up(run, tables):
    out = run(RepeatedSubjectLookups(), tables)
    assert [r["staff_id"] for r in out] == ["O01"]
    (r,) = out
    assert r["route"] == "misconduct_assessment"
    assert r["value"] == 32
    assert r["detail"].startswith("4 subjects, each looked up on at least 3 days, at least 80% of its lookups theirs; 0 of them vulnerable")
    assert all(k.startswith("O01-fam") for k in r["evidence_keys"])


def test_a_subject_colleagues_also_look_up_is_not_counted(run, tables, T):
    # the same family, also looked up by four colleagues: a subject of policing interest
    rows = tables["system_access"].to_pylist()
    rows += [{**r, "event_id": f"{s}-{r['event_id']}", "staff_id": s} for r in rows if r["event_id"].startswith("O01-fam")
             for s in ("O06", "O07", "O08", "O09")]
    out = run(RepeatedSubjectLookups(), tables | {"system_access": T("system_access", rows)})
    assert [r["staff_id"] for r in out] == []


def test_fewer_days_than_min_days_is_a_first_look(run, tables):
    out = run(RepeatedSubjectLookups(params={"min_days": 12}), tables)
    assert out == []


@pytest.mark.parametrize("engine", [pytest.param("spark", marks=pytest.mark.spark)], indirect=True)
def test_runner_on_spark(engine, run_detector, run, tables):
    """Through the real runner on Spark: the same signals as the direct DuckDB run."""
    direct = run(RepeatedSubjectLookups(), tables)
    out = run_detector(RepeatedSubjectLookups, tables, period_start=dt.date(2024, 3, 1), period_end=dt.date(2024, 3, 31)).to_pylist()
    assert sorted((r["staff_id"], r["route"], tuple(r["evidence_keys"])) for r in out) == sorted(
        (r["staff_id"], r["route"], tuple(sorted(set(r["evidence_keys"])))) for r in direct
    )


def _plus(tables, T, P, base, rows, parties=(), people=()):
    def iso(r):
        return {k: v.isoformat(sep=" ") if isinstance(v, dt.datetime) else v for k, v in r.items()}

    return tables | base([P(s) for s in OFF] + list(people)) | {
        "system_access": T("system_access", tables["system_access"].to_pylist() + rows),
        "case_parties": T("case_parties", [iso(r) for r in tables["case_parties"].to_pylist()] + list(parties)),
    }


def test_an_inquirys_researcher_rechecking_its_associates_citing_its_live_case(run, tables, T, P, base):
    """O04 researches four associates of O05's live inquiry (same unit) again and again, citing
    its case every time; nobody else looks them up and they are not parties to the case. A
    recorded tasking on the team's inquiry, not repeats outside their own cases (before: a
    misconduct route like O01's)."""
    assoc = ["ASSOC-1", "ASSOC-2", "ASSOC-3", "ASSOC-4"]
    rows = [look(f"O04-assoc-{i}", "O04", assoc[i % 4], 1 + (i * 3) % 28, "C-O05") for i in range(32)]
    out = {r["staff_id"]: r["route"] for r in run(RepeatedSubjectLookups(), _plus(tables, T, P, base, rows))}
    assert out == {"O01": "misconduct_assessment"}


@pytest.mark.parametrize("closed", [None, "2024-02-01 00:00"], ids=["another-units-live-case", "own-units-closed-case"])
def test_repeats_citing_a_case_as_cover_still_count(run, tables, T, P, base, closed):
    """O01's ex-partner's family, now looked up citing a case: of another unit's officer with no
    line link to O01, or of O05 in O01's own unit but closed in February. Still repeats outside
    their own cases: a misconduct route."""
    oic, unit = ("X01", "U2") if closed is None else ("O05", "U1")
    parties = [{"case_ref": "C-COVER", "subject_ref": f"P-COVER-{j}", "role": "suspect", "vulnerable": False,
                "officer_in_case": oic, "opened": "2023-06-01 00:00", "closed": closed} for j in range(2)]
    rows = [dict(r, case_ref="C-COVER") if r["event_id"].startswith("O01-fam") else r
            for r in tables["system_access"].to_pylist()]
    t = _plus(tables, T, P, base, [], parties=parties, people=[P("X01", unit_id="U2")] if oic == "X01" else [])
    t = t | {"system_access": T("system_access", rows)}
    out = {r["staff_id"]: r for r in run(RepeatedSubjectLookups(), t)}
    assert out["O01"]["route"] == "misconduct_assessment" and out["O01"]["value"] == 32


@pytest.mark.parametrize(("role", "route"), [("MARAC Coordinator", "wellbeing"), ("response officer", "misconduct_assessment")])
def test_a_marac_coordinator_rechecking_high_risk_victims_is_a_checking_role(run, tables, T, P, base, role, route):
    """O01's repeats are four high-risk people checked before each fortnightly MARAC, under the
    MARAC's own reference, which only the coordinator cites. As a MARAC coordinator (a checking
    role, the only one in post) the count goes no further than a wellbeing check; the same
    lookups by a response officer keep the misconduct route."""
    rows = [dict(r, case_ref="MARAC/24/05") if r["event_id"].startswith("O01-fam") else r
            for r in tables["system_access"].to_pylist()]
    t = tables | base([P(s, role=role) if s == "O01" else P(s) for s in OFF]) | {"system_access": T("system_access", rows)}
    out = {r["staff_id"]: r["route"] for r in run(RepeatedSubjectLookups(), t)}
    assert out == {"O01": route}


@pytest.mark.parametrize(("colleague_days", "flagged"), [((1, 2, 3, 4, 5, 6), True), ((10, 14, 18, 22, 25, 27), False)],
                         ids=["case-work-before-the-repeats", "colleagues-checking-her-meanwhile"])
def test_colleagues_lookups_count_while_the_person_looks_the_subject_up(run, tables, T, colleague_days, flagged):
    """O01 looks up two witnesses every day from 9 March, citing nothing; six colleagues looked each
    up on six days, working their case: in its first week (before O01's repeats: no interest in
    them now, and O01's repeats are O01's alone) or through the weeks O01 does (subjects of policing
    interest: not counted)."""
    rows = [r for r in tables["system_access"].to_pylist() if not r["event_id"].startswith("O01-fam")]
    rows += [look(f"O01-w-{d}-{k}", "O01", f"WITNESS-{k}", d) for d in range(9, 28) for k in (1, 2)]
    rows += [look(f"{s}-w-{d}-{k}", s, f"WITNESS-{k}", d) for s in ("O06", "O07", "O08", "O09", "O10", "O11")
             for d in colleague_days for k in (1, 2)]
    out = {r["staff_id"]: r for r in run(RepeatedSubjectLookups(), tables | {"system_access": T("system_access", rows)})}
    assert ("O01" in out) is flagged


@pytest.mark.parametrize(("vulnerable", "route"), [(True, "misconduct_assessment"), (False, "wellbeing")])
def test_a_vulnerable_witness_looked_up_on_many_days(run, tables, T, vulnerable, route):
    """O01 looks up a witness of O05's case on 14 days, citing nothing: 14 lookups, fewer than
    misconduct_min_excess above peers. A vulnerable witness earns the misconduct assessment all the
    same (the pattern of abuse of position); anyone else, a check."""
    rows = [r for r in tables["system_access"].to_pylist() if not r["event_id"].startswith("O01-fam")]
    rows += [look(f"O01-vw-{d}", "O01", "WITNESS-V", d) for d in range(2, 30, 2)]
    parties = tables["case_parties"].to_pylist() + [
        {"case_ref": "C-O05", "subject_ref": "WITNESS-V", "role": "witness", "vulnerable": vulnerable,
         "officer_in_case": "O05", "opened": "2024-01-01 00:00", "closed": None}]
    parties = [{k: v.isoformat(sep=" ") if isinstance(v, dt.datetime) else v for k, v in r.items()} for r in parties]
    t = tables | {"system_access": T("system_access", rows), "case_parties": T("case_parties", parties)}
    out = {r["staff_id"]: r for r in run(RepeatedSubjectLookups(), t)}
    assert out["O01"]["route"] == route
    assert out["O01"]["value"] == 14
