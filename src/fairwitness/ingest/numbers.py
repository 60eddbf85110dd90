"""Numbers written as text: under the source's decimal separator, and as a spreadsheet shows them.

`number_sql` gives the SQL of a number column's typed value and of the reason a value is refused
(`fairwitness.ingest.validate.column_sql` uses it for every ``int`` and ``float`` column written
as text)."""

from __future__ import annotations

_COMMA_NUMBER = r"[+-]?(\d+|\d{1,3}(\.\d{3})+)(,\d+)?"
"""A number under a decimal comma: digits, or thousands grouped by points, then a comma and
its fraction (`7,5`, `1.234,50`, `1234`)."""


def number_sql(txt: str, cast: str, decimal: str, *, grouped_ok: bool = False, money: bool = False) -> tuple[str, str]:
    """(value, reason) for a number written as text under the source's decimal separator
    (`SourceFormat.decimal`). Under a point, a value such as `7,5` is refused with the
    declaration that reads it, and one as a spreadsheet shows it is read (`_SHOWN_NUMBER`); under
    a comma, a point may only group thousands, so `7.5` is refused as ambiguous, never read as 75.

    Under a point, `1,234` (commas grouping threes, nothing after them) is read as 1234 when
    ``grouped_ok``: a whole-number column (a decimal comma's 1.234 is no whole number), or a source
    that declared its decimal point (a comma then only groups thousands). Otherwise it is refused
    with both readings named, and what is read; ``money`` (an amount in pounds): written with its
    pence or a pound sign."""
    from fairwitness.ingest.validate import lit  # validate imports this module

    if decimal == ",":
        norm = f"CASE WHEN regexp_full_match({txt}, {lit(_COMMA_NUMBER)}) THEN replace(replace({txt}, '.', ''), ',', '.') END"
        return f"TRY_CAST({norm} AS {cast})", lit("not a number with a decimal comma (declared decimal = \",\": 7,5 or 1.234,50)")
    hint = lit("not a number (a decimal comma? a source writing 7,5 declares decimal = \",\")")
    read = ("Written with its pence (1,234.00) or a £ it is read" if money else
            "Written with a fraction after a point (1,234.0) it is read, or as 1,234 when the source declares "
            "decimal = \".\" (a comma then only groups thousands)")
    grouped = lit(f"not a number: thousands grouped by commas (1,234) or a decimal comma (1.234)? {read}; "
                  "a source writing a decimal comma declares decimal = \",\"")
    reason = (f"CASE WHEN regexp_full_match({txt}, {lit(_GROUPED_ONLY)}) THEN {grouped} "
              f"WHEN regexp_full_match({txt}, '[+-]?\\d+,\\d+') THEN {hint} ELSE {lit('not a number')} END")
    # as Excel saves a number it shows (a CSV holds the cell's text): a £, thousands grouped by
    # commas before a point; read only when the plain cast fails (the rare values, a CASE: the
    # engine evaluates the fallback for those rows alone)
    shown = f"replace(regexp_replace({txt}, {lit(_POUND)}, ''), ',', '')"
    pattern = _SHOWN_NUMBER + "|" + _GROUPED_ONLY if grouped_ok else _SHOWN_NUMBER
    value = (f"CASE WHEN TRY_CAST({txt} AS {cast}) IS NOT NULL THEN TRY_CAST({txt} AS {cast}) "
             f"WHEN regexp_full_match({txt}, {lit(pattern)}) THEN TRY_CAST({shown} AS {cast}) END")
    return value, reason


_POUND = r"^(£|GBP) ?"
_SHOWN_NUMBER = r"(£|GBP) ?[+-]?(\d+|[1-9]\d{0,2}(,\d{3})+)(\.\d+)?|[+-]?[1-9]\d{0,2}(,\d{3})+\.\d+"
"""A number as a spreadsheet shows it under a decimal point: after a pound sign (`£1,234.50`,
`£7.50`, `GBP 12`), or with thousands grouped by commas and its fraction (`1,234.50`). Without
either, `1,234` is ambiguous (a decimal comma's 1.234) and refused with both readings named,
unless the column holds whole numbers or the source declared its decimal point."""
_GROUPED_ONLY = r"[+-]?[1-9]\d{0,2}(,\d{3})+"
