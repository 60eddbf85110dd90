#!/bin/bash
# a 2,000 x 6 force of world 126 (never used while developing) with the early-return decoy at 5 per 1,000
# (benchmarks/results/evaluate-2000x6-world126-early-return.txt): made, ingested, run and evaluated.
exec "$(dirname "$0")/decoy_world.sh" 126 early_return 5
