"""A table's format declaration: read from its file beside the export (`TABLE.format.toml` or
`.json`) and the command line (`--declare TABLE.KEY=VALUE`), and checked against the contract, so
a declaration that cannot apply stops that table with a reason naming the file and the key.
`fairwitness.ingest.formats.SourceFormat` is what it declares."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from pydantic import ValidationError

from fairwitness.ingest.formats import DECLARATION_KEYS, FORMATS, DeclarationError, SourceFormat


def declaration_files(folder: Path, table: str) -> list[Path]:
    """Declaration files for ``table`` in a data set folder: ``TABLE.format.toml`` (or ``.json``)
    beside the export, the table's name spelt as its data files' may be (`Units.format.toml` beside
    `Units.csv`, as a Windows export folder holds them), or ``format.toml`` inside the table's folder
    of parts (`Badge Events/format.toml`)."""
    from fairwitness.ingest.discovery import declared_table, folder_of

    if not folder.is_dir():
        return []
    out = []
    for p in sorted(folder.iterdir()):
        if p.is_file() and declared_table(p.name, {table}) == table:
            out.append(p)
        elif p.is_dir() and folder_of(p.name, {table}) == table:
            out += [q for q in sorted(p.iterdir()) if q.is_file() and q.name.casefold() in ("format.toml", "format.json")]
    return out


def load_declaration(folder: Path, table: str, defaults: SourceFormat | None = None,
                     overrides: dict[str, str] | None = None) -> SourceFormat:
    """The declaration of ``table``: ``defaults`` (command line), then its file, then ``overrides``."""
    base = (defaults or SourceFormat()).model_dump(exclude_unset=True)
    files = declaration_files(folder, table)
    if len(files) > 1:
        raise DeclarationError(f"more than one format declaration for {table}: {', '.join(p.name for p in files)}")
    for p in files:
        try:
            toml = p.suffix.casefold() == ".toml"
            data = tomllib.loads(p.read_text("utf-8")) if toml else json.loads(p.read_text("utf-8"))
        except (tomllib.TOMLDecodeError, json.JSONDecodeError, UnicodeDecodeError) as e:
            raise DeclarationError(f"format declaration {p.name} is not valid {'TOML' if toml else 'JSON'}: {e}") from None
        if not isinstance(data, dict):
            raise DeclarationError(f"format declaration {p.name} must be a table of keys")
        base.update(data)
    for key, value in (overrides or {}).items():
        if key.startswith("columns."):
            base.setdefault("columns", {})
            base["columns"] = {**base["columns"], key[8:]: value}
        elif key.startswith("zero_pad."):
            base["zero_pad"] = {**base.get("zero_pad", {}), key[9:]: value}
        elif key.startswith("fill."):
            base["fill"] = {**base.get("fill", {}), key[5:]: value}
        elif key.startswith("skip."):
            base["skip"] = {**base.get("skip", {}), key[5:]: [*base.get("skip", {}).get(key[5:], []), value]}
        elif key.startswith("values."):
            column, _, word = key[7:].partition(".")
            base["values"] = {**base.get("values", {}), column: {**base.get("values", {}).get(column, {}), word: value}}
        else:
            base[key] = value
    where = files[0].name if files else "--declare"
    try:
        fmt = SourceFormat.model_validate(base)
    except ValidationError as e:
        msgs = "; ".join(f"{'.'.join(str(x) for x in err['loc']) or 'declaration'}: {err['msg']}" for err in e.errors())
        raise DeclarationError(f"format declaration {where}: {msgs} (keys: {', '.join(DECLARATION_KEYS)}; "
                               f"timestamps: {', '.join(FORMATS)})") from None
    _check_values(fmt, table, where)
    _check_zero_pad(fmt, table, where)
    _check_fill(fmt, table, where)
    _check_snapshot(fmt, table, where)
    _check_skip(fmt, table, where)
    return fmt


def _check_skip(fmt: SourceFormat, table: str, where: str) -> None:
    """Every ``skip`` names a column and at least one word: a column of ``table`` or one of the
    export's own (TeleStaff's ``Working?`` = ``["0"]``: a rostered tour not worked is no shift)."""
    for column, words in fmt.skip.items():
        if not str(column).strip():
            raise DeclarationError(f"format declaration {where}: skip: a column without a name")
        if not [w for w in words if str(w).strip()]:
            raise DeclarationError(f"format declaration {where}: skip.{column}: no words to skip")


def _check_snapshot(fmt: SourceFormat, table: str, where: str) -> None:
    """``snapshot_since`` only with ``snapshot``, and for a table with a time column."""
    from fairwitness.contract import BY_NAME

    if fmt.snapshot_scope != "table" and not fmt.snapshot:
        raise DeclarationError(f"format declaration {where}: snapshot_scope needs snapshot = true")
    if fmt.snapshot_since is None:
        return
    if not fmt.snapshot:
        raise DeclarationError(f"format declaration {where}: snapshot_since needs snapshot = true")
    t = BY_NAME.get(table)
    if t is not None and not t.time_column:
        raise DeclarationError(f"format declaration {where}: snapshot_since: {table} has no time column to date its rows by")


def _check_fill(fmt: SourceFormat, table: str, where: str) -> None:
    """Every ``fill`` names a column of ``table`` that is neither its key alone nor a reference
    (a value the same for every row cannot identify one, nor say whose or where it is); part of
    a key of several columns it may be (badge events' ``direction``). The ``system`` of an
    identity-resolvable table's rows may be filled too: an export of one access-control or MDM
    system (Lenel's ``CARDNUM``, Intune's ``UPN``) names its identifiers, never their system."""
    from fairwitness.contract import BY_NAME

    t = BY_NAME.get(table)
    single = set(t.key) if t and len(t.key) == 1 else set()
    allowed = [c.name for c in t.columns if c.name not in single and c.references is None] if t else []
    if t and t.identity_resolvable and "system" not in allowed:
        allowed.append("system")
    for column in fmt.fill:
        if column not in allowed:
            raise DeclarationError(f"format declaration {where}: fill.{column}: not a column of {table} a file may "
                                   f"leave out with one value for every row (those are: {', '.join(allowed) or 'none'})")


def _check_zero_pad(fmt: SourceFormat, table: str, where: str) -> None:
    """Every ``zero_pad`` names a text column of ``table``, with a width of 2 to 64."""
    from fairwitness.contract import BY_NAME

    t = BY_NAME.get(table)
    texts = [c.name for c in t.columns if c.kind == "string"] + (["identifier"] if t.identity_resolvable else []) if t else []
    for column, width in fmt.zero_pad.items():
        if column not in texts:
            raise DeclarationError(f"format declaration {where}: zero_pad.{column}: not a text column of {table} "
                                   f"(those are: {', '.join(texts) or 'none'})")
        if not 2 <= width <= 64:
            raise DeclarationError(f"format declaration {where}: zero_pad.{column}: a width of 2 to 64 digits, not {width}")


def mappable_references(table: str) -> list[str]:
    """The reference columns of ``table`` whose source words a declaration may map to the force's
    codes (`SourceFormat.values`: Lenel's ``PANELNAME`` to a site): not the table's key alone, nor
    a person (a person is named through the identities, never a word map)."""
    from fairwitness.contract import BY_NAME

    t = BY_NAME.get(table)
    return [c.name for c in t.columns if c.references and (c.name,) != t.key
            and not c.references.startswith("people.")] if t else []


def _check_values(fmt: SourceFormat, table: str, where: str) -> None:
    """Every ``values`` mapping names a vocabulary column of ``table`` and maps to its words, or
    a mappable reference column (`mappable_references`), whose codes are checked as the file's own."""
    from fairwitness.contract import BY_NAME

    cols = {c.name: c for c in BY_NAME[table].columns} if table in BY_NAME else {}
    refs = mappable_references(table)
    for column, words in ((c, w) for c, w in fmt.values.items() if c not in refs):
        col = cols.get(column)
        if col is None or col.kind != "enum":
            enums = ", ".join(c for c, x in cols.items() if x.kind == "enum") or "none"
            raise DeclarationError(f"format declaration {where}: values.{column}: not a vocabulary column of "
                                   f"{table} (those are: {enums}), nor a reference one may map to its codes "
                                   f"(those are: {', '.join(refs) or 'none'})")
        wrong = sorted({v for v in words.values() if v.lower() not in col.values})
        if wrong:
            raise DeclarationError(f"format declaration {where}: values.{column}: {', '.join(map(repr, wrong))} "
                                   f"is not one of: {', '.join(col.values)}")


def parse_declare(items: list[str]) -> dict[str, dict[str, str]]:
    """``["absences.timestamps=yyyymmdd", "badge_events.columns.ts=EVENT_TIME_UTC"]`` by table."""
    out: dict[str, dict[str, str]] = {}
    for item in items:
        head, sep, value = item.partition("=")
        table, dot, key = head.strip().partition(".")
        if not sep or not dot or not key:
            raise DeclarationError(f"--declare {item!r}: write TABLE.KEY=VALUE, e.g. absences.timestamps=yyyymmdd")
        out.setdefault(table, {})[key.strip()] = value.strip()
    return out


# -- values --------------------------------------------------------------------------


__all__ = ["declaration_files", "load_declaration", "mappable_references", "parse_declare"]
