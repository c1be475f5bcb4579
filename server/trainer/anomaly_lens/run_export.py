"""A run's trained model exported as a bundle, with the run's provenance and its merged PyTorch weights."""
from __future__ import annotations

import copy
from pathlib import Path
from typing import Any, Dict, Optional

from .export import export_bundle
from .lora import merge_lora
from .model import AlphaCLIP
from .model_files import save_weights
from .train_options import HYPERPARAMETER_KEYS, TrainConfig


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
