"""`fairwitness run --engine spark --spark-master URL` on a real standalone Spark cluster
(a master and a worker started from the installed pyspark distribution) gives DuckDB's signals."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from fairwitness.detectors.runner import run

pytestmark = [pytest.mark.spark, pytest.mark.slow]

DETECTORS = ["self_authorisation", "overtime_during_absence"]
"""Two detectors covering rosters, overtime, absences, expenses and the privacy-filtered presence
events (``overtime_during_absence`` reads the roster for off-site duties, and badge, device,
systems and comms activity in the claimed hours; ``self_authorisation`` reads expenses), each
compared with its peer group (a shared table of the run). The whole catalogue's parity is
`tests/test_end_to_end.py`'s, on local Spark: on this one-core cluster with the product's
settings (code generation compiled per stage) duty_presence_gaps and absence_pattern took 50 and
40 s of a 127 s test, and ``excess_hours`` (rosters and overtime, as here) 26-30 s of the
73-81 s the three detectors took in the test's run (its run.json, two test runs)."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(log: Path, text: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if log.exists() and text in log.read_text(errors="replace"):
            return
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args[2]} exited: {log.read_text(errors='replace')[-2000:]}")
        time.sleep(0.3)
    raise TimeoutError(f"no {text!r} in {log} after {timeout} s: {log.read_text(errors='replace')[-2000:]}")


@pytest.fixture(scope="module")
def spark_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A standalone master and one worker (1 core, 2 GB), stopped at the end; yields the master URL."""
    import pyspark

    spark_class = Path(pyspark.__file__).parent / "bin" / "spark-class"
    root = tmp_path_factory.mktemp("spark-cluster")
    env = {**os.environ, "SPARK_LOCAL_IP": "127.0.0.1", "SPARK_HOME": str(spark_class.parent.parent),
           "PYSPARK_PYTHON": sys.executable, "SPARK_WORKER_DIR": str(root / "work")}
    port = _free_port()
    url = f"spark://127.0.0.1:{port}"
    procs: list[subprocess.Popen] = []
    try:
        with open(root / "master.log", "w") as log:
            procs.append(subprocess.Popen(
                [str(spark_class), "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                 "--port", str(port), "--webui-port", str(_free_port())],
                stdout=log, stderr=subprocess.STDOUT, env=env,
            ))
        _wait_for(root / "master.log", "I have been elected leader", procs[0])
        with open(root / "worker.log", "w") as log:
            procs.append(subprocess.Popen(
                [str(spark_class), "org.apache.spark.deploy.worker.Worker", url, "--cores", "1", "--memory", "2g",
                 "--webui-port", str(_free_port()), "--work-dir", str(root / "work")],
                stdout=log, stderr=subprocess.STDOUT, env=env,
            ))
        _wait_for(root / "worker.log", "Successfully registered with master", procs[1])
        yield url
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in reversed(procs):
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()


def test_a_standalone_cluster_gives_duckdbs_signals(spark_cluster, small_force, tmp_path):
    _, source = small_force
    ws_dir = tmp_path / "ws"
    shutil.copytree(source.path, ws_dir, ignore=shutil.ignore_patterns("runs", "governance.sqlite"))
    duck = run(ws_dir, engine="duckdb", detectors=DETECTORS)
    assert not duck.errors and duck.signals.num_rows > 0
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), "SPARK_LOCAL_IP": "127.0.0.1",
           "PYSPARK_PYTHON": sys.executable, "FAIRWITNESS_SPARK_PARTITIONS": "2"}
    out = subprocess.run(
        [sys.executable, "-m", "fairwitness", "run", "--workspace", str(ws_dir), "--engine", "spark",
         "--spark-master", spark_cluster, "--detectors", ",".join(DETECTORS)],
        capture_output=True, text=True, env=env, timeout=240,
    )
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    run_dir = ws_dir / "runs" / duck.run_id  # same configuration and data: the same run id
    record = json.loads((run_dir / "run.json").read_text())
    assert record["engine"] == "spark" and record["spark_master"] == spark_cluster
    spark_signals = pq.read_table(run_dir / "signals.parquet")
    assert spark_signals.equals(duck.signals)


def test_a_master_url_without_spark_is_refused(small_force):
    from fairwitness.detectors.runner import RunError

    with pytest.raises(RunError, match="engine is not spark"):
        run(small_force[1], engine="duckdb", spark_master="spark://127.0.0.1:7077")
