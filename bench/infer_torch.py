"""The PyTorch side of `npm run bench:infer`: builds a randomly initialised AlphaCLIP of a named
size with the trainer's code, exports it as a model bundle with the trainer's export, writes one
batch of encoder inputs, and times the image encoder on that batch in PyTorch.

    PYTHONPATH=server/trainer python3 bench/infer_torch.py --out DIR --tokens TOKENS.json
        --merges MERGES --size tiny --batch 16 --threads 2 --rounds 20

Prints one JSON line: the timing (median seconds per batch and regions/s) and the files
written: DIR/bundle (the bundle), DIR/image.f32 and DIR/alpha.f32 (the batch),
DIR/torch.f32 (PyTorch's L2-normalised embeddings of the batch).
"""
import argparse
import json
import statistics
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from anomaly_lens.export import export_bundle
from anomaly_lens.model import ALPHA_INSIDE, build_model


def batch_inputs(batch: int, size: int, seed: int):
    """Images of normalised noise, each with a rectangular designated region."""
    rng = np.random.default_rng(seed)
    image = rng.normal(0, 1, (batch, 3, size, size)).astype(np.float32)
    alpha = np.full((batch, 1, size, size), -ALPHA_INSIDE, dtype=np.float32)
    for i in range(batch):
        h, w = rng.integers(size // 8, size // 2, 2)
        y, x = rng.integers(0, size - h), rng.integers(0, size - w)
        alpha[i, :, y:y + h, x:x + w] = ALPHA_INSIDE
    return image, alpha


def loaded_blas() -> str:
    """The BLAS library this process has loaded (PyTorch's matrix products run on it)."""
    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            paths = {line.split()[-1] for line in maps if "blas" in line.rsplit("/", 1)[-1]}
        return ", ".join(sorted(paths)) or "built in"
    except OSError:
        return "unknown"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--tokens", required=True, help="token file: the descriptions, their input_ids and the tokenizer")
    parser.add_argument("--merges", required=True)
    parser.add_argument("--size", default="tiny")
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    out = Path(args.out)
    tokens = json.loads(Path(args.tokens).read_text(encoding="utf-8"))
    tokenizer = tokens["tokenizer"]
    texts = [row["text"] for row in tokens["texts"]]
    ids = [row["input_ids"] for row in tokens["texts"]]

    model = build_model(args.size, vocab_size=tokenizer["vocabSize"]).eval()
    with torch.no_grad():
        # Random weights as after training: the alpha convolution is not left at its zero start.
        model.visual.conv1_alpha.weight.normal_(0, 0.02)
    bundle = export_bundle(model, out / "bundle", tokenizer, args.merges, texts, ids,
                           {"kind": "imported", "base": f"random {args.size} (benchmark)"})

    size = model.cfg.image_size
    image, alpha = batch_inputs(args.batch, size, args.seed)
    image.tofile(str(out / "image.f32"))
    alpha.tofile(str(out / "alpha.f32"))
    image_t, alpha_t = torch.from_numpy(image), torch.from_numpy(alpha)

    times = []
    with torch.inference_mode():
        embedding = model.encode_image(image_t, alpha_t)
        for _ in range(3):
            model.encode_image(image_t, alpha_t)
        for _ in range(args.rounds):
            start = time.perf_counter()
            model.encode_image(image_t, alpha_t)
            times.append(time.perf_counter() - start)
    F.normalize(embedding, dim=-1).numpy().astype("<f4").tofile(str(out / "torch.f32"))
    median = statistics.median(times)
    print(json.dumps({
        "bundle": str(bundle),
        "imageSize": size,
        "embedDim": model.cfg.embed_dim,
        "batch": args.batch,
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "blas": loaded_blas(),
        "secondsPerBatch": median,
        "regionsPerSecond": args.batch / median,
    }))


if __name__ == "__main__":
    main()
