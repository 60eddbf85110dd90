#!/bin/bash
# usage: benchmarks/decoy_world.sh WORLD DECOY RATE
# make a 2,000 x 6 force of WORLD (one never used while developing) with the decoy scenario DECOY
# planted at RATE per 1,000 (`SynthConfig` field of that name), ingest, run and evaluate it against
# the product's targets; the evaluation in $OUT/wWORLD-DECOY/evaluate.txt (OUT default /tmp/fw-decoy).
# RUN_WITH=DIR runs and evaluates with the code of another checkout (e.g. a worktree of an older
# commit) on the same force and lake: the comparison before a change.
set -u
world=$1 decoy=$2 rate=$3
cd "$(dirname "$0")/.."
d=${OUT:-/tmp/fw-decoy}/w$world-$decoy; mkdir -p $d
if [ ! -d $d/ws ]; then
  .venv/bin/python -c "
from fairwitness.synth.worlds import world_config
from fairwitness.synth import generate
cfg = world_config($world, people=2000, months=6, seed=66, rota='4on4off', id_format='prefixed', $decoy=$rate)
generate(cfg, __import__('pathlib').Path('$d/force'))
print(cfg.planted_count('$decoy'))
" > $d/synth.log 2>&1
  .venv/bin/python -m fairwitness ingest $d/force --workspace $d/ws > $d/ingest.log 2>&1
fi
code=${RUN_WITH:-$PWD}
FW="env PYTHONPATH=$code/src $PWD/.venv/bin/python -m fairwitness"
$FW run --workspace $d/ws > $d/run.log 2>&1
$FW evaluate --workspace $d/ws --truth $d/force --min-recall 0.95 --min-precision-route 0.90 --min-precision-grave 0.97 --max-adverse-decoys 0 --max-adverse-share 0.03 > $d/evaluate.txt 2>&1
echo "evaluate rc $?" >> $d/evaluate.txt
cat $d/evaluate.txt
