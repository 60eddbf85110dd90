"""Code fingerprints: what a stored detector result's key covers (`fairwitness.detectors.fingerprint`)."""

from __future__ import annotations

import textwrap
from pathlib import Path

from fairwitness.detectors.fingerprint import FRAMEWORK_ROOT, framework_fingerprint, module_files, unit_fingerprints
from fairwitness.detectors.registry import load_registry


def test_framework_covers_execution_not_what_acts_after_the_pieces() -> None:
    files = module_files([FRAMEWORK_ROOT])
    for needed in ("sources", "engines", "signals", "base"):
        assert f"fairwitness.detectors.{needed}" in files
    for after in ("combine", "runner", "schedule", "runs", "coverage", "runconfig", "incremental"):
        assert f"fairwitness.detectors.{after}" not in files
    assert not any(".catalogue." in m for m in files)
    assert framework_fingerprint() == framework_fingerprint()


def test_a_detector_covers_its_module_and_the_helpers_it_imports() -> None:
    reg = load_registry()
    [cls] = reg.select(["lookups_outside_own_cases"])
    files = module_files([cls.__module__])
    assert "fairwitness.detectors.catalogue._lookups" in files  # a helper module it imports
    assert "fairwitness.detectors.base" in files
    assert "fairwitness.detectors.catalogue.victim_contact" not in files
    units = unit_fingerprints(reg.select(None), reg.derived)
    assert len(set(units.values())) == len(units)  # every detector and derived source its own
    assert "fairwitness.linkage" in units["external_links"]  # the function arrow_compute wraps


def _detector_file(folder: Path, body: str) -> type:
    path = folder / "my_plugin.py"
    path.write_text(textwrap.dedent(body))
    ns: dict[str, object] = {"__name__": "my_plugin", "__file__": str(path)}
    exec(compile(path.read_text(), str(path), "exec"), ns)  # noqa: S102 - a detector defined outside the package
    cls = ns["Plugin"]
    assert isinstance(cls, type)
    cls.__module__ = "my_plugin"
    return cls


def test_changing_a_detectors_file_changes_its_fingerprint_alone(tmp_path: Path, monkeypatch) -> None:
    import sys
    import types

    body = """
        import fairwitness.detectors.peers  # noqa: F401

        class Plugin:
            name = "plugin"
            threshold = {}
    """
    cls = _detector_file(tmp_path, body.format(1))
    mod = types.ModuleType("my_plugin")
    mod.__file__ = str(tmp_path / "my_plugin.py")
    monkeypatch.setitem(sys.modules, "my_plugin", mod)
    reg = load_registry()
    [other] = reg.select(["absence_pattern"])
    before = unit_fingerprints([cls, other])
    files = module_files([], [tmp_path / "my_plugin.py"])
    assert "fairwitness.detectors.peers" in files  # what a file outside the package imports is followed
    cls2 = _detector_file(tmp_path, body.format(2))
    after = unit_fingerprints([cls2, other])
    assert before["plugin"] != after["plugin"]
    assert before["absence_pattern"] == after["absence_pattern"]
