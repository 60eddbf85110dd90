import datetime as dt

import pytest
from pydantic import ValidationError

from fairwitness.detectors.catalogue.reciprocal_authorisation import COVER, ReciprocalAuthorisation


def ot(cid, staff, auth, status="approved", start="2024-03-05 18:00"):
    day = start[:10]
    return {"claim_id": cid, "staff_id": staff, "start": start, "end": f"{day} 22:00", "hours": 4,
            "rate": 1.5, "reason_code": "op", "submitted_at": f"{day} 23:00", "authorised_by": auth,
            "authorised_at": f"{day} 23:30", "status": status}


@pytest.fixture
def tables(T, P):
    claims = [
        # A and B authorise each other (2 + 1 claims)
        ot("ab1", "B", "A"), ot("ab2", "B", "A"), ot("ba1", "A", "B"),
        # closed loop C -> D -> E -> C, one claim each
        ot("cd", "D", "C"), ot("de", "E", "D"), ot("ec", "C", "E"),
        # a loop of four F -> G -> H -> I -> F
        ot("fg", "G", "F"), ot("gh", "H", "G"), ot("hi", "I", "H"), ot("if", "F", "I"),
        # a normal hierarchy: SGT authorises PCs, INSP authorises SGT
        ot("n1", "PC1", "SGT"), ot("n2", "PC2", "SGT"), ot("n3", "SGT", "INSP"),
        # two sergeants covering for each other once, most claims authorised by their inspector
        *[ot(f"s1-{i}", "S1", "INSP") for i in range(12)], ot("s1x", "S1", "S2"),
        *[ot(f"s2-{i}", "S2", "INSP") for i in range(12)], ot("s2x", "S2", "S1"),
        # a pair that only exists through a rejected claim
        ot("r1", "PC1", "PC2"), ot("r2", "PC2", "PC1", status="rejected"),
    ]
    people = [P("A", line_manager_id="B"), P("B"), P("PC1", line_manager_id="SGT")]
    return {"overtime_claims": T("overtime_claims", claims), "people": T("people", people)}


def test_flags(run, tables):
    out = {r["staff_id"]: r for r in run(ReciprocalAuthorisation(), tables)}
    assert set(out) == {"A", "B", "C", "D", "E", "F", "G", "H", "I"}
    # three claims on a pair or a loop are too few for an adverse route (min_claims 4): a check only
    assert out["A"]["route"] == "wellbeing"
    assert out["A"]["evidence_keys"] == ["ab1", "ab2", "ba1"]
    assert out["A"]["detail"] == (
        "pair A ⇄ B; at least 100% of each one's claims authorised by the previous one; 3 claims on the person's "
        "loops; 0 of 2 peers had as large a share of their claims authorised by one colleague whose claims they "
        "authorised in turn"
    )
    assert out["A"]["explanations_found"] == [
        "the person's own claims were authorised by their line manager", "fewer than 4 claims on the loop"
    ]
    assert out["C"]["route"] == "wellbeing"
    assert out["C"]["detail"].startswith("loop C → D → E → C")
    assert out["C"]["evidence_keys"] == ["cd", "de", "ec"]
    # the loop of four has four claims, and its share (100%) is above every claimant with four claims or
    # more (no units loaded: the force's, S1 and S2, whose one claim of cover each way is 1 of 13)
    f = out["F"]
    assert (f["route"], f["value"], f["peer_median"], f["peer_percentile"]) == ("misconduct_assessment", 100.0, 7.7, 100.0)
    assert f["peer_group"] == "every claimant of the force (fewer than 5 in the peer group) with at least 4 claims, n=2"
    assert f["explanations_found"] == []
    # the sergeants' one-off cover: 1 of 13 claims each way, and one claim is no span
    assert "S1" not in out and "S2" not in out


def test_pairs_only(run, tables):
    out = run(ReciprocalAuthorisation({"max_loop": 2, "min_claims": 2}), tables)
    assert {(r["staff_id"], r["route"]) for r in out} == {("A", "misconduct_assessment"), ("B", "misconduct_assessment")}


YEAR = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))


def _monthly(staff, auth, prefix, months=range(1, 13), days=(3, 17)):
    """Two claims a month all year, authorised by ``auth`` (the inspector)."""
    return [ot(f"{prefix}-{m:02d}-{d:02d}", staff, auth, start=f"2024-{m:02d}-{d:02d} 18:00") for m in months for d in days]


@pytest.fixture
def year_tables(T):
    claims = [
        # X -> Y -> Z -> X for three weeks in June, besides their inspector's two claims a month: over the
        # year Y and Z had 3 of 27 claims (11%) authorised by the previous one, but X only 2 of 26 (7.7%,
        # below min_share)
        *_monthly("X", "INSP", "x"), ot("zx1", "X", "Z", start="2024-06-05 18:00"), ot("zx2", "X", "Z", start="2024-06-20 18:00"),
        *_monthly("Y", "INSP", "y"), *[ot(f"xy{i}", "Y", "X", start=f"2024-06-{d:02d} 18:00") for i, d in enumerate((4, 11, 25))],
        *_monthly("Z", "INSP", "z"), *[ot(f"yz{i}", "Z", "Y", start=f"2024-06-{d:02d} 18:00") for i, d in enumerate((6, 13, 24))],
        # P and Q cover each other once, in different months: 1 of 25 each way
        *_monthly("P", "INSP2", "p"), ot("qp", "P", "Q", start="2024-02-08 18:00"),
        *_monthly("Q", "INSP2", "q"), ot("pq", "Q", "P", start="2024-09-12 18:00"),
        # U and V: two claims of cover each way inside a fortnight (a span share of 100%), but U's in
        # March and V's in October: never a loop at one time
        *_monthly("U", "INSP3", "u"), ot("vu1", "U", "V", start="2024-03-05 18:00"), ot("vu2", "U", "V", start="2024-03-08 18:00"),
        *_monthly("V", "INSP3", "v"), ot("uv1", "V", "U", start="2024-10-01 18:00"), ot("uv2", "V", "U", start="2024-10-04 18:00"),
        # R and S cover each other twice in the same April, while their inspector still authorises most
        # of their claims: 2 of 6 each way in the stretch (33%), cover, not an arrangement
        *_monthly("R", "INSP4", "r"), *_monthly("R", "INSP4", "r+", months=[4], days=(8, 22)),
        ot("sr1", "R", "S", start="2024-04-01 18:00"), ot("sr2", "R", "S", start="2024-04-29 18:00"),
        *_monthly("S", "INSP4", "s"), *_monthly("S", "INSP4", "s+", months=[4], days=(9, 23)),
        ot("rs1", "S", "R", start="2024-04-02 18:00"), ot("rs2", "S", "R", start="2024-04-30 18:00"),
    ]
    return {"overtime_claims": T("overtime_claims", claims)}


def test_loop_on_its_active_span(run, year_tables):
    """A loop of three active for three weeks of a year: Z authorised only 2 of X's 26 claims over the
    year (7.7%), but 2 of X's 3 claims between the first and the last on that link (5 to 20 June)."""
    out = {r["staff_id"]: r for r in run(ReciprocalAuthorisation(), year_tables, *YEAR)}
    assert set(out) == {"X", "Y", "Z"}
    x = out["X"]
    assert x["route"] == "misconduct_assessment"
    # the loop's share while each link was active (2 of X's 3 claims), against peers: P and Q's one
    # claim of cover each way (4%), U and V's two each way months apart (2 of 26, 7.7%: never closed at
    # one time, so over the period), R and S's April (2 of 6 while active, 33%)
    assert (x["value"], x["peer_median"], x["peer_percentile"]) == (66.7, 7.7, 100.0)
    assert x["evidence_keys"] == ["xy0", "xy1", "xy2", "yz0", "yz1", "yz2", "zx1", "zx2"]
    # the weakest link on its span: 2 of X's 3 claims from 5 to 20 June (its inspector's 17 June claim
    # in between); the other two 3 of 4; over the year the weakest is 2 of 26
    assert x["detail"] == (
        "loop X → Y → Z → X found on its active span, 2024-06-04 to 2024-06-25: while each link was active at "
        "least 66% of each one's claims were authorised by the previous one (over the whole period at least 7%); "
        "8 claims on the person's loops; 0 of 6 peers had as large a share of their claims authorised by one "
        "colleague whose claims they authorised in turn"
    )
    assert out["Y"]["detail"].startswith("loop Y → Z → X → Y found on its active span, 2024-06-04 to 2024-06-25")
    # with a bar X's link does not reach on its span, the whole-period rule alone misses it (version 1)
    assert run(ReciprocalAuthorisation({"span_min_share": 1.0}), year_tables, *YEAR) == []


def test_single_claim_cover_is_not_a_loop(run, year_tables):
    """P and Q covered each other once each: a span of one claim counts for nothing, and 1 of 25 is
    below min_share. U and V covered each other twice in a week, months apart: never closed at one time."""
    out = run(ReciprocalAuthorisation(), year_tables, *YEAR)
    assert not {"P", "Q", "U", "V"} & {r["staff_id"] for r in out}


def test_cover_in_a_stretch_is_not_a_loop(run, year_tables):
    """R and S authorised each other's claims in the same April, but only 2 of the 6 each claimed in
    that stretch: below span_min_share (the main authoriser), so not flagged by default; a bar of 30%
    would make it a pair on its active span."""
    out = run(ReciprocalAuthorisation(), year_tables, *YEAR)
    assert not {"R", "S"} & {r["staff_id"] for r in out}
    low = {r["staff_id"]: r for r in run(ReciprocalAuthorisation({"span_min_share": 0.3}), year_tables, *YEAR)}
    assert {"R", "S"} <= set(low)
    assert low["R"]["detail"] == (
        "pair R ⇄ S found on its active span, 2024-04-01 to 2024-04-30: while each link was active at least 33% "
        "of each one's claims were authorised by the previous one (over the whole period at least 7%); 4 claims on "
        "the person's loops; 0 of 7 peers had as large a share of their claims authorised by one colleague whose "
        "claims they authorised in turn"
    )


def test_span_loop_must_be_closed_at_one_time(run, T, year_tables):
    """U and V's two claims of cover each way, moved into the same fortnight: a pair on its active span."""
    claims = [r for r in year_tables["overtime_claims"].to_pylist() if r["claim_id"] not in ("uv1", "uv2")]
    claims = [{k: (v.isoformat(sep=" ") if isinstance(v, dt.datetime) else v) for k, v in r.items()} for r in claims]
    claims += [ot("uv1", "V", "U", start="2024-03-06 18:00"), ot("uv2", "V", "U", start="2024-03-12 18:00")]
    out = {r["staff_id"]: r for r in run(ReciprocalAuthorisation(), {"overtime_claims": T("overtime_claims", claims)}, *YEAR)}
    assert set(out) == {"U", "V", "X", "Y", "Z"}
    assert out["U"]["route"] == "misconduct_assessment"
    assert out["U"]["evidence_keys"] == ["uv1", "uv2", "vu1", "vu2"]
    assert out["U"]["detail"].startswith("pair U ⇄ V found on its active span, 2024-03-05 to 2024-03-12: ")


def test_span_min_claims(run, year_tables):
    """Three claims on two links of the X loop but only two on Z → X: with span_min_claims 3 it is missed."""
    assert run(ReciprocalAuthorisation({"span_min_claims": 3}), year_tables, *YEAR) == []


@pytest.mark.parametrize(
    "params",
    [{"span_min_claims": 1}, {"span_min_claims": 0}, {"span_min_claims": 2.5}, {"span_min_share": 0},
     {"span_min_share": 1.1}, {"min_share": 0.3, "span_min_share": 0.2}, {"min_claims": 1}, {"peer_quantile": 1},
     {"peer_quantile": 0}, {"min_peers": 0}, {"misconduct_min_claims": 3}],
)
def test_parameters_validated(params):
    with pytest.raises(ValidationError):
        ReciprocalAuthorisation(params)


def test_defaults():
    p = ReciprocalAuthorisation().params
    assert (p.span_min_claims, p.span_min_share, p.min_share) == (2, 0.5, 0.1)
    assert (p.min_claims, p.peer_quantile, p.min_peers) == (4, 0.95, 5)
    assert ReciprocalAuthorisation.version == "10"


@pytest.mark.parametrize("engine", [pytest.param("spark", marks=pytest.mark.spark)], indirect=True)
def test_runner_on_spark(engine, run_detector, run, tables):
    """Through the real runner (period restriction, privacy filter, finalise) on Spark: the same
    signals as the direct DuckDB run."""
    direct = run(ReciprocalAuthorisation(), tables)
    out = run_detector(ReciprocalAuthorisation, tables, period_start=dt.date(2024, 3, 1), period_end=dt.date(2024, 3, 31)).to_pylist()
    assert sorted((r["staff_id"], r["route"], tuple(r["evidence_keys"])) for r in out) == sorted(
        (r["staff_id"], r["route"], tuple(sorted(set(r["evidence_keys"])))) for r in direct
    )
    assert all(r["explanation"] for r in out)


@pytest.mark.parametrize("engine", [pytest.param("spark", marks=pytest.mark.spark)], indirect=True)
def test_span_on_spark(engine, run_detector, run, year_tables):
    """The loop found on its active span, with its dates and shares, is identical on Spark."""
    direct = run(ReciprocalAuthorisation(), year_tables, *YEAR)
    out = run_detector(ReciprocalAuthorisation, year_tables, period_start=YEAR[0], period_end=YEAR[1]).to_pylist()
    assert sorted((r["staff_id"], r["route"], r["value"], r["detail"], tuple(r["evidence_keys"])) for r in out) == sorted(
        (r["staff_id"], r["route"], r["value"], r["detail"], tuple(r["evidence_keys"])) for r in direct
    )


def test_one_claim_of_cover_each_way_is_not_a_loop(run, T):
    """World 107's false pair: two response sergeants of one team, most claims authorised by
    their inspector; one covered three of the other's 28 claims (11%), the other one of nine
    (11%) — a single claim of cover. Both shares pass min_share, but one claim among several is
    not an arrangement; a second claim makes it a loop again."""
    days = [f"2024-03-{d:02d} 18:00" for d in range(1, 29)]
    claims = [ot(f"a{i}", "SA", "SB" if i < 3 else "INSP", start=days[i]) for i in range(28)]
    claims += [ot(f"b{i}", "SB", "SA" if i < 1 else "INSP", start=days[i]) for i in range(9)]
    tables = {"overtime_claims": T("overtime_claims", claims), "people": T("people", [])}
    assert run(ReciprocalAuthorisation(), tables) == []
    claims[28 + 1] = ot("b1", "SB", "SA", start=days[1])
    tables["overtime_claims"] = T("overtime_claims", claims)
    assert {r["staff_id"] for r in run(ReciprocalAuthorisation(), tables)} == {"SA", "SB"}


def _team(i, cover, claims=12):
    """Response team ``i``: sergeants T{i}a and T{i}b, ``claims`` claims each in March; ``cover`` of each
    one's claims, spread from the first to the last, authorised by the other sergeant (so the cover is
    active all month), the rest by their inspector I{i}."""
    covered = {round(k * (claims - 1) / (cover - 1)) for k in range(cover)} if cover > 1 else set(range(cover))
    rows = []
    for me, other in (("a", "b"), ("b", "a")):
        for d in range(claims):
            by = f"T{i}{other}" if d in covered else f"I{i}"
            rows.append(ot(f"t{i}{me}{d}", f"T{i}{me}", by, start=f"2024-03-{d + 2:02d} 18:00"))
    return rows


def _teams(base, P, T, covers):
    people = [P(f"T{i}{x}", rank_grade="Sergeant", unit_id="U1" if i % 2 else "U2", line_manager_id=f"I{i}")
              for i in range(1, len(covers) + 1) for x in "ab"]
    people += [P(f"I{i}", rank_grade="Inspector", unit_id="U1" if i % 2 else "U2") for i in range(1, len(covers) + 1)]
    claims = [c for i, cover in enumerate(covers, start=1) for c in _team(i, cover)]
    return {**base(people), "overtime_claims": T("overtime_claims", claims)}


GROUP = "unit type=response × rank band=sergeant × shift pattern=unknown × FTE=full-time with at least 4 claims, n=10"


def test_occasional_cover_among_peers_stays_off_adverse_routes(run, base, P, T):
    """Six response teams of two sergeants. In five the sergeants covered each other's leave now and
    then (2 or 3 of each one's 12 claims, 17-25%: six claims on a pair, enough volume); the sixth pair
    authorised 9 of each other's 12. Judged against their peers (the other response sergeants, their own
    partner left out), the occasional cover is ordinary — 6 of 10 peers show as much — and stays a check
    (wellbeing); the arrangement is beyond every peer and goes to a misconduct assessment."""
    out = {r["staff_id"]: r for r in run(ReciprocalAuthorisation(), _teams(base, P, T, [3, 3, 2, 3, 2, 9]))}
    assert set(out) == {f"T{i}{x}" for i in range(1, 7) for x in "ab"}
    honest = out["T1a"]
    assert (honest["route"], honest["value"], honest["peer_median"], honest["peer_percentile"]) == (
        "wellbeing", 25.0, 25.0, 80.0
    )
    assert honest["peer_group"] == GROUP
    assert honest["explanations_found"] == ["mutual cover as common among peers doing the same work"]
    assert honest["detail"].endswith("; 6 claims on the person's loops; 6 of 10 peers had as large a share of their "
                                     "claims authorised by one colleague whose claims they authorised in turn")
    assert {r["route"] for k, r in out.items() if not k.startswith("T6")} == {"wellbeing"}
    real = out["T6a"]
    assert (real["route"], real["value"], real["peer_median"], real["peer_percentile"]) == (
        "misconduct_assessment", 75.0, 25.0, 100.0
    )
    assert out["T6b"]["route"] == "misconduct_assessment"
    assert real["detail"].endswith("; 18 claims on the person's loops; 0 of 10 peers had as large a share of their "
                                   "claims authorised by one colleague whose claims they authorised in turn")


def test_where_teams_work_by_mutual_authorisation_the_same_pair_is_ordinary(run, base, P, T):
    """Small teams where the two sergeants are the only ones who can authorise: every pair authorises
    8-10 of the other's 12 claims. The sixth pair's 9 of 12, beyond every peer in the test above, is
    what peers doing the same work do here: no adverse route."""
    out = run(ReciprocalAuthorisation(), _teams(base, P, T, [8, 10, 9, 8, 10, 9]))
    assert len(out) == 12 and {r["route"] for r in out} == {"wellbeing"}
    t6 = next(r for r in out if r["staff_id"] == "T6a")
    assert (t6["value"], t6["peer_median"]) == (75.0, 75.0)
    assert "mutual cover as common among peers doing the same work" in t6["explanations_found"]


def test_a_pair_of_three_claims_is_too_little_for_an_adverse_route(run, base, P, T):
    """World 112's false pair: one sergeant had 2 of 11 claims authorised by another, who had 1 of 2
    authorised back — 3 claims on the pair. No peer shows mutual cover at all, so only the volume
    (min_claims) keeps it off adverse routes: with min_claims 3 it would be a misconduct assessment."""
    tables = _teams(base, P, T, [0, 0, 0, 0, 0])
    claims = tables["overtime_claims"].to_pylist()
    claims = [{k: (v.isoformat(sep=" ") if isinstance(v, dt.datetime) else v) for k, v in r.items()} for r in claims]
    claims += [ot(f"sa{d}", "SA", "SB" if d < 2 else "I1", start=f"2024-03-{d + 2:02d} 18:00") for d in range(11)]
    claims += [ot("sb0", "SB", "SA", start="2024-03-20 18:00"), ot("sb1", "SB", "I1", start="2024-03-27 18:00")]
    people = tables["people"].to_pylist()
    people = [{k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in r.items()} for r in people]
    people += [P("SA", rank_grade="Sergeant", line_manager_id="I1"), P("SB", rank_grade="Sergeant", line_manager_id="I1")]
    tables = {**tables, "people": T("people", people), "overtime_claims": T("overtime_claims", claims)}
    out = {r["staff_id"]: r for r in run(ReciprocalAuthorisation(), tables)}
    assert set(out) == {"SA", "SB"}
    assert out["SA"]["route"] == "wellbeing" and out["SA"]["value"] == 18.2
    assert out["SA"]["explanations_found"] == ["fewer than 4 claims on the loop"]
    assert out["SA"]["peer_median"] == 0.0
    strict = {r["staff_id"]: r["route"] for r in run(ReciprocalAuthorisation({"min_claims": 3}), tables)}
    assert strict == {"SA": "misconduct_assessment", "SB": "misconduct_assessment"}


def _rows(tables, name):
    """A table's rows as the contract's text (dates and times written out), to add rows to."""
    def text(v):
        if isinstance(v, dt.datetime):
            return v.isoformat(sep=" ")
        return v.isoformat() if isinstance(v, dt.date) else v

    return [{k: text(v) for k, v in r.items()} for r in tables[name].to_pylist()]


@pytest.mark.parametrize("engine", ["duckdb"], indirect=True)
def test_cover_while_the_usual_authoriser_is_absent_is_not_an_arrangement(engine, run, run_detector, base, P, T):
    """Two custody sergeants authorise each other's claims for the eight weeks their inspector (line
    manager, who authorises their claims otherwise) is on recorded sickness: a peer of the same rank
    covering an absent authoriser, not an arrangement — a check (wellbeing), where version 6 sent it
    to a misconduct assessment. The same pair with the inspector at work stays adverse, and so does
    a pair whose cover outlasts the absence (most of its claims with the inspector back)."""
    tables = _teams(base, P, T, [2, 3, 2, 3, 2])
    people, claims = _rows(tables, "people"), _rows(tables, "overtime_claims")
    people += [P(s, rank_grade="Sergeant", unit_id="U1", line_manager_id="CI") for s in ("CA", "CB")]
    people += [P("CI", rank_grade="Inspector", unit_id="U1")]
    # each sergeant: 8 claims in March authorised by the other, 4 in March by the inspector... who is off
    # sick 2 to 20 March; the cover claims fall in that stretch, the inspector's after his return
    for me, other in (("CA", "CB"), ("CB", "CA")):
        claims += [ot(f"{me}{d}", me, other, start=f"2024-03-{d + 2:02d} 18:00") for d in range(8)]
        claims += [ot(f"{me}i{d}", me, "CI", start=f"2024-03-{d + 22:02d} 18:00") for d in range(4)]
    sick = {"absence_id": "ci", "staff_id": "CI", "type": "sickness", "start": "2024-03-02 00:00",
            "end": "2024-03-21 00:00", "reason_category": None}
    t = {**tables, "people": T("people", people), "overtime_claims": T("overtime_claims", claims)}
    # no absence recorded: the pair is beyond every peer, a misconduct assessment
    out = {r["staff_id"]: r for r in run(ReciprocalAuthorisation(), t)}
    assert (out["CA"]["route"], out["CB"]["route"]) == ("misconduct_assessment",) * 2, out["CA"]["detail"]
    # the inspector's sickness recorded: cover for an absent authoriser
    t["absences"] = T("absences", [sick])
    out = {r["staff_id"]: r for r in run(ReciprocalAuthorisation(), t)}
    assert (out["CA"]["route"], out["CB"]["route"]) == ("wellbeing", "wellbeing")
    assert COVER in out["CA"]["explanations_found"]
    assert "16 claims on the person's loops, 16 of them made while the claimant's line manager was recorded absent" in (
        out["CA"]["detail"]
    )
    runner = run_detector(ReciprocalAuthorisation, t, period_start=dt.date(2024, 3, 1), period_end=dt.date(2024, 3, 31))
    assert {r["staff_id"]: r["route"] for r in runner.to_pylist()}["CA"] == "wellbeing"
    # sick only 2 to 5 March: 3 of each one's 8 cover claims fall in it (6 of 16), the rest with him back
    t["absences"] = T("absences", [{**sick, "end": "2024-03-05 00:00"}])
    out = {r["staff_id"]: r for r in run(ReciprocalAuthorisation(), t)}
    assert (out["CA"]["route"], out["CB"]["route"]) == ("misconduct_assessment",) * 2, out["CA"]["detail"]
    assert COVER not in out["CA"]["explanations_found"], out["CA"]["detail"]


def _duty_inspectors(base, P, T, third=False):
    """Five response teams of sergeants (occasional cover), and two duty inspectors DA and DB on opposite
    shifts: five times each, one stays on 18:00-22:00 after a day shift, when the other is the only
    inspector on duty (on nights), and the other authorises the claim. Their chief inspector works
    08:00-16:00. ``third``: another inspector, DC, works 14:00-24:00 on those days."""
    t = _teams(base, P, T, [2, 3, 2, 3, 2])
    people, claims = _rows(t, "people"), _rows(t, "overtime_claims")
    people += [P(s, rank_grade="Inspector", unit_id="U1", line_manager_id="CI") for s in ("DA", "DB", "DC")]
    people += [P("CI", rank_grade="Chief Inspector", unit_id="U1")]
    shifts = []

    def sh(staff, day, a, b):
        end = f"2024-03-{day + 1:02d} {b - 24:02d}:00" if b >= 24 else f"2024-03-{day:02d} {b:02d}:00"
        shifts.append({"shift_id": f"{staff}-{day}", "staff_id": staff, "start": f"2024-03-{day:02d} {a:02d}:00",
                       "end": end, "duty_type": "normal", "site_id": "S1"})

    for k in range(10):
        day = 2 + 2 * k
        me, other = ("DA", "DB") if k % 2 == 0 else ("DB", "DA")
        claims.append(ot(f"{me}{day}", me, other, start=f"2024-03-{day:02d} 18:00"))
        sh(me, day, 8, 18)
        sh(other, day, 22, 32)
        sh("CI", day, 8, 16)
        if third:
            sh("DC", day, 14, 24)
    return {**t, "people": T("people", people), "overtime_claims": T("overtime_claims", claims),
            "shifts": T("shifts", shifts)}


def test_a_loop_the_rota_forces(run, base, P, T):
    """The two duty inspectors are each the only inspector on duty when the other works late: each can
    only be authorised by the other. A closed loop the rota forces is a check (wellbeing), not a
    misconduct assessment (version 7 sent both there)."""
    out = {r["staff_id"]: r for r in run(ReciprocalAuthorisation(), _duty_inspectors(base, P, T))}
    assert (out["DA"]["route"], out["DB"]["route"]) == ("wellbeing", "wellbeing")
    from fairwitness.detectors.catalogue._rota import FORCED

    assert FORCED in out["DA"]["explanations_found"]
    assert "10 of them with nobody else of the authoriser's rank or higher on duty" in out["DA"]["detail"]


def test_a_pair_who_choose_each_other_when_others_could_authorise(run, base, P, T):
    """The same claims while a third inspector is on duty in the claimed hours: the pair chose each
    other, and stays a misconduct assessment."""
    out = {r["staff_id"]: r for r in run(ReciprocalAuthorisation(), _duty_inspectors(base, P, T, third=True))}
    assert (out["DA"]["route"], out["DB"]["route"]) == ("misconduct_assessment",) * 2, out["DA"]["detail"]


def test_an_explained_loop_does_not_make_another_look_usual(run, base, P, T):
    """In a small force, two custody sergeants covering for their sick inspector (explained) and two
    response sergeants who authorise each other while their own inspector is at work (the same
    shares): the explained pair counts as having no mutual cover to compare, so the other pair's
    loop is beyond its peers — a misconduct assessment (version 8 found it as common as peers', a
    check)."""
    tables = _teams(base, P, T, [2, 3, 2, 3, 2])
    people, claims = _rows(tables, "people"), _rows(tables, "overtime_claims")
    people += [P(s, rank_grade="Sergeant", unit_id="U1", line_manager_id="CI") for s in ("CA", "CB")]
    people += [P(s, rank_grade="Sergeant", unit_id="U1", line_manager_id="XI") for s in ("XA", "XB")]
    people += [P(s, rank_grade="Inspector", unit_id="U1") for s in ("CI", "XI")]
    for me, other, boss in (("CA", "CB", "CI"), ("CB", "CA", "CI"), ("XA", "XB", "XI"), ("XB", "XA", "XI")):
        claims += [ot(f"{me}{d}", me, other, start=f"2024-03-{d + 2:02d} 18:00") for d in range(8)]
        claims += [ot(f"{me}i{d}", me, boss, start=f"2024-03-{d + 22:02d} 18:00") for d in range(4)]
    sick = {"absence_id": "ci", "staff_id": "CI", "type": "sickness", "start": "2024-03-02 00:00",
            "end": "2024-03-21 00:00", "reason_category": None}
    t = {**tables, "people": T("people", people), "overtime_claims": T("overtime_claims", claims),
         "absences": T("absences", [sick])}
    out = {r["staff_id"]: r for r in run(ReciprocalAuthorisation(), t)}
    assert (out["CA"]["route"], out["CB"]["route"]) == ("wellbeing", "wellbeing")
    assert (out["XA"]["route"], out["XB"]["route"]) == ("misconduct_assessment",) * 2, out["XA"]["detail"]


@pytest.mark.parametrize(("route_text", "expected"), [
    ("Delegated authority - SIO finance instruction Op Larch/01", "wellbeing"),
    ("Line manager", "misconduct_assessment"),
])
def test_a_loop_under_a_recorded_delegated_authority(run, base, P, T, route_text, expected):
    """The pair who chose each other while a third inspector was on duty, but each claim recorded as
    authorised under the SIO's delegated authority for an operation: the delegation the claims record
    names explains the loop (a check); the same claims recorded as authorised by a line manager keep
    the misconduct assessment."""
    t = _duty_inspectors(base, P, T, third=True)
    claims = [dict(r, authorisation_route=route_text) if r["staff_id"] in ("DA", "DB") else r
              for r in _rows(t, "overtime_claims")]
    out = {r["staff_id"]: r for r in run(ReciprocalAuthorisation(), {**t, "overtime_claims": T("overtime_claims", claims)})}
    assert (out["DA"]["route"], out["DB"]["route"]) == (expected, expected)
    if expected == "wellbeing":
        from fairwitness.detectors.catalogue._mutual_cover import DELEGATED

        assert DELEGATED in out["DA"]["explanations_found"]
        assert "authorised under a recorded delegated authority" in out["DA"]["detail"]
