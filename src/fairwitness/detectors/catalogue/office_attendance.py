"""Office attendance below the hybrid rule, net of leave, sickness, training and off-site duty."""

from __future__ import annotations

import datetime as dt
from statistics import NormalDist

import ibis
import pyarrow as pa
from pydantic import BaseModel, ConfigDict, Field

from fairwitness.detectors.base import Detector
from fairwitness.detectors.catalogue._common import (
    clip01,
    date_spine,
    empty_strings,
    flags,
    fmt,
    keys,
    london_date,
    overlap_hours,
    overlaps_period,
    period_days,
    signals,
    working_days,
)
from fairwitness.detectors.catalogue._office_days import office_days
from fairwitness.detectors.peers import in_post


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    threshold: float = Field(default=0.8, gt=0, le=1, description="Share of available working days in the office.")
    confidence_z: float = Field(
        default=1.2816,
        ge=0,
        description="Flag only when the upper Wilson bound of the attendance rate at this z (1.2816 = 90 % "
        "one-sided) is below the threshold, so a few missing badge reads do not make a breach.",
    )
    min_available_days: int = Field(default=10, ge=1, description="Fewer available days: not assessed.")
    max_excused_share: float = Field(
        default=0.5, gt=0, le=1, description="A person excused on more of their working days than this is not assessed."
    )
    offsite_duty_types: tuple[str, ...] = Field(default=("training", "court"), description="Rostered duty away from the office.")
    min_absence_hours: float = Field(default=4.0, gt=0, description="Absence covering at least this much of a day excuses it.")
    min_office_minutes: float = Field(
        default=60,
        ge=0,
        description="A day whose time on site, from the first event to a badge out with nothing on site after it, is "
        "shorter than this is a visit (a badge-in to register attendance, then away), not a day in the office. "
        "Needs an export with exits; 0: every day seen on site counts.",
    )
    window_days: int = Field(
        default=56,
        ge=0,
        description="Also assess every window of this many consecutive days (ending each window_step_days): a "
        "sustained breach is not diluted by compliant months elsewhere in the period. 0: the whole period only.",
    )
    window_step_days: int = Field(default=7, ge=1, description="Days between the ends of successive windows.")
    pattern_min_share: float = Field(
        default=0.5,
        gt=0,
        le=1,
        description="A weekday is one of an unrostered person's working days when they showed any badge or "
        "work-device activity on at least this share of its available occurrences.",
    )
    full_time_week_hours: float = Field(default=37.0, gt=0, description="Contracted hours of a full-time week.")
    pattern_hours_share: float = Field(
        default=0.8,
        gt=0,
        le=1,
        description="A working pattern of fewer days than 5 x FTE (compressed hours, long part-time days) is "
        "believed when its days at their typical length (first to last activity) make up at least this share "
        "of FTE x full_time_week_hours; else the expected days are scaled by FTE.",
    )


class OfficeAttendance(Detector):
    """Office attendance below the hybrid rule for people covered by it.

    For each person with ``hybrid_policy`` in post, the *working days* are the days of
    their rostered shifts when they have any, else Monday to Friday less bank holidays of
    England and Wales. A working day is *excused* by any recorded absence covering at least
    ``min_absence_hours`` of it (leave, sickness, training, rest day…) and by rostered
    off-site duty (``offsite_duty_types``, or a shift at a site of kind ``other``). The
    *available days* are the working days not excused. For a person who is not rostered
    they are scaled by FTE, unless the person's own data show a working pattern of fewer,
    longer days (compressed hours; a part-timer's long days): the weekdays on which they show
    any badge or work-device activity (in the office or not) on at least
    ``pattern_min_share`` of the times they were not excused. Fewer than five such weekdays
    are believed only when, at the person's typical day length (median first-to-last event),
    they make up at least ``pattern_hours_share`` of FTE x ``full_time_week_hours``; then the
    available days are those on the person's working weekdays (never more than FTE scaling
    gives), and only those count as missed. A person seen on fewer days at ordinary length,
    or seen only in the office (no trace of work elsewhere), keeps the FTE rule: days with
    no trace at all are not taken as days off. A day counts as attended when the person
    badged into any site, or a work device reported from a site — but not when they badged
    out again within ``min_office_minutes`` with nothing on site after (`_office_days`).

    A person excused on more than ``max_excused_share`` of their working days, or with
    fewer than ``min_available_days`` available days, is not assessed (mostly on leave).
    Otherwise **advice** when the attendance rate is below ``threshold`` with confidence:
    the upper Wilson bound at ``confidence_z`` is below the threshold, so a few missed
    badge reads do not make a breach — over the whole period, or over any window of
    ``window_days`` consecutive days (ending every ``window_step_days``; the same
    ``min_available_days`` and ``max_excused_share`` apply to the window), so that two
    months away from the office are not averaged out by four compliant ones. Many
    overlapping windows are many chances for a bad run by chance, so the window test uses
    a Bonferroni-corrected z (the one-sided tail of ``confidence_z`` divided by the number
    of windows): the whole set of windows raises no more false alarms than the period
    test alone. The detail gives the lowest window. Evidence keys are the available days with no entry.
    """

    name = "office_attendance"
    version = "5"
    title = "Office attendance below the hybrid rule"
    standard = "Orders and instructions"
    purpose = "attendance_policy"
    reads = {
        "people": ("staff_id", "hybrid_policy", "fte", "start_date", "end_date"),
        "badge_events": ("staff_id", "ts", "direction"),
    }
    optional_reads = {
        "absences": ("staff_id", "type", "start", "end"),
        "shifts": ("staff_id", "start", "end", "duty_type", "site_id"),
        "sites": ("site_id", "kind"),
        "device_events": ("staff_id", "ts", "site_id"),
    }
    explanations_checked = (
        "annual leave, sickness, training or other recorded absence",
        "rostered off-site duty (court, training, a non-office site)",
        "part-time working (expected days scaled by FTE when not rostered)",
        "compressed hours or a part-timer's fewer, longer days (expected days are the person's own working "
        "weekdays, read from badge and device activity, when their hours make up the FTE)",
        "too few available days to judge (mostly on leave)",
    )
    # evidence_keys: the available working days (London dates) with no badge or on-site device event
    explain = (
        "Attended the office on {value}% of available working days between {period_start} and {period_end}, "
        "below the hybrid rule ({detail}); median of people under the rule {peer_median}%."
    )
    scenarios = ("office_attendance_below_rule", "attendance_shortfall")
    routes = ("advice",)
    Params = Params

    def build(self, src):
        p = self.params
        hp = in_post(src)
        hp = hp.filter(hp.hybrid_policy.fill_null(False)).select("staff_id", "fte", "start_date", "end_date")
        spine = date_spine(working_days(src))
        days = hp.cross_join(spine).filter(
            lambda t: (t.start_date.isnull() | (t.day >= t.start_date)) & (t.end_date.isnull() | (t.day <= t.end_date))
        )
        days = days.select("staff_id", "day", rostered=ibis.literal(False), fte=days.fte.cast("float64"))
        offsite = None
        if src.has("shifts"):
            s = src.table("shifts")
            s = s.filter(overlaps_period(s.start, s.end, src)).mutate(day=london_date(s.start, src))
            s = src.once(s.join(hp.select("staff_id"), "staff_id"))  # read four times below
            rostered_people = s.select("staff_id").distinct()
            sd = s.select("staff_id", "day").distinct()
            sd = sd.filter(
                (sd.day >= ibis.literal(src.period_start, type="date")) & (sd.day <= ibis.literal(src.period_end, type="date"))
            )
            days = days.anti_join(rostered_people, "staff_id").union(
                sd.select("staff_id", "day", rostered=ibis.literal(True), fte=ibis.literal(1.0))
            )
            off = s.filter(s.duty_type.lower().isin(list(p.offsite_duty_types)))
            if src.has("sites"):
                st = src.table("sites")
                js = s.join(st, "site_id")
                off_site = js.filter(js.kind.lower() == "other").select("staff_id", "day")
                off = off.select("staff_id", "day").union(off_site)
            offsite = off.select("staff_id", "day", kind=ibis.literal("off-site duty")).distinct()

        excuses = []
        if src.has("absences"):
            ab = src.table("absences")
            ab = ab.filter(overlaps_period(ab.start, ab.end, src))
            d0 = days.day.cast("timestamp")
            j = days.join(ab, (days.staff_id == ab.staff_id) & (ab.start < d0 + ibis.interval(days=1)) & (ab.end > d0))
            j = j.filter(overlap_hours(ab.start, ab.end, d0, d0 + ibis.interval(days=1)) >= p.min_absence_hours)
            kind = ab.type.lower().re_replace("_", " ")
            excuses.append(j.select(days.staff_id, days.day, kind=kind))
        if offsite is not None:
            excuses.append(offsite)

        # the days seen on site of the people under the rule only (an eighth of the force at
        # 46,000: every person's days, 8 M, were grouped before), and any activity of the day, in the
        # office or not (a work-device login from home): the days an unrostered person works at all,
        # and how long (first to last event)
        seen, act = office_days(src, hp.select("staff_id"), p.min_office_minutes)
        d = days.left_join(seen, (days.staff_id == seen.staff_id) & (days.day == seen.day)).select(
            days, present=seen.present.fill_null(False), visit=seen.visit.fill_null(False)
        )
        d = d.left_join(act, (d.staff_id == act.staff_id) & (d.day == act.day)).select(
            d, active=act.span.notnull(), span=act.span
        )
        if excuses:
            ex = excuses[0]
            for other in excuses[1:]:
                ex = ex.union(other)
            ex = ex.distinct()
            exd = ex.select("staff_id", "day").distinct().mutate(excused=ibis.literal(True))
            d = d.left_join(exd, (d.staff_id == exd.staff_id) & (d.day == exd.day)).select(
                d, excused=exd.excused.fill_null(False)
            )
            kinds = ex.select("staff_id", "kind").distinct()
            kinds = kinds.group_by("staff_id").aggregate(kinds=kinds.kind.collect().sort())
        else:
            d = d.mutate(excused=ibis.literal(False))
            kinds = None

        # the working pattern of an unrostered person: the weekdays they are active on at least
        # pattern_min_share of the times they were not excused. Fewer days than five are believed
        # (compressed hours, a part-timer's long days) only when those days, at the person's typical
        # length, make up their FTE's hours: a person who is simply not seen on some days, or seen
        # only on office days, keeps the FTE rule.
        d = src.once(d.mutate(wd=d.day.day_of_week.index()))
        u = d.filter(~d.rostered & ~d.excused)
        wk = u.group_by("staff_id", "wd").aggregate(n=u.count(), a=u.active.cast("int64").sum())
        wk = src.once(wk.filter(wk.a.cast("float64") >= p.pattern_min_share * wk.n).select("staff_id", "wd"))
        ul = u.filter(u.span > 0)
        dl = ul.group_by("staff_id").aggregate(day_h=ul.span.median(), p_fte=ul.fte.max())
        pat = wk.group_by("staff_id").aggregate(
            k=wk.count(), **{f"_d{i}": (wk.wd == i).cast("int64").max() for i in range(5)}
        )
        pat = pat.join(dl, "staff_id")
        need = pat.p_fte.clip(lower=0.05, upper=1.0) * p.full_time_week_hours * p.pattern_hours_share
        pat = pat.filter((pat.k < 5) & (pat.k.cast("float64") * pat.day_h >= need))
        names = ("Mon", "Tue", "Wed", "Thu", "Fri")
        pattern_text = ibis.literal("")
        for i, nm in enumerate(names):
            pattern_text = pattern_text + ibis.ifelse(pat[f"_d{i}"] == 1, ibis.literal(f" {nm}"), ibis.literal(""))
        pat = src.once(
            pat.select(
                p_staff=pat.staff_id,
                p_days=pat.k,
                p_hours=pat.day_h,
                p_text=pattern_text.strip(),
            )
        )
        d = d.left_join(pat.select("p_staff"), d.staff_id == pat.p_staff).select(d, patterned=pat.p_staff.notnull())
        d = d.left_join(wk, (d.staff_id == wk.staff_id) & (d.wd == wk.wd)).select(
            d, on_pattern=~d.patterned | wk.wd.notnull()
        )

        d = src.once(d)  # the period's and the windows' counts read it
        per = d.group_by("staff_id").aggregate(
            working=d.count(),
            excused=d.excused.cast("int64").sum(),
            attended=(d.present & ~d.excused).cast("int64").sum(),
            visits=(d.visit & ~d.excused).cast("int64").sum(),
            on_pattern=(d.on_pattern & ~d.excused).cast("int64").sum(),
            rostered=d.rostered.cast("int64").max() == 1,
            patterned=d.patterned.cast("int64").max() == 1,
            fte=d.fte.max(),
            missed=keys(
                ibis.ifelse(~d.present & ~d.excused & d.on_pattern, d.day.cast("string"), ibis.null("string"))
            ),
        )
        z = p.confidence_z

        def rated(t, z):
            avail = (t.working - t.excused).cast("float64")
            scaled = avail * t.fte.clip(lower=0.05, upper=1.0)
            # a believed pattern: the person's own working days, never more than FTE scaling gives
            own = ibis.ifelse(t.patterned, ibis.least(t.on_pattern.cast("float64"), scaled), scaled)
            avail = ibis.ifelse(t.rostered, avail, own).round(1)
            t = t.mutate(avail=avail)
            t = t.mutate(rate=clip01(t.attended.cast("float64") / ibis.greatest(t.avail, ibis.literal(1.0))))
            n, ph = t.avail, t.rate
            upper = (ph + z * z / (2 * n) + z * (ph * (1 - ph) / n + z * z / (4 * n * n)).sqrt()) / (1 + z * z / n)
            t = t.mutate(upper=upper)
            return t.filter((t.avail >= p.min_available_days) & (t.excused.cast("float64") <= p.max_excused_share * t.working))

        per = rated(per, z)
        window_ends = []
        if p.window_days and period_days(src) > p.window_days:
            e = src.period_start + dt.timedelta(days=p.window_days - 1)
            while e < src.period_end:
                window_ends.append(e)
                e += dt.timedelta(days=p.window_step_days)
            window_ends.append(src.period_end)
        worst = None
        if window_ends:
            win = ibis.memtable(
                pa.table(
                    {
                        "w_start": pa.array([x - dt.timedelta(days=p.window_days - 1) for x in window_ends], pa.date32()),
                        "w_end": pa.array(window_ends, pa.date32()),
                    }
                )
            )
            dw = d.join(win, (d.day >= win.w_start) & (d.day <= win.w_end))
            pw = dw.group_by("staff_id", "w_start", "w_end").aggregate(
                working=dw.count(),
                excused=dw.excused.cast("int64").sum(),
                attended=(dw.present & ~dw.excused).cast("int64").sum(),
                on_pattern=(dw.on_pattern & ~dw.excused).cast("int64").sum(),
                rostered=dw.rostered.cast("int64").max() == 1,
                patterned=dw.patterned.cast("int64").max() == 1,
                fte=dw.fte.max(),
            )
            # many overlapping windows are many chances: Bonferroni keeps the period's false-alarm
            # rate (one-sided, at confidence_z) for the whole set of windows
            alpha = (1 - NormalDist().cdf(z)) / len(window_ends)
            pw = rated(pw, NormalDist().inv_cdf(1 - alpha))
            ww = ibis.window(group_by=pw.staff_id, order_by=[pw.upper, pw.w_end])
            pw = pw.mutate(rn=ibis.row_number().over(ww))
            worst = pw.filter(pw.rn == 0).select(
                w_staff=pw.staff_id,
                w_start=pw.w_start,
                w_end=pw.w_end,
                w_attended=pw.attended,
                w_avail=pw.avail,
                w_rate=pw.rate,
                w_upper=pw.upper,
            )
        per = per.mutate(
            peer_median=(per.rate.median().over(ibis.window()) * 100).round(1),
            peer_pct=(ibis.cume_dist().over(ibis.window(order_by=per.rate)) * 100).round(2),
            peer_n=per.staff_id.count().over(ibis.window()),
        )
        if worst is not None:
            per = per.left_join(worst, per.staff_id == worst.w_staff).drop("w_staff")
            t = per.filter((per.upper < p.threshold) | (per.w_upper.fill_null(1.0) < p.threshold))
            in_window = t.upper >= p.threshold  # flagged for a window only
            window_text = ibis.ifelse(
                t.w_start.notnull(),
                "; lowest "
                + ibis.literal(str(p.window_days))
                + " days "
                + t.w_start.cast("string")
                + " to "
                + t.w_end.cast("string")
                + ": "
                + t.w_attended.cast("string")
                + " of "
                + fmt(t.w_avail, 1)
                + " ("
                + fmt(t.w_rate * 100, 1)
                + "%)",
                "",
            )
            rate = ibis.ifelse(in_window, t.w_rate, t.rate)
        else:
            t = per.filter(per.upper < p.threshold)
            window_text = ibis.literal("")
            rate = t.rate
        t = t.left_join(pat, t.staff_id == pat.p_staff).drop("p_staff")
        if kinds is not None:
            t = t.left_join(kinds, "staff_id").select(t, kinds=kinds.kinds)
            found = ibis.coalesce(t.kinds, empty_strings())
        else:
            found = empty_strings()
        found = found.concat(
            flags(
                (~t.rostered & ~t.patterned & (t.fte < 1), "part-time: expected days scaled by FTE"),
                (t.patterned, "own working pattern of fewer, longer days: expected days are the person's working weekdays"),
            )
        )
        pattern_detail = ibis.ifelse(
            t.patterned,
            "; working pattern "
            + t.p_text
            + " ("
            + t.p_days.cast("string")
            + " days a week of about "
            + fmt(t.p_hours, 1)
            + " h, read from badge and device activity)",
            "",
        )
        detail = (
            t.attended.cast("string")
            + " of "
            + fmt(t.avail, 1)
            + " available days ("
            + t.working.cast("string")
            + " working days, "
            + t.excused.cast("string")
            + " excused"
            + pattern_detail
            + ibis.ifelse(
                t.visits > 0,
                "; " + t.visits.cast("string")
                + f" days on site for under {p.min_office_minutes:g} minutes, out again, not counted as days in the office",
                "",
            )
            + "); rule "
            + fmt(ibis.literal(p.threshold * 100), 0)
            + "% (policy: the force's hybrid working policy sets the share of working days in the office)"
            + window_text
        )
        return signals(
            t,
            src,
            value=(rate * 100).round(1),
            score=clip01(0.5 + (p.threshold - rate)),
            route=ibis.literal("advice"),
            evidence_table="badge_events",
            evidence_keys=t.missed,
            explanations_found=found,
            detail=detail,
            peer_median=t.peer_median,
            peer_percentile=t.peer_pct,
            peer_group=ibis.literal("people covered by the hybrid rule, n=") + t.peer_n.cast("string"),
        )
