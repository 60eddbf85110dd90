"""Small synthetic forces shared by the synth tests (generated once per session)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from fairwitness.synth import SynthConfig, SynthSummary, generate


@dataclass
class Force:
    cfg: SynthConfig
    out: Path
    summary: SynthSummary
    _cache: dict

    def table(self, name: str) -> pd.DataFrame:
        if name not in self._cache:
            self._cache[name] = read(self.out, name)
        return self._cache[name]

    def planted(self, scenario: str) -> pd.DataFrame:
        """The truth rows of ``scenario``."""
        t = self.table("truth")
        return t[t["scenario"] == scenario]

    def resolved(self, name: str) -> pd.DataFrame:
        """Event rows with staff_id filled in through the identities table (by local date)."""
        ev = self.table(name).copy()
        ids = self.table("identities")
        ev["row"] = range(len(ev))
        ev["local_date"] = ev["ts"].dt.tz_convert("Europe/London").dt.tz_localize(None).dt.normalize()
        m = ev[ev["staff_id"].isna()].merge(ids, on=["system", "identifier"], suffixes=("", "_id"))
        vf = pd.to_datetime(m["valid_from"])
        vt = pd.to_datetime(m["valid_to"]).fillna(pd.Timestamp("2262-01-01"))
        m = m[(m["local_date"] >= vf) & (m["local_date"] <= vt)]
        ev.loc[m["row"].to_numpy(), "staff_id"] = m["staff_id_id"].to_numpy()
        return ev.drop(columns=["row", "local_date"])


def read(out: Path, name: str) -> pd.DataFrame:
    path = out / name
    if path.is_dir():
        return pq.read_table(path).to_pandas()
    return pq.read_table(out / f"{name}.parquet").to_pandas()


def signals_of_export(force: Force, folder: Path, scenario: str, detectors: list[str], *, absences=None,  # noqa: ANN001
                      leave_out: tuple[str, ...] = (), rewrite: dict | None = None) -> pd.DataFrame:
    """The ``scenario``'s people's signals from ``detectors``, run on the force's export written to
    ``folder``: its absences' parts rewritten by ``absences`` (a `pyarrow.Table` -> table), a table
    of one file named in ``rewrite`` by its function likewise, the tables in ``leave_out`` left out."""
    rewrite = rewrite or {}
    from fairwitness.detectors.runner import run
    from fairwitness.ingest import ingest
    from fairwitness.workspace import Workspace

    export = folder / "export"
    export.mkdir(parents=True)
    for f in force.out.iterdir():
        if f.name not in ("absences", "truth.parquet", *leave_out):
            if f.name.removesuffix(".parquet") in rewrite:
                pq.write_table(rewrite[f.name.removesuffix(".parquet")](pq.read_table(f)), export / f.name)
            else:
                (export / f.name).symlink_to(f)
    (export / "absences").mkdir()
    for part in sorted((force.out / "absences").glob("*.parquet")):
        t = pq.read_table(part)
        pq.write_table(absences(t) if absences else t, export / "absences" / part.name)
    ws = Workspace(folder / "ws")
    ingest(export, ws)
    sig = run(ws, engine="duckdb", detectors=detectors).signals.to_pandas()
    return sig[sig["staff_id"].isin(set(force.planted(scenario)["staff_id"]))]


def make_force(tmp_path_factory: pytest.TempPathFactory, name: str, **settings: object) -> Force:
    """A force generated with ``settings`` (`SynthConfig`) into a fresh folder named ``name``."""
    cfg = SynthConfig(**settings)
    out = tmp_path_factory.mktemp(name)
    return Force(cfg, out, generate(cfg, out), {})


@pytest.fixture(scope="session")
def force(tmp_path_factory: pytest.TempPathFactory) -> Force:
    return make_force(tmp_path_factory, "force", people=600, months=3, seed=11)
