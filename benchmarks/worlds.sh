#!/usr/bin/env bash
# Measure the merged catalogue on the three held-out 2,000 x 6 worlds 122-124 (fairwitness.synth.worlds.HELD_OUT_WORLDS):
# evaluate against every target of issue 14, and fairness (issue 18).
set -u
cd "$(dirname "$0")/.."
FW=".venv/bin/python -m fairwitness"
# Defaults: 122-124 (seeds 62-64); WORLDS="111 51 4on4off numeric;..." to choose.
IFS=';' read -r -a SPECS <<< "${WORLDS:-122 62 4on4off numeric;123 63 2-2-2 prefixed;124 64 4on4off uuid}"
for spec in "${SPECS[@]}"; do
  set -- $spec; w=$1; seed=$2; rota=$3; ids=$4
  d=${OUT:-/tmp/fw-worlds}/w$w; rm -rf $d; mkdir -p $d
  $FW synth --people 2000 --months 6 --seed $seed --rota $rota --id-format $ids --world $w --out $d/force > $d/synth.log 2>&1
  $FW ingest $d/force --workspace $d/ws > $d/ingest.log 2>&1
  /usr/bin/time -v $FW run --workspace $d/ws > $d/run.log 2>&1
  $FW evaluate --workspace $d/ws --truth $d/force --min-recall 0.95 --min-precision-route 0.90 --min-precision-grave 0.97 --max-adverse-decoys 0 --max-adverse-share 0.03 > $d/evaluate.txt 2>&1
  $FW fairness --workspace $d/ws --truth $d/force --dry-run > $d/fairness.txt 2>&1
  echo "world $w done"
done
.venv/bin/python benchmarks/fairness_target.py $(for spec in "${SPECS[@]}"; do set -- $spec; echo $1; done) > ${OUT:-/tmp/fw-worlds}/target.md 2>&1
echo ALL-DONE
