"""Outside records of an office held for no gain (shared by the interest detectors; not a
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
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

NOT_FOR_GAIN_PATTERN = (
    r"\brt[me]\b|right to (manage|enfranchise)|residents?'?\s+(property\s+)?management|\b98000\b"
    r"|residents?'? association|registered charity|\bcharity\s+(no\b|number|reg)|\bcharitable (company|incorporated)|\bcio\b"
    r"|community amateur sports club"
)
"""Default of the ``not_for_gain_pattern`` parameters: the lower-cased counterparty and activity
of an RTM or RTE company, a residents' management company or association (SIC 98000), or a
charity (its register number, as a join with the Charity Commission's register writes it)."""

NOT_FOR_GAIN_DOC = (
    "Directorships held for no gain (regular expression on the lower-cased counterparty and activity; "
    "empty: every directorship is a business interest, for a force whose register covers unpaid roles): "
    "a residents' management or right-to-manage company of the person's block of flats (an 'RTM' or 'RTE' "
    "name, SIC 98000) and a charity need not be declared, and holding one while off sick is not working."
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
    "NO_GAIN_LIKELY_DOC", "NO_GAIN_LIKELY_LABEL", "NO_GAIN_LIKELY_PATTERN", "NOT_FOR_GAIN_DOC", "NOT_FOR_GAIN_LABEL",
    "NOT_FOR_GAIN_PATTERN", "for_gain", "no_gain_likely",
]
