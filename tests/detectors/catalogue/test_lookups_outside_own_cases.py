import datetime as dt

import pytest

from fairwitness.detectors.catalogue.lookups_outside_own_cases import LookupsOutsideOwnCases

OFF = [f"O{i:02d}" for i in range(1, 16)]


def look(eid, staff, subject, case=None):
    return {"event_id": eid, "staff_id": staff, "ts": "2024-03-05 10:00", "system": "NICHE", "action": "view",
            "subject_ref": subject, "case_ref": case}


@pytest.fixture
def tables(T, P, base):
    parties = []
    for s in OFF:
        for j in range(3):
            parties.append({"case_ref": f"C-{s}", "subject_ref": f"P-{s}-{j}", "role": "victim" if j == 0 else "suspect",
                            "vulnerable": j == 0, "officer_in_case": s, "opened": "2024-01-01 00:00", "closed": None})
    rows = []
    for s in OFF:
        for i in range(20):  # own subjects, sometimes without citing the case
            rows.append(look(f"{s}-own-{i}", s, f"P-{s}-{i % 3}", f"C-{s}" if i % 4 else None))
        rows += [look(f"{s}-x-{i}", s, f"RANDOM-{s}-{i}") for i in range(2)]  # a couple of stop checks
    # O01 browses other officers' cases, vulnerable victims included
    others = [o for o in OFF if o != "O01"]
    rows += [look(f"O01-snoop-{i}", "O01", f"P-{others[i % 14]}-{i % 3}") for i in range(25)]
    # O02 works a colleague's case and cites it
    rows += [look(f"O02-help-{i}", "O02", f"P-O05-{i % 3}", "C-O05") for i in range(25)]
    return base([P(s) for s in OFF]) | {"system_access": T("system_access", rows), "case_parties": T("case_parties", parties)}


def test_flags(run, tables):
    out = run(LookupsOutsideOwnCases(), tables)
    assert [r["staff_id"] for r in out] == ["O01"]
    (r,) = out
    assert r["route"] == "misconduct_assessment"
    assert r["value"] == 27  # 25 lookups of other cases' parties + 2 stop checks
    assert "14 of them vulnerable" in r["detail"] or "vulnerable" in r["detail"]
    assert all(k.startswith("O01-snoop") or k.startswith("O01-x") for k in r["evidence_keys"])


@pytest.mark.parametrize("engine", [pytest.param("spark", marks=pytest.mark.spark)], indirect=True)
def test_runner_on_spark(engine, run_detector, run, tables):
    """Through the real runner (period restriction, privacy filter, finalise) on Spark: the same
    signals as the direct DuckDB run."""
    direct = run(LookupsOutsideOwnCases(), tables)
    out = run_detector(LookupsOutsideOwnCases, tables, period_start=dt.date(2024, 3, 1), period_end=dt.date(2024, 3, 31)).to_pylist()
    assert sorted((r["staff_id"], r["route"], tuple(r["evidence_keys"])) for r in out) == sorted(
        (r["staff_id"], r["route"], tuple(sorted(set(r["evidence_keys"])))) for r in direct
    )
    assert all(r["explanation"] for r in out)


# --- windows: six months, a burst of browsing other officers' cases in March ---------------

H1, H2 = dt.date(2024, 1, 1), dt.date(2024, 6, 30)


def look6(eid, staff, subject, day, i, case=None):
    return {"event_id": eid, "staff_id": staff, "ts": f"{day.isoformat()} {9 + i % 8:02d}:{i % 60:02d}", "system": "NICHE",
            "action": "view", "subject_ref": subject, "case_ref": case}


@pytest.fixture
def half_year(T, P, base):
    parties = []
    for s in OFF:
        for j in range(3):
            parties.append({"case_ref": f"C-{s}", "subject_ref": f"P-{s}-{j}", "role": "victim" if j == 0 else "suspect",
                            "vulnerable": j == 0, "officer_in_case": s, "opened": "2023-12-01 00:00", "closed": None})
    rows = []
    for k, s in enumerate(OFF):
        for w in range(26):
            monday = H1 + dt.timedelta(days=7 * w)
            # own case every week, and 1 to 3 stop checks of people met on patrol (outside own cases)
            rows += [look6(f"{s}-own-{w}-{i}", s, f"P-{s}-{i % 3}", monday + dt.timedelta(days=i % 5), i, f"C-{s}") for i in range(10)]
            rows += [look6(f"{s}-x-{w}-{i}", s, f"RANDOM-{s}-{w}-{i}", monday + dt.timedelta(days=i % 5), i) for i in range(1 + k % 3)]
            if s == "O02":  # works a colleague's case every week and cites it
                rows += [look6(f"O02-help-{w}-{i}", s, f"P-O05-{i % 3}", monday + dt.timedelta(days=i % 5), i, "C-O05") for i in range(20)]
    # O01 browses the parties of other officers' cases, 50 times between 4 and 22 March
    others = [o for o in OFF if o != "O01"]
    rows += [look6(f"O01-snoop-{i}", "O01", f"P-{others[i % 14]}-{i % 3}", dt.date(2024, 3, 4) + dt.timedelta(days=i % 19), i)
             for i in range(50)]
    return base([P(s) for s in OFF]) | {"system_access": T("system_access", rows), "case_parties": T("case_parties", parties)}


def test_window_finds_a_burst_the_period_misses(run, half_year):
    # 76 lookups outside own cases over six months is within the peers' spread (26 to 78)
    assert run(LookupsOutsideOwnCases({"window_days": 0}), half_year, H1, H2) == []
    (r,) = run(LookupsOutsideOwnCases(), half_year, H1, H2)
    assert r["staff_id"] == "O01" and r["route"] == "misconduct_assessment"
    assert (r["period_start"], r["period_end"]) == (dt.date(2024, 2, 26), dt.date(2024, 3, 24))
    assert r["value"] == 54  # the 50 lookups of the burst and 4 weeks of one stop check
    assert (r["peer_median"], r["peer_percentile"]) == (8.0, 100.0)
    assert r["peer_group"].endswith("same 28 days")
    assert {k.split("-")[1] for k in r["evidence_keys"]} == {"snoop", "x"} and len(r["evidence_keys"]) == 54
    # 42 parties of other cases (14 of them vulnerable victims) and 4 stop checks
    assert r["detail"].startswith("in the 28 days 2024-02-26 to 2024-03-24: 46 distinct subjects, 14 of them vulnerable")
    assert "13.5 times their usual count per 28 days (median 4.0" in r["detail"]


@pytest.mark.parametrize("engine", [pytest.param("spark", marks=pytest.mark.spark)], indirect=True)
def test_windows_on_spark(engine, run_detector, run, half_year):
    direct = run(LookupsOutsideOwnCases(), half_year, H1, H2)
    out = run_detector(LookupsOutsideOwnCases, half_year, period_start=H1, period_end=H2).to_pylist()
    cols = ("staff_id", "route", "period_start", "period_end", "value", "peer_median", "peer_percentile", "detail")
    assert sorted(tuple(r[c] for c in cols) + (tuple(r["evidence_keys"]),) for r in out) == sorted(
        tuple(r[c] for c in cols) + (tuple(sorted(set(r["evidence_keys"]))),) for r in direct
    )


def test_windows_change_nothing_within_a_month(run, tables):
    # every lookup of the one-month fixture is on one day: each window sees what the period sees
    assert run(LookupsOutsideOwnCases(), tables) == run(LookupsOutsideOwnCases({"window_days": 0}), tables)


# --- a cited case of the person's own team: research for a live inquiry ---------------------


def _with(tables, T, P, base, rows, people=(), parties=()):
    """``tables`` with more lookups, people (besides O01-O15 in U1) and case parties."""
    return tables | base([P(s) for s in OFF] + list(people)) | {
        "system_access": T("system_access", tables["system_access"].to_pylist() + rows),
        "case_parties": T("case_parties", [_iso(r) for r in tables["case_parties"].to_pylist()] + list(parties)),
    }


def _iso(row):
    return {k: v.isoformat(sep=" ") if isinstance(v, dt.datetime) else v for k, v in row.items()}


def _research(staff, case):
    """25 lookups of ten associates of an inquiry, none of them a party to its case, citing the case."""
    return [look(f"{staff}-assoc-{i}", staff, f"ASSOC-{i % 10}", case) for i in range(25)]


def _x01_case(closed=None):
    """X01 (unit U2) is officer in case of C-X01, opened in January."""
    return [{"case_ref": "C-X01", "subject_ref": f"P-X01-{j}", "role": "suspect", "vulnerable": False,
             "officer_in_case": "X01", "opened": "2024-01-01 00:00", "closed": closed} for j in range(3)]


def test_research_citing_a_live_case_of_ones_own_unit_is_not_outside(run, tables, T, P, base):
    """O03 researches ten associates of the inquiry of O05 (same unit), citing its live case on
    every lookup; the case-party table lists its victim and suspects, not the associates. A
    recorded tasking on the team's inquiry: not outside their own cases (before: a misconduct
    route like O01's)."""
    out = {r["staff_id"]: r for r in run(LookupsOutsideOwnCases(), _with(tables, T, P, base, _research("O03", "C-O05")))}
    assert "O03" not in out
    assert out["O01"]["route"] == "misconduct_assessment"  # browsing other cases' parties, uncited
    off = {r["staff_id"]: r["route"] for r in run(LookupsOutsideOwnCases({"cited_case_tasking": False}),
                                                   _with(tables, T, P, base, _research("O03", "C-O05")))}
    assert off["O03"] == "misconduct_assessment"


def test_research_citing_a_live_case_of_ones_line_manager_is_not_outside(run, tables, T, P, base):
    """The inquiry's officer in case X01 works in another unit but is O03's line manager: their
    live case is O03's tasking. With line_chain_depth 0 (the unit only) it counts again."""
    t = _with(tables, T, P, base, _research("O03", "C-X01"), people=[P("X01", unit_id="U2")], parties=_x01_case())
    t = t | base([P(s, line_manager_id="X01" if s == "O03" else None) for s in OFF] + [P("X01", unit_id="U2")])
    assert "O03" not in {r["staff_id"] for r in run(LookupsOutsideOwnCases(), t)}
    assert {r["staff_id"]: r["route"] for r in run(LookupsOutsideOwnCases({"line_chain_depth": 0}), t)}["O03"] == (
        "misconduct_assessment"
    )


@pytest.mark.parametrize(
    ("case", "closed"),
    [("C-X01", None), ("C-X01", "2024-02-15 00:00"), ("C-O05-CLOSED", "2024-02-15 00:00"), ("C-NOWHERE", None),
     ("C-O03-OWN", None)],
    ids=["another-units-case", "closed-before-the-lookups", "own-units-closed-case", "unknown-reference", "own-live-case"],
)
def test_a_case_cited_as_cover_still_counts(run, tables, T, P, base, case, closed):
    """The same lookups citing a case the person has no connection with (another unit's, no line
    link), a case closed before them, a reference no case holds, or their own live case (its
    parties are theirs to know; citing it for others is their own say-so): outside their own
    cases, and a misconduct route as before."""
    parties = _x01_case(closed)
    if case in ("C-O05-CLOSED", "C-O03-OWN"):  # a closed case of O05's in O03's unit; O03's own live case
        oic = case.split("-")[1]
        parties = [dict(r, case_ref=case, officer_in_case=oic, subject_ref=f"P-{oic}-OLD-{j}")
                   for j, r in enumerate(parties)]
    t = _with(tables, T, P, base, _research("O03", case), people=[P("X01", unit_id="U2")], parties=parties)
    out = {r["staff_id"]: r for r in run(LookupsOutsideOwnCases(), t)}
    assert out["O03"]["route"] == "misconduct_assessment" and out["O03"]["value"] == 27


def test_someone_who_holds_no_case_is_held_against_peers_lookups_of_every_kind(run, tables, T, P, base):
    """N01 and N02 (a duty inspector and a response sergeant) hold no case: each of their 22
    lookups (street checks) is outside own cases by necessity, where their peers' 20 case-holding
    lookups are within theirs. Against peers' lookups of every kind (22 each) they are ordinary:
    not flagged (before: both flagged). N03, holding no case, with 80: far above what
    peers look up at all, but volume alone: a wellbeing check, and the explanation says so."""
    rows = [look(f"{s}-st-{i}", s, f"STREET-{s}-{i}") for s in ("N01", "N02") for i in range(22)]
    people = [P("N01", rank_grade="Inspector"), P("N02", rank_grade="Sergeant")]
    out = {r["staff_id"]: r for r in run(LookupsOutsideOwnCases(), _with(tables, T, P, base, rows, people=people))}
    assert "N01" not in out and "N02" not in out
    assert out["O01"]["route"] == "misconduct_assessment"  # a case holder browsing other cases: as before
    rows = [look(f"N03-st-{i}", "N03", f"STREET-N03-{i}") for i in range(80)]
    out = {r["staff_id"]: r for r in run(LookupsOutsideOwnCases(), _with(tables, T, P, base, rows, people=[P("N03")]))}
    assert out["N03"]["route"] == "wellbeing"
    assert any("holds no case of their own" in e for e in out["N03"]["explanations_found"])


def _plan(staff, ref, subjects, n):
    """``n`` lookups by ``staff`` of the plan's ``subjects``, citing ``ref`` (no case holds it)."""
    return [look(f"{staff}-plan-{i}", staff, subjects[i % len(subjects)], ref) for i in range(n)]


@pytest.mark.parametrize(
    ("colleague_subjects", "outside"),
    [("same", False), ("others", True)],
    ids=["colleague-checks-the-same-people", "colleague-cites-it-for-other-people"],
)
def test_a_reference_a_colleague_cites_for_the_same_subject_is_shared_work(run, tables, T, P, base, colleague_subjects,
                                                                          outside):
    """O03 checks the ten residents of a problem-solving plan 25 times, citing its reference PSP/1,
    which no case-party table holds; X01, a PCSO of another unit on the same plan, checks the same
    residents under it: shared work, not outside O03's own cases (before: a misconduct route).
    Had X01 cited PSP/1 only for other people, O03's subjects would be O03's alone: counted."""
    residents = [f"RES-{i}" for i in range(10)]
    theirs = residents if colleague_subjects == "same" else [f"OTHER-{i}" for i in range(10)]
    rows = _plan("O03", "PSP/1", residents, 25) + _plan("X01", "PSP/1", theirs, 10)
    t = _with(tables, T, P, base, rows, people=[P("X01", unit_id="U2")])
    out = {r["staff_id"]: r["route"] for r in run(LookupsOutsideOwnCases(), t)}
    assert ("O03" in out) is outside
    assert out["O01"] == "misconduct_assessment"
    off = {r["staff_id"]: r["route"] for r in run(LookupsOutsideOwnCases({"shared_reference": False}), t)}
    assert off["O03"] == "misconduct_assessment"


@pytest.mark.parametrize(("field", "route"), [("Posting", "wellbeing"), ("Duty Type", "misconduct_assessment")])
def test_a_posting_to_custody_is_a_checking_role(run, tables, T, field, route):
    """O01's lookups of people who are no party to their cases, while the roster posts them to custody
    as acting custody sergeant (HR's role still says response officer): checking detainees is the
    post's work, and a count in a role too few hold to compare goes no further than wellbeing. The
    same words in another roster field are no posting."""
    rc = [{"change_id": f"rc{i}", "shift_id": f"sh{i}", "staff_id": "O01", "changed_by": "O02",
           "changed_at": f"2024-03-0{i} 09:00", "field": field, "old_value": "Response A",
           "new_value": "Custody & Detention (acting custody sergeant)"} for i in (1, 2)]
    out = {r["staff_id"]: r["route"] for r in run(LookupsOutsideOwnCases(), tables | {"roster_changes": T("roster_changes", rc)})}
    assert out == {"O01": route}
