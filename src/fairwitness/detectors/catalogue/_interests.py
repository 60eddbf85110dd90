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
* a **charity**: its trustees are the directors of a charitable company, and are unpaid unless
  the charity's governing document or the Charity Commission allows otherwise.

Either, held and not declared, is not a breach of reg. 7; holding it while signed off sick is not
working elsewhere. Read on a directorship only: a charity's *employee* is paid, and a payroll
record of the job is employment for gain like any other.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

NOT_FOR_GAIN_PATTERN = (
    r"\brt[me]\b|right to (manage|enfranchise)|residents?'?\s+(property\s+)?management|\b98000\b"
    r"|residents?'? association|registered charity|\bcharity\s+(no\b|number|reg)|\bcharitable (company|incorporated)"
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


def for_gain(er: ir.Table, pattern: str) -> ir.BooleanValue:
    """False for an ``external_records`` row that is a directorship of an organisation run for
    no gain (``pattern`` on its counterparty and ``activity``); True otherwise, and for every row
    when ``pattern`` is empty. Declare ``kind``, ``counterparty`` and ``activity`` in ``reads``."""
    if not pattern:
        return ibis.literal(True)
    text = (er.counterparty.fill_null("") + " " + er.activity.fill_null("")).lower()
    return (er.kind.lower() != "directorship") | ~text.re_search(pattern)


__all__ = ["NOT_FOR_GAIN_DOC", "NOT_FOR_GAIN_LABEL", "NOT_FOR_GAIN_PATTERN", "for_gain"]
