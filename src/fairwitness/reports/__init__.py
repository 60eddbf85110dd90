"""Reports over a detector run: `flags` (export) and `explain` (one person, everything).

People read them through `governed_flags` and `governed_explain_data` (signed in, a
permitted role, pseudonymised unless re-identified, audited); `flags` and
`explain_data` are the building blocks underneath, over the run's own files.
"""

from fairwitness.reports.explain import NotFlagged, explain, explain_data, explain_text
from fairwitness.reports.flags import flags, flags_table
from fairwitness.reports.governed import NoFlag, governed_explain_data, governed_explain_text, governed_flags

__all__ = [
    "NoFlag",
    "NotFlagged",
    "explain",
    "explain_data",
    "explain_text",
    "flags",
    "flags_table",
    "governed_explain_data",
    "governed_explain_text",
    "governed_flags",
]
