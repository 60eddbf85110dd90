"""The DuckDB memory limit and threads of ingest and runs (`fairwitness.memory`)."""

from __future__ import annotations

from fairwitness import memory

PAGE = 4096


def _machine(monkeypatch, gib: int) -> None:
    sizes = {"SC_PAGE_SIZE": PAGE, "SC_PHYS_PAGES": gib * 2**30 // PAGE}
    monkeypatch.setattr(memory.os, "sysconf", lambda name: sizes[name])


def test_the_default_on_a_large_machine_is_six_gb(monkeypatch):
    monkeypatch.delenv("FAIRWITNESS_MEMORY_LIMIT", raising=False)
    _machine(monkeypatch, 24)
    assert memory.duckdb_memory_limit() == "6.0GB"


def test_a_small_machine_gets_half_its_memory_and_at_least_one_gb(monkeypatch):
    monkeypatch.delenv("FAIRWITNESS_MEMORY_LIMIT", raising=False)
    _machine(monkeypatch, 4)
    assert memory.duckdb_memory_limit() == "2.1GB"  # half of 4 GiB, in GB
    _machine(monkeypatch, 1)
    assert memory.duckdb_memory_limit() == "1.0GB"


def test_the_setting_wins(monkeypatch):
    _machine(monkeypatch, 24)
    monkeypatch.setenv("FAIRWITNESS_MEMORY_LIMIT", "12GB")
    assert memory.duckdb_memory_limit() == "12GB"


def test_threads_default_to_duckdbs_and_a_bad_setting_is_named(monkeypatch):
    import pytest

    monkeypatch.delenv("FAIRWITNESS_THREADS", raising=False)
    assert memory.duckdb_threads() is None
    monkeypatch.setenv("FAIRWITNESS_THREADS", "1")
    assert memory.duckdb_threads() == 1
    for bad in ("two", "0"):
        monkeypatch.setenv("FAIRWITNESS_THREADS", bad)
        with pytest.raises(ValueError, match=f"FAIRWITNESS_THREADS='{bad}'"):
            memory.duckdb_threads()
