"""Validated ingest of contract data sets into the workspace's Parquet lake."""

from fairwitness.ingest.loader import IngestReport, ingest

__all__ = ["IngestReport", "ingest"]
