"""Validated ingest of contract data sets into the workspace's Parquet lake."""

from fairwitness.ingest.loader import IngestError, IngestReport, ingest

__all__ = ["IngestError", "IngestReport", "ingest"]
