"""A small region dataset on disk in the product's format (docs/dataset.md), for trainer tests.

Each image is a noisy grey plate with one to three separate regions; every defect class has its
own look (colour and shape), so a model can learn to tell them apart from the designated region.
Images are not square (the shared preprocessing crops the centre square) and regions stay inside
that square. The dataset passes `anomaly-lens validate`.

    python3 test/trainer/fixtures.py OUT [--train N] [--val N] [--seed S]
"""
from __future__ import annotations

import argparse
import gzip
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

import numpy as np
from PIL import Image

OBJECT = "plate"
# defect -> (description, RGB colour, shape)
DEFECTS: Dict[str, Tuple[str, Tuple[int, int, int], str]] = {
    "stain": ("red stain on plate", (200, 40, 40), "disc"),
    "scratch": ("blue scratch on plate", (40, 60, 210), "bar"),
    "hole": ("dark hole in plate", (15, 15, 15), "disc"),
    "rust": ("orange rust patch on plate", (220, 140, 30), "square"),
}
WIDTH, HEIGHT = 56, 48


@dataclass
class FixtureDataset:
    root: Path
    descriptions: List[str]
    counts: Dict[str, Dict[str, int]]


def _shape_mask(shape: str, cx: int, cy: int, r: int) -> np.ndarray:
    yy, xx = np.mgrid[0:HEIGHT, 0:WIDTH]
    if shape == "disc":
        return (xx - cx) ** 2 + (yy - cy) ** 2 <= r * r
    if shape == "bar":
        return (abs(xx - cx) <= r) & (abs(yy - cy) <= max(1, r // 3))
    return (abs(xx - cx) <= r - 1) & (abs(yy - cy) <= r - 1)


def _save_png(array: np.ndarray, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(array).save(path)


def _image_record(root: Path, split: str, index: int, rng: np.random.Generator, max_regions: int) -> dict:
    stem = f"{split}_{index:03d}"
    pixels = np.clip(rng.normal(128, 12, (HEIGHT, WIDTH, 3)), 0, 255)
    names = list(DEFECTS)
    count = int(rng.integers(1, max_regions + 1))
    # Regions in separate cells of the centre square (x offset (56-48)/2 = 4), so they never touch.
    cells = rng.permutation([(16, 12), (40, 12), (16, 36), (40, 36)])[:count]
    regions, used = [], np.zeros((HEIGHT, WIDTH), dtype=bool)
    for k, (cx, cy) in enumerate(cells):
        defect = names[int(rng.integers(0, len(names)))]
        description, colour, shape = DEFECTS[defect]
        mask = _shape_mask(shape, int(cx + rng.integers(-2, 3)), int(cy + rng.integers(-2, 3)), int(rng.integers(4, 7)))
        mask &= ~used
        used |= mask
        pixels[mask] = np.clip(np.array(colour) + rng.normal(0, 8, (int(mask.sum()), 3)), 0, 255)
        mask_rel = f"regions/{split}/{stem}_{k}.png"
        _save_png((mask * 255).astype(np.uint8), root / mask_rel)
        ys, xs = np.nonzero(mask)
        regions.append({
            "mask": mask_rel,
            "bbox": [int(xs.min()), int(ys.min()), int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1)],
            "area": int(mask.sum()),
            "defect": defect,
            "description": description,
        })
    image_rel = f"images/{split}/{stem}.png"
    _save_png(pixels.astype(np.uint8), root / image_rel)
    defects = {r["defect"] for r in regions}
    return {"image": image_rel, "object": OBJECT, "defect": defects.pop() if len(defects) == 1 else "combined",
            "width": WIDTH, "height": HEIGHT, "regions": regions}


def write_dataset(root: Path, train: int = 8, val: int = 4, test: int = 0, seed: int = 0,
                  max_regions: int = 3) -> FixtureDataset:
    """Images with 1..max_regions (at most 4) regions each, in dataset format version 1."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    counts = {}
    for split, n in (("train", train), ("val", val), ("test", test)):
        records = [_image_record(root, split, i, rng, max_regions) for i in range(n)]
        (root / f"{split}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        counts[split] = {"images": n, "regions": sum(len(r["regions"]) for r in records)}
    manifest = {
        "formatVersion": 1,
        "createdAt": "2026-01-01T00:00:00.000Z",
        "tool": {"name": "anomaly-lens", "version": "0.1.0"},
        "sources": [{"kind": "generic", "root": str(root / "source"), "splits": ["train", "val", "test"]}],
        "parameters": {"mode": "dbscan", "eps": 1.5, "minPts": 1, "minArea": 0, "threshold": 0, "splitSeed": seed,
                       "valRatio": 0.29, "describe": "builtin"},
        "objects": [OBJECT],
        "defects": [{"object": OBJECT, "defect": d} for d in DEFECTS],
        "descriptions": [{"object": OBJECT, "defect": d, "text": t, "provenance": {"kind": "builtin"}}
                         for d, (t, _, _) in DEFECTS.items()],
        "counts": counts,
    }
    (root / "dataset.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return FixtureDataset(root, [t for t, _, _ in DEFECTS.values()], counts)


def write_tokens(folder: Path, texts: Sequence[str], merges: int = 6) -> Tuple[Path, Path]:
    """A token file and a merges file of a small vocabulary (512 byte tokens, `merges` merges, start
    and end). The rows are distinct id sequences per text: the trainer only reads ids."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    vocab = 512 + merges + 2
    rows = []
    for i, text in enumerate(texts):
        body = [(7 * i + 3 * k + 1) % 512 for k in range(3 + i % 3)]
        ids = [vocab - 2, *body, vocab - 1]
        rows.append({"text": text, "input_ids": ids + [0] * (77 - len(ids))})
    tokenizer = {"kind": "clip-bpe", "vocabSize": vocab, "startId": vocab - 2, "endId": vocab - 1, "contextLength": 77}
    tokens = folder / "tokens.json"
    tokens.write_text(json.dumps({"tokenizer": tokenizer, "texts": rows}), encoding="utf-8")
    letters = "abcdefghijklmnopqrstuvwxyz"
    merges_file = folder / "merges.txt.gz"
    merges_file.write_bytes(gzip.compress(("#version: 0.2\n" + "".join(
        f"{letters[k]} {letters[k + 1]}</w>\n" for k in range(merges))).encode()))
    return tokens, merges_file


def dataset_with_tokens(root: Path, **dataset) -> Tuple[Path, FixtureDataset, Path, Path]:
    """(root, a dataset written to root/ds with `dataset`'s write_dataset arguments, its token file and
    merges file in root/tok)."""
    data = write_dataset(root / "ds", **dataset)
    tokens, merges = write_tokens(root / "tok", data.descriptions)
    return root, data, tokens, merges


def labels_of(data: FixtureDataset) -> Dict[str, int]:
    """Description text -> label index, numbered as the token file lists them."""
    return {text: i for i, text in enumerate(data.descriptions)}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="write the trainer test dataset")
    parser.add_argument("out")
    parser.add_argument("--train", type=int, default=8)
    parser.add_argument("--val", type=int, default=4)
    parser.add_argument("--test", type=int, default=0)
    parser.add_argument("--seed", type=int, default=0)
    a = parser.parse_args()
    info = write_dataset(Path(a.out), a.train, a.val, a.test, a.seed)
    print(json.dumps({"root": str(info.root), "descriptions": info.descriptions, "counts": info.counts}))


# -- running the trainer -----------------------------------------------------------------------------

def tiny_options(data: FixtureDataset, tokens: Path, merges: Path, out: Path, **extra) -> dict:
    """Options of a small, fast CPU run (the tiny model, batch 8, no export) over the fixture."""
    options = dict(dataset=str(data.root), tokens=str(tokens), merges=str(merges), out=str(out), device="cpu",
                   batch=8, eval_batch=64, epochs=2, workers=0, seed=3, export=False)
    options.update(extra)
    return options


def run_in_process(options: dict) -> Tuple[int, List[dict]]:
    """train() in this process; returns the exit status and the progress events."""
    import io

    from anomaly_lens.progress import Progress
    from anomaly_lens.train import train

    stream = io.StringIO()
    code = train(dict(options), Progress(stream, min_step_interval=0))
    return code, [json.loads(line) for line in stream.getvalue().splitlines()]


def cli_args(options: dict) -> List[str]:
    """The same options as `python -m anomaly_lens train` arguments."""
    args = ["train"]
    for key, value in options.items():
        flag = "--" + key.replace("_", "-")
        if value is True:
            args.append(flag)
        elif value is False:
            args.append("--no-" + key.replace("_", "-"))
        elif value is not None:
            args += [flag, str(value)]
    return args
