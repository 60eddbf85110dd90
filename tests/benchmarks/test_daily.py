"""The daily benchmark's parts (`benchmarks.daily`): the day cut from an export, and the cache put back as before it."""

from __future__ import annotations


def test_the_daily_split_keeps_the_exports_files_and_moves_only_the_last_day(tmp_path):
    """`split_last_day`: the history keeps each table's files (monthly parts stay parts, a single
    file stays one), without the rows of the last day (or later), which go to the day's export; no row is lost."""
    import duckdb

    from benchmarks.daily import split_last_day

    data = tmp_path / "force"
    (data / "system_access").mkdir(parents=True)
    con = duckdb.connect()
    con.execute("SET TimeZone='UTC'")
    con.execute(f"""COPY (SELECT 'P' || i AS staff_id, 'Officer' AS rank_grade FROM range(3) t(i))
                    TO '{data}/people.parquet' (FORMAT parquet)""")
    con.execute(f"""COPY (SELECT 'S' || i AS shift_id, 'P1' AS staff_id, TIMESTAMP '2025-01-01 08:00' + to_days(i) AS start,
                           TIMESTAMP '2025-01-01 16:00' + to_days(i) AS "end" FROM range(59) t(i))
                    TO '{data}/shifts.parquet' (FORMAT parquet)""")
    for part, month in ((0, 1), (1, 2)):
        con.execute(f"""COPY (SELECT 'E{month}-' || i AS event_id, 'P1' AS staff_id,
                               TIMESTAMP '2025-0{month}-01 10:00' + to_hours(i) AS ts FROM range(24 * 28) t(i))
                        TO '{data}/system_access/part-{part:05d}.parquet' (FORMAT parquet)""")
    last = split_last_day(data, tmp_path / "base", tmp_path / "day")
    assert last.isoformat() == "2025-02-28"
    base, day = tmp_path / "base", tmp_path / "day"
    assert sorted(p.relative_to(base).as_posix() for p in base.rglob("*.parquet")) == [
        "people.parquet", "shifts.parquet", "system_access/part-00000.parquet", "system_access/part-00001.parquet"]
    assert sorted(p.name for p in day.glob("*.parquet")) == ["shifts.parquet", "system_access.parquet"]

    def rows(path, where="TRUE"):
        return con.execute(f"SELECT count(*) FROM read_parquet('{path}') WHERE {where}").fetchone()[0]

    assert rows(f"{day}/system_access.parquet", "CAST(ts AS DATE) < DATE '2025-02-28'") == 0
    assert rows(f"{base}/system_access/*.parquet", "CAST(ts AS DATE) >= DATE '2025-02-28'") == 0
    assert rows(f"{base}/system_access/*.parquet") + rows(f"{day}/system_access.parquet") == 2 * 24 * 28
    assert rows(f"{base}/system_access/part-00000.parquet") == 24 * 28
    assert rows(f"{base}/people.parquet") == 3 and rows(f"{base}/shifts.parquet") + rows(f"{day}/shifts.parquet") == 59


def test_forgetting_the_day_removes_the_last_months_results_and_statements(small_force, tmp_path, own_statements):
    """`forget_last_month` puts the cache back as before the day's batch: the last month's results,
    coverage counts and compiled statements go (a day's batch moves that month's end, so a day's
    run compiles them), the earlier month's stay; the next daily run computes and compiles the last
    month again and gives the same signals."""
    import shutil

    from benchmarks.daily import forget_last_month
    from fairwitness.detectors.runconfig import data_period
    from fairwitness.detectors.runner import run
    from fairwitness.detectors.statements import StatementCache
    from fairwitness.workspace import Workspace

    _, base = small_force
    ws = Workspace(shutil.copytree(base.path, tmp_path / "ws", ignore=shutil.ignore_patterns("runs")))
    detectors = ["self_authorisation", "excess_hours"]
    first = run(ws, incremental=True, window="month", detectors=detectors)
    start, end = data_period(ws)
    months = sorted({f"{start:%Y-%m}-01", f"{end:%Y-%m}-01"})
    assert len(months) == 2
    root = StatementCache(ws.runs_dir).root

    def kept(month: str) -> list[str]:
        return sorted(p.name for p in root.glob(f"*@{month}") if any(p.iterdir()))

    assert kept(months[1]) == sorted(f"{d}@{months[1]}" for d in detectors)
    assert forget_last_month(ws, tmp_path / "no-day") > 0
    assert kept(months[1]) == [] and kept(months[0]) == sorted(f"{d}@{months[0]}" for d in detectors)
    again = run(ws, incremental=True, window="month", detectors=detectors)
    assert sorted(again.record["computed"]) == sorted(f"{d}@{months[1]}" for d in detectors)
    assert kept(months[1]) == sorted(f"{d}@{months[1]}" for d in detectors)
    assert again.signals.drop_columns(["run_id"]).equals(first.signals.drop_columns(["run_id"]))
