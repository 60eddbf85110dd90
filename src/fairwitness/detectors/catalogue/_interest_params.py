"""The parameters of the interest detectors, `undeclared_interest` and `sickness_secondary_work`,
and the latter's explanation texts (moved here to keep the detectors' modules short; not a
detector)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, model_validator

from fairwitness.detectors.catalogue._interests import (
    CHARITY_WORK_DOC, CHARITY_WORK_PATTERN, NO_GAIN_LIKELY_DOC, NO_GAIN_LIKELY_PATTERN, NOT_FOR_GAIN_DOC,
    NOT_FOR_GAIN_PATTERN, PAID_SOURCES, PAID_SOURCES_DOC, VOLUNTARY_DOC, VOLUNTARY_PATTERN,
)
from fairwitness.detectors.catalogue._intervals import ClaimPresenceParams
from fairwitness.detectors.catalogue._spells import SpellParams


class NameParams(BaseModel):
    """What both interest detectors share: how counterparty names are compared and which records
    are not work for gain."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name_tolerance: float = Field(
        default=0.2,
        ge=0,
        le=0.5,
        description="Edits allowed between two words of counterparty names, as a share of the longer word, floored "
        "(a word of four letters or fewer must be exact): names match when every word of one is among the other's, "
        "once legal forms, filler words, initials, possessives and a parenthesised description are set aside, and "
        "any numbers agree (`_names`).",
    )
    not_for_gain_pattern: str = Field(default=NOT_FOR_GAIN_PATTERN, description=NOT_FOR_GAIN_DOC)
    no_gain_likely_pattern: str = Field(default=NO_GAIN_LIKELY_PATTERN, description=NO_GAIN_LIKELY_DOC)
    voluntary_pattern: str = Field(default=VOLUNTARY_PATTERN, description=VOLUNTARY_DOC)
    charity_work_pattern: str = Field(default=CHARITY_WORK_PATTERN, description=CHARITY_WORK_DOC)
    paid_sources: str = Field(default=PAID_SOURCES, description=PAID_SOURCES_DOC)


class UndeclaredInterestParams(NameParams):
    model_config = ConfigDict(extra="forbid", frozen=True)

    strong_link: float = Field(
        default=0.99,
        gt=0,
        le=1,
        description="Link probability treated as the same person for a gross misconduct route. With the linkage's "
        "fixed weights, an exact name and an exact date of birth give about 0.9998, a similar name with an exact "
        "date 0.99; an exact name with a date one character out only about 0.96, which for a common name in a "
        "large force is often somebody else, so it stays advice until a reviewer confirms the identity.",
    )
    min_link: float = Field(
        default=0.5, gt=0, le=1,
        description="Below this a linked record is ignored; up to strong_link it is surfaced for an identity check "
        "(wellbeing), never an adverse route.",
    )
    max_name_sharers: int = Field(
        default=1,
        ge=1,
        description="A link by name and date of birth alone establishes the identity for an adverse route only when "
        "at most this many members of staff bear the name (the linkage's name_sharers): a name several colleagues "
        "bear is borne by many strangers in an outside register, and one of them born the same day is a real chance "
        "(world 121, 46,000 staff: 8 of 2,454 exact name and birth-date links were strangers, all for names borne by "
        "4 to 30 members of staff). A link by staff id, or one corroborated by the person's own declaration of the "
        "organisation, needs no such check. Above it the record is surfaced for an identity check (wellbeing).",
    )
    grace_days: int = Field(default=90, ge=0, description="A declaration up to this long after the observation is on time.")
    declarable_membership_pattern: str = Field(
        default=r"lodge|mason|fraternit|royal arch|buffaloes|oddfellows|knights templar"
        r"|\b(chapter|preceptory|conclave)\b.*\bno\.?\s*\d"
        r"|rose croix|secret monitor|ark mariner|royal order of scotland|red cross of constantine|eastern star"
        r"|societas rosicruciana|orange (order|institution)|royal black (institution|preceptory)",
        description="Memberships are declarable only for hierarchical organisations with confidential membership "
        "and mutual support (regular expression on the lower-cased counterparty): lodges and the masonic "
        "'side orders' — Royal Arch chapters, Knights Templar preceptories, conclaves — which, "
        "like lodges, meet under a numbered warrant ('Chapter of Fidelity No. 123'), the fraternal orders named "
        "(the Royal Order of Scotland, the Orange Order); club memberships are not. The word 'Order' alone is "
        "not enough: orders of chivalry and their volunteers (the Order of St John, whose volunteers are St John "
        "Ambulance), honours and religious orders are not secret fraternities.",
    )
    membership_place_pattern: str = Field(
        default=r"\blodge (road|lane|street|avenue|close|drive|farm|park|hill|way|gardens|court|hotel|house|grove"
        r"|crescent|place|walk|estate|allotments?)\b",
        description="Places whose names hold a word of declarable_membership_pattern (regular expression on the "
        "lower-cased counterparty, set aside before that pattern is applied): a society on Lodge Road or at Lodge "
        "Farm is not a lodge.",
    )
    max_age_days: int = Field(
        default=1826, ge=0, description="Records observed longer than this before the period are stale evidence."
    )
    membership_declarable_from: dt.date | None = Field(
        default=None,
        description="The day the force's rule to declare memberships took effect (the Met's declarable-associations "
        "policy: reported as December 2024 in some sources and 11 December 2025 in others — set your force's own). "
        "A membership observed before it was due for declaration only grace_days after this day: declaring it "
        "then is on time, not late, and an undeclared one is nothing to answer before that deadline. Empty: "
        "memberships were always declarable, due grace_days after the observation like any interest.",
    )
    ignored_declaration_kinds: tuple[str, ...] = Field(
        default=("gift_hospitality",), description="Declarations that never cover an ongoing interest."
    )
    own_declaration_m: float = Field(
        default=0.5,
        ge=0,
        le=1,
        description="Identity corroborated by the person's own declaration: how often a person's own declarations "
        "name the organisation of an outside record that is about them (the m probability of that comparison; "
        "0 turns the corroboration off). Its u probability is the share of staff who declared that organisation "
        "(counting the person). A name-and-birth-date link to a record of the very organisation the person "
        "declared (late) is multiplied by m / u in odds: a misspelt name and a birth year out (about 0.4 on its "
        "own) is then near certain for an organisation one person in two thousand declared, and barely moves for "
        "an employer half the force declared.",
    )

    @model_validator(mode="after")
    def _order(self) -> UndeclaredInterestParams:
        if self.min_link > self.strong_link:
            raise ValueError("min_link must not exceed strong_link")
        return self


WORK_SEEN_SOURCES = (
    r"observ|surveil|sighting|\bseen\b|witness|cctv|footage|timesheet|time sheet|\bshifts?\b|\brota\b"
    r"|clock(ed|ing)?[ -]?(in|on)|invoice|booking|job sheet|work log"
)
"""Default of ``work_seen_sources``: sources that record work done on a date."""

STATUS_ONLY_FOUND = (
    "only records that the person holds the job (a payroll return, a register of officers, a source that does not "
    "observe work on a date): not evidence of working on a day of the sickness"
)


class SicknessSecondaryWorkParams(NameParams, ClaimPresenceParams, SpellParams):
    model_config = ConfigDict(extra="forbid", frozen=True)

    work_kinds: tuple[str, ...] = Field(
        default=("employment", "directorship"), description="External record kinds that mean working elsewhere."
    )
    declaration_kinds: tuple[str, ...] = Field(
        default=("secondary_employment", "business_interest"), description="Declarations that cover working elsewhere."
    )
    strong_link: float = Field(
        default=0.99,
        gt=0,
        le=1,
        description="Link probability treated as the same person for a gross misconduct route (see undeclared_interest).",
    )
    declared_min_sightings: int = Field(
        default=2,
        ge=1,
        description="Confirmed sightings, in one sickness spell, of work at a job the person declared only after "
        "it was seen (a declaration that came later, in or after the spell) needed for a conduct route; fewer is a "
        "question for occupational health (wellbeing). Work at a job the force had been told of (approved or "
        "pending) when the person was seen at it is a matter for attendance management, however often: whether the "
        "work fits the illness (a fit note may allow it) is not in the data.",
    )
    seen_working_kinds: tuple[str, ...] = Field(
        default=("employment",),
        description="Record kinds that can show the person actually working (a directorship filing does not).",
    )
    work_seen_sources: str = Field(
        default=WORK_SEEN_SOURCES,
        description="Sources whose record is an observation of work done on its date (regular expression on the "
        "lower-cased source): a counter-corruption or surveillance observation, a sighting, a timesheet, shift or "
        "clocking record, an invoice or booking for the day. Any other source — a payroll return (HMRC RTI: a "
        "monthly submission while the person is on the payroll, sick pay included), a register of officers, an "
        "open-source profile, a source this pattern does not name — shows that the person holds the job, not "
        "that they worked on a day of the sickness, and is never evidence of working while sick.",
    )
    min_link: float = Field(default=0.8, gt=0, le=1, description="Below this a linked record is ignored.")
    max_name_sharers: int = Field(
        default=1,
        ge=1,
        description="An undeclared job linked by name and date of birth alone counts as the person's only when at most "
        "this many members of staff bear the name (see undeclared_interest): a stranger with a common name and "
        "the same birthday is otherwise a real chance. A direct link or the person's own declaration of the job "
        "needs no such check.",
    )
    min_overtime_hours: float = Field(default=1.0, ge=0, description="Overtime overlap with sickness that counts.")
    overrun_minutes: float = Field(
        default=60, ge=0, description="Overtime continuing a shift begun before the sickness is an overrun, not counted."
    )


OVERTIME_FOUND = (
    "overtime for the force during the sickness: judged by overtime_during_absence (recall, rostered duty, off-site "
    "work, activity in its hours), not counted twice here"
)
KNOWN_JOB_FOUND = (
    "secondary work the force had been told of (approved or pending) when the person was seen at it, seen "
    "repeatedly: whether it fits the illness (a fit note may allow it) is for attendance management and occupational "
    "health, not a conduct matter on its own"
)
WORKED_TEXT = "overtime worked during a recorded sickness, with activity in its hours"
WORKED_FOUND = (
    "overtime claimed during the sickness with activity in its hours (badge, work device, police systems, outgoing "
    "comms): work done for the force, the sickness record may be out of date; a wellbeing conversation"
)


__all__ = [
    "KNOWN_JOB_FOUND", "OVERTIME_FOUND", "STATUS_ONLY_FOUND", "SicknessSecondaryWorkParams", "UndeclaredInterestParams",
    "WORKED_FOUND", "WORKED_TEXT", "WORK_SEEN_SOURCES",
]
