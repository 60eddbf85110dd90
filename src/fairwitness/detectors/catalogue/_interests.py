"""Outside records of an office or work held for no gain (shared by the interest detectors; not a
detector).

Police Regulations 2003, reg. 7, make a *business interest* an office or employment "for hire
or gain", or carrying on a business; a force's business-interests guidance lists unpaid voluntary
activity among what need not be declared. A Companies House directorship is not always one:

* a **residents' management company** or a **right-to-manage company**: the leaseholders of a
  block of flats run its maintenance and service charge through a company limited by guarantee,
  and a leaseholder who volunteers becomes a director, unpaid. Only an RTM (right to manage) or RTE
  (right of enfranchisement) company may put those letters in its name (Company, Limited
  Liability Partnership and Business (Names and Trading Disclosures) Regulations 2015, reg. 4(2)
  and (3)); residents' management companies file under SIC code 98000, "Residents property
  management";
* a **charity**: its trustees are the directors of a charitable company or of a charitable
  incorporated organisation (CIO, a form only a charity may take), and are unpaid unless the
  charity's governing document or the Charity Commission allows otherwise.

Either, held and not declared, is not a breach of reg. 7; holding it while signed off sick is not
working elsewhere. Read on a directorship only: a charity's *employee* is paid, and a payroll
record of the job is employment for gain like any other.

Some directorships are *probably* held for no gain, though the register cannot say the office is
unpaid (`NO_GAIN_LIKELY_PATTERN`):

* a **community interest company** (CIC): a company for community benefit with an asset lock; its
  directors may be paid a reasonable sum but a youth club's or a village shop's seldom are;
* a **dormant company** (Companies House SIC code 99999, "Dormant Company"): it carries on no
  business and pays nobody — an inherited family company left on the register;
* the force's own **staff, sports or social association** (a "Police Sports Association", a
  "Police Social Club", a "Police Federation" branch): volunteers from the force run it.

Whether such an office is paid is to be checked before anyone is asked to answer for it: held and
not declared it is at most a question (wellbeing), never gross misconduct; held while off sick it is
not work elsewhere.

Work that is not an office has its own look-alikes. *Voluntary work* is not employment "for hire
or gain" either, and a force's business-interests guidance lists unpaid voluntary activity among
what need not be declared; volunteering is often encouraged during a long sickness, as part of a
recovery. An outside record of work (an ``employment`` record: a sighting, a timesheet) shows it
by what an export holds:

* the record's ``activity`` names the role unpaid — a volunteer, voluntary or unpaid work, pro
  bono, expenses only (`VOLUNTARY_PATTERN`): not work for gain, nothing to declare and not
  working while sick;
* the counterparty or activity names a charity — its register number, "registered charity", a
  charity shop, a charitable company or CIO — or a volunteer role (`CHARITY_WORK_PATTERN`):
  *probably* voluntary (most people seen working in a charity shop are volunteers), but a
  charity employs paid staff too, so it is surfaced for a check whether it is paid (wellbeing),
  never an adverse route on its own. A word such as "charity" in a trading company's name
  ("Charity Clothing Collections Ltd") is not enough.

A payroll record (HMRC RTI, a payslip, a P60: `PAID_SOURCES` on the record's ``source``) shows pay:
the job is employment for gain, whoever the employer, and neither pattern excuses it.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import ibis
import ibis.expr.types as ir

from fairwitness.detectors.catalogue._common import london_date

NOT_FOR_GAIN_PATTERN = (
    r"\brt[me]\b|right to (manage|enfranchise)|residents?'?\s+(property\s+)?management|\b98000\b"
    r"|residents?'? association|registered charity|\bcharity\s+(no\b|number|reg)|\bcharitable (company|incorporated)|\bcio\b"
    r"|community amateur sports club|exempt charity|academy trust|\bunpaid\b"
)
"""Default of the ``not_for_gain_pattern`` parameters: the lower-cased counterparty and activity
of an RTM or RTE company, a residents' management company or association (SIC 98000), or a
charity (its register number, as a join with the Charity Commission's register writes it)."""

NOT_FOR_GAIN_DOC = (
    "Directorships held for no gain (regular expression on the lower-cased counterparty and activity; "
    "empty: every directorship is a business interest, for a force whose register covers unpaid roles): "
    "a residents' management or right-to-manage company of the person's block of flats (an 'RTM' or 'RTE' "
    "name, SIC 98000) and a charity (registered, or exempt: an academy trust), or a role the record calls unpaid, "
    "need not be declared, and holding one while off sick is not working."
)

NOT_FOR_GAIN_LABEL = "a directorship held for no gain (residents' management or right-to-manage company, charity)"
"""The explanation checked, as both detectors name it."""


NO_GAIN_LIKELY_PATTERN = (
    r"\bcic\b|\bc\.i\.c\.?(\s|$)|community interest company"
    r"|\bdormant\b|\b99999\b"
    r"|\bpolice (sports?|social|athletic|recreation(al)?|welfare|benevolent|convalescent|staff)\b|\bpolice federation\b"
)
"""Default of the ``no_gain_likely_pattern`` parameters: the lower-cased counterparty and activity of
a community interest company, a dormant company (SIC 99999) or a police staff, sports or social
association — by legal form, status or the force's own bodies, never by a word such as "youth" or
"club" in a name, which a business may bear as well."""

NO_GAIN_LIKELY_DOC = (
    "Directorships probably held for no gain (regular expression on the lower-cased counterparty and activity; "
    "empty: none): a community interest company (CIC), a dormant company (SIC 99999), the force's own staff, "
    "sports or social association. The register cannot say the office is unpaid, so it is surfaced for a check "
    "(wellbeing), never an adverse route on its own."
)

NO_GAIN_LIKELY_LABEL = (
    "a directorship probably held for no gain (community interest company, dormant company, the force's own staff, "
    "sports or social association): whether it is paid is to be checked first"
)
"""The explanation checked, as both detectors name it."""


VOLUNTARY_PATTERN = r"\bvolunteer(s|ing|ed)?\b|\bvoluntary\b|\bunpaid\b|\bpro[ -]?bono\b|\bexpenses[ -]only\b"
"""Default of the ``voluntary_pattern`` parameters: the lower-cased ``activity`` of a record of
unpaid work (the role the person holds: a volunteer, voluntary or unpaid work)."""

VOLUNTARY_DOC = (
    "Work recorded as unpaid (regular expression on the lower-cased activity of an employment record; empty: "
    "none): a volunteer, voluntary or unpaid role, pro bono, expenses only. Unpaid voluntary activity is not "
    "employment for hire or gain (Police Regulations 2003 reg. 7): it need not be declared, and doing it while "
    "off sick is not working elsewhere. A payroll record (paid_sources) is never excused."
)

VOLUNTARY_LABEL = "voluntary work recorded as unpaid (a volunteer role): not employment for hire or gain"
"""The explanation checked, as both detectors name it."""

CHARITY_WORK_PATTERN = (
    r"registered charity|\bcharity\s+(no\b|number|reg)|\bcharity (shop|retail|store)\b|\bcharitable (company|incorporated|trust)\b"
    r"|\bs?cio\b|\bvolunteer(s|ing)?\b|\bvoluntary\b"
)
"""Default of the ``charity_work_pattern`` parameters: the lower-cased counterparty and activity of
work for a charity (its register number, a charity shop, a charitable company or CIO) or in a
volunteer role."""

CHARITY_WORK_DOC = (
    "Work probably voluntary (regular expression on the lower-cased counterparty and activity of an employment "
    "record that is not a payroll record; empty: none): a registered charity or its number, a charity shop, a "
    "charitable company or CIO, a volunteer role. Most people seen working for a charity are volunteers, but a "
    "charity employs paid staff too: surfaced for a check whether it is paid (wellbeing), never an adverse route "
    "on its own."
)

CHARITY_WORK_LABEL = (
    "work for a charity or in a volunteer role, not on a payroll: probably voluntary, whether it is paid is to be "
    "checked first"
)
"""The explanation checked, as both detectors name it."""

PAID_SOURCES = r"payroll|\brti\b|\bhmrc\b|\bpaye\b|\bp60\b|\bp11d\b|payslip|pay slip"
"""Default of the ``paid_sources`` parameters: sources that record pay (lower-cased ``source``)."""

PAID_SOURCES_DOC = (
    "Sources that record pay (regular expression on the lower-cased source): an HMRC RTI payroll return, PAYE, a "
    "P60 or P11D, a payslip. A record from one is employment for gain, whoever the employer: voluntary_pattern and "
    "charity_work_pattern do not apply to it."
)


def _employment_unpaid(er: ir.Table, text: ir.StringValue, pattern: str, paid_sources: str) -> ir.BooleanValue:
    if not pattern:
        return ibis.literal(False)
    paid = er.source.fill_null("").lower().re_search(paid_sources) if paid_sources else ibis.literal(False)
    return (er.kind.lower() == "employment") & ~paid & text.lower().re_search(pattern)


def voluntary(er: ir.Table, pattern: str, paid_sources: str) -> ir.BooleanValue:
    """True for an ``external_records`` employment row whose ``activity`` records unpaid work
    (``pattern``), not from a payroll source (``paid_sources``). Declare ``kind``, ``source`` and
    ``activity`` in ``reads``."""
    return _employment_unpaid(er, er.activity.fill_null(""), pattern, paid_sources)


def charity_work(er: ir.Table, pattern: str, paid_sources: str) -> ir.BooleanValue:
    """True for an ``external_records`` employment row for a charity or in a volunteer role
    (``pattern`` on its counterparty and ``activity``), not from a payroll source. Declare
    ``kind``, ``counterparty``, ``source`` and ``activity`` in ``reads``."""
    text = er.counterparty.fill_null("") + " " + er.activity.fill_null("")
    return _employment_unpaid(er, text, pattern, paid_sources)


def observed_date(ts: ir.TimestampValue, src: Any, since: dt.date) -> ir.DateValue:
    """The Europe/London date of an observation at ``ts`` (UTC), for display: a date-only record
    ("2025-04-30") is stored as the local midnight, 23:00 UTC the day before in summer, and its UTC
    date would be a day early. `_common.london_date` knows British Summer Time around the period;
    an outside record may be years older (``since``: the oldest observation read), so the years
    from ``since`` are included."""
    span = SimpleNamespace(period_start=min(since, src.period_start), period_end=src.period_end)
    return london_date(ts, span)


def no_gain_likely(er: ir.Table, pattern: str) -> ir.BooleanValue:
    """True for an ``external_records`` row that is a directorship probably held for no gain
    (``pattern`` on its counterparty and ``activity``); False otherwise, and for every row when
    ``pattern`` is empty. Declare ``kind``, ``counterparty`` and ``activity`` in ``reads``."""
    if not pattern:
        return ibis.literal(False)
    text = (er.counterparty.fill_null("") + " " + er.activity.fill_null("")).lower()
    return (er.kind.lower() == "directorship") & text.re_search(pattern)


def for_gain(er: ir.Table, pattern: str) -> ir.BooleanValue:
    """False for an ``external_records`` row that is a directorship of an organisation run for
    no gain (``pattern`` on its counterparty and ``activity``); True otherwise, and for every row
    when ``pattern`` is empty. Declare ``kind``, ``counterparty`` and ``activity`` in ``reads``."""
    if not pattern:
        return ibis.literal(True)
    text = (er.counterparty.fill_null("") + " " + er.activity.fill_null("")).lower()
    return (er.kind.lower() != "directorship") | ~text.re_search(pattern)


__all__ = [
    "CHARITY_WORK_DOC", "CHARITY_WORK_LABEL", "CHARITY_WORK_PATTERN", "PAID_SOURCES", "PAID_SOURCES_DOC",
    "VOLUNTARY_DOC", "VOLUNTARY_LABEL", "VOLUNTARY_PATTERN", "charity_work", "observed_date", "voluntary",
    "NO_GAIN_LIKELY_DOC", "NO_GAIN_LIKELY_LABEL", "NO_GAIN_LIKELY_PATTERN", "NOT_FOR_GAIN_DOC", "NOT_FOR_GAIN_LABEL",
    "NOT_FOR_GAIN_PATTERN", "for_gain", "no_gain_likely",
]
