"""Do two counterparty names, as officers and registers write them, name one organisation?
(Shared by the interest detectors; not a detector.)

A declaration is typed by the officer ("Sainsbury's", "Kingsley Tutoring (online maths tutor)",
"Lodge of Harmony No. 255"); the outside record carries the registered or payroll name ("J
Sainsbury plc", "Kingsley Tutoring Ltd", "Harmony Lodge No 255"). `name_key` reduces a name to
its *words* and its *numbers*:

* lower case; a possessive ("Sainsbury's") loses its 's, other apostrophes close up ("O'Neill");
  "&" and "+" are "and";
* a parenthesised or bracketed description ("(online maths tutor)", "(registered charity
  225971)") is left out of the words (unless it is the whole name);
* legal forms and filler words (`FILLER`: Ltd, Limited, plc, LLP, Group, Holdings, & Co,
  "trading as", the, and, of, ...) are dropped, and so are single letters: a leading initial
  ("J Sainsbury") or the initials of a partnership ("J & M Thompson");
* numbers (a lodge's warrant, a charity's register number) are kept apart, from the whole name.

`name_match` says two keys name the same organisation when their numbers do not disagree (both
carry numbers and share none: Lodge No 255 is not Lodge No 8775) and either every word of one
name is among the other's — words compared allowing ``max_ratio`` edits of the longer word,
floored, so a word of four letters or fewer must be exact ("Acme Securty Ltd" and "ACME
SECURITY LIMITED"; "Hartley Lettings" and "Hartley Lettings & Property Management Ltd";
"Tesco" and "Tesco Stores Limited") — or the words, written together, are the same ("Harbourview Management" and "Harbour View
Management"; within ``max_ratio`` edits when the names have different numbers of words: two
names of as many words differ in a word, and "Acme Bars" is not "Acme Cars"). Unrelated
businesses that share a common word do not match: "Smith Security Ltd" is not "Smith Haulage
Ltd", nor "Royal Mail" the "Royal Oak pub", since neither name's words are all in the other.
The comparison is set-wise, so word order does not matter ("Lodge of Harmony" and "Harmony
Lodge"). Ibis array lambdas: DuckDB and Spark alike.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

FILLER = (
    r"the|ltd|limited|plc|llp|llc|lp|inc|incorporated|co|company|corporation|corp|group|holdings|uk|and|of"
    r"|services|lodge|no|trading as|t a"
)
"""Legal forms and filler words left out of a name's words (a regular expression of
alternatives, matched as whole words on the lower-cased name with punctuation as spaces)."""


def _words(s: ir.StringValue, initials: bool) -> ir.StringValue:
    t = s.re_replace(r"[&+]", " and ").re_replace(r"[^a-z0-9 ]", " ")
    t = t.re_replace(r"\b(" + FILLER + r")\b", " ").re_replace(r"\b[0-9]+\b", " ")
    if not initials:
        t = t.re_replace(r"\b[a-z]\b", " ")
    return t.re_replace(r"\s+", " ").strip()


def name_key(s: ir.StringValue) -> ir.StringValue:
    """A counterparty name reduced for `name_match`: its words, a ``|``, its numbers
    ("J Sainsbury plc" -> ``sainsbury|``; "Lodge of Harmony No. 255" -> ``harmony|255``). Compute
    it once per row before a join, then compare with ``name_match(..., normalised=True)``."""
    t = s.fill_null("").lower().re_replace("[\u2019\u2018`]", "'")
    t = t.re_replace(r"'s\b", "").re_replace(r"'", "")
    bare = t.re_replace(r"\([^)]*\)|\[[^\]]*\]", " ")
    words = ibis.coalesce(_words(bare, False).nullif(""), _words(t, False).nullif(""), _words(t, True))
    numbers = t.re_replace(r"[^a-z0-9]", " ").re_replace(r"\b[0-9]*[a-z][a-z0-9]*\b", " ")
    return words + "|" + numbers.re_replace(r"\s+", " ").strip()


def _split(s: ir.StringValue) -> ir.ArrayValue:
    return s.split(" ").filter(lambda w: w.length() > 0)


def _covered(a: ir.ArrayValue, b: ir.ArrayValue, max_ratio: float) -> ir.BooleanValue:
    """Every word of ``a`` is (within ``max_ratio`` edits) a word of ``b``."""

    def near(x: ir.StringValue, y: ir.StringValue) -> ir.BooleanValue:
        allowed = (ibis.greatest(x.length(), y.length()).cast("float64") * max_ratio).floor().cast("int64")
        return (x == y) | (x.levenshtein(y) <= allowed)

    hits = a.filter(lambda x: b.filter(lambda y: near(x, y)).length() > 0)
    return hits.length() == a.length()


def name_match(a: ir.StringValue, b: ir.StringValue, max_ratio: float = 0.2, *, normalised: bool = False) -> ir.BooleanValue:
    """Counterparty names that name the same organisation (module docstring). ``normalised``:
    ``a`` and ``b`` are `name_key`'s already."""
    ka, kb = (a, b) if normalised else (name_key(a), name_key(b))
    wa, wb = ka.re_extract(r"^([^|]*)\|", 1), kb.re_extract(r"^([^|]*)\|", 1)
    na, nb = ka.re_extract(r"\|(.*)$", 1), kb.re_extract(r"\|(.*)$", 1)
    xa, xb = _split(wa), _split(wb)
    numbers_agree = (na == "") | (nb == "") | (_split(na).filter(lambda x: _split(nb).contains(x)).length() > 0)
    # the same words split differently ("Harbourview" and "Harbour View"), a slip allowed: only
    # when the word counts differ, or "Acme Bars" would be "Acme Cars"
    ja, jb = wa.replace(" ", ""), wb.replace(" ", "")
    allowed = (ibis.greatest(ja.length(), jb.length()).cast("float64") * max_ratio).floor().cast("int64")
    joined = (ja == jb) | ((xa.length() != xb.length()) & (ja.levenshtein(jb) <= allowed))
    words = _covered(xa, xb, max_ratio) | _covered(xb, xa, max_ratio) | joined
    return (wa.length() > 0) & (wb.length() > 0) & numbers_agree & words


FORMER_NAME = (
    r"(?:previous(?:ly)?(?: company)? names?|former(?:ly)?(?: known as| named)?|renamed from|formerly trading as)"
    r"\s*:?\s*([^;()]+?)\s*(?:\buntil\b|\bto\b [0-9]|[;()]|$)"
)
"""Where a record's ``activity`` gives the organisation's previous name, as a register shows a
renamed company ("previous name HARTLEY JOINERY LTD until 2025-11-04", "formerly Acme Ltd"):
the name is group 1 (case-insensitive)."""


def former_name(activity: ir.StringValue) -> ir.StringValue:
    """The previous name ``activity`` gives (`FORMER_NAME`), or an empty string: a declaration
    made under the old name still declares a renamed company."""
    return activity.fill_null("").lower().re_extract(FORMER_NAME, 1).fill_null("")


def declares(key: ir.StringValue, was: ir.StringValue, declared: ir.StringValue, max_ratio: float) -> ir.BooleanValue:
    """A declaration (``declared``, a `name_key`) names a record's organisation: by its name
    (``key``) or by the previous name its record gives (``was``: `name_key` of `former_name`)."""
    return name_match(key, declared, max_ratio, normalised=True) | name_match(was, declared, max_ratio, normalised=True)


__all__ = ["FILLER", "FORMER_NAME", "declares", "former_name", "name_key", "name_match"]
