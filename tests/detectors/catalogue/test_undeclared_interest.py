import datetime as dt

import pytest

from fairwitness.detectors.catalogue.undeclared_interest import UndeclaredInterest


def rec(rid, staff, cp, strength="confirmed", kind="directorship", observed="2024-01-15 00:00", name=None, dob=None):
    return {"record_id": rid, "kind": kind, "counterparty": cp, "source": "Companies House", "observed_at": observed,
            "strength": strength, "staff_id": staff, "full_name": name, "date_of_birth": dob}


def dec(did, staff, cp, kind="business_interest", at="2023-06-01 00:00", status="approved"):
    return {"declaration_id": did, "staff_id": staff, "kind": kind, "counterparty": cp, "declared_at": at, "status": status}


@pytest.fixture
def tables(T, P):
    records = [
        rec("r1", "I1", "Acme Security Ltd"),
        rec("r2", "I2", "Acme Security Ltd"),
        rec("r3", "I3", "Lodge of St John No 123", strength="indicative", kind="membership"),
        rec("r4", None, "Bright Cars Ltd", name="SMITH, John", dob="1980-05-17"),
        rec("r5", None, "Bright Cars Ltd", name="J Smyth", dob="1980-05-17"),
        rec("r6", None, "Bright Cars Ltd", name="Peter Jones", dob="1980-05-17"),
        rec("r7", "I7", "Nightline Taxis", observed="2023-06-01 00:00"),
        rec("r8", "I8", "Nightline Taxis"),
        rec("r9", "I9", "Harbour Bar Ltd"),
        rec("r10", "I10", "Harbour Bar Ltd"),
        rec("r11", "I11", "Harbour Bar Ltd", observed="2024-04-15 00:00"),
        rec("r12", "I12", "Acme Security Ltd"),
        rec("r13", "I13", "Harbour Running Club", kind="membership"),        # a club: nothing to declare
        rec("r14", "I14", "Old Firm Ltd", observed="2010-05-01 00:00"),       # stale
        rec("r15", "I15", "Previous Employer Ltd", kind="employment", observed="2022-05-01 00:00"),  # before joining
        rec("r16", "I16", "Late But Known Ltd", observed="2022-01-10 00:00"),
        rec("r17", "I17", "Rose Court RTM Company Ltd"),  # held for no gain: nothing to declare
        {**rec("r18", "I18", "Elm House Management Ltd"), "activity": "98000 Residents property management"},
    ]
    declarations = [
        dec("d2", "I2", "ACME SECURITY LIMITED"),
        dec("d7", "I7", "Nightline Taxis", kind="secondary_employment", at="2024-03-10 00:00"),  # 283 days late
        dec("d8", "I8", "Nightline Taxis", status="refused"),
        dec("d9", "I9", "Harbour Bar", kind="gift_hospitality"),
        dec("d10", "I10", "The Harbour Bar", status="pending", at="2024-02-01 00:00"),  # within the grace period
        dec("d12", "I12", "Acme Securty", kind="secondary_employment"),  # typo
        dec("d16", "I16", "Late But Known Ltd", at="2023-09-01 00:00"),  # late, but long before the period
    ]
    links = [
        {"record_id": "r1", "staff_id": "I1", "match_probability": 1.0, "match_method": "staff_id"},
        {"record_id": "r4", "staff_id": "I4", "match_probability": 0.9998, "match_method": "splink_name_dob"},
        {"record_id": "r5", "staff_id": "I5", "match_probability": 0.85, "match_method": "splink_name_dob"},
        {"record_id": "r6", "staff_id": "I6", "match_probability": 0.4, "match_method": "splink_name_dob"},
    ]
    people = [P("I15", start_date="2023-04-01")] + [P(f"I{i}") for i in range(1, 15) if i != 15]
    return {"external_records": T("external_records", records), "declarations": T("declarations", declarations),
            "external_links": T("external_links", links), "people": T("people", people)}


def test_flags(run, tables):
    out = {r["staff_id"]: r for r in run(UndeclaredInterest(), tables)}
    assert set(out) == {"I1", "I3", "I4", "I5", "I7", "I8", "I9"}
    assert out["I1"]["route"] == "gross_misconduct_assessment"
    assert out["I1"]["evidence_keys"] == ["r1"]
    assert out["I3"]["route"] == "advice"  # indicative
    assert out["I4"]["route"] == "gross_misconduct_assessment"
    assert "match probability 1.000 by splink_name_dob" in out["I4"]["detail"]
    assert out["I5"]["route"] == "wellbeing"  # identity uncertain: checked first, nothing adverse
    assert "uncertain identity" in out["I5"]["explanations_found"][0]
    assert out["I7"]["route"] == "advice"  # declared, but long after
    assert out["I8"]["route"] == "gross_misconduct_assessment"
    assert "refused" in out["I8"]["detail"]
    assert out["I9"]["route"] == "gross_misconduct_assessment"  # a gift declaration is not an interest declaration


def test_without_linkage(run, tables):
    t = {k: v for k, v in tables.items() if k != "external_links"}
    assert {r["staff_id"] for r in run(UndeclaredInterest(), t)} == {"I1", "I3", "I7", "I8", "I9"}
    # without the people table the pre-service observation cannot be recognised
    t = {k: v for k, v in tables.items() if k != "people"}
    assert "I15" in {r["staff_id"] for r in run(UndeclaredInterest(), t)}


def test_params(run, tables):
    with pytest.raises(ValueError):
        UndeclaredInterest({"min_link": 0.99, "strong_link": 0.9})
    out = {r["staff_id"]: r["route"] for r in run(UndeclaredInterest({"min_link": 0.3, "grace_days": 365}), tables)}
    assert out["I6"] == "wellbeing" and "I7" not in out  # linked at 0.4: flagged, but identity unsure


@pytest.mark.parametrize("engine", [pytest.param("spark", marks=pytest.mark.spark)], indirect=True)
def test_runner_on_spark(engine, run_detector, run, tables):
    """Through the real runner (period restriction, privacy filter, finalise) on Spark: the same
    signals as the direct DuckDB run."""
    direct = run(UndeclaredInterest(), tables)
    out = run_detector(UndeclaredInterest, tables, period_start=dt.date(2024, 3, 1), period_end=dt.date(2024, 3, 31)).to_pylist()
    assert sorted((r["staff_id"], r["route"], tuple(r["evidence_keys"])) for r in out) == sorted(
        (r["staff_id"], r["route"], tuple(sorted(set(r["evidence_keys"])))) for r in direct
    )
    assert all(r["explanation"] for r in out)


def test_masonic_side_orders_are_declarable(run, T, P):
    """A Royal Arch chapter or Knights Templar preceptory meets under a numbered warrant like a
    lodge and must be declared; a book club's 'chapter' or a sports club need not be."""
    records = [
        rec("m1", "M1", "Chapter of Fidelity No. 512", kind="membership"),
        rec("m2", "M2", "ST ALBAN PRECEPTORY NO 77", kind="membership"),
        rec("m3", "M3", "Riverside Book Club Chapter", kind="membership"),
        rec("m4", "M4", "Rotary Club of Riverside", kind="membership"),
    ]
    t = {"external_records": T("external_records", records), "declarations": T("declarations", []),
         "people": T("people", [P(f"M{i}") for i in range(1, 5)])}
    out = {r["staff_id"]: r for r in run(UndeclaredInterest(), t)}
    assert set(out) == {"M1", "M2"}
    assert all(r["route"] == "gross_misconduct_assessment" for r in out.values())


def test_a_near_miss_on_the_date_of_birth_is_not_enough_for_gross_misconduct(run, T, P):
    """Exact name, birth date one digit out (Craig Smith 1975-01-25 vs 1975-09-25): about 0.96
    with the linkage's weights — in a force of tens of thousands that is often somebody else,
    so a reviewer confirms identity first (wellbeing: nothing adverse until then); an exact match
    stays gross misconduct."""
    records = [rec("n1", None, "Beacon Tutoring Ltd", name="Craig Smith", dob="1975-01-25"),
               rec("n2", None, "Oakwood Cleaning Ltd", name="Esther Adeyemi", dob="1988-05-25")]
    links = [{"record_id": "n1", "staff_id": "N1", "match_probability": 0.962826, "match_method": "splink_name_dob"},
             {"record_id": "n2", "staff_id": "N2", "match_probability": 0.99982, "match_method": "splink_name_dob"}]
    out = {r["staff_id"]: r for r in run(UndeclaredInterest(), {
        "external_records": T("external_records", records), "declarations": T("declarations", []),
        "external_links": T("external_links", links), "people": T("people", [P("N1"), P("N2")])})}
    assert out["N1"]["route"] == "wellbeing"
    assert "uncertain identity (record linkage probability below strong_link)" in out["N1"]["explanations_found"]
    assert out["N2"]["route"] == "gross_misconduct_assessment"


def test_a_record_that_fits_someone_who_declared_it_is_not_held_against_their_namesake(run, T, P):
    """One lodge record fits two members of staff with the same birth date and similar
    names (the linkage shares the probability between them); one of them declared the lodge."""
    records = [
        rec("m1", None, "Lodge of Harmony No. 8775", kind="membership", name="Abimbola Okafor", dob="1966-12-31"),
        rec("m2", None, "Riverside Lettings Ltd", name="Sam Patel", dob="1970-03-03"),
    ]
    links = [
        # the name fits N1 a little better, but N2 declared this lodge: the record may well be N2's
        {"record_id": "m1", "staff_id": "N1", "match_probability": 0.85, "match_method": "splink_name_dob", "candidates": 2},
        {"record_id": "m1", "staff_id": "N2", "match_probability": 0.1499, "match_method": "splink_name_dob", "candidates": 2},
        # m2 fits two people, neither of whom declared it: surfaced for an identity check of the
        # likelier one (wellbeing, not adverse), nothing for the other (below min_link)
        {"record_id": "m2", "staff_id": "N3", "match_probability": 0.62, "match_method": "splink_name_dob", "candidates": 2},
        {"record_id": "m2", "staff_id": "N4", "match_probability": 0.37, "match_method": "splink_name_dob", "candidates": 2},
    ]
    declarations = [dec("e1", "N2", "Lodge of Harmony No 8775", kind="membership")]
    tables = {"external_records": T("external_records", records), "declarations": T("declarations", declarations),
              "external_links": T("external_links", links), "people": T("people", [P(f"N{i}") for i in range(1, 5)])}
    out = run(UndeclaredInterest(), tables)
    assert [(r["staff_id"], r["route"]) for r in out] == [("N3", "wellbeing")]
    # the same record, linked with certainty to N1 alone, is an undeclared membership
    links[0] = {**links[0], "match_probability": 0.9995, "candidates": 1}
    tables["external_links"] = T("external_links", links[:1])
    (r,) = run(UndeclaredInterest(), tables)
    assert r["staff_id"] == "N1" and r["route"] == "gross_misconduct_assessment"


def test_a_late_declaration_corroborates_a_weak_name_link(run, T, P):
    """Late declarations whose outside record spells the name wrong and puts the birth date a
    slip out (0.41 by name and date alone for a birth year out; worlds 106 and 108 missed two
    with a day out, 0.65 once compared), while the person's own declaration — made after the
    deadline — names the very organisation. Somebody else with a similar name
    and a record of that organisation is far less likely than a typing slip: in a force of
    2,000 where only they declared it, the identity is established and the late declaration
    gets advice. A record of an employer twenty staff declared is only an identity check; a
    weak link with no declaration of the organisation is nothing."""
    records = [
        rec("w1", None, "Larch Removals Ltd", observed="2023-09-01 00:00", name="Garteh Hughes", dob="1984-06-02"),
        rec("w2", None, "Citywide Supermarkets", kind="employment", observed="2023-09-01 00:00",
            name="Nadia Mailk", dob="1991-02-11"),
        rec("w3", None, "Hawthorn Tutoring Ltd", observed="2023-09-01 00:00", name="Kofi Mensha", dob="1979-10-12"),
    ]
    links = [{"record_id": f"w{i}", "staff_id": f"L{i}", "match_probability": 0.41, "match_method": "splink_name_dob",
              "candidates": 1} for i in (1, 2, 3)]
    declarations = [
        dec("e1", "L1", "Larch Removals", kind="secondary_employment", at="2024-03-12 00:00"),  # 193 days on
        dec("e2", "L2", "Citywide Supermarkets Ltd", kind="secondary_employment", at="2024-03-12 00:00"),
    ]
    declarations += [dec(f"s{i}", f"S{i}", "Citywide Supermarkets", kind="secondary_employment") for i in range(19)]
    people = [P(f"L{i}") for i in range(1, 4)] + [P(f"S{i}") for i in range(1997)]
    tables = {"external_records": T("external_records", records), "declarations": T("declarations", declarations),
              "external_links": T("external_links", links), "people": T("people", people)}
    out = {r["staff_id"]: r for r in run(UndeclaredInterest(), tables)}
    assert set(out) == {"L1", "L2"}
    # odds 0.41 / 0.59 times m / u = 0.5 * 2000 / 1: 0.9986
    assert out["L1"]["route"] == "advice"
    assert "declared late" in out["L1"]["detail"]
    assert "match probability 0.999 by splink_name_dob (0.410 by name and date of birth alone; the person's own " \
           "declaration names it)" in out["L1"]["detail"]
    # 20 of 2,000 declared the supermarket: m / u = 50, 0.972, an identity check (not adverse)
    assert out["L2"]["route"] == "wellbeing"
    # without the corroboration, both weak links are ignored again
    assert run(UndeclaredInterest({"own_declaration_m": 0}), tables) == []
    # in a force of 40 the same declaration identifies less (m / u = 20: 0.933): an identity check
    small = {**tables, "people": T("people", people[:40]), "declarations": T("declarations", declarations[:2])}
    out = {r["staff_id"]: r["route"] for r in run(UndeclaredInterest(), small)}
    assert out == {"L1": "wellbeing", "L2": "wellbeing"}


def test_a_directorship_held_for_no_gain_is_not_a_business_interest(run, T, P):
    # Companies House lists the leaseholder who volunteers to run their block's management company,
    # and a charity's trustees, as directors: unpaid offices that reg. 7 does not make declarable
    records = [
        rec("n1", "N1", "ROSE COURT RTM COMPANY LIMITED"),  # only a right-to-manage company may carry 'RTM'
        {**rec("n2", "N2", "Harbour View Management Company Limited"), "activity": "98000 - Residents property management"},
        {**rec("n3", "N3", "Friends of Elm Park"), "activity": "registered charity 1123456"},
        rec("n4", "N4", "Harbour View Management Company Limited"),  # no activity: a name alone could be a letting agent
        {**rec("n5", "N5", "Rose Court RTM Company Ltd", kind="employment"), "source": "HMRC RTI"},  # paid: for gain
        {**rec("n6", "N6", "Elm Park Property Lettings Ltd"), "activity": "68320 - Management of real estate on a fee or contract basis"},
        # an academy trust is an exempt charity (not on the register), its trustees unpaid
        {**rec("n7", "N7", "Aldbury Valley Learning Trust"),
         "activity": "85310 General secondary education - academy trust, exempt charity (trustees unpaid)"},
    ]
    tables = {"external_records": T("external_records", records), "declarations": T("declarations", []),
              "people": T("people", [P(f"N{i}") for i in range(1, 8)])}
    out = {r["staff_id"]: r["route"] for r in run(UndeclaredInterest(), tables)}
    assert out == {"N4": "gross_misconduct_assessment", "N5": "gross_misconduct_assessment", "N6": "gross_misconduct_assessment"}
    # a force whose register covers unpaid roles empties the pattern: every directorship counts
    out = {r["staff_id"] for r in run(UndeclaredInterest({"not_for_gain_pattern": ""}), tables)}
    assert out == {f"N{i}" for i in range(1, 8)}


def test_a_membership_is_due_from_the_day_the_force_made_memberships_declarable(run, T, P):
    """The Met made memberships of hierarchical organisations declarable with immediate effect;
    hundreds declared in the following weeks. A lodge membership seen in June 2025 and declared
    in January 2026, after a rule of 11 December 2025, was declared on time — not late (advice, an
    adverse outcome); an undeclared one is nothing to answer until the rule's grace period has run
    out. Other interests are due from their observation as before, and so is everything when the
    force has set no rule date."""
    records = [
        rec("a1", "A1", "Lodge of Harmony No. 255", kind="membership", observed="2025-06-01 00:00"),
        rec("a2", "A2", "Lodge of Harmony No. 255", kind="membership", observed="2025-06-01 00:00"),
        rec("a3", "A3", "Ridge Consulting Ltd", observed="2025-06-01 00:00"),
        rec("a4", "A4", "Lodge of Harmony No. 255", kind="membership", observed="2026-01-05 00:00"),
    ]
    declarations = [
        dec("e1", "A1", "Lodge of Harmony No 255", kind="association", at="2026-01-10 00:00"),
        dec("e3", "A3", "Ridge Consulting Ltd", at="2026-01-10 00:00"),
    ]
    t = {"external_records": T("external_records", records), "declarations": T("declarations", declarations),
         "people": T("people", [P(f"A{i}") for i in range(1, 5)])}
    rule = {"membership_declarable_from": "2025-12-11"}

    def routes(params, end):
        return {r["staff_id"]: r["route"] for r in run(UndeclaredInterest(params), t, dt.date(2026, 1, 1), end)}

    # no rule date: the January declaration is 223 days after the observation (late: advice)
    assert routes({}, dt.date(2026, 2, 28)) == {
        "A1": "advice", "A2": "gross_misconduct_assessment", "A3": "advice", "A4": "gross_misconduct_assessment"}
    # the rule: A1 on time; A2 not yet due at the end of February (due 11 March); the directorship
    # is late as before; a membership observed after the rule is due from its observation
    assert routes(rule, dt.date(2026, 2, 28)) == {"A3": "advice", "A4": "gross_misconduct_assessment"}
    # once the deadline has passed within the period, an undeclared membership is one
    assert routes(rule, dt.date(2026, 3, 31)) == {
        "A2": "gross_misconduct_assessment", "A3": "advice", "A4": "gross_misconduct_assessment"}


def test_an_order_of_chivalry_is_not_a_secret_fraternity(run, T, P):
    """The declarable-associations rule is for hierarchical bodies with confidential membership
    and mutual support (lodges and the masonic orders). The word 'Order' alone also names orders of
    chivalry and their charities: a St John Ambulance volunteer on the Order of St John's register
    has nothing to declare; the Royal Order of Scotland, a masonic order, is declarable."""
    records = [
        rec("o1", "O1", "Order of St John (St John Ambulance volunteers)", kind="membership"),
        rec("o2", "O2", "Most Excellent Order of the British Empire", kind="membership"),
        rec("o3", "O3", "Royal Order of Scotland", kind="membership"),
        rec("o4", "O4", "Royal Antediluvian Order of Buffaloes, Lodge 1203", kind="membership"),
    ]
    t = {"external_records": T("external_records", records), "declarations": T("declarations", []),
         "people": T("people", [P(f"O{i}") for i in range(1, 5)])}
    out = {r["staff_id"]: r["route"] for r in run(UndeclaredInterest(), t)}
    assert out == {"O3": "gross_misconduct_assessment", "O4": "gross_misconduct_assessment"}


def test_a_directorship_probably_held_for_no_gain_is_a_check_not_gross_misconduct(run, T, P):
    """Reg. 7 makes an office a business interest when it is for hire or gain. An unpaid director of
    a youth football community interest company, of the force's own sports association, or of a
    dormant inherited company shows on Companies House like any director; the register cannot say
    the office is unpaid, so it is surfaced for a check (wellbeing), never gross misconduct. The
    legal form or status decides, not a word in the name: a trading company stays a business."""
    records = [
        {**rec("g1", "G1", "Eastfield Youth Football CIC"), "activity": "93120 Activities of sport clubs"},
        {**rec("g2", "G2", "Westshire Police Sports Association Limited"), "activity": "93199 Other sports activities"},
        {**rec("g3", "G3", "J & M Thompson Holdings Limited"), "activity": "99999 Dormant Company"},
        {**rec("g4", "G4", "Eastfield Youth Football Coaching Ltd"), "activity": "85510 Sports and recreation education"},
        # a paid job with a CIC is employment for gain like any other
        {**rec("g5", "G5", "Eastfield Youth Football CIC", kind="employment"), "source": "HMRC RTI"},
        # a probable no-gain office beside a real undeclared business: the business decides
        {**rec("g6", "G6", "Eastfield Youth Football CIC"), "activity": "93120 Activities of sport clubs"},
        rec("g7", "G6", "Acme Security Ltd"),
    ]
    t = {"external_records": T("external_records", records), "declarations": T("declarations", []),
         "people": T("people", [P(f"G{i}") for i in range(1, 7)])}
    out = {r["staff_id"]: r for r in run(UndeclaredInterest(), t)}
    assert {k: r["route"] for k, r in out.items()} == {
        "G1": "wellbeing", "G2": "wellbeing", "G3": "wellbeing", "G4": "gross_misconduct_assessment",
        "G5": "gross_misconduct_assessment", "G6": "gross_misconduct_assessment",
    }
    for k in ("G1", "G2", "G3"):
        assert any("probably held for no gain" in e for e in out[k]["explanations_found"])
        assert "probably held for no gain: whether it is paid to be checked" in out[k]["detail"]
    assert out["G6"]["detail"].startswith("directorship Acme Security Ltd")
    # a force whose register covers such offices empties the pattern
    out = {r["staff_id"]: r["route"] for r in run(UndeclaredInterest({"no_gain_likely_pattern": ""}), t)}
    assert out["G1"] == out["G2"] == out["G3"] == "gross_misconduct_assessment"


def test_a_declaration_typed_by_the_officer_matches_the_registered_name(run, T, P):
    """Officers type declarations; registers and payrolls carry the legal name. A possessive, a
    legal form, a leading initial, a parenthesised description or another word order do not
    make the declared job undeclared ("Sainsbury's" is HMRC's "J Sainsbury plc"). Unrelated
    businesses sharing a common word, or lodges with other numbers, are still undeclared."""
    records = [
        {**rec("s1", "S1", "J Sainsbury plc", kind="employment"), "source": "HMRC RTI payroll return"},
        {**rec("s2", "S2", "Kingsley Tutoring Ltd", kind="employment"), "source": "tutoring platform timesheet"},
        rec("s3", "S3", "Thompson Joinery Ltd"),
        rec("s4", "S4", "Harmony Lodge No 255", kind="membership"),
        # the guilty counterparts: declared something else
        rec("g1", "G1", "Smith Haulage Ltd"),
        {**rec("g2", "G2", "Royal Oak pub", kind="employment"), "source": "HMRC RTI payroll return"},
        rec("g3", "G3", "Harmony Lodge No 8775", kind="membership"),
    ]
    declarations = [
        dec("e1", "S1", "Sainsbury's", kind="secondary_employment"),
        dec("e2", "S2", "Kingsley Tutoring (online maths tutor)", kind="secondary_employment"),
        dec("e3", "S3", "J & M Thompson Joinery"),
        dec("e4", "S4", "Lodge of Harmony No. 255", kind="membership"),
        dec("f1", "G1", "Smith Security Ltd"),
        dec("f2", "G2", "Royal Mail", kind="secondary_employment"),
        dec("f3", "G3", "Lodge of Harmony No. 255", kind="membership"),
    ]
    t = {"external_records": T("external_records", records), "declarations": T("declarations", declarations),
         "people": T("people", [P(s) for s in ("S1", "S2", "S3", "S4", "G1", "G2", "G3")])}
    out = {r["staff_id"]: r["route"] for r in run(UndeclaredInterest(), t)}
    assert out == {"G1": "gross_misconduct_assessment", "G2": "gross_misconduct_assessment", "G3": "gross_misconduct_assessment"}


def test_a_company_renamed_since_its_declaration_is_still_declared(run, T, P):
    """Companies House shows a renamed company's previous name: the declaration under the old name
    ("Hartley Joinery", 2024) still declares it. A record whose previous name is another business
    is not covered by a declaration of that other business's new name."""
    records = [
        {**rec("r1", "R1", "HARTLEY & SON BESPOKE CARPENTRY LTD"),
         "activity": "43320 Joinery installation; previous name HARTLEY JOINERY LTD until 2025-11-04"},
        {**rec("r2", "R2", "Northgate Lettings Ltd"), "activity": "formerly Acme Property Services Ltd"},
        {**rec("g1", "G1", "Blue Fox Security Ltd"), "activity": "previous name Blue Fox Events Ltd until 2024-01-01"},
    ]
    declarations = [dec("e1", "R1", "Hartley Joinery"), dec("e2", "R2", "Acme Property"), dec("f1", "G1", "Red Fox Security")]
    t = {"external_records": T("external_records", records), "declarations": T("declarations", declarations),
         "people": T("people", [P(s) for s in ("R1", "R2", "G1")])}
    out = {r["staff_id"]: r["route"] for r in run(UndeclaredInterest(), t)}
    assert out == {"G1": "gross_misconduct_assessment"}


def test_a_society_on_lodge_road_is_not_a_lodge(run, T, P):
    """A membership is declarable for a lodge (the pattern's word), not for a club named after the
    street it meets on; a lodge that meets on Lodge Road is still one."""
    records = [
        {**rec("a1", "A1", "Lodge Road Allotment Society", kind="membership"), "activity": "allotment holders' association"},
        rec("g1", "G1", "Lodge Road Lodge No 4021", kind="membership"),
        rec("g2", "G2", "Lodge of Harmony No. 255", kind="membership"),
    ]
    t = {"external_records": T("external_records", records), "declarations": T("declarations", []),
         "people": T("people", [P(s) for s in ("A1", "G1", "G2")])}
    out = {r["staff_id"]: r["route"] for r in run(UndeclaredInterest(), t)}
    assert out == {"G1": "gross_misconduct_assessment", "G2": "gross_misconduct_assessment"}


def test_work_for_a_charity_is_probably_voluntary_not_an_undeclared_business_interest(run, T, P):
    """Unpaid voluntary work is not employment for hire or gain (reg. 7) and need not be declared.
    Seen twice in a charity shop (a registered charity's number in the name): probably a volunteer,
    but a charity employs paid staff too — a check whether it is paid (wellbeing), nothing adverse.
    A record naming the role unpaid is nothing at all. A payroll record of a job with a charity is
    paid employment, and a trading company with 'charity' in its name is a business."""
    shop = "British Heart Foundation shop (registered charity 225971)"
    sighting = "counter-corruption sighting"
    records = [
        {**rec("v1", "V1", shop, kind="employment", observed="2024-02-10 00:00"), "source": sighting},
        {**rec("v2", "V1", shop, kind="employment", observed="2024-03-02 00:00"), "source": sighting},
        {**rec("v3", "V3", "Riverside Food Bank", kind="employment"), "source": sighting, "activity": "volunteer"},
        {**rec("p1", "P1", "Oxfam (registered charity 202918)", kind="employment"), "source": "HMRC RTI payroll return"},
        {**rec("p2", "P2", "Charity Clothing Collections Ltd", kind="employment"), "source": sighting},
    ]
    t = {"external_records": T("external_records", records), "declarations": T("declarations", []),
         "people": T("people", [P(s) for s in ("V1", "V3", "P1", "P2")])}
    out = {r["staff_id"]: r for r in run(UndeclaredInterest(), t)}
    assert {k: r["route"] for k, r in out.items()} == {
        "V1": "wellbeing", "P1": "gross_misconduct_assessment", "P2": "gross_misconduct_assessment"}
    assert any(e.startswith("work for a charity or in a volunteer role") for e in out["V1"]["explanations_found"])
    assert "probably voluntary" in out["V1"]["detail"]
    # a force whose register covers voluntary work empties the patterns: it is an interest like any other
    out = {r["staff_id"]: r["route"] for r in run(UndeclaredInterest({"voluntary_pattern": "", "charity_work_pattern": ""}), t)}
    assert out["V1"] == out["V3"] == "gross_misconduct_assessment"


def test_a_date_only_observation_is_shown_on_its_own_day(run, T, P):
    """A record dated 30 April (no time) is stored as the UK midnight, 23:00 UTC on the 29th in
    summer: the detail shows 30 April, also for a record years before the period, and an
    interest seen on the day a person joined is held in post."""
    records = [
        {**rec("d1", "D1", "Ridge Consulting Ltd", observed="2023-04-29 23:00"), "source": "HMRC RTI"},
        rec("d2", "D2", "Ridge Consulting Ltd", observed="2020-06-30 23:00"),
        rec("d3", "D3", "Ridge Consulting Ltd", observed="2023-12-31 00:00"),
    ]
    t = {"external_records": T("external_records", records), "declarations": T("declarations", []),
         "people": T("people", [P("D1", start_date="2023-04-30"), P("D2"), P("D3")])}
    out = {r["staff_id"]: r["detail"] for r in run(UndeclaredInterest(), t)}
    assert "observed 2023-04-30," in out["D1"]
    assert "observed 2020-07-01," in out["D2"]
    assert "observed 2023-12-31," in out["D3"]
