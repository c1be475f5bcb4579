#!/usr/bin/env bash
# Reproduces the embedded default model bundles in media/ on CPU, from nothing but this
# repository: the sample dataset (default seed), its region-level dataset, then the tiny
# AlphaCLIP with the alpha input (media/default-model) and the same model trained with the
# alpha input disabled (media/default-model-whole-image), both with seed 0.
#   bash scripts/train-default.sh [WORK_DIR]      (npm run train:default)
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-.cache/train-default}"
epochs="${ANOMALY_LENS_DEFAULT_EPOCHS:-25}"

npm run build --silent
node dist/cli.js sample "$work/sample"
node dist/cli.js build "$work/sample/synthetic" "$work/sample/mvtec" --out "$work/dataset" --seed 0

common=(--dataset "$work/dataset" --base tiny --epochs "$epochs" --lr 1e-3 --schedule cosine
        --warmup-steps 50 --seed 0 --device cpu --workers 1 --json)
# The two runs share the machine: one BLAS thread each.
OMP_NUM_THREADS=1 node dist/cli.js train "${common[@]}" --out "$work/run-alpha" > "$work/run-alpha.jsonl" &
alpha=$!
OMP_NUM_THREADS=1 node dist/cli.js train "${common[@]}" --no-alpha --out "$work/run-whole-image" > "$work/run-whole-image.jsonl" &
whole=$!
wait "$alpha"
wait "$whole"

for pair in "run-alpha:default-model" "run-whole-image:default-model-whole-image"; do
  run="${pair%%:*}"
  dest="media/${pair##*:}"
  rm -rf "$dest.tmp" && cp -r "$work/$run/bundle" "$dest.tmp"
  rm -rf "$dest" && mv "$dest.tmp" "$dest"
done
# The digest of the sample they were trained on (checked by test/unit/sample/defaultModelSample.test.ts).
node --import tsx scripts/sample-digest.ts "$work/sample" > media/default-model-sample.sha256
du -sh media/default-model media/default-model-whole-image
node dist/cli.js eval --dataset "$work/dataset" --bundle media/default-model \
  --baseline media/default-model-whole-image --out "$work/report"
