#!/usr/bin/env bash
# Binary against ternary hidden units on the MNIST 3s (docs/exercise.md part 2(a)): the same
# 784-100 RBM with a visible bias, trained by PCD-1 (batch 20, 100 persistent chains, lr 0.005,
# 20,000 updates) on mnist:train:3, then scored on the held-out mnist:test:3 with AIS and RAISE.
# Writes docs/binary-pcd-weights.png and docs/ternary-pcd-weights.png and prints both
# log-likelihoods.   docs/units_demo.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-out/units-demo}
scripts/setup
scripts/build >/dev/null
settings=(--data mnist:train:3 --hidden 100 --visible-bias on --method pcd --batch 20 --chains 100 --cd 1
          --lr 0.005 --updates 20000 --seed 0 --quiet)
for units in bernoulli ternary; do
  build/rbmkit train "${settings[@]}" --hidden-units "$units" --out "$out/$units"
  build/rbmkit eval "$out/$units/model.npz" --data mnist:test:3 --method both --json > "$out/$units/eval.json"
  /usr/bin/python3 -c "import json,sys; j=json.load(open(sys.argv[1])); a,r=j['ais'],j['raise']; \
print(f\"{sys.argv[2]:9s} AIS {a['log_likelihood']:.2f} (band {a['log_likelihood_lower']:.2f} ..)  RAISE {r['log_likelihood']:.2f} +- {r['log_likelihood_std_error']:.2f}\")" \
    "$out/$units/eval.json" "$units"
done
cp "$out/bernoulli/weights.png" docs/binary-pcd-weights.png
cp "$out/ternary/weights.png" docs/ternary-pcd-weights.png
