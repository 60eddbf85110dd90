import datetime as dt

import pyarrow as pa
import pytest

from fairwitness.detectors.catalogue.undeclared_interest import UndeclaredInterest
from fairwitness.linkage import LINK_SCHEMA, external_links, normalise_name


@pytest.fixture
def people(T, P):
    return T("people", [
        P("S1", display_name="John Smith", date_of_birth="1980-05-17"),
        P("S2", display_name="Mary O'Brien", date_of_birth="1975-01-02"),
        P("S3", display_name="Zoë Ångström", date_of_birth="1990-12-01"),
        P("S4", display_name="Ahmed Khan", date_of_birth="1985-03-03"),
        P("S5", display_name="Jon Smith", date_of_birth="1962-07-07"),
        P("S6", display_name="Sarah Jane Wilson-Hughes", date_of_birth="1988-08-08"),
    ])


def rec(rid, name=None, dob=None, staff=None):
    return {"record_id": rid, "kind": "directorship", "counterparty": "X Ltd", "source": "register",
            "observed_at": "2024-01-01 00:00", "strength": "confirmed", "staff_id": staff, "full_name": name,
            "date_of_birth": dob}


def test_normalise_name():
    assert normalise_name("SMITH, John") == ("john", "smith")
    assert normalise_name("Dr. Zoë  Ångström") == ("zoe", "angstrom")
    assert normalise_name("PC Mary O'Brien") == ("mary", "obrien")
    assert normalise_name("  ") == (None, None)
    assert normalise_name(None) == (None, None)


def test_links(T, people):
    ext = T("external_records", [
        rec("r1", "SMITH, John", "1980-05-17"),          # reordered
        rec("r2", "Mary OBrien", "1976-01-02"),          # punctuation and a one-digit typo in the year
        rec("r3", "Zoe Angstrom", "1990-01-12"),         # accents; day and month swapped
        rec("r4", staff="S4"),                           # direct
        rec("r5", "Peter Jones", "1980-05-17"),          # same birthday as S1, different person
        rec("r6", "John Smith", "1971-02-02"),           # same name as S1, different birthday
        rec("r7", "Sarah Wilson Hughes", "1988-08-08"),  # hyphen dropped, middle name missing
        rec("r8", "Someone", None),                      # no date of birth: cannot be linked
    ])
    out = external_links(ext, people)
    assert out.schema == LINK_SCHEMA
    got = {r["record_id"]: r for r in out.to_pylist()}
    assert set(got) == {"r1", "r2", "r3", "r4", "r7"}
    assert got["r1"]["staff_id"] == "S1" and got["r1"]["match_probability"] > 0.99
    assert got["r2"]["staff_id"] == "S2" and got["r2"]["match_probability"] > 0.9
    assert got["r3"]["staff_id"] == "S3" and got["r3"]["match_probability"] > 0.9
    assert got["r4"] == {"record_id": "r4", "staff_id": "S4", "match_probability": 1.0, "match_method": "staff_id"}
    assert got["r7"]["staff_id"] == "S6"
    # the result does not depend on row order
    again = external_links(ext.take([7, 6, 5, 4, 3, 2, 1, 0]), people.take([5, 4, 3, 2, 1, 0]))
    assert again.equals(out)


def test_no_names(T, P):
    people = T("people", [P("S1")])  # no display_name / date_of_birth loaded
    ext = T("external_records", [rec("r1", "John Smith", "1980-05-17"), rec("r2", staff="S1")])
    assert external_links(ext, people.drop_columns(["display_name", "date_of_birth"])).to_pylist() == [
        {"record_id": "r2", "staff_id": "S1", "match_probability": 1.0, "match_method": "staff_id"}
    ]
    empty = external_links(T("external_records", []), people)
    assert empty.num_rows == 0 and empty.schema == LINK_SCHEMA


def test_links_feed_the_detector(run, T, people):
    ext = T("external_records", [rec("r1", "SMITH, John", "1980-05-17"), rec("r5", "Peter Jones", "1980-05-17")])
    links = external_links(ext, people)
    tables = {"external_records": ext, "external_links": links, "declarations": T("declarations", [])}
    (r,) = run(UndeclaredInterest(), tables)
    assert r["staff_id"] == "S1" and r["route"] == "gross_misconduct_assessment"
    assert "by splink_name_dob" in r["detail"]


def test_a_known_short_form_links_with_an_exact_birth_date(T, P):
    """"Liz Barnes" is Elizabeth Lee Barnes when the birth date is exact; not with another date."""
    people = T("people", [P("E1", display_name="Elizabeth Lee Barnes", date_of_birth="1971-05-21"),
                          P("E2", display_name="Lisa Barnes", date_of_birth="1980-02-02")])
    records = T("external_records", [rec("n1", "Liz Barnes", "1971-05-21"), rec("n2", "Liz Barnes", "1983-07-19")])
    links = {r["record_id"]: r for r in external_links(records, people).to_pylist()}
    assert links["n1"]["staff_id"] == "E1" and links["n1"]["match_probability"] >= 0.99
    assert "n2" not in links or links["n2"]["match_probability"] < 0.8
