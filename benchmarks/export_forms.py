"""Rows loaded from each export form of issue 13 vs the same force from Parquet.

`python -m benchmarks.export_forms PARQUET_FORCE_DIR WORKDIR [--only=FORM] [--retry]`: writes the force once per form
(plain contract CSV with one form applied), ingests each into its own workspace and prints
rows loaded as a share of the Parquet force's, and the files refused with their reasons.
``--retry`` re-reads the Windows-1252 form with ``encoding="cp1252"`` as the refusal advises.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from fairwitness.contract import TABLES
from fairwitness.ingest import ingest
from fairwitness.synth import export_style as es
from fairwitness.workspace import Workspace


def as_text(t: pa.Table, name: str, date_only: bool = False) -> pa.Table:
    """``t`` as an export writes it: local ISO 8601 times (or dates, ``date_only``), Y/N, text."""
    saved = es.DATE_ONLY
    es.DATE_ONLY = saved if date_only else {}
    try:
        return pa.Table.from_arrays([es._column(name, n, t.column(n)) for n in t.column_names], names=t.column_names)
    finally:
        es.DATE_ONLY = saved


def csv_export(data: Path, out: Path, timestamps: str = "iso") -> int:
    """Write every Parquet file of the force ``data`` as a contract CSV file in ``out`` (the same
    names and folders: a table split into parts stays split), as the plain form writes a table
    (`as_text`): local times without offset, Y/N for booleans. ``timestamps="day-first"``: times
    and dates as a UK spreadsheet writes them (``28/03/2026 09:30:00``), each table declaring it
    (``timestamps = "day-first"`` in its format declaration). ``timestamps="roster"``: ISO times,
    but a shift or an overtime claim crossing local midnight is written as rosters write it, its
    end with the start's date (`roster_ends`; midnight as ``24:00``), declared
    ``overnight_ends = true``. Returns rows (the benchmark's ``csv`` step: `benchmarks.steps`)."""
    import pyarrow.csv as pacsv

    rows = 0
    for tdef in TABLES:
        src = data / tdef.name if (data / tdef.name).is_dir() else data / f"{tdef.name}.parquet"
        if not src.exists() or not tdef.ingested:
            continue
        for p in sorted(src.glob("*.parquet")) if src.is_dir() else [src]:
            target = out / p.relative_to(data).with_suffix(".csv")
            target.parent.mkdir(parents=True, exist_ok=True)
            t = pq.read_table(p)
            x = as_text(t, tdef.name)
            if timestamps == "day-first":
                dated = [f.name for f in t.schema if pa.types.is_timestamp(f.type) or pa.types.is_date(f.type)]
                for n in dated:
                    day_first = pc.replace_substring_regex(x[n], r"^(\d{4})-(\d{2})-(\d{2})T?", r"\3/\2/\1 ")
                    x = x.set_column(x.column_names.index(n), n, pc.utf8_rtrim(day_first, " "))
                declared = target.parent / "format.toml" if src.is_dir() else out / f"{tdef.name}.format.toml"
                declared.write_text('timestamps = "day-first"\n')
            if timestamps == "roster" and tdef.name in ROSTER_TABLES:
                x = roster_ends(t, x)
                declared = target.parent / "format.toml" if src.is_dir() else out / f"{tdef.name}.format.toml"
                declared.write_text("overnight_ends = true\n")
            pacsv.write_csv(x, target)
            rows += t.num_rows
    return rows


ROSTER_TABLES = ("shifts", "overtime_claims")
"""The spans a roster export writes as a date with start and end times."""


def roster_ends(t: pa.Table, x: pa.Table) -> pa.Table:
    """``x`` (``t`` as text, `as_text`) with each end that falls on the next local day within
    24 hours of its start written with the start's date (``2025-01-06T06:00:00`` after a start
    of ``2025-01-05T22:00:00`` becomes ``2025-01-05T06:00:00``; a midnight end ``…T24:00:00``).
    A time carrying an offset (the repeated autumn hour) is left whole."""
    s, e = x["start"], x["end"]
    under_a_day = pc.less(pc.subtract(t["end"], t["start"]), pa.scalar(86_400_000_000, pa.duration("us")))
    sd, ed = pc.utf8_slice_codeunits(s, 0, 10), pc.utf8_slice_codeunits(e, 0, 10)
    st, et = pc.utf8_slice_codeunits(s, 11, 19), pc.utf8_slice_codeunits(e, 11, 19)
    plain = pc.and_(pc.equal(pc.utf8_length(s), 19), pc.equal(pc.utf8_length(e), 19))
    overnight = pc.and_(pc.and_(plain, under_a_day), pc.and_(pc.not_equal(sd, ed), pc.less(et, st)))
    time = pc.if_else(pc.equal(et, "00:00:00"), "24:00:00", et)
    written = pc.binary_join_element_wise(sd, time, "T")
    return x.set_column(x.column_names.index("end"), "end", pc.if_else(pc.fill_null(overnight, False), written, e))


def write(src: Path, out: Path, form: str) -> None:
    import pyarrow.csv as pacsv

    out.mkdir(parents=True)
    for tdef in TABLES:
        name = tdef.name
        p = src / name if (src / name).is_dir() else src / f"{name}.parquet"
        if not p.exists() or not tdef.ingested:
            continue
        t = pq.read_table(p)
        if form == "identity-only" and name in es.IDENTITY_ONLY:
            t = t.drop_columns(["staff_id"])
        if form == "typed parquet dates" and name == "absences":
            t = t.set_column(t.schema.get_field_index("start"), "start", pc.cast(pc.cast(t["start"], pa.timestamp("us")), pa.date32()))
        if form == "typed parquet dates":
            pq.write_table(t, out / f"{name}.parquet")
            continue
        x = as_text(t, name, form == "date-only")
        if form == "booleans and NULL":
            x = pa.Table.from_arrays([pc.if_else(pc.equal(c, "true"), "Y", pc.if_else(pc.equal(c, "false"), "N", c))
                                      if t.schema.field(n).type == pa.bool_() else pc.fill_null(c, "NULL")
                                      for n, c in zip(x.column_names, x.columns, strict=True)], names=x.column_names)
        if form == "leading tab in id":
            x = x.set_column(0, x.column_names[0], pc.binary_join_element_wise("\t", x.column(0), ""))
        delim = {"semicolon": ";", "tab": "\t"}.get(form, ",")
        header = [es.header(n) if form == "spreadsheet headers" else n for n in x.column_names]
        enc = "utf-16" if form == "utf-16" else "utf-8"
        path = out / f"{name}.csv"
        import io
        buf = io.BytesIO()
        pacsv.write_csv(x, buf, pacsv.WriteOptions(include_header=False, delimiter=delim))
        body = buf.getvalue().decode()
        if form == "unclosed quote" and name == "system_access":
            lines = body.split("\n")
            lines[100] = lines[100].replace(',"', ',"unclosed ', 1).replace('"unclosed ', '"""unclosed ', 0)
            lines[100] = lines[100][: lines[100].rfind('"')]  # drop the closing quote of the last field
            body = "\n".join(lines)
        if form == "cp1252 name" and name == "people":
            body = body.replace('"', '"', 1)
        text = delim.join(header) + "\n" + body
        if form == "cp1252 name" and name == "people":
            path.write_bytes(text.replace("\n", "\n", 1).encode("utf-8").replace(b"Ann", "Ánn".encode("cp1252")))
            continue
        path.write_bytes(("\ufeff" + text).encode("utf-16") if enc == "utf-16" else text.encode())
    if form == "unreadable files":
        (out / "expenses.csv").write_bytes(bytes(range(256)) * 64)


FORMS = ["contract csv", "date-only", "typed parquet dates", "identity-only", "unreadable files", "unclosed quote",
         "spreadsheet headers", "booleans and NULL", "semicolon", "tab", "utf-16", "cp1252 name", "leading tab in id"]


def main() -> None:
    src, work = Path(sys.argv[1]), Path(sys.argv[2])
    shutil.rmtree(work, ignore_errors=True)
    base = ingest(src, Workspace(work / "ws-parquet")).by_table()
    total = sum(v["loaded"] for v in base.values())
    print(f"parquet: {total:,} rows loaded")
    only = [a[7:] for a in sys.argv if a.startswith("--only=")]
    for form in [f for f in FORMS if not only or f in only]:
        write(src, work / form, form)
        extra = {"encoding": "cp1252"} if form == "cp1252 name" and "--retry" in sys.argv else {}
        rep = ingest(work / form, Workspace(work / f"ws-{form}"), **extra)
        loaded = sum(v["loaded"] for v in rep.by_table().values())
        refused = [f"{f.file}: {f.error[:90]}" for f in rep.files if f.error]
        print(f"{form:22s} {loaded:>9,} {loaded / total:7.2%}  {'; '.join(refused)}")


if __name__ == "__main__":
    main()
