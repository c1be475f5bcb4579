"""The options of a training run: their defaults by tuning mode, their checks, what a resumed run may change."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from typing import Any, Dict, Optional

from .config import SIZES


class ConfigError(ValueError):
    """Options that do not fit together or do not fit the run being resumed."""


@dataclass
class TrainConfig:
    dataset: str
    tokens: str
    merges: str
    out: str
    base: Optional[str] = None  # tiny without --init; the size of the --init weights with it
    init: Optional[str] = None
    # --init may be read as a full pickle (a run's checkpoint): the user says the file is trusted.
    init_trusted: bool = False
    tune: Optional[str] = None
    epochs: int = 10
    max_steps: Optional[int] = None
    batch: int = 64
    eval_batch: int = 256
    lr: Optional[float] = None
    lr_alpha_conv: Optional[float] = None
    lr_conv: Optional[float] = None
    weight_decay: float = 1e-4
    beta1: float = 0.9
    beta2: float = 0.999
    lora_r: int = 64
    lora_alpha: float = 64.0
    lora_dropout: float = 0.1
    temperature: float = 0.07
    schedule: str = "constant"
    warmup_steps: int = 0
    alpha: bool = True
    seed: int = 0
    # Runtime options: they may change when a run is resumed.
    device: str = "auto"
    amp: str = "auto"
    workers: int = field(default_factory=lambda: min(8, os.cpu_count() or 1))
    cache_mb: int = 4096
    checkpoint_every: int = 0
    keep_checkpoints: int = 3
    stop_at: Optional[int] = None
    export: bool = True
    grad_checkpointing: bool = False


RUNTIME_KEYS = {"dataset", "tokens", "merges", "out", "init_trusted", "device", "amp", "workers", "cache_mb", "checkpoint_every",
                "keep_checkpoints", "stop_at", "export", "grad_checkpointing"}
HYPERPARAMETER_KEYS = [f.name for f in fields(TrainConfig) if f.name not in RUNTIME_KEYS]


def resolve_config(explicit: Dict[str, Any], saved: Optional[Dict[str, Any]] = None) -> TrainConfig:
    """The run's configuration: the options given, the mode-dependent defaults for the rest. When
    resuming, the saved hyperparameters stand and a different explicit one is an error."""
    names = {f.name for f in fields(TrainConfig)}
    unknown = set(explicit) - names
    if unknown:
        raise ConfigError(f"unknown options: {', '.join(sorted(unknown))}")
    if saved is not None:
        conflicts = [
            f"--{k.replace('_', '-')} {explicit[k]!r} (the run has {saved.get(k)!r})"
            for k in HYPERPARAMETER_KEYS if k in explicit and explicit[k] != saved.get(k)
        ]
        if conflicts:
            raise ConfigError(
                f"{explicit.get('out')}: resuming a run started with other settings: {'; '.join(conflicts)}. "
                "Drop these options to resume, or train into a new folder.")
        values = {k: saved[k] for k in HYPERPARAMETER_KEYS if k in saved}
        values.update({k: v for k, v in explicit.items() if k in RUNTIME_KEYS})
        for k in ("dataset", "tokens", "merges", "init_trusted"):
            values.setdefault(k, saved.get(k))
        values["init_trusted"] = bool(values["init_trusted"])
        return TrainConfig(**values)

    cfg = TrainConfig(**explicit)
    if cfg.base is None and cfg.init is None:
        cfg.base = "tiny"
    if cfg.base is not None and cfg.base not in SIZES:
        raise ConfigError(f"unknown --base {cfg.base!r}; known: {', '.join(SIZES)}")
    pretrained = cfg.init is not None
    if cfg.tune is None:
        cfg.tune = "lora" if pretrained else "full"
    if cfg.tune not in ("lora", "full"):
        raise ConfigError(f"--tune must be lora or full, got {cfg.tune!r}")
    if cfg.tune == "lora" and not pretrained:
        raise ConfigError("--tune lora needs pretrained weights (--init): LoRA on randomly initialised weights "
                          "adapts noise. Train a model from scratch with --tune full.")
    if cfg.lr is None:
        cfg.lr = 1e-4 if cfg.tune == "lora" else (1e-5 if pretrained else 5e-4)
    if cfg.lr_alpha_conv is None:
        cfg.lr_alpha_conv = 1e-4 if pretrained else cfg.lr
    if cfg.lr_conv is None:
        cfg.lr_conv = 1e-6 if pretrained else cfg.lr
    if cfg.schedule not in ("constant", "cosine"):
        raise ConfigError(f"--schedule must be constant or cosine, got {cfg.schedule!r}")
    checks = [
        (cfg.epochs >= 1, "--epochs must be at least 1"),
        (cfg.max_steps is None or cfg.max_steps >= 1, "--max-steps must be at least 1"),
        (cfg.batch >= 1 and cfg.eval_batch >= 1, "batch sizes must be at least 1"),
        (cfg.temperature > 0, "--temperature must be positive"),
        (cfg.lora_r >= 1, "--lora-r must be at least 1"),
        (0 <= cfg.lora_dropout < 1, "--lora-dropout must be in [0, 1)"),
        (min(cfg.lr, cfg.lr_alpha_conv, cfg.lr_conv) >= 0, "learning rates must not be negative"),
        (cfg.warmup_steps >= 0, "--warmup-steps must not be negative"),
    ]
    for ok, message in checks:
        if not ok:
            raise ConfigError(message)
    return cfg


def runtime_checks(cfg: TrainConfig) -> None:
    """Checks of the runtime options, those a resumed run may change (resolve_config checks the rest)."""
    if cfg.device not in ("auto", "cpu", "cuda"):
        raise ConfigError(f"--device must be auto, cpu or cuda, got {cfg.device!r}")
    if cfg.amp not in ("auto", "off", "fp16", "bf16"):
        raise ConfigError(f"--amp must be auto, off, fp16 or bf16, got {cfg.amp!r}")
    if cfg.workers < 0 or cfg.cache_mb < 0 or cfg.checkpoint_every < 0 or cfg.keep_checkpoints < 0:
        raise ConfigError("--workers, --cache-mb, --checkpoint-every and --keep-checkpoints must not be negative")
