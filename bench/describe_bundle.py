"""The model side of `npm run bench:describe`: a randomly initialised AlphaCLIP of a named size,
built with the trainer's model code and written as a model bundle with the trainer's export
(ONNX encoders, text embeddings of the given descriptions), exactly as a trained bundle is.

    PYTHONPATH=server/trainer python3 bench/describe_bundle.py --out DIR --tokens TOKENS.json
        --merges MERGES --size ViT-B/16

Prints one JSON line: the bundle folder, the input size and the embedding size.
"""
import argparse
import json
from pathlib import Path

import torch

from anomaly_lens.export import export_bundle
from anomaly_lens.model import build_model


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True, help="the bundle folder to write")
    parser.add_argument("--tokens", required=True, help="token file: the descriptions, their input_ids and the tokenizer")
    parser.add_argument("--merges", required=True)
    parser.add_argument("--size", required=True)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    torch.manual_seed(args.seed)
    tokens = json.loads(Path(args.tokens).read_text(encoding="utf-8"))
    tokenizer = tokens["tokenizer"]
    texts = [row["text"] for row in tokens["texts"]]
    ids = [row["input_ids"] for row in tokens["texts"]]

    model = build_model(args.size, vocab_size=tokenizer["vocabSize"]).eval()
    with torch.no_grad():
        # As after training: the alpha convolution is not left at its zero start.
        model.visual.conv1_alpha.weight.normal_(0, 0.02)
    bundle = export_bundle(model, args.out, tokenizer, args.merges, texts, ids,
                           {"kind": "imported", "base": f"random {args.size} (benchmark)"})
    print(json.dumps({"bundle": str(bundle), "imageSize": model.cfg.image_size, "embedDim": model.cfg.embed_dim}))


if __name__ == "__main__":
    main()
