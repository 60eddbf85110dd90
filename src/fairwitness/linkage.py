"""Record linkage: external records of interests linked to staff.

``external_records`` rows either carry a ``staff_id`` (a direct link) or only a
``full_name`` + ``date_of_birth``. The second kind are linked to
``people.display_name`` / ``people.date_of_birth`` with a Splink (Fellegi–Sunter)
model. The runner calls `external_links` once per run (purpose ``record_linkage``)
and offers the result to detectors as the derived source ``external_links``;
detectors never see names or dates of birth.

The model is **not trained on the data**: a force's handful of unlinked records is
far too few for expectation maximisation, and a model re-estimated on every run
would make results drift between runs. Its m and u probabilities are fixed,
documented below (``NAME_LEVELS`` / ``DOB_LEVELS``) and versioned by
``LINKAGE_VERSION``. The prior is that a record names one particular person among
``max(len(people), population)`` (``population`` = 100,000 by default): a register of
interests covers the public, not only the force, so a small force does not make a
bare date-of-birth coincidence look like a match.

Pure function: pyarrow tables in, a pyarrow table out, on a private in-memory DuckDB.
"""

from __future__ import annotations

import logging
from typing import Any

import pyarrow as pa

from fairwitness.linkage_names import canonical_forename, dob_text, normalise_name

LINKAGE_VERSION = "9"

LINK_SCHEMA = pa.schema(
    [
        ("record_id", pa.string()),
        ("staff_id", pa.string()),
        ("match_probability", pa.float64()),
        ("match_method", pa.string()),
        ("candidates", pa.int64()),
        ("name_sharers", pa.int64()),
    ]
)
"""Columns of the derived ``external_links`` source. ``match_probability`` is the
probability that the record is about *this* person, allowing for every other member of
staff it also matches (see `external_links`); ``candidates`` is how many members of staff
the record matches at least ``min_probability`` on its own (1 for a direct link);
``name_sharers`` is how many members of staff bear the linked person's name (forename in its
full form, and surname; 1 when the name is theirs alone; null for a direct link): how crowded
the name is, and so how likely a stranger in the outside register shares it and the birth date
too (see `name_sharers`)."""

DIRECT = "staff_id"
"""``match_method`` of a record that carried the staff_id itself (probability 1)."""
SPLINK = "splink_name_dob"
"""``match_method`` of a record linked by name and date of birth."""

# (label, SQL condition, m, u). Levels are tried in order; the first that holds wins.
# m: P(level | same person), allowing for typing and transcription variants;
# u: P(level | two different people), from the name and birth-date frequencies of a
# UK population (about 1 in 500 share a surname, 1 in 100 a forename).
NAME_LEVELS: tuple[tuple[str, str, float, float], ...] = (
    ("forename and surname equal", "forename_l = forename_r AND surname_l = surname_r", 0.74, 0.00002),
    (
        "forenames are the same name (a known short form), surname equal",
        "forename_canon_l = forename_canon_r AND surname_l = surname_r",
        0.05,
        0.00003,
    ),
    ("forename and surname swapped", "forename_l = surname_r AND surname_l = forename_r", 0.03, 0.00002),
    (
        "both similar (Jaro-Winkler >= 0.92)",
        "jaro_winkler_similarity(forename_l, forename_r) >= 0.92 "
        "AND jaro_winkler_similarity(surname_l, surname_r) >= 0.92",
        0.10,
        0.0001,
    ),
    (
        # a register that keeps initials ("I. Nwosu", "J M Smith"): the initial agrees with the other
        # side's forename. m: about one in twenty of a person's outside records give an initial only;
        # u: the same one in twenty of other people's records, times an initial agreeing by chance (one
        # time in five: initials are few and skewed) and a surname (one in 500): a Bayes factor of
        # 2,500, a fifteenth of a whole forename's 37,000. With a birth year out it is a weak link
        # (about 0.6) that only independent evidence (the person's own declaration of the record's
        # organisation) can make an identity; with an exact birth date the initial, surname and date
        # together are strong (about 0.997).
        "forename given as an initial that agrees, surname equal",
        "((length(forename_l) = 1 AND forename_l = substr(forename_r, 1, 1)) "
        "OR (length(forename_r) = 1 AND forename_r = substr(forename_l, 1, 1))) "
        "AND surname_l = surname_r",
        0.05,
        0.00002,
    ),
    (
        # (until linkage v7 this level also held the initials above, with m 0.06 and u 0.0005: their
        # share of m is now the level above's)
        "surname similar, same initial",
        "jaro_winkler_similarity(surname_l, surname_r) >= 0.92 "
        "AND substr(forename_l, 1, 1) = substr(forename_r, 1, 1)",
        0.01,
        0.0003,
    ),
    (
        "both fairly similar (Jaro-Winkler >= 0.85)",
        "jaro_winkler_similarity(forename_l, forename_r) >= 0.85 "
        "AND jaro_winkler_similarity(surname_l, surname_r) >= 0.85",
        0.03,
        0.0005,
    ),
    ("surname equal only", "surname_l = surname_r", 0.02, 0.002),
)
NAME_ELSE = (0.02, 1 - sum(u for *_, u in NAME_LEVELS))

DOB_LEVELS: tuple[tuple[str, str, float, float], ...] = (
    ("date of birth equal", "dob_l = dob_r", 0.90, 0.00006),
    (
        # a date written a day out: a time-zone shift of a midnight timestamp, or a slip
        # across a month end (1983-12-29 for 1983-12-30 is two characters apart)
        "one day apart",
        "abs(date_diff('day', CAST(dob_l AS DATE), CAST(dob_r AS DATE))) <= 1",
        0.02,
        0.00011,
    ),
    (
        # a one-character slip in the day or the month (dates within a year of each other), never
        # in the year's digits: a namesake born 10 or 12 years apart is another person, and a
        # changed decade or year digit is far likelier a namesake than a typing error
        "one character different within a year, or day and month swapped",
        "(levenshtein(dob_l, dob_r) <= 1 AND abs(date_diff('day', CAST(dob_l AS DATE), CAST(dob_r AS DATE))) <= 366) "
        "OR (substr(dob_l, 1, 4) = substr(dob_r, 1, 4) "
        "AND substr(dob_l, 6, 2) = substr(dob_r, 9, 2) AND substr(dob_l, 9, 2) = substr(dob_r, 6, 2))",
        0.07,
        0.001,
    ),
)
DOB_ELSE = (0.01, 1 - sum(u for *_, u in DOB_LEVELS))


def _records(rows: list[dict[str, Any]], id_col: str, name_col: str, dob_col: str) -> list[dict[str, Any]]:
    out = []
    for r in rows:
        forename, surname = normalise_name(r.get(name_col))
        dob = dob_text(r.get(dob_col))
        if surname is None or dob is None:
            continue
        out.append(
            {
                "unique_id": str(r[id_col]),
                "forename": forename,
                "forename_canon": canonical_forename(forename),
                "initial": forename[:1] if forename else None,
                "surname": surname,
                "dob": dob,
                "birth_year": dob[:4],
                "birthday": dob[5:],
            }
        )
    return out


def _levels(levels: tuple[tuple[str, str, float, float], ...], other: tuple[float, float], null_cond: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = [{"sql_condition": null_cond, "label_for_charts": "null", "is_null_level": True}]
    for label, cond, m, u in levels:
        out.append({"sql_condition": cond, "label_for_charts": label, "m_probability": m, "u_probability": u})
    out.append({"sql_condition": "ELSE", "label_for_charts": "all other", "m_probability": other[0], "u_probability": other[1]})
    return out


def _splink_links(
    records: list[dict[str, Any]], people: list[dict[str, Any]], min_probability: float, population: int
) -> list[dict[str, Any]]:
    import pandas as pd
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on
    from splink.internals.comparison_library import CustomComparison

    settings = SettingsCreator(
        link_type="link_only",
        unique_id_column_name="unique_id",
        probability_two_random_records_match=1.0 / max(len(people), population, 2),
        comparisons=[
            CustomComparison(
                output_column_name="name",
                comparison_levels=_levels(NAME_LEVELS, NAME_ELSE, "surname_l IS NULL OR surname_r IS NULL"),
            ),
            CustomComparison(
                output_column_name="dob",
                comparison_levels=_levels(DOB_LEVELS, DOB_ELSE, "dob_l IS NULL OR dob_r IS NULL"),
            ),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("dob"),
            block_on("surname", "birth_year"),
            block_on("forename", "surname"),
            block_on("forename_canon", "surname"),
            # a misspelt surname with a birth date a slip out ("Simon Mrris" born a day off) shares
            # no other block: compare it with the same forename born the same year
            block_on("forename", "birth_year"),
            # a forename given as an initial with a birth year out ("I. Nwosu", born a year after Isaac
            # Nwosu) shares no other block: compare the initial and the surname
            block_on("initial", "surname"),
            # a misspelt surname with a birth year out ("Stephen Roges" born 1993-01-04 for Stephen
            # Rogers, 1992-01-04) shares no other block: compare the forename and the birthday
            block_on("forename", "birthday"),
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )
    db_api = DuckDBAPI()
    left = db_api.register(pd.DataFrame(records), dataset_display_name="external_records")
    right = db_api.register(pd.DataFrame(people), dataset_display_name="people")
    logging.getLogger("splink").setLevel(logging.WARNING)
    linker = Linker([left, right], settings, log_level=logging.WARNING)
    pred = linker.inference.predict(threshold_match_probability=min_probability, warning_mode="never")
    df = pred.as_pandas_dataframe()
    out = []
    for row in df.to_dict("records"):
        # link_only keeps the two datasets apart; orient each pair record -> person
        if row["source_dataset_l"] == "external_records":
            rec, person = row["unique_id_l"], row["unique_id_r"]
        else:
            rec, person = row["unique_id_r"], row["unique_id_l"]
        out.append(
            {
                "record_id": rec,
                "staff_id": person,
                "pair_probability": float(row["match_probability"]),
                "match_weight": float(row["match_weight"]),
            }
        )
    return out


COMPETITOR_FLOOR = 0.05
"""Pairs this likely on their own are counted as competitors for a record's identity."""


def identity_probabilities(pairs: list[dict[str, Any]], min_probability: float = 0.0) -> list[dict[str, Any]]:
    """Turn pairwise match probabilities into the probability that a record is about each
    candidate, when it can be about at most one person.

    Splink scores each (record, person) pair on its own: a record whose name and date of
    birth fit two members of staff equally well gets, say, 0.99 with both. But a record is
    about one person. With prior odds already in each pair's match weight, the hypotheses
    "candidate i" (odds ``2 ** match_weight_i``) and "none of them" (odds 1) are exclusive,
    so ``P(i) = odds_i / (1 + sum of odds_j)``. With one candidate this is the pairwise
    probability; with two equal candidates each gets just under one half. Only pairs with
    a pairwise probability of at least ``min_probability`` are returned (and counted in
    ``candidates``); weaker ones still take their share of the odds.
    """
    by_record: dict[str, list[dict[str, Any]]] = {}
    for p in pairs:
        by_record.setdefault(p["record_id"], []).append(p)
    out = []
    for rec, cands in by_record.items():
        top = max(c["match_weight"] for c in cands)
        # scale by 2**-top to stay finite for very strong matches
        odds = {c["staff_id"]: 2.0 ** (c["match_weight"] - top) for c in cands}
        none = 2.0**-top
        total = none + sum(odds.values())
        kept = [c for c in cands if c["pair_probability"] >= min_probability]
        for c in kept:
            out.append(
                {
                    "record_id": rec,
                    "staff_id": c["staff_id"],
                    "match_probability": round(odds[c["staff_id"]] / total, 6),
                    "candidates": len(kept),
                }
            )
    return out


def name_sharers(people: list[dict[str, Any]]) -> dict[str, int]:
    """staff_id -> how many members of staff (the person included) bear the person's name:
    the same forename, in its full form (`fairwitness.linkage_names.canonical_forename`), and the same surname.

    A name+birth-date link is only as good as the name is rare. The force's own staff are a
    sample of the population an outside register covers: a name that several colleagues bear is
    borne by many strangers in that register, and the chance that one of them was born the same
    day is no longer negligible. Measured on the held-out world 121 (46,000 staff): 8 of 2,454
    links by an exact name and an exact birth date were strangers (records about members of the
    public), every one for a name borne by 4 to 30 members of staff. The linkage reports the
    count; the detectors decide what it takes (``undeclared_interest``'s ``max_name_sharers``).
    """
    key = {r["unique_id"]: (r["forename_canon"], r["surname"]) for r in people}
    counts: dict[tuple[Any, Any], int] = {}
    for k in key.values():
        counts[k] = counts.get(k, 0) + 1
    return {sid: counts[k] for sid, k in key.items()}


def external_links(
    external_records: pa.Table,
    people: pa.Table,
    *,
    min_probability: float = COMPETITOR_FLOOR,
    population: int = 100_000,
) -> pa.Table:
    """Link external records to staff: ``record_id, staff_id, match_probability, match_method, candidates,
    name_sharers``.

    * rows with a ``staff_id`` are linked directly (probability 1, method ``staff_id``);
    * rows with ``full_name`` + ``date_of_birth`` are linked to ``people.display_name`` +
      ``people.date_of_birth`` by the fixed Splink model. Every person a record matches
      with a pairwise probability of at least ``min_probability`` is kept, and the
      probabilities are made exclusive (`identity_probabilities`): a record that fits two
      members of staff equally well is about each with a probability near one half, never
      a near-certain link to whichever has the lower staff_id. ``candidates`` says how
      many people the record fits.

    Weak links are reported (the default ``min_probability`` is `COMPETITOR_FLOOR`): a
    detector holding independent evidence of identity — the person's own declaration of the
    record's organisation — can weigh a misspelt name with a birth year out, and every
    detector applies its own ``min_link`` (0.5 or more) to the rest.

    Missing optional columns (a force without names or dates of birth) give direct
    links only. Output is sorted by record_id.
    """
    rec_cols = set(external_records.column_names)
    rows = external_records.to_pylist()
    direct: list[dict[str, Any]] = []
    unlinked: list[dict[str, Any]] = []
    for r in rows:
        sid = r.get("staff_id") if "staff_id" in rec_cols else None
        if sid is not None and str(sid).strip():
            direct.append(
                {
                    "record_id": str(r["record_id"]),
                    "staff_id": str(sid).strip(),
                    "match_probability": 1.0,
                    "match_method": DIRECT,
                    "candidates": 1,
                    "name_sharers": None,
                }
            )
        else:
            unlinked.append(r)

    linked: list[dict[str, Any]] = []
    pcols = set(people.column_names)
    if unlinked and {"full_name", "date_of_birth"} <= rec_cols and {"display_name", "date_of_birth"} <= pcols:
        recs = _records(unlinked, "record_id", "full_name", "date_of_birth")
        ppl = _records(people.select(["staff_id", "display_name", "date_of_birth"]).to_pylist(), "staff_id", "display_name", "date_of_birth")
        if recs and ppl:
            # weaker pairs still compete for the record's identity, so score them too
            pairs = _splink_links(recs, ppl, min(min_probability, COMPETITOR_FLOOR), population)
            sharers = name_sharers(ppl)
            linked = [
                {**v, "match_method": SPLINK, "name_sharers": sharers.get(v["staff_id"])}
                for v in identity_probabilities(pairs, min_probability)
            ]

    out = sorted(direct + linked, key=lambda r: (r["record_id"], r["staff_id"]))
    return pa.Table.from_pylist(out, schema=LINK_SCHEMA)
