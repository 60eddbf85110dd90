"""Where exports may be written: never over an existing file (unless forced), never into a workspace or store.

Every file a command writes for people to take away (disclosure pack, subject
access export, audit anchor, contract, command reference) goes through `check`
first. A path inside a workspace (a directory holding ``catalog.duckdb`` or
``governance.sqlite``, at any depth) or naming a store or its key is refused even
with ``force``: an export must never be able to replace the evidence, the audit
log or the key.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from fairwitness.governance.errors import GovernanceError

WORKSPACE_MARKERS = ("catalog.duckdb", "governance.sqlite")
STORE_SUFFIXES = (".sqlite", ".sqlite3", ".db", ".duckdb", ".key")


class OutputRefused(GovernanceError):
    """An export that would overwrite a file or write into a workspace or store."""


def _workspace_of(path: Path) -> Path | None:
    for folder in path.parents:
        if any((folder / marker).exists() for marker in WORKSPACE_MARKERS):
            return folder
    return None


def check(path: str | Path, *, force: bool = False, protected: Iterable[str | Path] = ()) -> Path:
    """``path``, resolved, if an export may be written there; else `OutputRefused` saying why."""
    target = Path(path).expanduser().resolve()
    if target.is_dir():
        raise OutputRefused(f"{path} is a directory: give a file name")
    if workspace := _workspace_of(target):
        raise OutputRefused(f"{path} is inside the workspace {workspace}: write exports outside any workspace")
    for item in protected:
        if target == Path(item).expanduser().resolve():
            raise OutputRefused(f"{path} is the governance store (or its key): refusing to write over it")
    if target.suffix.lower() in STORE_SUFFIXES or target.name.endswith(".sqlite.key"):
        raise OutputRefused(f"{path} looks like a database or key file: choose another name")
    if target.exists() and not force:
        raise OutputRefused(f"{path} already exists: give another name, or --force to replace it")
    return target


def write_text(path: str | Path, text: str, *, force: bool = False) -> Path:
    """Write ``text`` to ``path`` after `check`."""
    target = check(path, force=force)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


def store_files(url: str) -> list[Path]:
    """The files of the store at ``url`` (a SQLite database, its WAL files and its key file) that no export may replace."""
    from sqlalchemy.engine import make_url

    from fairwitness.governance.keys import key_file

    files = [key] if (key := key_file(url)) is not None else []
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        files += [Path(parsed.database + suffix) for suffix in ("", "-wal", "-shm")]  # WAL mode's companions too
    return files
