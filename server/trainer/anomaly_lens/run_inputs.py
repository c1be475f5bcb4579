"""A run's inputs: the token file and the dataset, read and checked; the splits as tensors; run.json.

A resumed run must read the same descriptions, token ids and dataset as it started with.
"""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

from .dataset_files import (DatasetError, RegionSample, dataset_hash, manifest_descriptions, read_manifest,
                            read_steadily, region_samples)
from .model import AlphaCLIP
from .progress import Progress
from .region_dataset import RegionDataset
from .token_file import read_token_file
from .train_options import ConfigError, TrainConfig


@dataclass
class RunInputs:
    tokenizer: Dict[str, Any]
    texts: List[str]
    ids: List[List[int]]
    dataset_hash: str
    train_samples: List[RegionSample]
    val_samples: List[RegionSample]


@dataclass
class Datasets:
    train: RegionDataset
    val: RegionDataset
    #: Whether both splits were decoded into memory (they fit --cache-mb).
    cached: bool


def read_inputs(cfg: TrainConfig, run: Path, resumed: Optional[Dict[str, Any]]) -> RunInputs:
    """The token file and the dataset's samples, checked against each other and against a resumed run."""
    tokenizer, texts, ids = read_token_file(cfg.tokens)
    if not texts:
        raise DatasetError(f"{cfg.tokens}: the token file holds no descriptions")
    context = tokenizer.get("contextLength")
    vocab = tokenizer.get("vocabSize")
    if not isinstance(vocab, int) or any(len(row) != context for row in ids):
        raise DatasetError(f"{cfg.tokens}: every input_ids row must have contextLength ({context}) ids and vocabSize must be set")
    if any(i < 0 or i >= vocab for row in ids for i in row):
        raise DatasetError(f"{cfg.tokens}: token ids outside the vocabulary of {vocab}")
    if resumed and (resumed["descriptions"] != texts or resumed["input_ids"] != ids):
        raise ConfigError(f"{cfg.tokens}: the descriptions or their token ids differ from those the run in {run} started with")
    root = Path(cfg.dataset).resolve()
    labels = {text: i for i, text in enumerate(texts)}

    def read() -> Tuple[str, List[RegionSample], List[RegionSample]]:
        manifest = read_manifest(root)
        missing = [t for t in manifest_descriptions(manifest) if t not in labels]
        if missing:
            raise DatasetError(f"{cfg.tokens}: lacks descriptions of {root / 'dataset.json'}: {missing[:5]}")
        return dataset_hash(root), region_samples(root, "train", labels), region_samples(root, "val", labels)

    # One version of the dataset, old or new, whatever a rebuild does meanwhile.
    digest, train_samples, val_samples = read_steadily(root, read)
    if resumed and resumed["dataset_hash"] != digest:
        raise ConfigError(f"{root}: the dataset changed since the run in {run} started; train into a new folder")
    if not train_samples:
        raise DatasetError(f"{root / 'train.jsonl'}: no training regions")
    return RunInputs(tokenizer, texts, ids, digest, train_samples, val_samples)


def load_datasets(cfg: TrainConfig, inputs: RunInputs, image_size: int, progress: Progress,
                  stop: Callable[[], bool]) -> Datasets:
    """Both splits as tensors, decoded into memory when they fit --cache-mb; samples whose files are
    missing or unreadable are left out with a warning. Returns early, unchecked, once stop() is true."""
    train = RegionDataset(inputs.train_samples, image_size, cfg.alpha)
    val = RegionDataset(inputs.val_samples, image_size, cfg.alpha)
    for ds in (train, val):
        for file, message in ds.drop_missing():
            progress.warning(f"{message}; its regions are left out", file)
    budget = cfg.cache_mb * 2 ** 20
    datasets = Datasets(train, val, cached=train.cache_bytes() + val.cache_bytes() <= budget)
    if datasets.cached:
        for split, ds in (("train", train), ("val", val)):
            problems = ds.preload(cfg.workers, lambda done, total, s=split: progress.prepare(s, done, total), stop)
            for file, message in problems:
                progress.warning(f"{message}; its regions are left out", file)
            if stop():
                return datasets
    if len(train) == 0:
        raise DatasetError(f"{cfg.dataset}: no readable training regions")
    return datasets


def write_run_json(run: Path, cfg: TrainConfig, model: AlphaCLIP, inputs: RunInputs) -> None:
    """RUN/run.json: the run's configuration, model, tokenizer and dataset, written atomically."""
    info = {
        "format": "anomaly-lens-run", "version": 1,
        "config": asdict(cfg),
        "model": {"size": model.cfg.size, "vocabSize": model.cfg.vocab_size, "imageSize": model.cfg.image_size,
                  "embedDim": model.cfg.embed_dim, "alpha": cfg.alpha},
        "tokenizer": {**inputs.tokenizer, "merges": str(Path(cfg.merges).resolve())},
        "datasetHash": inputs.dataset_hash,
    }
    path = run / "run.json"
    tmp = path.with_name(f".run.json.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)
