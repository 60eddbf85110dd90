"""fairwitness: open, accountable workforce-integrity analytics."""

__version__ = "0.1.0"
