"""The named patterns in ground truth: planted misconduct and legitimate decoys.

The synthetic force plants each scenario at a controllable rate and writes it to
the contract's ``truth`` table; `fairwitness evaluate` reads the expected route
of each misconduct scenario from here. A force's own evaluation set uses the same
names.
"""

from __future__ import annotations

MISCONDUCT: dict[str, str] = {
    "roster_premium_edit": "misconduct_assessment",
    "rest_day_swap_overtime": "misconduct_assessment",
    # claims with no trace, far beyond how often honest claims leave none, are one kind of evidence:
    # a misconduct assessment (the appropriate authority may find gross misconduct; the data alone
    # cannot tell phantom hours from a cordon without a reader). Self-authorised too: gross.
    "overtime_no_presence": "misconduct_assessment",
    "overtime_during_absence": "gross_misconduct_assessment",
    "self_authorisation": "misconduct_assessment",
    "reciprocal_authorisation": "misconduct_assessment",
    "office_attendance_below_rule": "advice",
    "undeclared_interest_confirmed": "gross_misconduct_assessment",
    "undeclared_interest_indicative": "advice",
    "unjustified_lookups": "misconduct_assessment",
    "victim_contact_after_case": "criminal_referral",
    "sickness_secondary_work": "gross_misconduct_assessment",
    "late_declaration": "advice",
    "attendance_shortfall": "advice",
}
"""Misconduct scenario -> the route a correct flag recommends. Minor breaches (a late
declaration, a small attendance shortfall) are here too, with ``advice``: advice is adverse
for the person named, so its precision is measured like any other route's."""

MISCONDUCT_DOC: dict[str, str] = {
    "roster_premium_edit": "Roster entries edited into premium-rate duty (bank holiday, rest-day working) by the person or repeatedly by the same editor.",
    "rest_day_swap_overtime": "A rest day swapped away, then overtime claimed for the same day.",
    "overtime_no_presence": "Overtime claimed for hours with no badge, device or systems activity.",
    "overtime_during_absence": "Overtime claimed during a spell of sickness or leave.",
    "self_authorisation": "Overtime claims authorised by the claimant.",
    "reciprocal_authorisation": "Two or more people authorising each other's claims (pairs or closed loops).",
    "office_attendance_below_rule": "A person covered by the hybrid rule attending the office below the threshold with no leave, sickness or duty explaining it.",
    "undeclared_interest_confirmed": "A confirmed external interest (directorship, employment, membership) with no declaration.",
    "undeclared_interest_indicative": "An indicative external interest with no declaration.",
    "unjustified_lookups": "Police-systems lookups with no case reference, or of subjects outside one's own cases, far above peers, or of the same few people again and again, by one person alone.",
    "victim_contact_after_case": "Contact with a vulnerable victim or witness from one's own case after it closed or off duty, with record views.",
    "sickness_secondary_work": "Secondary employment while on sick leave.",
    "late_declaration": "A minor breach: an interest declared, but after the policy's deadline (90 days after it began), the declaration made in the period.",
    "attendance_shortfall": "A minor breach: a hybrid-rule person attending 45-70% of office days over the whole period, nothing explaining it.",
}

DECOYS: dict[str, str] = {
    "surge_unit_overtime": "Heavy overtime in a unit in a major-incident surge, and (when the world says so) many more lookups, many without a case reference or outside its own cases.",
    "long_term_sickness": "A long sickness spell (over 28 days).",
    "declared_secondary_work": "Secondary employment or a membership that is declared and approved.",
    "part_time_pattern": "A part-time working pattern with fewer rostered days.",
    "leave_explains_attendance": "A hybrid-rule person whose low office attendance is explained by leave, sickness or training.",
    "recall_to_duty": "Recalled on a rest day at short notice, with the overtime authorised by a supervisor (and, when the world says so, many lookups without a case reference that day: briefing checks).",
    "compressed_hours": "An office-hours week worked in four long days, one weekday off every week.",
    "nights_only_investigator": "An investigator on permanent nights: statements, calls to victims and record checks at night, on duty.",
    "phased_return": "Shorter duties, at first every other working day, for weeks after a long sickness spell.",
    "early_return": "Back at work before a sickness spell's recorded end, the return never recorded: duties worked inside the spell (badged, logged in), one finished late with its overtime claimed and authorised.",
    "cancelled_leave": "Annual leave booked, then cancelled (a recall, a change of plan) or rejected, the request still in the HR export with its status; the days worked as rostered, one finished late with its overtime claimed and authorised.",
    "part_day_appointment": "A medical appointment recorded as HR systems write a part day (the date, and two or three hours of sickness), the rest of the day worked and finished late, its overtime claimed and authorised.",
    "checking_role": "A member of staff whose work is checking records (an intelligence researcher or disclosure officer in CID, an information compliance auditor in Professional Standards, the PNC bureau in Command and Control), alone in their unit: many times the unit's lookups all period, mostly without a case reference.",
    "not_for_gain_directorship": "An undeclared directorship held for no gain, on Companies House: the right-to-manage or residents' management company of the person's block of flats, or a charity's board; for half, the appointment filed during a sickness spell.",
    "victim_followup": "Honest follow-up of a closed case: on-duty, short work-phone calls to a (vulnerable) victim or witness weeks after closure, with record views citing the case (Victims' Code updates, court results, trial preparation).",
}
"""Decoy scenario -> why the data looks unusual; none may reach an adverse route (advice included)."""

SCENARIOS: tuple[str, ...] = (*MISCONDUCT, *DECOYS)


def expected_route(scenario: str) -> str | None:
    """The route a correct flag recommends; None for decoys (no adverse route)."""
    if scenario in MISCONDUCT:
        return MISCONDUCT[scenario]
    if scenario in DECOYS:
        return None
    raise KeyError(f"unknown scenario {scenario!r}")
