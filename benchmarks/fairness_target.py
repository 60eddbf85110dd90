"""Target: no protected group's FPR ratio outside 0.8-1.25 on any adverse route (advice included) where counts allow."""
import sys
from collections import Counter
from fairwitness.fairness.assessment import assess
from fairwitness.fairness.groups import PROTECTED

print("| force | slice | protected ratios | within | uncertain | outside | no errors | too few | FPR ratios judged within/outside range |")
print("|---|---|---|---|---|---|---|---|---|")
for seed in sys.argv[1:]:
    r = assess(f"/tmp/fw-worlds/w{seed}/ws", truth=f"/tmp/fw-worlds/w{seed}/force")
    tot = Counter()
    for s in r.slices:
        if not s.adverse:
            continue
        js = [(x.fpr.judgement, x.fpr.ratio) for x in s.rows if x.attribute in PROTECTED and x.group != x.reference]
        c = Counter(j for j, _ in js)
        tot.update(c)
        ratios = [q for j, q in js if j in ("within", "uncertain", "outside") and q is not None]
        rng = f"{min(ratios):.2f}-{max(ratios):.2f}" if ratios else "-"
        if s.kind == "route" or c["outside"]:
            print(f"| {seed} | {s.key} ({s.flagged} flagged, {s.false_positives} FP) | {len(js)} | {c['within']} | {c['uncertain']} | {c['outside']} | {c['no_errors']} | {c['too_few']} | {rng} |")
    print(f"| {seed} | **all adverse slices (16 detectors + 5 routes)** | {sum(tot.values())} | {tot['within']} | {tot['uncertain']} | {tot['outside']} | {tot['no_errors']} | {tot['too_few']} | |")
    for f in r.findings(protected_only=True):
        print("OUTSIDE", seed, f)
