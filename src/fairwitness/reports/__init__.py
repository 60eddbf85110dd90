"""Reports over a detector run: `flags` (export) and `explain` (one person, everything)."""

from fairwitness.reports.explain import NotFlagged, explain, explain_data, explain_text
from fairwitness.reports.flags import flags, flags_table

__all__ = ["NotFlagged", "explain", "explain_data", "explain_text", "flags", "flags_table"]
