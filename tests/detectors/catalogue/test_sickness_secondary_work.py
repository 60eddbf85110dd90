import datetime as dt

import pytest

from fairwitness.detectors.catalogue.sickness_secondary_work import SicknessSecondaryWork


def sick(aid, staff, start="2024-03-04 00:00", end="2024-03-21 00:00"):
    return {"absence_id": aid, "staff_id": staff, "type": "sickness", "start": start, "end": end, "reason_category": None}


def rec(rid, staff, cp="Swift Deliveries", observed="2024-03-10 00:00", strength="confirmed", kind="employment",
        source="Counter-corruption unit observation"):
    return {"record_id": rid, "kind": kind, "counterparty": cp, "source": source, "observed_at": observed,
            "strength": strength, "staff_id": staff}


@pytest.fixture
def tables(T):
    absences = [sick(f"a{k}", k) for k in ("K1", "K2", "K3", "K4", "K5", "K6", "K8")]
    absences += [sick("a7", "K7", "2024-01-02 00:00", "2024-05-01 00:00")]
    records = [
        rec("r1", "K1"), rec("r2", "K2"), rec("r3", "K3", strength="indicative"),
        rec("r4", "K4", observed="2024-03-25 00:00"), rec("r8", "K8", kind="membership", cp="Rotary"),
    ]
    declarations = [
        {"declaration_id": "d2", "staff_id": "K2", "kind": "secondary_employment", "counterparty": "Swift Deliveries Ltd",
         "declared_at": "2023-05-01 00:00", "status": "approved"},
        {"declaration_id": "d6", "staff_id": "K6", "kind": "business_interest", "counterparty": "K6 Carpentry",
         "declared_at": "2024-03-12 00:00", "status": "pending"},
    ]
    claims = [{"claim_id": "o5", "staff_id": "K5", "start": "2024-03-08 18:00", "end": "2024-03-08 23:00", "hours": 5,
               "rate": 1.5, "reason_code": "op", "submitted_at": "2024-03-09 09:00", "authorised_by": "SUP",
               "authorised_at": "2024-03-09 10:00", "status": "approved"}]
    return {"absences": T("absences", absences), "external_records": T("external_records", records),
            "declarations": T("declarations", declarations), "overtime_claims": T("overtime_claims", claims)}


def test_flags(run, tables):
    out = {r["staff_id"]: r for r in run(SicknessSecondaryWork(), tables)}
    assert set(out) == {"K1", "K2", "K3", "K5", "K6"}
    assert out["K1"]["route"] == "gross_misconduct_assessment"
    assert out["K1"]["detail"] == (
        "employment with Swift Deliveries seen during sickness [independent kinds of evidence: a recorded "
        "sickness spell; a confirmed outside record of work done on a day of it, strongly linked; the work was never "
        "declared]"
    )
    # declared and approved, seen once: a question for occupational health
    assert out["K2"]["route"] == "wellbeing"
    assert out["K2"]["explanations_found"] == ["secondary work declared and approved or pending"]
    assert out["K3"]["route"] == "advice"
    # overtime for the force while recorded sick is overtime_during_absence's to judge: one fact, one route
    assert out["K5"]["route"] == "wellbeing"
    assert out["K5"]["evidence_table"] == "overtime_claims" and out["K5"]["evidence_keys"] == ["o5"]
    assert any("judged by overtime_during_absence" in x for x in out["K5"]["explanations_found"])
    assert out["K6"]["route"] == "wellbeing" and out["K6"]["evidence_table"] == "declarations"


def test_minimal_sources(run, tables):
    t = {k: tables[k] for k in ("absences", "external_records")}
    out = {r["staff_id"]: r["route"] for r in run(SicknessSecondaryWork(), t)}
    assert out == {"K1": "gross_misconduct_assessment", "K2": "gross_misconduct_assessment", "K3": "advice"}


@pytest.mark.parametrize("engine", [pytest.param("spark", marks=pytest.mark.spark)], indirect=True)
def test_runner_on_spark(engine, run_detector, run, tables):
    """Through the real runner (period restriction, privacy filter, finalise) on Spark: the same
    signals as the direct DuckDB run."""
    direct = run(SicknessSecondaryWork(), tables)
    out = run_detector(SicknessSecondaryWork, tables, period_start=dt.date(2024, 3, 1), period_end=dt.date(2024, 3, 31)).to_pylist()
    assert sorted((r["staff_id"], r["route"], tuple(r["evidence_keys"])) for r in out) == sorted(
        (r["staff_id"], r["route"], tuple(sorted(set(r["evidence_keys"])))) for r in direct
    )
    assert all(r["explanation"] for r in out)


def test_a_declared_directorship_filed_during_sickness_is_wellbeing(run, tables, T):
    """A company filing is not the person seen working; with the interest declared it is advice."""
    t = dict(tables)
    t["external_records"] = T("external_records", [rec("r2", "K2", kind="directorship")])
    out = {r["staff_id"]: r for r in run(SicknessSecondaryWork(), t) if r["evidence_table"] == "external_records"}
    assert out["K2"]["route"] == "wellbeing"
    assert out["K2"]["explanations_found"][0] == "secondary work declared and approved or pending"
    assert out["K2"]["explanations_found"][1].startswith("only records that the person holds the job")


def test_a_job_declared_only_after_it_was_worked_repeatedly_while_sick_is_a_conduct_matter(run, tables, T):
    """Seen twice in the spell at a job the force had not been told of; declared only afterwards.
    (A job declared before it was seen is attendance management: see
    test_a_job_the_force_knew_of_seen_repeatedly_during_sickness_is_attendance_management.)"""
    t = dict(tables)
    t["external_records"] = T("external_records", [rec("r2", "K2"), rec("r2b", "K2", observed="2024-03-12 00:00")])
    t["declarations"] = T("declarations", [
        {"declaration_id": "d2", "staff_id": "K2", "kind": "secondary_employment", "counterparty": "Swift Deliveries Ltd",
         "declared_at": "2024-03-28 00:00", "status": "approved"}])
    out = {r["staff_id"]: r for r in run(SicknessSecondaryWork(), t) if r["evidence_table"] == "external_records"}
    assert out["K2"]["route"] == "gross_misconduct_assessment"


def test_a_spell_written_day_by_day_is_one_spell(run, tables, T):
    """The same spell as one row per day (SAP RPTLEA10): the two sightings of the job declared
    only after them are still in one spell (gross), and a job declared on the spell's fourth day
    is still late."""
    days = [sick(f"a2-{d}", "K2", f"2024-03-{d:02d} 00:00", f"2024-03-{d + 1:02d} 00:00") for d in range(4, 21)]
    t = dict(tables)
    t["absences"] = T("absences", days)
    t["external_records"] = T("external_records", [rec("r2", "K2"), rec("r2b", "K2", observed="2024-03-12 00:00")])
    t["declarations"] = T("declarations", [
        {"declaration_id": "d2", "staff_id": "K2", "kind": "secondary_employment", "counterparty": "Swift Deliveries Ltd",
         "declared_at": "2024-03-28 00:00", "status": "approved"}])
    out = {r["staff_id"]: r for r in run(SicknessSecondaryWork(), t) if r["evidence_table"] == "external_records"}
    assert out["K2"]["route"] == "gross_misconduct_assessment"
    t["external_records"] = T("external_records", [rec("r2", "K2")])
    t["declarations"] = T("declarations", [
        {"declaration_id": "d2", "staff_id": "K2", "kind": "secondary_employment", "counterparty": "Swift Deliveries",
         "declared_at": "2024-03-07 12:00", "status": "approved"}])
    out = {r["staff_id"]: r for r in run(SicknessSecondaryWork(), t) if r["evidence_table"] == "external_records"}
    assert "(declared only after the sickness began)" in out["K2"]["detail"]


def test_a_job_declared_late_and_seen_once_is_wellbeing_not_concealment(run, tables, T):
    """Seen once at a job during sickness; the job was declared, but only after the sickness
    began. Not concealed, so one sighting is a question (advice); never declared is gross."""
    t = dict(tables)
    t["external_records"] = T("external_records", [rec("r1", "K1", cp="Sterling School Ltd"), rec("r9", "K9", cp="Oak Cafe")])
    t["absences"] = T("absences", [sick("a1", "K1"), sick("a9", "K9")])
    t["declarations"] = T("declarations", [
        {"declaration_id": "d1", "staff_id": "K1", "kind": "secondary_employment", "counterparty": "Sterling School",
         "declared_at": "2024-03-28 00:00", "status": "approved"},
        {"declaration_id": "d9", "staff_id": "K9", "kind": "secondary_employment", "counterparty": "Oak Cafe",
         "declared_at": "2024-03-28 00:00", "status": "refused"},
    ])
    out = {r["staff_id"]: r for r in run(SicknessSecondaryWork(), t) if r["evidence_table"] == "external_records"}
    assert out["K1"]["route"] == "wellbeing"
    assert out["K1"]["detail"] == (
        "employment with Sterling School Ltd seen during sickness (declared only after the sickness began)"
        " [independent kinds of evidence: a recorded sickness spell]"
    )
    assert out["K9"]["route"] == "gross_misconduct_assessment"  # a refused declaration covers nothing


def test_a_common_name_and_birthday_alone_does_not_put_a_sick_officer_on_gross_misconduct(run, tables, T):
    """An employment record 'by name and date of birth' for a name three colleagues bear, observed
    during K1's sickness: possibly a stranger born the same day. Without a declaration of the job the
    identity is to be checked first (wellbeing); for a name K1 alone bears it stays gross; a force that
    accepts shared names can say so."""
    t = dict(tables)
    t["external_records"] = T("external_records", [{**rec("r1", None), "full_name": "x", "date_of_birth": "1980-01-01"}])
    t["absences"] = T("absences", [sick("a1", "K1")])

    def links(sharers):
        return T("external_links", [{"record_id": "r1", "staff_id": "K1", "match_probability": 0.9998,
                                     "match_method": "splink_name_dob", "candidates": 1, "name_sharers": sharers}])

    out = {r["staff_id"]: r["route"] for r in run(SicknessSecondaryWork(), {**t, "external_links": links(3)})}
    assert out == {"K1": "wellbeing"}
    out = {r["staff_id"]: r["route"] for r in run(SicknessSecondaryWork(), {**t, "external_links": links(1)})}
    assert out == {"K1": "gross_misconduct_assessment"}
    relaxed = SicknessSecondaryWork(params={"max_name_sharers": 3})
    assert {r["staff_id"]: r["route"] for r in run(relaxed, {**t, "external_links": links(3)})} == {"K1": "gross_misconduct_assessment"}


def test_a_part_day_sickness_recorded_without_its_hours_is_not_sick_leave(run, tables, T):
    """K1 and K5 recorded as a two-hour appointment on the day (the date and ``hours = 2``, or
    ``days = 0.25``): the person worked the rest of it, so neither the outside job seen that day
    nor the evening's overtime is working while off sick. Written as the date alone, as before."""
    day = {"start": "2024-03-08 00:00", "end": "2024-03-09 00:00"}
    records = [rec("r1", "K1", observed="2024-03-08 19:00")]
    whole = [sick("a1", "K1", **day), sick("a5", "K5", **day)]
    parts = [{**whole[0], "hours": 2.0}, {**whole[1], "days": 0.25}]
    t = {**tables, "external_records": T("external_records", records)}
    assert {r["staff_id"] for r in run(SicknessSecondaryWork(), {**t, "absences": T("absences", whole)})} == {"K1", "K5"}
    assert run(SicknessSecondaryWork(), {**t, "absences": T("absences", parts)}) == []


def test_a_directorship_held_for_no_gain_filed_during_sickness_is_not_work(run, tables, T):
    # a leaseholder made a director of the block's residents' management company while off sick
    t = dict(tables)
    t["external_records"] = T("external_records", [
        rec("r1", "K1", "ROSE COURT RTM COMPANY LIMITED", kind="directorship"),
        {**rec("r4", "K4", "Harbour View Management Co Ltd", observed="2024-03-12 00:00", kind="directorship"),
         "activity": "98000 Residents property management"},
        rec("r3", "K3", "Harbour View Management Co Ltd", strength="confirmed", kind="directorship"),
    ])
    out = {r["staff_id"]: r["route"] for r in run(SicknessSecondaryWork(), t) if r["evidence_table"] == "external_records"}
    # without the activity, a name alone proves nothing; but a filing is not work on a day: advice
    assert out == {"K3": "advice"}


def test_a_payroll_return_during_sickness_is_not_working_while_sick(run, tables, T):
    """HMRC RTI submissions are monthly payroll returns: they show the person on a payroll (sick pay
    included), not at work on the day. An officer off twelve weeks after knee surgery whose declared,
    approved driving-instructor job files its monthly returns is not seen working (wellbeing, the
    force knew of the job); undeclared, the job on a payroll during sickness is a question (advice),
    not gross misconduct. Observations of work on the day keep an undeclared job gross, and an
    unknown source is not taken for an observation."""
    rti = "HMRC RTI payroll submission"
    t = dict(tables)
    t["absences"] = T("absences", [sick("a2", "K2", "2024-02-02 00:00", "2024-04-24 00:00"),
                                   sick("a1", "K1", "2024-02-02 00:00", "2024-04-24 00:00")])
    t["external_records"] = T("external_records", [
        rec("p1", "K2", observed="2024-02-29 00:00", source=rti), rec("p2", "K2", observed="2024-03-31 00:00", source=rti),
        rec("p3", "K1", observed="2024-02-29 00:00", source=rti), rec("p4", "K1", observed="2024-03-31 00:00", source=rti),
    ])
    out = {r["staff_id"]: r for r in run(SicknessSecondaryWork(), t) if r["evidence_table"] == "external_records"}
    assert out["K2"]["route"] == "wellbeing"
    assert out["K1"]["route"] == "advice"
    for k in ("K1", "K2"):
        assert any(e.startswith("only records that the person holds the job") for e in out[k]["explanations_found"])
        assert "on record during sickness (holding the job, not seen working)" in out[k]["detail"]
    # the same job seen at work on two days of the spell: gross undeclared; declared before it was
    # seen, a matter for attendance management (whether the work fits the illness)
    seen = [rec("s1", k, observed=f"2024-03-{d} 10:00", source=src) for k in ("K1", "K2")
            for d, src in (("12", "Counter-corruption unit observation"), ("19", "Platform timesheet (disclosed by employer)"))]
    t["external_records"] = T("external_records", [{**r, "record_id": f"{r['record_id']}{r['staff_id']}{i}"} for i, r in enumerate(seen)])
    out = {r["staff_id"]: r["route"] for r in run(SicknessSecondaryWork(), t) if r["evidence_table"] == "external_records"}
    assert out == {"K1": "gross_misconduct_assessment", "K2": "wellbeing"}
    # a source the force has not said observes work is not corroboration
    t["external_records"] = T("external_records", [rec("u1", "K1", source="open_source")])
    out = {r["staff_id"]: r["route"] for r in run(SicknessSecondaryWork(), t) if r["evidence_table"] == "external_records"}
    assert out == {"K1": "advice"}


def test_a_directorship_probably_held_for_no_gain_during_sickness_is_not_work(run, tables, T):
    """An unpaid director of the force's own sports association, or of a youth football community
    interest company, appointed while off sick: not work for gain, and a filing is not work on a day."""
    t = dict(tables)
    t["external_records"] = T("external_records", [
        {**rec("g1", "K1", "Westshire Police Sports Association Limited", kind="directorship",
               source="Companies House officers register"), "activity": "93199 Other sports activities"},
        {**rec("g3", "K3", "Eastfield Youth Football CIC", kind="directorship", source="Companies House officers register"),
         "activity": "93120 Activities of sport clubs"},
    ])
    out = {r["staff_id"]: r for r in run(SicknessSecondaryWork(), t) if r["evidence_table"] == "external_records"}
    assert {k: r["route"] for k, r in out.items()} == {"K1": "wellbeing", "K3": "wellbeing"}
    assert any("probably held for no gain" in e for e in out["K1"]["explanations_found"])


def decl(did, staff, cp, at="2023-05-01 00:00", status="approved", kind="secondary_employment"):
    return {"declaration_id": did, "staff_id": staff, "kind": kind, "counterparty": cp, "declared_at": at, "status": status}


def test_a_job_the_force_knew_of_seen_repeatedly_during_sickness_is_attendance_management(run, tables, T):
    """Off after knee surgery, an officer keeps up the online maths tutoring the force approved
    years before; the platform's timesheets show two sessions in the spell. Whether the work fits
    the illness is for occupational health and the line manager (a fit note may allow it; Perry v
    Imperial): wellbeing, whatever the count, the explanation found. The same sessions at a job
    never declared, declared and refused, or declared only after them, are a conduct matter."""
    ts = "tutoring platform timesheet"
    t = dict(tables)
    staff = ("K1", "K2", "K3", "K4")
    t["absences"] = T("absences", [sick(f"a{k}", k) for k in staff])
    t["external_records"] = T("external_records", [
        rec(f"{k}-{d}", k, "Kingsley Tutoring Ltd", observed=f"2024-03-{d:02d} 00:00", source=ts) for k in staff for d in (8, 15)])
    t["declarations"] = T("declarations", [
        decl("d1", "K1", "Kingsley Tutoring (online maths tutor)", at="2023-02-01 00:00"),
        decl("d3", "K3", "Kingsley Tutoring", status="refused"),
        decl("d4", "K4", "Kingsley Tutoring", at="2024-03-20 00:00"),
    ])
    out = {r["staff_id"]: r for r in run(SicknessSecondaryWork(), t) if r["evidence_table"] == "external_records"}
    assert {k: r["route"] for k, r in out.items()} == {
        "K1": "wellbeing", "K2": "gross_misconduct_assessment", "K3": "gross_misconduct_assessment",
        "K4": "gross_misconduct_assessment"}
    assert any(e.startswith("secondary work the force had been told of") for e in out["K1"]["explanations_found"])
    # declared during the spell, before the sessions: the force knew of it when they were seen
    t["declarations"] = T("declarations", [decl("d1", "K1", "Kingsley Tutoring", at="2024-03-06 00:00")])
    out = {r["staff_id"]: r["route"] for r in run(SicknessSecondaryWork(), t) if r["evidence_table"] == "external_records"}
    assert out["K1"] == "wellbeing"


def test_a_declaration_typed_by_the_officer_covers_the_payroll_name(run, tables, T):
    """Declared 'Sainsbury's', seen once at 'J Sainsbury plc' while off sick: the declared job, a
    question for occupational health (wellbeing), not an undeclared one (gross). 'Smith Security Ltd'
    declared does not cover 'Smith Haulage Ltd'."""
    t = dict(tables)
    t["absences"] = T("absences", [sick("a1", "K1"), sick("a2", "K2")])
    t["external_records"] = T("external_records", [rec("r1", "K1", "J Sainsbury plc"), rec("r2", "K2", "Smith Haulage Ltd")])
    t["declarations"] = T("declarations", [decl("d1", "K1", "Sainsbury's"), decl("d2", "K2", "Smith Security Ltd")])
    out = {r["staff_id"]: r["route"] for r in run(SicknessSecondaryWork(), t) if r["evidence_table"] == "external_records"}
    assert out == {"K1": "wellbeing", "K2": "gross_misconduct_assessment"}


def test_charity_volunteering_during_a_long_sickness_is_not_working_elsewhere(run, tables, T):
    """On long-term sickness, seen twice in a charity shop (a registered charity's number in the
    name): probably volunteering, which is not work for gain and often part of a recovery — at most
    a check whether it is paid (wellbeing). A record naming the role unpaid is nothing. A business
    with 'charity' in its trading name seen twice stays gross; a charity's payroll return is a paid
    job on record (advice undeclared, as any payroll return)."""
    shop = "British Heart Foundation shop (registered charity 225971)"
    t = dict(tables)
    staff = ("K1", "K2", "K3", "K4")
    t["absences"] = T("absences", [sick(f"a{k}", k, "2024-02-10 00:00", "2024-06-30 00:00") for k in staff])
    t["declarations"] = T("declarations", [])
    t["external_records"] = T("external_records", [
        rec("v1", "K1", shop, observed="2024-03-02 00:00"), rec("v2", "K1", shop, observed="2024-03-23 00:00"),
        {**rec("v3", "K2", "Riverside Food Bank"), "activity": "volunteer (unpaid)"},
        rec("c1", "K3", "Charity Clothing Collections Ltd", observed="2024-03-02 00:00"),
        rec("c2", "K3", "Charity Clothing Collections Ltd", observed="2024-03-23 00:00"),
        rec("p1", "K4", "Oxfam (registered charity 202918)", source="HMRC RTI payroll return"),
    ])
    out = {r["staff_id"]: r for r in run(SicknessSecondaryWork(), t) if r["evidence_table"] == "external_records"}
    assert {k: r["route"] for k, r in out.items()} == {
        "K1": "wellbeing", "K3": "gross_misconduct_assessment", "K4": "advice"}
    assert any(e.startswith("work for a charity or in a volunteer role") for e in out["K1"]["explanations_found"])
    assert "never declared" not in out["K1"]["detail"]
