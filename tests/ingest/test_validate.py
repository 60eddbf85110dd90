"""The SQL that cleans text cells (`fairwitness.ingest.validate`) against plain Python."""

from __future__ import annotations

import duckdb
from hypothesis import given, settings
from hypothesis import strategies as st

from fairwitness.ingest.checks import capped, capped_sql
from fairwitness.ingest.formats import NULL_TOKENS, TRIM_CHARS
from fairwitness.ingest.numbers import number_sql
from fairwitness.ingest.validate import _null_sql, _trim_sql

_con = duckdb.connect()
# trim characters among letters, digits, combining marks (a mark after a space joins it in one
# grapheme), line ends as one cluster ("\r\n"), emoji and other whitespace that is not trimmed
_ALPHABET = st.sampled_from([*TRIM_CHARS, "a", "Z", "9", "é", "\u0301", "\r\n", "\u200b", "\u3000", "😀", "-", "'"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=8).map("".join))
def test_trim_is_pythons_strip_of_the_trim_characters(text):
    (got,) = _con.execute(f"SELECT {_trim_sql('v')} FROM (SELECT ?::VARCHAR AS v)", [text]).fetchone()
    assert got == text.strip(TRIM_CHARS)


def test_trim_keeps_null_and_empty():
    got = _con.execute(f"SELECT {_trim_sql('v')} FROM (VALUES (NULL::VARCHAR), ('')) t(v)").fetchall()
    assert got == [(None,), ("",)]


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.sampled_from(["", *NULL_TOKENS, "NULLS", "n/a ", "--", "Na"]), st.text(max_size=6)))
def test_null_tokens_and_only_they_become_null(text):
    (got,) = _con.execute(f"SELECT {_null_sql('v')} FROM (SELECT ?::VARCHAR AS v)", [text]).fetchone()
    assert got == (None if text in ("", *NULL_TOKENS) else text)


# -- numbers grouped by thousands, reasons cut at a word --------------------------------------
def _number(text: str, cast: str, **kw) -> tuple:  # noqa: ANN003
    value, reason = number_sql("v", cast, ".", **kw)
    return _con.execute(f"SELECT {value}, {reason} FROM (SELECT ?::VARCHAR AS v)", [text]).fetchone()


def test_thousands_grouped_whole_numbers_are_read():
    """In a whole-number column `1,234` can only group thousands (a decimal comma's 1.234 is no
    whole number); groups of other than three digits are no grouping."""
    assert _number("1,234", "BIGINT", grouped_ok=True)[0] == 1234
    assert _number("12,345,678", "BIGINT", grouped_ok=True)[0] == 12345678
    assert _number("-1,000", "BIGINT", grouped_ok=True)[0] == -1000
    for bad in ("1,23", "1,2345", "01,234", "1,234,5"):
        assert _number(bad, "BIGINT", grouped_ok=True)[0] is None, bad


def test_an_ambiguous_grouping_says_what_is_read_for_its_column():
    value, duration = _number("1,234", "DOUBLE")
    assert value is None and "pence" not in duration and "£" not in duration and 'decimal = "."' in duration
    value, money = _number("1,234", "DOUBLE", money=True)
    assert value is None and "pence (1,234.00) or a £" in money


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["word", "(", ")", " ", "and", ";", ",", "…", "x" * 7, "é"]), max_size=60).map("".join),
       st.integers(min_value=8, max_value=80))
def test_a_reason_is_cut_at_a_word_alike_in_sql_and_python(text, width):
    (got,) = _con.execute(f"SELECT {capped_sql('v', width)} FROM (SELECT ?::VARCHAR AS v)", [text]).fetchone()
    want = capped(text, width)
    assert got == want
    if want != text:
        assert want.rstrip(")").endswith("…") and want.count("(") <= want.count(")") + text.count(")")


def test_a_cut_reason_closes_what_it_opened():
    text = ("dangling reference: no sites row with site_id = S1 (sites.csv was not read: the header names none of "
            "the sites columns (site_id, name …); check the delimiter (read as comma; --delimiter) and")
    assert capped(text, 170).endswith("(read as…))")
    assert capped(text, 160).endswith("check the delimiter…)")
    assert capped(text, len(text)) == text
