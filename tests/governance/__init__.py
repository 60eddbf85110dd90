"""Tests of case management and governance (a package, so module names cannot clash with other test folders)."""
