"""Docs are checked: generated references are current, every command is documented."""

from __future__ import annotations

from pathlib import Path

from fairwitness.cli import app
from fairwitness.clidoc import command_names, render

ROOT = Path(__file__).resolve().parents[1]


def test_cli_reference_is_current():
    assert (ROOT / "docs/reference/cli.md").read_text() == render(app), "run `fairwitness docs-cli --out docs/reference/cli.md`"


def test_every_command_has_help_and_is_in_the_reference():
    text = (ROOT / "docs/reference/cli.md").read_text()
    for name in command_names(app):
        assert f"## `fairwitness {name}`" in text


def test_readme_has_the_two_setup_commands():
    readme = (ROOT / "README.md").read_text()
    assert "make demo" in readme and "make test" in readme
