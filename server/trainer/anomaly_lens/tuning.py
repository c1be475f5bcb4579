"""What trains and how fast: the model made ready for LoRA or full tuning, its AdamW groups, the lr schedule."""
from __future__ import annotations

import math
from typing import Any, Callable, Dict, List, Tuple

import torch
from torch import nn

from .lora import apply_lora, mark_only_lora_trainable
from .model import AlphaCLIP, build_model
from .model_files import load_init
from .random_state import seed_everything
from .train_options import ConfigError, TrainConfig

CONV_ALPHA = "visual.conv1_alpha.weight"
CONV_RGB = "visual.conv1.weight"


def prepare_model(cfg: TrainConfig, vocab_size: int) -> Tuple[AlphaCLIP, List[str]]:
    """The model with LoRA applied (lora mode) and requires_grad set; returns it and the trainable names."""
    # Random weights (the whole model, or the LoRA adapters) come from the run's seed.
    seed_everything(cfg.seed)
    if cfg.init is not None:
        model = load_init(cfg.init, trusted=cfg.init_trusted)
        if model.cfg.vocab_size != vocab_size:
            raise ConfigError(f"{cfg.init}: the model's vocabulary has {model.cfg.vocab_size} tokens but the token "
                              f"file's tokenizer has {vocab_size}; tokenise with the model's own merges")
        if cfg.base is not None and cfg.base != model.cfg.size:
            raise ConfigError(f"--base {cfg.base}, but the --init weights {cfg.init} are a {model.cfg.size} model")
        cfg.base = model.cfg.size
        seed_everything(cfg.seed)
    else:
        model = build_model(cfg.base, vocab_size=vocab_size)
    model.use_alpha = cfg.alpha
    for p in model.parameters():
        p.requires_grad_(False)
    if cfg.tune == "lora":
        apply_lora(model, r=cfg.lora_r, alpha=cfg.lora_alpha, dropout=cfg.lora_dropout)
        trainable = mark_only_lora_trainable(model, also=[CONV_RGB] + ([CONV_ALPHA] if cfg.alpha else []))
    else:
        trainable = []
        for name, p in model.named_parameters():
            if name.startswith("visual.") and (cfg.alpha or name != CONV_ALPHA):
                p.requires_grad_(True)
                trainable.append(name)
    return model, trainable


def parameter_groups(model: nn.Module, cfg: TrainConfig) -> List[Dict[str, Any]]:
    """AdamW groups by name: conv1_alpha, conv1, and the rest (LoRA adapters or the visual tower)."""
    groups: Dict[str, List[nn.Parameter]] = {"main": [], "conv1_alpha": [], "conv1": []}
    for name, p in model.named_parameters():
        if p.requires_grad:
            groups["conv1_alpha" if name == CONV_ALPHA else "conv1" if name == CONV_RGB else "main"].append(p)
    lrs = {"main": cfg.lr, "conv1_alpha": cfg.lr_alpha_conv, "conv1": cfg.lr_conv}
    return [{"name": name, "params": params, "lr": lrs[name]} for name, params in groups.items() if params]


def lr_factor(schedule: str, warmup: int, total: int) -> Callable[[int], float]:
    """Multiplier of the base learning rates after `s` optimizer steps: linear warmup, then
    constant or a cosine decay to zero at the last step."""
    def factor(s: int) -> float:
        if warmup and s < warmup:
            return (s + 1) / warmup
        if schedule == "constant":
            return 1.0
        span = max(1, total - warmup)
        return 0.5 * (1.0 + math.cos(math.pi * min(1.0, (s - warmup) / span)))
    return factor


class ImageTower(nn.Module):
    """The visual tower as one module, so DistributedDataParallel wraps exactly what trains."""

    def __init__(self, model: AlphaCLIP):
        super().__init__()
        self.visual = model.visual
        self.use_alpha = model.use_alpha

    def forward(self, image: torch.Tensor, alpha: torch.Tensor) -> torch.Tensor:
        return self.visual(image, alpha if self.use_alpha else None)
