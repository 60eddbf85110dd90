"""A benchmark step says how much of the machine other processes used while it ran (`benchmarks.steps`)."""

from __future__ import annotations

import os
import subprocess
import sys

from benchmarks.run import shared
from benchmarks.steps import cpu_jiffies, iowait_seconds, other_cpu_seconds, own_cpu_seconds


def test_other_cpu_is_the_machines_busy_time_less_the_steps_own():
    tick = os.sysconf("SC_CLK_TCK")
    assert other_cpu_seconds((100, 1000, 7), (100 + 3 * tick, 1000 + 8 * tick, 7), own=1.0) == 2.0
    assert other_cpu_seconds((100, 1000, 7), (100 + tick, 1000 + 8 * tick, 7), own=2.5) == 0.0  # never below 0
    assert other_cpu_seconds(None, (1, 2, 0), own=0.0) is None
    assert iowait_seconds((100, 1000, 7), (100, 1000 + 5 * tick, 7 + 4 * tick)) == 4.0


def test_a_busy_process_beside_the_step_is_counted():
    before, own = cpu_jiffies(), own_cpu_seconds()
    assert before is not None, "this machine has /proc/stat"
    # another process spinning for 1.5 s of CPU while this one waits
    subprocess.run([sys.executable, "-c", "import time\nt = time.process_time()\nwhile time.process_time() - t < 1.5: pass"], check=True)
    other = other_cpu_seconds(before, cpu_jiffies(), own_cpu_seconds() - own)
    assert other is not None and other >= 1.2


def test_a_step_is_shared_when_others_used_a_tenth_of_its_time():
    assert shared({"seconds": 100.0, "other_cpu_seconds": 25.0})
    assert not shared({"seconds": 100.0, "other_cpu_seconds": 4.0})
    assert not shared({"seconds": 100.0, "other_cpu_seconds": None})
    assert not shared({"seconds": 100.0, "other_cpu_seconds": 90.0, "spark_seconds": 80.0})  # its own JVM
