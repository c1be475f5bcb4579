#!/usr/bin/env bash
# The GPU check, for a machine with an NVIDIA GPU and PyTorch with CUDA: a few LoRA training
# steps of ViT-L/14@336px (random weights) at batch 64 with mixed precision; prints samples/s
# and peak memory as JSON for docs/PERFORMANCE.md.
set -euo pipefail
cd "$(dirname "$0")/.."
python="${ANOMALY_LENS_PYTHON:-python3}"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
PYTHONPATH=server/trainer "$python" bench/gpu_train_steps.py --size "ViT-L/14@336px" --batch 64 --steps 10 "$@"
