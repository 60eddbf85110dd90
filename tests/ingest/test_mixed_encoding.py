"""A UTF-8 export with a few values in another encoding (`fairwitness.ingest.mixed_encoding`)."""

from __future__ import annotations

import pytest

from fairwitness.ingest import ingest
from fairwitness.ingest.mixed_encoding import decode


@pytest.fixture
def dataset(changed_dataset):
    return changed_dataset


def _mixed(folder, tables, broken_row: bool = False) -> None:
    """people.csv in UTF-8 (Siobhán Ní Bhriain), but the first person's name pasted from a
    Windows tool: ``Zoë`` as the single cp1252 byte 0xEB."""
    path = folder / "people.csv"
    text = path.read_bytes()
    first = tables["people"][0]["display_name"].encode()
    assert first in text and "Siobhán".encode() in text
    text = text.replace(first, b"Zo\xeb " + first, 1)
    if broken_row:  # a row with too many fields sends the file down the exact, row-by-row reader
        text += b"X9,too,many,fields,,,,,,,,,,,,,,,,,,,,\n"
    path.write_bytes(text)


@pytest.mark.parametrize("broken_row", [False, True], ids=["streamed", "exact"])
def test_values_not_utf8_are_read_in_the_fallback_and_the_rest_stays_utf8(tables, dataset, ws, broken_row):
    folder = dataset(tables, about=("people",))
    _mixed(folder, tables, broken_row)
    report = ingest(folder, ws, encoding="cp1252")
    names = {r[0] for r in ws.connect().execute("SELECT display_name FROM people").fetchall()}
    assert "Siobhán Ní Bhriain" in names  # whole-file cp1252 read it as SiobhÃ¡n
    assert any(n.startswith("Zoë ") for n in names)
    assert report.by_table()["people"]["loaded"] == len(tables["people"])
    (note,) = [f.note for f in report.files if f.table == "people"]
    assert "not UTF-8" in note and "cp1252" in note
    assert ("data row 1)" in note) != broken_row


def test_without_a_fallback_the_file_is_still_refused(tables, dataset, ws, quarantine):
    folder = dataset(tables, about=("people",))
    _mixed(folder, tables)
    ingest(folder, ws)
    (q,) = [r for r in quarantine(ws) if r[0] == "people"]
    assert "not valid UTF-8 text (data row 1, column display_name: byte 0xeb)" in q[4]


def test_a_byte_neither_encoding_reads_names_its_value():
    import pyarrow as pa

    text, used = decode(pa.array([b"ok", b"Zo\xeb", None], pa.binary()), "cp1252")
    assert text.to_pylist() == ["ok", "Zoë", None] and used == [1]
    with pytest.raises(UnicodeDecodeError, match="value 1"):
        decode(pa.array([b"ok", b"bad \x81"], pa.binary()), "cp1252")
