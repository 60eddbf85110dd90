"""Contact with a vulnerable victim or witness from one's own case after it closed or off duty."""

from __future__ import annotations

import ibis
from pydantic import BaseModel, ConfigDict, Field

from fairwitness.detectors.base import Detector
from fairwitness.detectors.catalogue._common import ACTIVE_CLAIM_STATUSES, blank, flags, in_period, keys, signals


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    grace_days: int = Field(default=14, ge=0, description="Contact this soon after closure is case follow-up.")
    duty_margin_minutes: int = Field(default=60, ge=0, description="Contact this close to a shift counts as on duty.")
    min_contacts: int = Field(default=2, ge=1, description="Contacts (at least one outgoing) needed for any flag.")
    misconduct_min_contacts: int = Field(default=3, ge=1, description="Contacts without record views for misconduct.")
    roles: tuple[str, ...] = Field(default=("victim", "witness"), description="Case roles protected.")


class VictimContact(Detector):
    """Contact with a vulnerable victim or witness from one's own case after it closed or off duty.

    For vulnerable victims and witnesses (``roles``) of cases where the person is officer in
    case, work-device contacts (``counterpart_ref`` = the subject) count when they come more
    than ``grace_days`` after every such case closed, or while the person was off duty — no
    rostered shift or approved or pending overtime within ``duty_margin_minutes`` (judged
    only for people with a roster in the period). Contact is *not* "after the case" while
    the same person is a party, in any role, to another case of the officer that is open
    at the time (opened, and not closed more than ``grace_days`` before): a victim of an
    old case who is a suspect, victim or witness in a current one is current case work.
    A subject needs at least ``min_contacts`` such contacts, at least one outgoing.

    * **criminal_referral**: with record views of that person by the officer after the case
      closed (and not during another open case of theirs involving that person), or without
      a case reference;
    * **misconduct_assessment**: no record views but ``misconduct_min_contacts`` or more
      contacts;
    * **advice**: otherwise.
    """

    name = "victim_contact"
    version = "2"
    title = "Contact with a vulnerable victim or witness after the case or off duty"
    standard = "Discreditable conduct"
    reads = {
        "case_parties": ("case_ref", "subject_ref", "role", "vulnerable", "officer_in_case", "opened", "closed"),
        "comms_events": ("event_id", "staff_id", "ts", "counterpart_ref", "direction"),
        "system_access": ("event_id", "staff_id", "ts", "subject_ref", "case_ref"),
    }
    optional_reads = {
        "shifts": ("staff_id", "start", "end"),
        "overtime_claims": ("staff_id", "start", "end", "status"),
    }
    explanations_checked = (
        "contact while the case was open and on duty",
        "the person is a party to another of the officer's cases, open at the time",
        "follow-up within the grace period after closure",
        "only incoming contact (the victim or witness got in touch)",
        "no roster for the person in the period (on/off duty not judged)",
    )
    explain = (
        "{value} work-device contact(s) between {period_start} and {period_end} with a vulnerable victim or "
        "witness from the person's own case after it closed or while off duty ({detail})."
    )
    scenarios = ("victim_contact_after_case",)
    routes = ("advice", "misconduct_assessment", "criminal_referral")
    Params = Params

    def build(self, src):
        p = self.params
        cp = src.table("case_parties")
        cp = cp.filter(cp.vulnerable.fill_null(False), cp.role.lower().isin(list(p.roles)))
        vp = cp.group_by(staff_id=cp.officer_in_case, subject_ref=cp.subject_ref).aggregate(
            any_open=cp.closed.isnull().cast("int64").max() == 1,
            closed=cp.closed.max(),
            case=cp.case_ref.min(),
            role=cp.role.lower().min(),
        )
        # every case of the officer involving the subject, in any role, with when it was open:
        # contact during one of them (or within the grace period after) is case work
        allc = src.table("case_parties")
        allc = allc.select(
            c_staff=allc.officer_in_case, c_subject=allc.subject_ref, c_opened=allc.opened, c_closed=allc.closed
        )

        def during_case(t, ts):
            j = t.join(
                allc,
                (t.staff_id == allc.c_staff)
                & (t.subject_ref == allc.c_subject)
                & (allc.c_opened.isnull() | (allc.c_opened <= ts))
                & (allc.c_closed.isnull() | (ts <= allc.c_closed + ibis.interval(days=p.grace_days))),
            )
            return j.select(t.event_id).distinct().mutate(in_case=ibis.literal(True))

        ce = src.table("comms_events")
        ce = ce.filter(in_period(ce.ts, src))
        c = ce.join(vp, (ce.staff_id == vp.staff_id) & (ce.counterpart_ref == vp.subject_ref)).select(
            ce.event_id,
            ce.staff_id,
            ce.ts,
            vp.subject_ref,
            vp.any_open,
            vp.closed,
            vp.case,
            vp.role,
            outgoing=ce.direction.lower() == "out",
            after_close=(~vp.any_open) & (ce.ts > vp.closed + ibis.interval(days=p.grace_days)),
        )
        dc = during_case(c, c.ts)
        c = c.left_join(dc, c.event_id == dc.event_id).select(
            *[c[x] for x in c.columns if x != "after_close"], after_close=c.after_close & dc.in_case.isnull()
        )
        duty_parts = []
        if src.has("shifts"):
            s = src.table("shifts")
            duty_parts.append(s.select("staff_id", "start", "end"))
        if src.has("overtime_claims"):
            o = src.table("overtime_claims")
            duty_parts.append(o.filter(o.status.lower().isin(ACTIVE_CLAIM_STATUSES)).select("staff_id", "start", "end"))
        if duty_parts:
            duty = duty_parts[0] if len(duty_parts) == 1 else duty_parts[0].union(duty_parts[1])
            m = ibis.interval(minutes=p.duty_margin_minutes)
            on = c.join(duty, (c.staff_id == duty.staff_id) & (c.ts >= duty.start - m) & (c.ts <= duty.end + m))
            on = on.select(c.event_id).distinct().mutate(on_duty=ibis.literal(True))
            # people with no roster at all in the period cannot be judged on/off duty
            rostered = duty.filter(in_period(duty.start, src)).select("staff_id").distinct().mutate(r=ibis.literal(True))
            c = c.left_join(on, c.event_id == on.event_id).select(c, on_duty=on.on_duty.fill_null(False))
            c = c.left_join(rostered, c.staff_id == rostered.staff_id).select(
                *[c[x] for x in c.columns if x != "on_duty"], off_duty=~c.on_duty & rostered.r.fill_null(False)
            )
        else:
            c = c.mutate(off_duty=ibis.literal(False))
        c = c.filter(c.after_close | c.off_duty)

        sa = src.table("system_access")
        sa = sa.filter(in_period(sa.ts, src))
        views = sa.join(vp, (sa.staff_id == vp.staff_id) & (sa.subject_ref == vp.subject_ref)).select(
            sa.event_id,
            sa.staff_id,
            vp.subject_ref,
            sa.ts,
            after=(~vp.any_open) & (sa.ts > vp.closed),
            no_ref=blank(sa.case_ref),
        )
        dv = during_case(views, views.ts)
        views = views.left_join(dv, views.event_id == dv.event_id).select(
            views.staff_id, views.subject_ref, hit=(views.after & dv.in_case.isnull()) | views.no_ref
        )
        views = views.group_by("staff_id", "subject_ref").aggregate(n_views=views.hit.cast("int64").sum())

        ps = c.group_by("staff_id", "subject_ref").aggregate(
            n=c.count(),
            n_out=c.outgoing.cast("int64").sum(),
            n_after=c.after_close.cast("int64").sum(),
            n_off=c.off_duty.cast("int64").sum(),
            closed=c.closed.max(),
            case=c.case.min(),
            role=c.role.min(),
        )
        ps = ps.left_join(views, (ps.staff_id == views.staff_id) & (ps.subject_ref == views.subject_ref)).select(
            ps, n_views=views.n_views.fill_null(0)
        )
        ps = ps.filter(ps.n >= p.min_contacts, ps.n_out >= 1)
        grav = ibis.cases(
            (ps.n_views >= 1, 3),
            (ps.n >= p.misconduct_min_contacts, 2),
            else_=1,
        )
        text = (
            ps.role
            + " "
            + ps.subject_ref
            + " in case "
            + ps.case
            + ibis.ifelse(ps.closed.notnull(), " (closed " + ps.closed.date().cast("string") + ")", " (open)")
            + ": "
            + ps.n_after.cast("string")
            + " contacts after closure, "
            + ps.n_off.cast("string")
            + " off duty, "
            + ps.n_out.cast("string")
            + " outgoing, "
            + ps.n_views.cast("string")
            + " record views"
        )
        ps = ps.mutate(grav=grav, text=text)
        w = ibis.window(group_by=ps.staff_id, order_by=[ps.grav.desc(), ps.n.desc(), ps.subject_ref])
        ps = ps.mutate(rank=ibis.row_number().over(w))
        flagged_subjects = ps.select("staff_id", "subject_ref")
        ev = c.join(flagged_subjects, ["staff_id", "subject_ref"]).select(c.staff_id, c.event_id)
        ev = ev.group_by("staff_id").aggregate(ev=keys(ev.event_id))
        per = ps.group_by("staff_id").aggregate(
            n=ps.n.sum(),
            n_subjects=ps.count(),
            grav=ps.grav.max(),
            n_views=ps.n_views.sum(),
            text=ibis.ifelse(ps.rank == 0, ps.text, ibis.null("string")).max(),
        )
        per = per.join(ev, "staff_id")
        route = ibis.cases(
            (per.grav == 3, "criminal_referral"), (per.grav == 2, "misconduct_assessment"), else_="advice"
        )
        score = ibis.least(0.5 + 0.15 * per.grav + 0.02 * per.n, 1.0)
        detail = per.text + ibis.ifelse(per.n_subjects > 1, " and " + (per.n_subjects - 1).cast("string") + " more", "")
        return signals(
            per,
            src,
            value=per.n,
            score=score,
            route=route,
            evidence_table="comms_events",
            evidence_keys=per.ev,
            explanations_found=flags(),
            detail=detail,
        )
