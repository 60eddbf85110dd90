"""A rest day created by a roster swap, then overtime claimed for that same day."""

from __future__ import annotations

import ibis
from pydantic import ConfigDict, Field

from fairwitness.detectors.base import Detector
from fairwitness.detectors.catalogue._callin import TEAM_CALLIN, team_callins
from fairwitness.detectors.catalogue._common import (
    ACTIVE_CLAIM_STATUSES,
    PRESENCE_READS,
    flags,
    in_period,
    keys,
    london_date,
    norm,
    signals,
)
from fairwitness.detectors.catalogue._intervals import ClaimPresenceParams
from fairwitness.detectors.peers import PEER_OPTIONAL_READS, PEER_READS, merge_reads, peer_context


class Params(ClaimPresenceParams):
    model_config = ConfigDict(extra="forbid", frozen=True)

    rest_values: tuple[str, ...] = Field(
        default=("rest_day", "rest", "rd", "off", "day_off", "rest_day_off"),
        description="Roster values meaning a rest day (compared lower-case, spaces as underscores).",
    )
    move_field_pattern: str = Field(
        default=r"start|date|day|rest",
        description="Roster fields whose change moves a duty to another day (an 'end' change is an extension).",
    )
    min_move_hours: float = Field(
        default=20, ge=0, description="A start moved by less than this (e.g. an hour across midnight) is not a swap."
    )
    recall_reason_pattern: str = Field(
        default=r"recall|short.?notice|cancel|emergenc|spontaneous|call.?out",
        description="Regular expression on reason_code marking a recall to duty.",
    )
    overrun_minutes: int = Field(
        default=60,
        ge=0,
        description="A claim starting this soon after the end of another rostered shift continues that shift (an "
        "overrun, e.g. a late arrest running past midnight), so it is explained by that duty, not by the freed day.",
    )
    min_moved_overlap: float = Field(
        default=0.5,
        ge=0,
        le=1,
        description="Share of a claim's hours that must fall inside the moved shift itself (now on the former rest "
        "day) for the claim to be overtime paid for swapped, rostered duty.",
    )
    callin_min_colleagues: int = Field(
        default=2,
        ge=0,
        description="Colleagues not rostered that day (nor off by their own swap) who claimed the same hours for the "
        "same reason, authorised by someone else, with their activity in the hours, needed for a claim on a freed day "
        "to be a team call-in (a major incident), not the person's choice: two, with the person three called in, each "
        "claim authorised by someone else (0: never).",
    )
    planned_reason_pattern: str = Field(
        default=r"pre.?planned|planned event|\bevents?\b|\bmatch|football|fixture|festival|concert|parade|carnival",
        description="Reason codes of overtime for an event known in advance (regular expression on the lower-cased "
        "reason_code; empty: none): never a team call-in, since a call-in is unforeseen and a day swapped away before a "
        "known event, then worked on its overtime, is the racket itself.",
    )
    misconduct_min_explained_days: int = Field(
        default=2,
        ge=1,
        description="Freed days whose only claims are explained by other rostered duty (overrun or within a "
        "rostered shift) needed for a misconduct route: once is a coincidence (advice), repeatedly a pattern.",
    )


class RestDaySwapOvertime(Detector):
    """A rest day created by a roster swap, then overtime claimed for that same day.

    A *freed day* is the day a duty was moved away from: a roster change of a start, date
    or day field (``move_field_pattern``; an ``end`` change only extends a shift) whose old
    and new values fall on different days at least ``min_move_hours`` apart — the old day
    for a moved shift, the new day when the field names a rest day. Values without an
    offset are London wall-clock time, as the import contract says. A shift whose duty was
    changed to a rest day (``rest_values``; needs the ``shifts`` table to date it) frees its
    day too. An overtime claim (approved or pending) by the same person starting on a freed
    day (London time, so a claim at 23:30 UTC in summer belongs to the next day) is the
    pattern: overtime paid for a day the person would have worked anyway.

    The same swap is also paid twice when the claim covers the **moved shift itself** on
    the day it was moved to (needs ``shifts``): at least ``min_moved_overlap`` of the
    claim's hours lie inside the shift the change moved. Rostered duty, even on a former
    rest day, is not overtime; a voluntary swap earns no rest-day premium.

    A claim on the freed day is *explained by other duty* (needs ``shifts``) when it lies within, or starts
    no more than ``overrun_minutes`` after the end of, another shift on the person's roster
    (not a rest day; the moved shift itself only by such an overrun: a night shift moved a day
    earlier ends on the freed day's morning): a late shift's overrun past midnight into the
    freed day, or rest-day working rostered on it, is paid for that duty, not for the day
    the swap freed.

    * **misconduct_assessment**: the person made the swap themselves and claimed for the
      freed day itself, or did so on ``misconduct_min_explained_days`` or more freed days
      even though each claim is explained by other duty (a repeated coincidence);
    * **wellbeing** (no breach by the person; not adverse): the swap was made by someone else (a roster decision, still worth a
      look), a single claim explained by other duty, or every such claim is a recall to
      duty — the reason code matches ``recall_reason_pattern``, the claim was authorised
      by someone else and the roster was changed by someone else — or a team call-in.

    **A team call-in** (needs ``shifts`` and a presence source; `_callin`): a major incident
    brings the team in on their rest days, and a person whose day off came from their own swap
    is called in with the rest. The swap is theirs, but the decision to work that day is not:
    at least ``callin_min_colleagues`` other people with no shift over the hours — and not off
    by a swap of their own (a team swapping off a known event day to staff it on overtime is the
    racket, not a call-in), for a reason that is not a planned event (``planned_reason_pattern``:
    a call-in is unforeseen) — claimed for the same reason over at least half of the person's
    claimed hours, each authorised by someone other than its claimant, each with the claimant's
    activity in the hours, and the person's own claim was authorised by someone else and shows
    their activity. A lone claim on the freed day, or one a few colleagues on duty shared, is
    still the pattern.
    """

    name = "rest_day_swap_overtime"
    version = "8"
    title = "Rest-day swap followed by overtime for that day"
    standard = "Honesty and integrity"
    reads = {
        "roster_changes": ("change_id", "shift_id", "staff_id", "changed_by", "changed_at", "field", "old_value", "new_value"),
        "overtime_claims": ("claim_id", "staff_id", "start", "end", "status", "reason_code", "authorised_by"),
    }
    optional_reads = {"shifts": ("shift_id", "staff_id", "start", "end", "duty_type")}
    optional_reads = merge_reads(optional_reads, PRESENCE_READS, PEER_READS, PEER_OPTIONAL_READS)
    explanations_checked = (
        "recall to duty by a supervisor, overtime authorised by someone else",
        "the swap was made by someone else (a roster decision)",
        "the claim continues or lies within another rostered shift (an overrun or rostered duty)",
        TEAM_CALLIN,
    )
    explain = (
        "{value} day(s) made rest days by a roster swap then claimed as overtime between {period_start} and "
        "{period_end} ({detail})."
    )
    scenarios = ("rest_day_swap_overtime",)
    lookback_days = 62  # a swap made before the period can free a day inside it
    routes = ("wellbeing", "misconduct_assessment")
    Params = Params

    def build(self, src):
        p = self.params
        rc = src.table("roster_changes")
        # values without an offset are London wall-clock time (the contract's rule): the date
        # part is the London date
        ts_re = r"^\s*(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?))?"
        old_d = rc.old_value.fill_null("").re_extract(ts_re, 1).nullif("")
        new_d = rc.new_value.fill_null("").re_extract(ts_re, 1).nullif("")
        old_t = rc.old_value.fill_null("").re_extract(ts_re, 2).nullif("").fill_null("00:00")
        new_t = rc.new_value.fill_null("").re_extract(ts_re, 2).nullif("").fill_null("00:00")
        old_ts = (old_d + " " + old_t.substr(0, 5) + ":00").cast("timestamp")
        new_ts = (new_d + " " + new_t.substr(0, 5) + ":00").cast("timestamp")
        field = rc.field.fill_null("").lower()
        rest_field = field.contains("rest")
        moved = rc.filter(
            field.re_search(p.move_field_pattern),
            old_d.notnull(),
            new_d.notnull(),
            old_d != new_d,
            (new_ts.epoch_seconds() - old_ts.epoch_seconds()).abs() >= p.min_move_hours * 3600,
        ).select(
            "change_id",
            "shift_id",
            "staff_id",
            "changed_by",
            freed_day=ibis.ifelse(rest_field, new_d, old_d).cast("date"),
        )
        rest = list(p.rest_values)
        to_rest = rc.filter(norm(rc.new_value.fill_null("")).isin(rest), ~norm(rc.old_value.fill_null("")).isin(rest))
        swaps = moved
        if src.has("shifts"):
            s = src.table("shifts")
            to_rest = to_rest.join(s, to_rest.shift_id == s.shift_id).select(
                to_rest.change_id,
                to_rest.shift_id,
                to_rest.staff_id,
                to_rest.changed_by,
                freed_day=london_date(s.start, src),
            )
            swaps = moved.union(to_rest)

        oc = src.table("overtime_claims")
        oc = oc.filter(in_period(oc.start, src), oc.status.lower().isin(ACTIVE_CLAIM_STATUSES))
        oc = oc.mutate(day=london_date(oc.start, src))
        j = swaps.join(oc, (swaps.staff_id == oc.staff_id) & (swaps.freed_day == oc.day)).select(
            swaps.staff_id,
            swaps.change_id,
            swaps.shift_id,
            swaps.changed_by,
            oc.claim_id,
            oc.day,
            oc.authorised_by,
            c_start=oc.start,
            c_end=oc.end,
            recall=(
                oc.reason_code.fill_null("").lower().re_search(p.recall_reason_pattern)
                & oc.authorised_by.notnull()
                & (oc.authorised_by != swaps.staff_id)
                & (swaps.changed_by != swaps.staff_id)
            ).fill_null(False),
        )
        if src.has("shifts"):
            # other duty on the roster that the claim lies within or overruns (not a rest day;
            # the shift the swap moved only by an overrun past its end)
            sh = src.table("shifts")
            sh = sh.filter(~norm(sh.duty_type.fill_null("")).isin(rest)).select(
                o_shift=sh.shift_id, o_staff=sh.staff_id, o_start=sh.start, o_end=sh.end
            )
            m = ibis.interval(minutes=p.overrun_minutes)
            ex = j.join(
                sh,
                (j.staff_id == sh.o_staff)
                # another shift; or the moved shift itself overrunning into the freed day (a
                # night shift moved a day earlier ends on the freed day's morning)
                & (j.shift_id.isnull() | (sh.o_shift != j.shift_id) | (j.c_start >= sh.o_end))
                & (j.c_start <= sh.o_end + m)  # within the shift, or starting as it ends (an overrun)
                & (j.c_end.fill_null(j.c_start) > sh.o_start),
            )
            ex = ex.select(ex.change_id, ex.claim_id).distinct().mutate(other_duty=ibis.literal(True))
            j = j.left_join(ex, (j.change_id == ex.change_id) & (j.claim_id == ex.claim_id)).select(
                j, explained=ex.other_duty.fill_null(False)
            )
            # the claim pays for the moved shift itself, on the day it was moved to
            ms = src.table("shifts").select(m_shift="shift_id", m_staff="staff_id", m_start="start", m_end="end")
            mv = moved.join(ms, (moved.shift_id == ms.m_shift) & (moved.staff_id == ms.m_staff))
            oc2 = src.table("overtime_claims")
            oc2 = oc2.filter(in_period(oc2.start, src), oc2.status.lower().isin(ACTIVE_CLAIM_STATUSES))
            pay = mv.join(oc2, (mv.staff_id == oc2.staff_id) & (oc2.start < mv.m_end) & (oc2.end > mv.m_start))
            overlap = (
                ibis.least(pay.end, pay.m_end).epoch_seconds() - ibis.greatest(pay.start, pay.m_start).epoch_seconds()
            )
            length = pay.end.epoch_seconds() - pay.start.epoch_seconds()
            pay = pay.filter(length > 0, overlap >= p.min_moved_overlap * length)
            paid = pay.select(
                staff_id=pay.staff_id,
                change_id=pay.change_id,
                shift_id=pay.shift_id,
                changed_by=pay.changed_by,
                claim_id=pay.claim_id,
                day=london_date(pay.start, src),
                authorised_by=pay.authorised_by,
                c_start=pay.start,
                c_end=pay.end,
                recall=(
                    pay.reason_code.fill_null("").lower().re_search(p.recall_reason_pattern)
                    & pay.authorised_by.notnull()
                    & (pay.authorised_by != pay.staff_id)
                    & (pay.changed_by != pay.staff_id)
                ).fill_null(False),
                explained=ibis.literal(False),
            )
            j = j.select(*paid.columns).union(paid).distinct()
        else:
            j = j.mutate(explained=ibis.literal(False))
        team = team_callins(src, self.name, j.select("claim_id").distinct(), swaps, p)
        j = j.left_join(team, j.claim_id == team.claim_id).select(j, team=team.n_team.notnull())
        counts = ~j.recall & ~j.team & (j.changed_by == j.staff_id)
        j = j.mutate(
            strong_day=ibis.ifelse(counts & ~j.explained, j.day, ibis.null("date")),
            weak_day=ibis.ifelse(counts & j.explained, j.day, ibis.null("date")),
        )
        per = j.group_by("staff_id").aggregate(
            days=j.day.nunique(),
            n_recall=j.recall.cast("int64").sum(),
            n_team=j.team.cast("int64").sum(),
            n_excused=(j.recall | j.team).cast("int64").sum(),
            n=j.count(),
            self_edits=(j.changed_by == j.staff_id).cast("int64").sum(),
            strong_days=j.strong_day.nunique(),
            weak_days=j.weak_day.nunique(),
            ev=keys(j.claim_id),
            changes=keys(j.change_id),
            first_day=j.day.min(),
        )
        all_recall = per.n_recall == per.n
        excused = per.n_excused == per.n  # every claim a recall or a team call-in
        self_made = ~excused & (per.self_edits > 0)
        serious = self_made & ((per.strong_days > 0) | (per.weak_days >= p.misconduct_min_explained_days))
        route = ibis.ifelse(serious, "misconduct_assessment", "wellbeing")
        score = ibis.least(0.6 + 0.1 * per.days, 1.0) * ibis.ifelse(serious, 1.0, 0.6)
        detail = (
            ibis.literal("first on ")
            + per.first_day.cast("string")
            + "; roster changes "
            + per.changes.join(", ")
            + "; "
            + per.self_edits.cast("string")
            + " made by the person"
        )
        # the same behaviour among peers doing the same work, for the evidence
        per = peer_context(per, src, "days")
        return signals(
            per,
            src,
            peer_median=per.peer_median,
            peer_percentile=per.peer_percentile,
            peer_group=per.peer_group,
            value=per.days,
            score=score,
            route=route,
            evidence_table="overtime_claims",
            evidence_keys=per.ev,
            explanations_found=flags(
                (all_recall, "recall to duty by a supervisor, overtime authorised by someone else"),
                (excused & ~all_recall, TEAM_CALLIN),
                (~excused & (per.self_edits == 0), "the swap was made by someone else (a roster decision)"),
                (
                    self_made & (per.strong_days == 0),
                    "the claim continues or lies within another rostered shift (an overrun or rostered duty)",
                ),
            ),
            detail=detail,
        )
