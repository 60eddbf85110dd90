"""The DuckDB memory limit of ingest and runs (`fairwitness.memory`)."""

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
