"""Fine-tuning AlphaCLIP on a region dataset (paper §3.3, §4.1): supervised contrastive loss between
region embeddings and the frozen text embeddings of their descriptions, LoRA or full tuning of the
visual tower, one process per GPU under torchrun, checkpoints that resume bit-exactly on the CPU,
validation accuracy per epoch, and an exported bundle at the end.

Tuning modes and their defaults
  --tune lora   (default with --init, i.e. pretrained weights) LoRA r=64, alpha=64, dropout 0.1 on
                the visual attention in/out projections and MLP layers (paper Table 3), plus
                conv1_alpha (lr 1e-4) and conv1 (lr 1e-6); the LoRA lr (--lr) defaults to 1e-4.
  --tune full   (default without --init, i.e. `--base tiny` from random weights) every visual
                parameter trains. From random weights LoRA would adapt noise, and the paper's conv
                learning rates (tuned for moving pretrained weights a little) would all but freeze
                the patch embeddings, so here --lr defaults to 5e-4 and --lr-alpha-conv and
                --lr-conv default to --lr. With --init and --tune full: --lr 1e-5, convs as the paper.
The text tower (and logit_scale) never trains. AdamW, betas (0.9, 0.999), weight decay 1e-4.
"""
from __future__ import annotations

import contextlib
import copy
import json
import math
import os
import signal
import sys
import time
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader

from . import checkpoint as ckpt
from .cli_import import read_token_file
from .config import SIZES
from .data import (DatasetError, RegionDataset, RegionSample, ResumableBatches, dataset_hash, flip_generator,
                   manifest_descriptions, random_flips, read_manifest, read_steadily, region_samples)
from .export import export_bundle, text_embeddings
from .lora import apply_lora, mark_only_lora_trainable, merge_lora
from .loss import supcon_loss
from .model import AlphaCLIP, build_model
from .progress import PROTOCOL_VERSION, Progress, RateMeter

CONV_ALPHA = "visual.conv1_alpha.weight"
CONV_RGB = "visual.conv1.weight"


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


def _runtime_checks(cfg: TrainConfig) -> None:
    if cfg.device not in ("auto", "cpu", "cuda"):
        raise ConfigError(f"--device must be auto, cpu or cuda, got {cfg.device!r}")
    if cfg.amp not in ("auto", "off", "fp16", "bf16"):
        raise ConfigError(f"--amp must be auto, off, fp16 or bf16, got {cfg.amp!r}")
    if cfg.workers < 0 or cfg.cache_mb < 0 or cfg.checkpoint_every < 0 or cfg.keep_checkpoints < 0:
        raise ConfigError("--workers, --cache-mb, --checkpoint-every and --keep-checkpoints must not be negative")


# -- the model being trained ---------------------------------------------------------------------

def prepare_model(cfg: TrainConfig, vocab_size: int) -> Tuple[AlphaCLIP, List[str]]:
    """The model with LoRA applied (lora mode) and requires_grad set; returns it and the trainable names."""
    # Random weights (the whole model, or the LoRA adapters) come from the run's seed.
    ckpt.seed_everything(cfg.seed)
    if cfg.init is not None:
        model = ckpt.load_init(cfg.init, trusted=cfg.init_trusted)
        if model.cfg.vocab_size != vocab_size:
            raise ConfigError(f"{cfg.init}: the model's vocabulary has {model.cfg.vocab_size} tokens but the token "
                              f"file's tokenizer has {vocab_size}; tokenise with the model's own merges")
        if cfg.base is not None and cfg.base != model.cfg.size:
            raise ConfigError(f"--base {cfg.base}, but the --init weights {cfg.init} are a {model.cfg.size} model")
        cfg.base = model.cfg.size
        ckpt.seed_everything(cfg.seed)
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


def trainable_state(model: nn.Module, tune: str) -> Dict[str, torch.Tensor]:
    """What a checkpoint stores of the model: LoRA mode the trainable tensors, full mode everything
    (a model trained from random weights needs its random text tower too)."""
    state = model.state_dict()
    if tune == "full":
        return {k: v.detach().cpu().clone() for k, v in state.items()}
    names = {n for n, p in model.named_parameters() if p.requires_grad}
    return {k: state[k].detach().cpu().clone() for k in names}


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


# -- devices, precision, processes -----------------------------------------------------------------

@dataclass
class Dist:
    rank: int = 0
    world: int = 1
    local_rank: int = 0

    @property
    def main(self) -> bool:
        return self.rank == 0


def init_distributed(device_pref: str) -> Dist:
    """torchrun sets WORLD_SIZE, RANK and LOCAL_RANK; a plain start is one process."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world <= 1:
        return Dist()
    info = Dist(int(os.environ["RANK"]), world, int(os.environ.get("LOCAL_RANK", "0")))
    use_cuda = device_pref != "cpu" and torch.cuda.is_available()
    if use_cuda:
        torch.cuda.set_device(info.local_rank)
    if not dist.is_initialized():
        dist.init_process_group("nccl" if use_cuda else "gloo")
    return info


def pick_device(pref: str, d: Dist) -> torch.device:
    if pref == "cpu":
        return torch.device("cpu")
    if torch.cuda.is_available():
        return torch.device("cuda", d.local_rank)
    if pref == "cuda":
        raise ConfigError(f"--device cuda, but this PyTorch ({torch.__version__}) sees no CUDA device "
                          f"(CUDA build: {torch.version.cuda or 'none'})")
    return torch.device("cpu")


def amp_dtype(pref: str, device: torch.device) -> Optional[torch.dtype]:
    """Mixed precision on CUDA: bfloat16 where supported (no loss scaling needed), else float16."""
    if device.type != "cuda" or pref == "off":
        return None
    if pref == "bf16" or (pref == "auto" and torch.cuda.is_bf16_supported()):
        return torch.bfloat16
    return torch.float16


def autocast(device: torch.device, dtype: Optional[torch.dtype]):
    if dtype is None:
        return contextlib.nullcontext()
    return torch.autocast(device_type=device.type, dtype=dtype)


def make_scaler(enabled: bool):
    """A gradient scaler (float16 only): torch.amp.GradScaler where it exists (torch >= 2.3),
    torch.cuda.amp.GradScaler before."""
    amp = getattr(torch, "amp", None)
    if amp is not None and hasattr(amp, "GradScaler"):
        return amp.GradScaler("cuda", enabled=enabled)
    return torch.cuda.amp.GradScaler(enabled=enabled)


def reference_blas(maps: Optional[str] = None) -> Optional[str]:
    """The path of the reference (unoptimised) BLAS when this process computes with it, else None.
    Debian's python3-torch uses whichever libblas.so.3 the system selects; the reference one makes
    CPU training many times slower than OpenBLAS."""
    if maps is None:
        try:
            maps = Path("/proc/self/maps").read_text()
        except OSError:
            return None
    libraries = {line.split()[-1] for line in maps.splitlines() if len(line.split()) >= 6}
    if any(name in lib.lower() for lib in libraries for name in ("openblas", "mkl", "blis")):
        return None
    return next((lib for lib in sorted(libraries) if "/blas/libblas.so" in lib), None)


class Stopper:
    """SIGINT/SIGTERM ask for a clean stop: the current step finishes, a checkpoint is written."""

    def __init__(self) -> None:
        self.signal_name: Optional[str] = None

    @property
    def requested(self) -> bool:
        return self.signal_name is not None

    def install(self) -> Dict[int, Any]:
        """Installs the handlers; returns the previous ones."""
        return {sig: signal.signal(sig, self._handle) for sig in (signal.SIGINT, signal.SIGTERM)}

    @staticmethod
    def uninstall(previous: Dict[int, Any]) -> None:
        for sig, handler in previous.items():
            signal.signal(sig, handler)

    def _handle(self, signum, _frame) -> None:
        if self.signal_name is None:
            self.signal_name = signal.Signals(signum).name
            print(f"{self.signal_name} received: stopping after the current step", file=sys.stderr)


# -- evaluation ----------------------------------------------------------------------------------

def make_loader(dataset: RegionDataset, batches, workers: int, device: torch.device) -> DataLoader:
    """Batches from the cache in this process, or decoded by `workers` processes. The loader gets its
    own generator: creating an iterator then draws nothing from the global one (dropout's), which
    keeps a resumed run on the same random sequence."""
    use_workers = 0 if dataset.cached else workers
    return DataLoader(dataset, sampler=batches, batch_size=None, num_workers=use_workers,
                      pin_memory=device.type == "cuda", generator=torch.Generator().manual_seed(0),
                      persistent_workers=False)


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
    if d.world > 1:
        dist.all_reduce(totals)
    n = int(totals[2].item())
    return (totals[0].item() / n, totals[1].item() / n, n) if n else (float("nan"), float("nan"), 0)


# -- the run ---------------------------------------------------------------------------------------

@dataclass
class RunState:
    step: int = 0
    epoch: int = 0  # the epoch in progress, from 0
    batch_in_epoch: int = 0
    best_accuracy: Optional[float] = None
    best_step: Optional[int] = None
    best_epoch: Optional[int] = None
    last_loss: Optional[float] = None
    #: The step at which the last epoch end (validation, checkpoint) was handled.
    epoch_end_step: Optional[int] = None
    total_steps: Optional[int] = None
    history: List[Dict[str, Any]] = field(default_factory=list)


def _finished(state: Dict[str, Any]) -> bool:
    total = state.get("total_steps")
    return total is not None and state["step"] >= total and state.get("epoch_end_step") == state["step"]


class Trainer:
    def __init__(self, explicit: Dict[str, Any], progress: Progress, stopper: Stopper):
        self.progress = progress
        self.stopper = stopper
        self.started = time.monotonic()
        self.d = init_distributed(explicit.get("device", "auto"))
        out = explicit.get("out")
        if not out:
            raise ConfigError("--out is required")
        self.run = Path(out).resolve()
        resume = ckpt.find_resume(self.run)
        self.resumed = ckpt.load(resume) if resume is not None else None
        self.cfg = resolve_config(explicit, self.resumed["config"] if self.resumed else None)
        _runtime_checks(self.cfg)
        if self.cfg.dataset is None or self.cfg.tokens is None or self.cfg.merges is None:
            raise ConfigError("--dataset, --tokens and --merges are required")

    # -- setup -------------------------------------------------------------------------------------
    def _read_inputs(self) -> None:
        cfg = self.cfg
        tokenizer, texts, ids = read_token_file(cfg.tokens)
        if not texts:
            raise DatasetError(f"{cfg.tokens}: the token file holds no descriptions")
        context = tokenizer.get("contextLength")
        vocab = tokenizer.get("vocabSize")
        if not isinstance(vocab, int) or any(len(row) != context for row in ids):
            raise DatasetError(f"{cfg.tokens}: every input_ids row must have contextLength ({context}) ids and vocabSize must be set")
        if any(i < 0 or i >= vocab for row in ids for i in row):
            raise DatasetError(f"{cfg.tokens}: token ids outside the vocabulary of {vocab}")
        if self.resumed and (self.resumed["descriptions"] != texts or self.resumed["input_ids"] != ids):
            raise ConfigError(f"{cfg.tokens}: the descriptions or their token ids differ from those the run in {self.run} started with")
        self.tokenizer, self.texts, self.ids = tokenizer, texts, ids
        root = Path(cfg.dataset).resolve()
        labels = {text: i for i, text in enumerate(texts)}

        def read() -> Tuple[str, List[RegionSample], List[RegionSample]]:
            manifest = read_manifest(root)
            missing = [t for t in manifest_descriptions(manifest) if t not in labels]
            if missing:
                raise DatasetError(f"{cfg.tokens}: lacks descriptions of {root / 'dataset.json'}: {missing[:5]}")
            return dataset_hash(root), region_samples(root, "train", labels), region_samples(root, "val", labels)

        # One version of the dataset, old or new, whatever a rebuild does meanwhile.
        self.dataset_hash, self.train_samples, self.val_samples = read_steadily(root, read)
        if self.resumed and self.resumed["dataset_hash"] != self.dataset_hash:
            raise ConfigError(f"{root}: the dataset changed since the run in {self.run} started; train into a new folder")
        if not self.train_samples:
            raise DatasetError(f"{root / 'train.jsonl'}: no training regions")

    def _datasets(self, image_size: int) -> None:
        cfg = self.cfg
        self.train_ds = RegionDataset(self.train_samples, image_size, cfg.alpha)
        self.val_ds = RegionDataset(self.val_samples, image_size, cfg.alpha)
        for ds in (self.train_ds, self.val_ds):
            for file, message in ds.drop_missing():
                self.progress.warning(f"{message}; its regions are left out", file)
        budget = cfg.cache_mb * 2 ** 20
        self.cached = self.train_ds.cache_bytes() + self.val_ds.cache_bytes() <= budget
        if self.cached:
            for split, ds in (("train", self.train_ds), ("val", self.val_ds)):
                problems = ds.preload(cfg.workers, lambda done, total, s=split: self.progress.prepare(s, done, total),
                                      lambda: self.stopper.requested and self.d.world == 1)
                for file, message in problems:
                    self.progress.warning(f"{message}; its regions are left out", file)
                if self.stopper.requested and self.d.world == 1:
                    return
        if len(self.train_ds) == 0:
            raise DatasetError(f"{cfg.dataset}: no readable training regions")

    def _write_run_json(self, model: AlphaCLIP) -> None:
        info = {
            "format": "anomaly-lens-run", "version": 1,
            "config": asdict(self.cfg),
            "model": {"size": model.cfg.size, "vocabSize": model.cfg.vocab_size, "imageSize": model.cfg.image_size,
                      "embedDim": model.cfg.embed_dim, "alpha": self.cfg.alpha},
            "tokenizer": {**self.tokenizer, "merges": str(Path(self.cfg.merges).resolve())},
            "datasetHash": self.dataset_hash,
        }
        path = self.run / "run.json"
        tmp = path.with_name(f".run.json.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
        os.replace(tmp, path)

    # -- checkpoints -------------------------------------------------------------------------------
    def _gather_rng(self) -> List[Dict[str, Any]]:
        state = ckpt.rng_state()
        if self.d.world == 1:
            return [state]
        gathered: List[Any] = [None] * self.d.world
        dist.all_gather_object(gathered, state)
        return gathered

    def _save(self, best: bool = False) -> Optional[Path]:
        """A checkpoint of the state after the current step (every rank calls; rank 0 writes)."""
        rng = self._gather_rng()
        if not self.d.main:
            return None
        s = self.state
        content = {
            "format": ckpt.CHECKPOINT_FORMAT, "version": ckpt.CHECKPOINT_VERSION,
            "config": asdict(self.cfg),
            "model_kind": self.cfg.tune,
            "model_config": {"size": self.model.cfg.size, "vocab_size": self.model.cfg.vocab_size},
            "model": trainable_state(self.model, self.cfg.tune),
            "optimizer": self.optimizer.state_dict(),
            "scheduler": self.scheduler.state_dict(),
            "scaler": self.scaler.state_dict(),
            "state": asdict(s),
            "rng": rng,
            "descriptions": self.texts, "input_ids": self.ids, "tokenizer": self.tokenizer,
            "dataset_hash": self.dataset_hash,
        }
        path = ckpt.save_atomic(content, ckpt.step_path(self.run, s.step))
        ckpt.link_atomic(path, self.run / "last.pt")
        if best:
            ckpt.link_atomic(path, self.run / "best.pt")
        ckpt.prune(self.run, self.cfg.keep_checkpoints)
        self.progress.emit("checkpoint", path=str(path), step=s.step, epoch=self._epoch_of_step(), best=best)
        return path

    def _restore(self) -> None:
        ck = self.resumed
        missing = set(trainable_state(self.model, self.cfg.tune)) - set(ck["model"])
        if missing:
            raise ckpt.CheckpointError(f"{self.run}: the checkpoint lacks {sorted(missing)[:5]}")
        self.model.load_state_dict(ck["model"], strict=False)
        self.optimizer.load_state_dict(ck["optimizer"])
        self.scheduler.load_state_dict(ck["scheduler"])
        if ck["scaler"]:
            self.scaler.load_state_dict(ck["scaler"])
        self.state = RunState(**ck["state"])

    def _restore_rng(self) -> None:
        rng = self.resumed["rng"] if self.resumed else None
        if rng and self.d.rank < len(rng):
            ckpt.set_rng_state(rng[self.d.rank])
        else:
            ckpt.seed_everything(self.cfg.seed + 1_000 * self.d.rank + self.state.step)

    # -- training ------------------------------------------------------------------------------------
    def _stop_agreed(self, loss: torch.Tensor) -> Tuple[float, bool]:
        """(the loss averaged over ranks, whether any rank was asked to stop): one all-reduce."""
        stop = self.stopper.requested or (self.cfg.stop_at is not None and self.state.step >= self.cfg.stop_at)
        if self.d.world == 1:
            return loss.item(), stop
        packed = torch.stack([loss.detach().float(), torch.tensor(float(stop), device=loss.device)])
        dist.all_reduce(packed)
        return packed[0].item() / self.d.world, packed[1].item() > 0

    def _train_step(self, batch, text_emb: torch.Tensor) -> torch.Tensor:
        image, alpha, labels = (t.to(self.device, non_blocking=True) for t in batch)
        image, alpha = random_flips(image, alpha, flip_generator(self.cfg.seed, self.state.step))
        with autocast(self.device, self.dtype):
            emb = self.tower(image, alpha)
        # The text side is the precomputed, frozen embedding of each sample's description.
        loss = supcon_loss(emb.float(), text_emb[labels], labels, self.cfg.temperature)
        self.optimizer.zero_grad(set_to_none=True)
        self.scaler.scale(loss).backward()
        self.scaler.step(self.optimizer)
        self.scaler.update()
        self.scheduler.step()
        return loss

    def _evaluate_epoch(self, text_emb: torch.Tensor) -> bool:
        """Validation at an epoch end; True when it is the best so far (or when there is no val split)."""
        s = self.state
        if len(self.val_ds) == 0:
            return True
        accuracy, loss, n = evaluate(self.model, self.val_ds, text_emb, self.cfg, self.d, self.device, self.dtype)
        best = s.best_accuracy is None or accuracy > s.best_accuracy
        if best:
            s.best_accuracy, s.best_step, s.best_epoch = accuracy, s.step, s.epoch + 1
        s.history.append({"epoch": s.epoch + 1, "step": s.step, "val_accuracy": accuracy, "val_loss": loss})
        self.progress.emit("eval", epoch=s.epoch + 1, step=s.step, val_accuracy=accuracy, val_loss=loss, samples=n, best=best)
        return best

    def run_training(self) -> int:
        cfg, d = self.cfg, self.d
        self._read_inputs()
        self.device = pick_device(cfg.device, d)
        self.dtype = amp_dtype(cfg.amp, self.device)
        if self.device.type == "cuda":
            torch.backends.cudnn.benchmark = True
            torch.backends.cuda.matmul.allow_tf32 = True
        blas = reference_blas() if self.device.type == "cpu" else None
        if blas:
            self.progress.warning(f"PyTorch computes with the reference BLAS ({blas}), many times slower than an "
                                  "optimised one; on Debian/Ubuntu: sudo apt-get install libopenblas0-pthread")
        self.model, trainable = prepare_model(cfg, int(self.tokenizer["vocabSize"]))
        if self.resumed and _finished(self.resumed["state"]):
            # A finished run: nothing to train, the bundle is written again.
            self.state = RunState(**self.resumed["state"])
            return self._finish()
        if d.main:
            self.run.mkdir(parents=True, exist_ok=True)
            if not self.resumed:
                self._write_run_json(self.model)
        self._datasets(self.model.cfg.image_size)
        if self.stopper.requested:
            self.progress.emit("stopped", step=0, epoch=0, checkpoint=None, signal=self.stopper.signal_name)
            return 0

        self.model.to(self.device)
        self.model.set_grad_checkpointing(cfg.grad_checkpointing)
        batches = ResumableBatches(self.train_ds, self._rank_batch(), d.world, d.rank, cfg.seed)
        per_epoch = batches.batches_per_epoch()
        total = cfg.epochs * per_epoch if cfg.max_steps is None else min(cfg.epochs * per_epoch, cfg.max_steps)
        self.optimizer = torch.optim.AdamW(parameter_groups(self.model, cfg), betas=(cfg.beta1, cfg.beta2),
                                           weight_decay=cfg.weight_decay)
        self.scheduler = torch.optim.lr_scheduler.LambdaLR(self.optimizer, lr_factor(cfg.schedule, cfg.warmup_steps, total))
        self.scaler = make_scaler(self.dtype == torch.float16)
        self.state = RunState()
        if self.resumed:
            self._restore()
        self.state.total_steps = total

        # The text tower is frozen, so the embeddings of the descriptions never change: computing
        # them once here instead of in every step saves the whole text forward pass (a third of
        # CLIP's compute at ViT-L) and lets each batch look its texts up by label.
        self.model.eval()
        ids = torch.tensor(self.ids, dtype=torch.int64, device=self.device)
        text_emb = torch.from_numpy(text_embeddings(self.model, ids, cfg.eval_batch)).to(self.device)
        self.model.train()

        self.tower: nn.Module = ImageTower(self.model)
        if d.world > 1:
            device_ids = [self.device.index] if self.device.type == "cuda" else None
            self.tower = nn.parallel.DistributedDataParallel(self.tower, device_ids=device_ids)

        trainable_names = set(trainable)
        self.progress.emit(
            "start", version=PROTOCOL_VERSION, run=str(self.run), device=str(self.device), world_size=d.world,
            amp=str(self.dtype).replace("torch.", "") if self.dtype else "off", config=asdict(cfg),
            samples={"train": len(self.train_ds), "val": len(self.val_ds)}, descriptions=len(self.texts),
            steps={"total": total, "per_epoch": per_epoch}, epochs=math.ceil(total / per_epoch),
            resumed_from=self.state.step if self.resumed else None,
            trainable_parameters=sum(p.numel() for n, p in self.model.named_parameters() if n in trainable_names),
            cached=self.cached,
        )
        self._restore_rng()
        return self._loop(batches, text_emb, total, per_epoch)

    def _rank_batch(self) -> int:
        if self.cfg.batch % self.d.world:
            raise ConfigError(f"--batch {self.cfg.batch} is the global batch and must divide among {self.d.world} processes")
        return self.cfg.batch // self.d.world

    def _loop(self, batches: ResumableBatches, text_emb: torch.Tensor, total: int, per_epoch: int) -> int:
        s, cfg = self.state, self.cfg
        rate = RateMeter()
        rate.tick()
        while True:
            if s.step < total:
                batches.set_epoch(s.epoch, skip=s.batch_in_epoch)
                for batch in make_loader(self.train_ds, batches, cfg.workers, self.device):
                    loss_t = self._train_step(batch, text_emb)
                    s.step += 1
                    s.batch_in_epoch += 1
                    loss, stop = self._stop_agreed(loss_t)
                    if not math.isfinite(loss):
                        raise FloatingPointError(f"the loss became {loss} at step {s.step}; lower --lr (now {cfg.lr:g})")
                    s.last_loss = loss
                    rate.tick()
                    sps = rate.steps_per_s()
                    self.progress.step(force=s.step == 1 or s.step >= total or stop, step=s.step, epoch=s.epoch + 1,
                                       loss=loss, lr=self.optimizer.param_groups[0]["lr"],
                                       samples_per_s=sps * cfg.batch if sps else None, eta_s=rate.eta(total - s.step))
                    if stop:
                        return self._stopped(self._save())
                    if s.step >= total:
                        break
                    if cfg.checkpoint_every and s.step % cfg.checkpoint_every == 0 and s.batch_in_epoch < per_epoch:
                        self._save()
            if s.epoch_end_step != s.step:
                # The epoch's batches are done, or the run's last step is: validate, checkpoint.
                best = self._evaluate_epoch(text_emb)
                if s.batch_in_epoch >= per_epoch:
                    s.epoch += 1
                    s.batch_in_epoch = 0
                s.epoch_end_step = s.step
                self._save(best=best)
                rate.reset()
            if s.step >= total:
                return self._finish()
            if self._stop_agreed(torch.zeros((), device=self.device))[1]:
                return self._stopped(self.run / "last.pt")

    def _epoch_of_step(self) -> int:
        """The epoch (from 1) of the last step taken; at an epoch end the state has moved on already."""
        s = self.state
        return s.epoch if s.batch_in_epoch == 0 and s.step > 0 else s.epoch + 1

    def _stopped(self, checkpoint: Optional[Path]) -> int:
        s = self.state
        self.progress.emit("stopped", step=s.step, epoch=self._epoch_of_step(), checkpoint=str(checkpoint) if checkpoint else None,
                           signal=self.stopper.signal_name or "stop-at")
        return 0

    def _finish(self) -> int:
        s = self.state
        bundle = None
        if self.d.main and self.cfg.export:
            best = ckpt.load(self.run / "best.pt")
            self.model.load_state_dict(best["model"], strict=False)
            bundle = export_model(self.model.cpu(), best, self.run / "bundle", self.cfg)
        self.progress.emit(
            "done", best_accuracy=s.best_accuracy, best_step=s.best_step, best_epoch=s.best_epoch, steps=s.step,
            seconds=time.monotonic() - self.started,
            paths={"run": str(self.run), "last": str(self.run / "last.pt"), "best": str(self.run / "best.pt"),
                   "bundle": str(bundle) if bundle else None},
        )
        return 0


def export_model(model: AlphaCLIP, checkpoint: Dict[str, Any], out: Path, cfg: TrainConfig) -> Path:
    """Exports a trained model to a bundle (LoRA merged) with the run's provenance, plus the merged
    weights as weights.pt for further fine-tuning (--init BUNDLE)."""
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
                           checkpoint["input_ids"], provenance, alpha=cfg.alpha)
    merged = merge_lora(copy.deepcopy(model)).cpu()
    ckpt.save_atomic(ckpt.weights_file(merged.state_dict(), model.cfg.size, model.cfg.vocab_size, cfg.alpha),
                     bundle / "weights.pt")
    return bundle


def train(explicit: Dict[str, Any], progress: Progress) -> int:
    """Runs (or resumes) a training run; explicit holds the options given (TrainConfig names)."""
    stopper = Stopper()
    previous = stopper.install()
    try:
        return Trainer(explicit, progress, stopper).run_training()
    finally:
        stopper.uninstall(previous)
        if dist.is_initialized():
            dist.destroy_process_group()
