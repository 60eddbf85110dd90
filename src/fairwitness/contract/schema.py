"""The building blocks of the import contract: declared columns and tables.

A table's declaration is the single source of truth: the ingest validator, the
synthetic force generator, the lake's Arrow schema and the contract documentation
(`docs/reference/contract.md`) are all derived from it.
"""

from __future__ import annotations

from typing import Literal

import pyarrow as pa
from pydantic import BaseModel, ConfigDict, Field, model_validator

Kind = Literal["string", "enum", "bool", "int", "float", "date", "timestamp"]

_ARROW: dict[str, pa.DataType] = {
    "string": pa.string(),
    "enum": pa.string(),
    "bool": pa.bool_(),
    "int": pa.int64(),
    "float": pa.float64(),
    "date": pa.date32(),
    # Lake timestamps are UTC, stored without a zone so every engine reads them alike.
    "timestamp": pa.timestamp("us"),
}


class Column(BaseModel):
    """One declared column of a contract table."""

    model_config = ConfigDict(frozen=True)

    name: str
    kind: Kind
    required: bool = True
    """A required column must be present in the file and non-empty in every row."""
    nullable: bool = False
    """The column must be present but a row may leave it empty."""
    values: tuple[str, ...] = ()
    """Allowed values of an ``enum`` column (compared case-insensitively)."""
    min: float | None = None
    max: float | None = None
    min_exclusive: bool = False
    references: str | None = None
    """``table.column`` that every non-empty value must exist in."""
    span_end: bool = False
    """The column ends a span: a date-only value means the whole of that day (the end is the
    start of the next local day; ends are exclusive)."""
    personal: bool = False
    """Personal data: its values are never shown in quarantine listings."""
    doc: str = ""

    @model_validator(mode="after")
    def _check(self) -> Column:
        if self.kind == "enum" and not self.values:
            raise ValueError(f"enum column {self.name} needs values")
        if self.span_end and self.kind != "timestamp":
            raise ValueError(f"span-end column {self.name} must be a timestamp")
        return self

    @property
    def arrow_type(self) -> pa.DataType:
        return _ARROW[self.kind]

    @property
    def must_be_present(self) -> bool:
        return self.required or self.nullable

    def describe_type(self) -> str:
        if self.kind == "enum":
            return "one of " + ", ".join(f"`{v}`" for v in self.values)
        text = {
            "string": "text",
            "bool": "boolean (`true`/`false`, `t`/`f`, `yes`/`no`, `y`/`n`, `1`/`0`)",
            "int": "integer",
            "float": "number",
            "date": "date `YYYY-MM-DD`",
            "timestamp": "timestamp (ISO 8601; no offset = Europe/London; a date alone = "
            + ("the whole day)" if self.span_end else "start of the day)"),
        }[self.kind]
        if self.min is not None or self.max is not None:
            lo = "" if self.min is None else ("> " if self.min_exclusive else "≥ ") + f"{self.min:g}"
            hi = "" if self.max is None else f"≤ {self.max:g}"
            text += " (" + ", ".join(x for x in (lo, hi) if x) + ")"
        return text


class Table(BaseModel):
    """One declared contract table."""

    model_config = ConfigDict(frozen=True)

    name: str
    group: str
    doc: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    """Columns whose values identify a row; unique within the table."""
    time_column: str | None = None
    """The column that dates a row: used for identity validity and date coverage."""
    identity_resolvable: bool = False
    """Rows may carry ``system`` + ``identifier`` instead of ``staff_id``."""
    optional: bool = True
    """Whether a data set may omit the table entirely."""
    ingested: bool = True
    """``truth`` is evaluation-only: never loaded into the lake."""
    depends_on: tuple[str, ...] = Field(default=())

    @model_validator(mode="after")
    def _check(self) -> Table:
        names = [c.name for c in self.columns]
        if len(set(names)) != len(names):
            raise ValueError(f"{self.name}: duplicate column")
        for k in self.key:
            if k not in names:
                raise ValueError(f"{self.name}: key column {k} not declared")
        if self.time_column and self.time_column not in names:
            raise ValueError(f"{self.name}: time column {self.time_column} not declared")
        return self

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name} has no column {name}")

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def arrow_schema(self) -> pa.Schema:
        return pa.schema([pa.field(c.name, c.arrow_type, nullable=not c.required) for c in self.columns])
