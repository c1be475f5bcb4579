"""Validation: region accuracy and loss over the val split, shared among the ranks, and the best epoch so far."""
from __future__ import annotations

from typing import Optional, Tuple

import torch
import torch.nn.functional as F

from .batches import make_loader
from .devices import autocast
from .distributed import Dist, sum_over_ranks
from .model import AlphaCLIP
from .region_dataset import RegionDataset
from .run_state import RunState
from .train_options import TrainConfig


def evaluate(model: AlphaCLIP, dataset: RegionDataset, text_emb: torch.Tensor, cfg: TrainConfig, d: Dist,
             device: torch.device, dtype: Optional[torch.dtype]) -> Tuple[float, float, int]:
    """(accuracy, loss, samples) over the whole split; ranks share the work."""
    indices = list(range(d.rank, len(dataset), d.world))
    batches = [indices[i:i + cfg.eval_batch] for i in range(0, len(indices), cfg.eval_batch)]
    correct = torch.zeros((), dtype=torch.float64, device=device)
    loss_sum = torch.zeros((), dtype=torch.float64, device=device)
    was_training = model.training
    model.eval()
    with torch.no_grad():
        for image, alpha, labels in make_loader(dataset, batches, cfg.workers, device):
            image, alpha, labels = image.to(device), alpha.to(device), labels.to(device)
            with autocast(device, dtype):
                emb = model.encode_image(image, alpha)
            logits = F.normalize(emb.float(), dim=-1) @ text_emb.t()
            correct += (logits.argmax(dim=1) == labels).sum()
            loss_sum += F.cross_entropy(logits / cfg.temperature, labels, reduction="sum").double()
    model.train(was_training)
    totals = torch.stack([correct, loss_sum, torch.tensor(float(len(indices)), dtype=torch.float64, device=device)])
    sum_over_ranks(totals, d)
    n = int(totals[2].item())
    return (totals[0].item() / n, totals[1].item() / n, n) if n else (float("nan"), float("nan"), 0)


def scores(model: AlphaCLIP, dataset: RegionDataset, text_emb: torch.Tensor, logit_scale: float, cfg: TrainConfig,
           device: torch.device, dtype: Optional[torch.dtype]) -> Tuple[torch.Tensor, torch.Tensor]:
    """(logits [N, K] = logit_scale x cosine over all descriptions, labels [N]) of the whole split, in
    one process, in float64 on the CPU: what the calibration is fitted on."""
    indices = list(range(len(dataset)))
    batches = [indices[i:i + cfg.eval_batch] for i in range(0, len(indices), cfg.eval_batch)]
    logits, labels = [], []
    was_training = model.training
    model.eval()
    with torch.no_grad():
        for image, alpha, label in make_loader(dataset, batches, cfg.workers, device):
            with autocast(device, dtype):
                emb = model.encode_image(image.to(device), alpha.to(device))
            logits.append((logit_scale * (F.normalize(emb.float(), dim=-1) @ text_emb.t())).double().cpu())
            labels.append(label.cpu())
    model.train(was_training)
    if not logits:
        return torch.zeros(0, text_emb.shape[0], dtype=torch.float64), torch.zeros(0, dtype=torch.int64)
    return torch.cat(logits), torch.cat(labels).long()


def record(state: RunState, accuracy: float, loss: float) -> bool:
    """Notes an epoch's validation in the run's history; True when it is the best so far."""
    best = state.best_accuracy is None or accuracy > state.best_accuracy
    if best:
        state.best_accuracy, state.best_step, state.best_epoch = accuracy, state.step, state.epoch + 1
    state.history.append({"epoch": state.epoch + 1, "step": state.step, "val_accuracy": accuracy, "val_loss": loss})
    return best
