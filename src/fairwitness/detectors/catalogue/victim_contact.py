"""Contact with a vulnerable victim or witness from one's own case after it closed or off duty."""

from __future__ import annotations

import ibis
from pydantic import BaseModel, ConfigDict, Field

from fairwitness.detectors.base import Detector
from fairwitness.detectors.catalogue._common import (
    ACTIVE_CLAIM_STATUSES, blank, flags, in_period, keys, kinds_present, london_time, period_end_ts,
    period_start_ts, signals,
)
from fairwitness.detectors.catalogue._intervals import covered
from fairwitness.detectors.catalogue._victim_contact_text import pair_text
from fairwitness.detectors.peers import (
    LEVEL_KEYS, PEER_OPTIONAL_READS, PEER_READS, compare, level_rows, merge_reads, peer_groups, with_everyone,
)

EVIDENCE_KINDS: dict[str, str] = {
    "off_duty": "contact off duty or late in the evening",
    "personal_channel": "personal-style contact (texts off duty or at a conversation's pace, or long calls off duty)",
    "beyond_peers": "contact continuing beyond how long peers follow up closed cases",
    "views_no_purpose": "record views with no case purpose",
}


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    grace_days: int = Field(default=14, ge=0, description="Contact this soon after closure is case follow-up.")
    duty_margin_minutes: int = Field(default=60, ge=0, description="Contact this close to a shift counts as on duty.")
    min_contacts: int = Field(default=2, ge=1, description="Contacts (at least one outgoing) needed for any flag.")
    late_hour: int = Field(default=21, ge=12, le=23, description="Local hour from which contact is late evening (people with no roster).")
    early_hour: int = Field(default=7, ge=0, le=12, description="Local hour before which contact is late (people with no roster).")
    min_off_duty: int = Field(default=2, ge=1, description="Off-duty or late contacts for that kind of evidence.")
    min_texts: int = Field(
        default=2, ge=1,
        description="Text messages sent to the person off duty (or late, with no roster) for personal-style contact.",
    )
    text_week: int = Field(
        default=20, ge=1,
        description="Text messages sent to the person in one week (Monday to Sunday, local time), on duty or off, for "
        "personal-style contact: a conversation's pace, not updates (a few texts a week, more in a trial's week, "
        "are the work channel of many victims and the only one of a deaf victim).",
    )
    long_call_s: float = Field(
        default=900.0, gt=0,
        description="A call at least this long, made off duty, is personal-style contact (on duty, a long call is "
        "victim care: news of a verdict, a distressed witness).",
    )
    reply_hours: float = Field(
        default=12.0, ge=0,
        description="A short outgoing call within this many hours of the person's own call or message returns it: "
        "not off-duty contact the officer started.",
    )
    followup_days: int = Field(
        default=28, ge=1,
        description="Contact continuing at least this many days after closure, and beyond the 95th percentile of "
        "the peer group's follow-up of closed cases, continues beyond peers.",
    )
    criminal_kinds: int = Field(default=3, ge=2, le=4, description="Independent kinds of evidence for criminal referral.")
    criminal_needs_views: bool = Field(
        default=True,
        description="A criminal referral needs record views with no case purpose among its kinds: the police-systems "
        "log corroborating the work device's log of contacts, whose timing, length and channel are one source.",
    )
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

    While the case is open, one kind of evidence is not enough (a live case brings calls at odd
    hours); after it closed, one is. Follow-up after a case closes is honest work (Victims' Code updates, court results, trial
    preparation), done on duty, on a work phone, in short calls, and tapering off. So contact
    alone is never flagged: the signal needs ``min_contacts`` such contacts (one outgoing) and
    at least one of these independent kinds of evidence (``evidence_kinds``):

    * **off duty or late**: ``min_off_duty`` contacts the officer made off duty (or, for people
      with no roster, between ``late_hour`` and ``early_hour`` local time) — not counting a short
      call returning the person's own call or message within ``reply_hours`` (a missed call
      returned after the shift), nor the person's own calls;
    * **personal-style contact**: ``min_texts`` text messages the officer sent off duty (or, with
      no roster, late) besides off-duty calls that show contact off duty on their own (the same
      texts are not two kinds of evidence), or ``text_week`` sent in one week at any time — a
      conversation's pace, not updates — or a call of ``long_call_s`` made off duty. Texts sent on duty at the pace of case
      work are the work channel, not a personal one: many victims prefer them, a deaf victim has
      no other, and trial preparation after charge (a case closed at charge still has its trial
      ahead) brings a few a week. On duty a long call is victim care too (a verdict, a distressed
      witness); the person's own texts are theirs;
    * **record views with no case purpose**: views of the person by the officer citing a case
      that is not one of the officer's cases involving them, or citing none while off duty (on
      duty, a check before a call or a visit needs no reference);

    plus, as corroboration only, **beyond peers**: contact still going ``followup_days`` after
    closure and later than the 95th percentile of follow-up among the officer's peer group
    (unit type, rank band, shift pattern; `fairwitness.detectors.peers`). The value is the
    number of contacts; the peer median is the group's median number of contacts with parties
    of closed cases after the grace period.

    * **criminal_referral**: ``criminal_kinds`` or more kinds, record views with no case purpose
      among them (``criminal_needs_views``: the police-systems log corroborating the contacts'
      log; abuse of position for a sexual purpose must be referred to the IOPC);
    * **misconduct_assessment**: two kinds, or more from the contacts alone;
    * **advice**: one kind.
    """

    name = "victim_contact"
    version = "9"
    title = "Contact with a vulnerable victim or witness after the case or off duty"
    standard = "Discreditable conduct"
    reads = merge_reads(
        {
            "case_parties": ("case_ref", "subject_ref", "role", "vulnerable", "officer_in_case", "opened", "closed"),
            "comms_events": ("event_id", "staff_id", "ts", "channel", "counterpart_ref", "direction", "duration_s"),
            "system_access": ("event_id", "staff_id", "ts", "subject_ref", "case_ref"),
        },
        PEER_READS,
    )
    optional_reads = merge_reads(
        {"shifts": ("staff_id", "start", "end"), "overtime_claims": ("staff_id", "start", "end", "status")},
        PEER_OPTIONAL_READS,
    )
    explanations_checked = (
        "contact while the case was open and on duty",
        "the person is a party to another of the officer's cases, open at the time",
        "follow-up within the grace period after closure",
        "on-duty, work-phone follow-up calls, long or short (Victims' Code updates, court results, trial preparation)",
        "on-duty work-phone texts at the pace of case work (a victim who prefers texts or cannot call; trial "
        "preparation after charge)",
        "a short call returning the person's own call or message (a missed call returned after the shift)",
        "record views citing the officer's own case with that person, or on duty (a check before a call)",
        "only incoming contact (the victim or witness got in touch)",
        "no roster for the person in the period (on/off duty judged by the hour)",
    )
    explain = (
        "{value} work-device contact(s) between {period_start} and {period_end} with a vulnerable victim or "
        "witness from the person's own case after it closed or while off duty, against a peer median of "
        "{peer_median} ({peer_group}): {detail}."
    )
    scenarios = ("victim_contact_after_case",)
    routes = ("advice", "misconduct_assessment", "criminal_referral")
    evidence_kinds = EVIDENCE_KINDS
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
        own = allc.select(o_staff=allc.officer_in_case, o_subject=allc.subject_ref, o_case=allc.case_ref).distinct()
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
        hour = london_time(ce.ts, src).hour()
        c = ce.join(vp, (ce.staff_id == vp.staff_id) & (ce.counterpart_ref == vp.subject_ref)).select(
            ce.event_id,
            ce.staff_id,
            ce.ts,
            vp.subject_ref,
            vp.any_open,
            vp.closed,
            vp.case,
            vp.role,
            text=ce.channel.lower() == "sms",
            call_s=ibis.ifelse(ce.channel.lower() == "call", ce.duration_s, ibis.null("float64")),
            late=(hour >= p.late_hour) | (hour < p.early_hour),
            outgoing=ce.direction.lower() == "out",
            after_close=(~vp.any_open) & (ce.ts > vp.closed + ibis.interval(days=p.grace_days)),
        )
        # a short call back within reply_hours of the person's own call or message answers them
        # (a missed call returned after the shift): not contact the officer started
        prior = ibis.cumulative_window(group_by=[c.staff_id, c.subject_ref], order_by=[c.ts, c.event_id])
        last_in = ibis.ifelse(~c.outgoing, c.ts, ibis.null("timestamp")).max().over(prior)
        c = c.mutate(
            reply=c.outgoing & ~c.text & (c.call_s.fill_null(0.0) < p.long_call_s)
            & last_in.notnull() & (last_in >= c.ts - ibis.interval(minutes=int(p.reply_hours * 60)))
        )
        c = src.once(c)
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
        duty = None
        if duty_parts:
            duty = duty_parts[0] if len(duty_parts) == 1 else duty_parts[0].union(duty_parts[1])
            # people with no roster in the period are judged by the hour alone
            rostered = duty.filter(in_period(duty.start, src)).select("staff_id").distinct().mutate(r=ibis.literal(True))
            # the duty near the period (contacts and views are inside it)
            m = ibis.interval(minutes=p.duty_margin_minutes)
            near = duty.select("staff_id", lo=duty.start - m, hi=duty.end + m)
            near = near.filter(near.lo <= period_end_ts(src), near.hi >= period_start_ts(src))

        def with_off_duty(*tables):
            """Each of ``tables`` (event_id, staff_id, ts, late) plus ``off_duty``: one semi join
            of all their events against the duty's days (`covered`, on the person and the day),
            whose hash table of every shift-day near the period is most of its cost (at 46,000 x 12,
            10.5 M shift-days: a join per table built it twice). No need to pick the duty of the
            people with such events first: a semi join over every shift cost more than it saved."""
            if duty is None:
                return [t.mutate(off_duty=t.late) for t in tables]
            tables = [src.once(t) for t in tables]
            ev = None
            for i, t in enumerate(tables):
                part = t.select(_src=ibis.literal(i, type="int8"), event_id=t.event_id.cast("string"), staff_id=t.staff_id, ts=t.ts)
                ev = part if ev is None else ev.union(part)
            on = src.once(covered(ev, near, ["_src", "event_id"]).mutate(on_duty=ibis.literal(True)))
            out = []
            for i, t in enumerate(tables):
                o = on.filter(on._src == i)
                t = t.left_join(o, t.event_id == o.event_id).select(t, on_duty=o.on_duty.fill_null(False))
                t = t.left_join(rostered, t.staff_id == rostered.staff_id).select(
                    *[t[x] for x in t.columns if x != "on_duty"],
                    off_duty=ibis.ifelse(rostered.r.fill_null(False), ~t.on_duty, t.late),
                )
                out.append(t)
            return out

        # record views of the subject with no case purpose: citing a case that is not one of the
        # officer's with that person, or citing none while off duty (on duty, a check before a
        # call or a visit needs no reference: policing purpose covers it)
        sa = src.table("system_access")
        sa = sa.filter(in_period(sa.ts, src))
        vhour = london_time(sa.ts, src).hour()
        views = sa.join(vp, (sa.staff_id == vp.staff_id) & (sa.subject_ref == vp.subject_ref)).select(
            sa.event_id, sa.staff_id, vp.subject_ref, sa.ts, sa.case_ref, no_ref=blank(sa.case_ref),
            late=(vhour >= p.late_hour) | (vhour < p.early_hour),
        )
        c, views = with_off_duty(c, views)
        c = c.filter(c.after_close | c.off_duty)
        # texts sent in the same local week (Monday to Sunday; 1970-01-01 was a Thursday)
        week = ((london_time(c.ts, src).epoch_seconds() + 3 * 86400) / (7 * 86400)).floor().cast("int64")
        c = c.mutate(week_texts=(c.text & c.outgoing).cast("int64").sum().over(
            ibis.window(group_by=[c.staff_id, c.subject_ref, week])
        ))
        views = views.left_join(
            own, (views.staff_id == own.o_staff) & (views.subject_ref == own.o_subject) & (views.case_ref == own.o_case)
        ).select(
            views.staff_id,
            views.subject_ref,
            hit=(~views.no_ref & own.o_case.isnull()) | (views.no_ref & views.off_duty),
        )
        views = views.group_by("staff_id", "subject_ref").aggregate(n_views=views.hit.cast("int64").sum())

        ps = c.group_by("staff_id", "subject_ref").aggregate(
            n=c.count(),
            n_out=c.outgoing.cast("int64").sum(),
            n_after=c.after_close.cast("int64").sum(),
            n_off=(c.off_duty & c.outgoing & ~c.reply).cast("int64").sum(),
            n_texts=(c.text & c.outgoing).cast("int64").sum(),
            n_texts_off=(c.text & c.outgoing & c.off_duty).cast("int64").sum(),
            n_off_calls=(c.off_duty & c.outgoing & ~c.reply & ~c.text).cast("int64").sum(),
            week_texts=c.week_texts.max(),
            longest=c.call_s.max().fill_null(0.0),
            longest_off=ibis.ifelse(c.off_duty, c.call_s, ibis.null("float64")).max().fill_null(0.0),
            last_after=ibis.ifelse(c.after_close, c.ts, ibis.null("timestamp")).max(),
            closed=c.closed.max(),
            case=c.case.min(),
            role=c.role.min(),
        )
        ps = ps.left_join(views, (ps.staff_id == views.staff_id) & (ps.subject_ref == views.subject_ref)).select(
            ps, n_views=views.n_views.fill_null(0)
        )
        ps = ps.mutate(
            span=((ps.last_after.epoch_seconds() - ps.closed.epoch_seconds()) / 86400.0).floor().cast("int64")
        )

        # how long peers follow up closed cases: the 95th percentile of the span of post-closure
        # contact over the peer group's officer-party pairs (at least 5 pairs, else the floor alone)
        groups = peer_groups(src)
        pairs = ps.filter(ps.n_after >= 1).select("staff_id", "span")
        # (every pair counted in each group its officer belongs to, so a group chosen at a coarser
        # level counts the pairs of everyone at that level)
        pairs = pairs.join(groups, pairs.staff_id == groups.staff_id).select(
            pairs.staff_id, pairs.span, *[groups[k] for k in LEVEL_KEYS]
        )
        pairs = level_rows(pairs)
        pw = ibis.window(group_by=pairs._key)
        pairs = pairs.mutate(p95=pairs.span.cast("float64").quantile(0.95).over(pw), n_pairs=pairs.count().over(pw))
        bounds = pairs.group_by("_key").aggregate(p95=pairs.p95.max(), n_pairs=pairs.n_pairs.max())
        ps = ps.left_join(groups, ps.staff_id == groups.staff_id).select(ps, peer_key=groups.peer_key)
        ps = ps.left_join(bounds, ps.peer_key == bounds._key).select(
            ps, p95=ibis.ifelse(bounds.n_pairs >= 5, bounds.p95, ibis.null("float64"))
        )
        present = {
            "off_duty": ps.n_off >= p.min_off_duty,
            # off-duty texts are contact off duty; they are not a second kind of evidence unless
            # off-duty contact is shown without them (the same messages counted twice are one)
            "personal_channel": ((ps.n_texts_off >= p.min_texts) & (ps.n_off_calls >= p.min_off_duty))
            | (ps.week_texts >= p.text_week)
            | (ps.longest_off >= p.long_call_s),
            "beyond_peers": (ps.n_after >= 1)
            & (ps.span >= p.followup_days)
            & (ps.p95.isnull() | (ps.span.cast("float64") > ps.p95)),
            "views_no_purpose": ps.n_views >= 1,
        }
        n_kinds, kinds_text = kinds_present(present, EVIDENCE_KINDS)
        conduct = present["off_duty"] | present["personal_channel"] | present["views_no_purpose"]
        ps = ps.mutate(n_kinds=n_kinds, kinds_text=kinds_text, conduct=conduct)
        # during a live case, calls at odd hours are common work: one kind of evidence flags only
        # contact after the case closed; two kinds flag either way
        ps = ps.filter(ps.n >= p.min_contacts, ps.n_out >= 1, ps.conduct, (ps.n_after >= 1) | (ps.n_kinds >= 2))
        # a criminal referral needs a second source: the police-systems log (record views with no
        # case purpose) beside the work device's log of contacts, whose timing, length and channel
        # are one source however many kinds they make (an honest family liaison officer's evening
        # calls returned to a bereaved mother were three)
        criminal = ps.n_kinds >= p.criminal_kinds
        if p.criminal_needs_views:
            criminal &= present["views_no_purpose"]
        grav = ibis.cases((criminal, 3), (ps.n_kinds >= 2, 2), else_=1)
        ps = ps.mutate(grav=grav, text=pair_text(ps, src))
        w = ibis.window(group_by=ps.staff_id, order_by=[ps.grav.desc(), ps.n_kinds.desc(), ps.n.desc(), ps.subject_ref])
        ps = ps.mutate(rank=ibis.row_number().over(w))
        flagged_subjects = ps.select("staff_id", "subject_ref")
        ev = c.join(flagged_subjects, ["staff_id", "subject_ref"]).select(c.staff_id, c.event_id)
        ev = ev.group_by("staff_id").aggregate(ev=keys(ev.event_id))
        per = ps.group_by("staff_id").aggregate(
            n=ps.n.sum(),
            n_subjects=ps.count(),
            grav=ps.grav.max(),
            n_kinds=ps.n_kinds.max(),
            text=ibis.ifelse(ps.rank == 0, ps.text, ibis.null("string")).max(),
            kinds_text=ibis.ifelse(ps.rank == 0, ps.kinds_text, ibis.null("string")).max(),
        )
        per = per.join(ev, "staff_id")

        # the peer comparison: contacts with parties of closed cases after the grace period
        ac = c.filter(c.after_close)
        mine = ac.group_by("staff_id").aggregate(after=ac.count())
        cmp = compare(with_everyone(mine, groups, {"after": 0}), "after")
        per = per.left_join(cmp, per.staff_id == cmp.staff_id).select(
            per, peer_median=cmp.peer_median, peer_percentile=cmp.peer_percentile, peer_group=cmp.peer_group
        )
        route = ibis.cases(
            (per.grav == 3, "criminal_referral"), (per.grav == 2, "misconduct_assessment"), else_="advice"
        )
        score = ibis.least(0.45 + 0.15 * per.n_kinds + 0.01 * per.n, 1.0)
        detail = (
            per.text
            + ibis.ifelse(per.n_subjects > 1, " and " + (per.n_subjects - 1).cast("string") + " more", "")
            + per.kinds_text
        )
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
            peer_median=per.peer_median,
            peer_percentile=per.peer_percentile,
            peer_group=per.peer_group.fill_null("unit type × rank band × shift pattern"),
        )
