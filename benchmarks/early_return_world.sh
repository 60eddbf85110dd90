#!/bin/bash
# make a 2,000 x 6 force of world 126 (never used while developing) with the early-return decoy at 5 per 1,000
# (benchmarks/results/evaluate-2000x6-world126-early-return.txt), ingest, run and evaluate it.
set -u
cd "$(dirname "$0")/.."
d=${OUT:-/tmp/fw-early-return}/w126; rm -rf $d; mkdir -p $d
.venv/bin/python -c "
from fairwitness.synth.worlds import world_config
from fairwitness.synth import generate
cfg = world_config(126, people=2000, months=6, seed=66, rota='4on4off', id_format='prefixed', early_return=5)
generate(cfg, __import__('pathlib').Path('$d/force'))
print(cfg.planted_count('early_return'))
" > $d/synth.log 2>&1
FW=".venv/bin/python -m fairwitness"
$FW ingest $d/force --workspace $d/ws > $d/ingest.log 2>&1
$FW run --workspace $d/ws > $d/run.log 2>&1
$FW evaluate --workspace $d/ws --truth $d/force --min-recall 0.95 --min-precision-route 0.90 --min-precision-grave 0.97 --max-adverse-decoys 0 --max-adverse-share 0.03 > $d/evaluate.txt 2>&1
echo "evaluate rc $?" >> $d/evaluate.txt
cat $d/evaluate.txt
