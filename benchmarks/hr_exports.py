"""The same force from Parquet and from exports shaped as HR, access and audit systems write them.

`python -m benchmarks.hr_exports PARQUET_FORCE_DIR WORKDIR`: writes the force as contract CSV
(`benchmarks.export_forms.csv_export`) and then reshapes tables as their systems export them, each
with the declaration a force would write for it:

* absences as a leave-request export (SuccessFactors ``approvalStatus``: ``APPROVED``,
  ``CANCELLED``, ``REJECTED``) without a reason column;
* sites without coordinates; device events without positions;
* badge events from entry readers alone: no direction column (``fill.direction = "in"``);
* the audit log of one system: no system column (``fill.system = "Niche"``);
* overtime claims without the pay multiplier or the submission time;
* expense amounts as a spreadsheet shows them (``£1,234.50``).

Ingests both into their own workspaces, runs every detector on each, and prints the rows loaded
and whether the signals (detector, person, route, period, evidence) are the same. None of the
reshaped columns is read by a detector in a way that could change a signal (badge direction and
positions are read by none), so any difference is ingest's.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from benchmarks.export_forms import csv_export
from fairwitness.detectors.runner import run
from fairwitness.ingest import ingest
from fairwitness.workspace import Workspace

STATUS = {"approved": "APPROVED", "cancelled": "CANCELLED", "rejected": "REJECTED", "pending": "PENDING"}

DECLARATIONS = {
    "absences": '[columns]\nstatus = "approvalStatus"\n[values.status]\n'
    + "".join(f'"{w}" = "{c}"\n' for c, w in STATUS.items()),
    "badge_events": '[fill]\ndirection = "in"\n',
    "system_access": '[fill]\nsystem = "Niche"\n',
}


def _pounds(amounts: pa.Array) -> pa.Array:
    return pa.array([None if v is None else f"£{float(v):,.2f}" for v in amounts.to_pylist()], pa.string())


def reshape(name: str, t: pa.Table) -> pa.Table:
    """One table's CSV part as its system exports it (see module doc)."""
    drop = {"absences": ["reason_category"], "sites": ["lat", "lon"], "device_events": ["lat", "lon"],
            "badge_events": ["direction"], "system_access": ["system"], "overtime_claims": ["rate", "submitted_at"]}
    t = t.drop_columns([c for c in drop.get(name, []) if c in t.column_names])
    if name == "absences" and "status" in t.column_names:
        words = pc.cast(t["status"], pa.string())
        for contract, word in STATUS.items():
            words = pc.replace_substring_regex(words, f"^{contract}$", word)
        t = t.drop_columns(["status"]).append_column("approvalStatus", words)
    if name == "expenses":
        t = t.set_column(t.column_names.index("amount_gbp"), "amount_gbp", _pounds(t["amount_gbp"]))
    return t


def write(data: Path, out: Path) -> None:
    csv_export(data, out)
    for f in sorted(out.rglob("*.csv")):
        table = f.parent.name if f.parent != out else f.stem
        t = pacsv.read_csv(f, convert_options=pacsv.ConvertOptions(column_types={}, strings_can_be_null=True))
        t = pa.table({n: pc.cast(c, pa.string()) if not pa.types.is_null(c.type) else c for n, c in zip(t.column_names, t.columns, strict=True)})
        pacsv.write_csv(reshape(table, t), f)
    for table, text in DECLARATIONS.items():
        (out / table / "format.toml" if (out / table).is_dir() else out / f"{table}.format.toml").write_text(text)


def _signals(ws: Workspace) -> set[tuple]:
    sig = run(ws, engine="duckdb").signals.to_pylist()
    return {(s["detector"], s["staff_id"], s["route"], str(s["period_start"]), str(s["period_end"]),
             tuple(s["evidence_keys"])) for s in sig}


def main() -> None:
    src, work = Path(sys.argv[1]), Path(sys.argv[2])
    shutil.rmtree(work, ignore_errors=True)
    write(src, work / "export")
    loaded = {}
    for form, folder in (("parquet", src), ("export", work / "export")):
        rep = ingest(folder, Workspace(work / f"ws-{form}")).by_table()
        loaded[form] = sum(v["loaded"] for v in rep.values())
        quarantined = sum(v["quarantined"] for v in rep.values())
        print(f"{form:8s} {loaded[form]:>10,} rows loaded, {quarantined:,} quarantined")
    a, b = _signals(Workspace(work / "ws-parquet")), _signals(Workspace(work / "ws-export"))
    print(f"signals: parquet {len(a)}, export {len(b)}; the same: {a == b}")
    for s in sorted(a ^ b)[:20]:
        print("  only in", "parquet" if s in a else "export", s)
    status = Workspace(work / "ws-export")
    from fairwitness.status import status as ws_status

    print("unheld:", {t.table: t.unheld for t in ws_status(status).tables if t.unheld})


if __name__ == "__main__":
    main()
