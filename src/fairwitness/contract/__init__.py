"""The import contract as code: declared tables, the purpose register, generated docs."""

from fairwitness.contract.schema import Column, Table
from fairwitness.contract.tables import BY_NAME, CONTRACT_VERSION, LOCAL_TIMEZONE, TABLES, ingest_order, table

__all__ = ["BY_NAME", "CONTRACT_VERSION", "LOCAL_TIMEZONE", "TABLES", "Column", "Table", "ingest_order", "table"]
