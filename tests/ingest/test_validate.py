"""The SQL that cleans text cells (`fairwitness.ingest.validate`) against plain Python."""

from __future__ import annotations

import duckdb
from hypothesis import given, settings
from hypothesis import strategies as st

from fairwitness.ingest.formats import NULL_TOKENS, TRIM_CHARS
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
