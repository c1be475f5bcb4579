"""A run's trained model exported as a bundle, with the run's provenance and its merged PyTorch weights."""
from __future__ import annotations

import copy
from pathlib import Path
from typing import Any, Dict, Optional

import torch

from . import validation
from .calibration import fit_calibration
from .dataset_files import DatasetError, dataset_hash, read_steadily, region_samples
from .devices import amp_dtype
from .export import export_bundle, text_embeddings
from .lora import merge_lora
from .model import AlphaCLIP
from .model_files import save_weights
from .progress import Progress
from .region_dataset import RegionDataset
from .train_options import HYPERPARAMETER_KEYS, TrainConfig


def validation_calibration(model: AlphaCLIP, checkpoint: Dict[str, Any], cfg: TrainConfig, device: torch.device,
                           progress: Progress, val: Optional[RegionDataset] = None) -> Optional[Dict[str, Any]]:
    """bundle.json's "calibration", fitted on the run's validation split (read again unless given) with
    the model on `device`; None, with a warning, when the split is empty or the dataset changed since."""
    if val is None:
        root = Path(cfg.dataset).resolve()
        labels = {text: i for i, text in enumerate(checkpoint["descriptions"])}
        try:
            digest, samples = read_steadily(root, lambda: (dataset_hash(root), region_samples(root, "val", labels)))
        except (OSError, DatasetError) as err:
            progress.warning(f"the bundle is not calibrated: its validation split cannot be read ({err})")
            return None
        if digest != checkpoint["dataset_hash"]:
            progress.warning(f"the bundle is not calibrated: {root} changed since the run trained on it")
            return None
        val = RegionDataset(samples, model.cfg.image_size, cfg.alpha)
        for file, message in val.drop_missing():
            progress.warning(f"{message}; its regions are left out of the calibration", file)
    if len(val) == 0:
        return None
    model = model.to(device)
    ids = torch.tensor(checkpoint["input_ids"], dtype=torch.int64, device=device)
    text = torch.from_numpy(text_embeddings(model, ids, cfg.eval_batch)).to(device)
    logits, labels = validation.scores(model, val, text, float(model.logit_scale.exp()), cfg, device, amp_dtype(cfg.amp, device))
    return fit_calibration(logits, labels)


def export_model(model: AlphaCLIP, checkpoint: Dict[str, Any], out: Path, cfg: TrainConfig,
                 calibration: Optional[Dict[str, Any]] = None) -> Path:
    """Exports a trained model to a bundle (LoRA merged) with the run's provenance and, when fitted,
    its calibration, plus the merged weights as weights.pt for further fine-tuning (--init BUNDLE)."""
    state = checkpoint["state"]
    provenance = {
        "kind": "trained",
        "base": {"size": model.cfg.size, "init": cfg.init},
        "datasetHash": checkpoint["dataset_hash"],
        "dataset": str(Path(cfg.dataset).resolve()),
        "hyperparameters": {k: getattr(cfg, k) for k in HYPERPARAMETER_KEYS},
        "metrics": {"valAccuracy": state["best_accuracy"], "bestEpoch": state["best_epoch"],
                    "bestStep": state["best_step"], "steps": state["step"], "lastLoss": state["last_loss"],
                    "history": state["history"]},
        "checkpointStep": state["step"],
    }
    bundle = export_bundle(model, out, checkpoint["tokenizer"], cfg.merges, checkpoint["descriptions"],
                           checkpoint["input_ids"], provenance, alpha=cfg.alpha, calibration=calibration)
    save_weights(merge_lora(copy.deepcopy(model)).cpu(), bundle, cfg.alpha)
    return bundle
