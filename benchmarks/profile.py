"""Print the statements a profiled run executed, costliest first, each with its costliest operators.

    FAIRWITNESS_PROFILE_DIR=/tmp/prof fairwitness run --workspace WS [--detectors A,B]
    python -m benchmarks.profile /tmp/prof [TOP]

(`fairwitness.detectors.profiling`: one DuckDB JSON profile per detector query and per shared
table created.) Operator times are CPU-seconds over all threads; a statement's seconds are its
latency.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fairwitness.detectors.profiling import Profile, summary


def profiles(folder: str | Path, top: int = 8) -> list[Profile]:
    """Every profile in ``folder``, the longest first."""
    return sorted((summary(p, top) for p in Path(folder).glob("*.json")), key=lambda p: -p.seconds)


def report(folder: str | Path, top: int = 8) -> str:
    lines = []
    for p in profiles(folder, top):
        lines.append(f"{p.label}: {p.seconds:.2f} s, {p.cpu_seconds:.2f} CPU-s")
        lines += [f"  {o.seconds:7.2f}  {o.name:<16} {o.rows:>12,}  {o.detail}" for o in p.operators]
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit("usage: python -m benchmarks.profile DIR [TOP]")
    print(report(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 8))
