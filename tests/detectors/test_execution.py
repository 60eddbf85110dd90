"""How a detector's query failing in the engine is reported (`fairwitness.detectors.execution`)."""

from __future__ import annotations

import duckdb

from fairwitness.detectors.execution import RESOURCE_HINT, DetectorOutcome, timed_execute


def test_an_engine_out_of_memory_says_what_the_user_can_do():
    """A real DuckDB out-of-memory (a list aggregate cannot spill; no spill directory): the
    detector's error keeps the engine's message and adds how to give it room."""
    con = duckdb.connect()
    con.execute("SET memory_limit = '20MB'")
    con.execute("SET temp_directory = ''")
    out = DetectorOutcome("d", "1")
    assert timed_execute(out, lambda: con.execute("SELECT list(range) AS l FROM range(20000000)").fetch_arrow_table()) is None
    assert "Out of Memory" in out.error
    assert out.error.endswith(RESOURCE_HINT)
    assert "FAIRWITNESS_MEMORY_LIMIT" in out.error


def test_other_failures_get_no_resource_hint():
    out = DetectorOutcome("d", "1")
    assert timed_execute(out, lambda: duckdb.connect().execute("SELECT * FROM missing").fetch_arrow_table()) is None
    assert out.error.startswith("execute failed: CatalogException")
    assert RESOURCE_HINT not in out.error


def test_finish_imports_are_imported_in_the_background(monkeypatch):
    """A detector's declared ``finish_imports`` are imported by a background thread (a run
    starts it when it plans), so ``finish`` finds them loaded; a module that cannot be imported
    is left for ``finish`` to report, and what is loaded already starts no thread."""
    import sys

    from fairwitness.detectors.execution import warm_imports

    class D:
        finish_imports = ("json.tool", "no_such_module_fairwitness")

    monkeypatch.delitem(sys.modules, "json.tool", raising=False)
    t = warm_imports([D])
    assert t is not None and t.daemon
    t.join(30)
    assert "json.tool" in sys.modules
    assert "no_such_module_fairwitness" not in sys.modules

    class Loaded:
        finish_imports = ("json",)

    assert warm_imports([Loaded]) is None


def test_rows_are_sorted_for_finish_unless_it_orders_them_itself():
    """The engine returns rows in no set order: ``finish`` gets them sorted on every column, off
    the engine's thread (`finish_prepared`); a detector whose ``finish`` orders them itself
    (`Detector.orders_rows`) gets them as returned (sorting 552,000 rows it sorts again cost 2.7 s)."""
    import pyarrow as pa

    from fairwitness.detectors.execution import PreparedDetector, finish_prepared

    seen: list[list[str]] = []

    class D:
        name, version, orders_rows = "d", "1", False

        def finish(self, result):
            seen.append(result["staff_id"].to_pylist())
            return result  # not signals: the outcome records that error, the order is what is tested

    result = pa.table({"staff_id": ["b", "c", "a"], "n": [2, 3, 1]})
    for orders, expected in ((False, ["a", "b", "c"]), (True, ["b", "c", "a"])):
        det = D()
        det.orders_rows = orders
        finish_prepared(PreparedDetector(DetectorOutcome("d", "1"), det=det, overrides_finish=True), result)
        assert seen.pop() == expected
