"""A run's checkpoint files: what a checkpoint holds, writing it atomically, finding, reading and restoring it.

    RUN/checkpoints/step-000120.pt   every --checkpoint-every steps and at every epoch end
    RUN/last.pt                      the newest checkpoint
    RUN/best.pt                      the checkpoint of the best validation accuracy

Every file is written to a temporary name and renamed into place, so a crash never leaves a
partial checkpoint. last.pt and best.pt are hard links to a step file (a copy where links are not
supported), so pruning old step files never removes them.

A checkpoint holds everything a resumed run needs to take exactly the step an uninterrupted run
would have taken: the trained tensors (LoRA mode: the trainable ones only, the base weights being
re-read from the run's --init; full mode: the whole model), optimizer, scheduler and gradient scaler
states, step, epoch and position in the epoch, the random generators of every rank, the
configuration, the tokenizer and descriptions, and the metrics so far.
"""
from __future__ import annotations

import inspect
import os
import re
import shutil
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Union

import torch
from torch import nn

from .run_state import RunState
from .train_options import TrainConfig

if TYPE_CHECKING:
    from .run_inputs import RunInputs

PathLike = Union[str, Path]

CHECKPOINT_FORMAT = "anomaly-lens-checkpoint"
CHECKPOINT_VERSION = 1
STEP_FILE = re.compile(r"^step-(\d+)\.pt$")
# Checkpoints hold optimizer and RNG states (tuples, numpy arrays) that weights_only loading
# refuses; torch >= 2.6 defaults to it, so it is turned off explicitly for the run's own files.
FULL_PICKLE = {"weights_only": False} if "weights_only" in inspect.signature(torch.load).parameters else {}


class CheckpointError(ValueError):
    pass


def step_path(run: Path, step: int) -> Path:
    return Path(run) / "checkpoints" / f"step-{step:06d}.pt"


def _temp_in(directory: Path, name: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=directory)
    os.close(fd)
    return Path(tmp)


def save_atomic(obj: Any, path: PathLike) -> Path:
    """torch.save to a temporary file beside path, flushed to disk, then renamed over path."""
    path = Path(path)
    tmp = _temp_in(path.parent, path.name)
    try:
        with open(tmp, "wb") as f:
            torch.save(obj, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def link_atomic(source: PathLike, target: PathLike) -> Path:
    """target becomes the same file as source (hard link, or a copy), replaced atomically."""
    source, target = Path(source), Path(target)
    tmp = _temp_in(target.parent, target.name)
    tmp.unlink()
    try:
        try:
            os.link(source, tmp)
        except OSError:
            shutil.copyfile(source, tmp)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def step_files(run: PathLike) -> List[Path]:
    """The run's step checkpoints, oldest first."""
    folder = Path(run) / "checkpoints"
    if not folder.is_dir():
        return []
    found = [(int(m.group(1)), p) for p in folder.iterdir() if (m := STEP_FILE.match(p.name))]
    return [p for _, p in sorted(found)]


def prune(run: PathLike, keep: int) -> None:
    """Removes all but the newest `keep` step checkpoints (0 keeps all); last.pt and best.pt,
    being links of their own, survive."""
    if keep <= 0:
        return
    for path in step_files(run)[:-keep]:
        path.unlink(missing_ok=True)



def load(path: PathLike, map_location: Union[str, torch.device] = "cpu") -> Dict[str, Any]:
    """Reads a checkpoint written by save_atomic and checks its format."""
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(f"{path}: no such checkpoint")
    try:
        obj = read_pickle(path, map_location)
    except Exception as err:  # zip and pickle errors come in many types
        raise CheckpointError(f"{path}: cannot read the checkpoint: {err}") from err
    return checked(obj, path)


def is_checkpoint(obj: Any) -> bool:
    return isinstance(obj, dict) and obj.get("format") == CHECKPOINT_FORMAT


def checked(obj: Any, path: PathLike) -> Dict[str, Any]:
    if not is_checkpoint(obj):
        raise CheckpointError(f"{path}: not an Anomaly Lens training checkpoint")
    if obj.get("version") != CHECKPOINT_VERSION:
        raise CheckpointError(f"{path}: checkpoint version {obj.get('version')!r}; this trainer reads {CHECKPOINT_VERSION}")
    return obj


def find_resume(run: PathLike) -> Optional[Path]:
    """RUN/last.pt when there is one, else the newest step file."""
    last = Path(run) / "last.pt"
    if last.is_file():
        return last
    files = step_files(run)
    return files[-1] if files else None

def read_pickle(path: PathLike, map_location: Union[str, torch.device] = "cpu") -> Any:
    """torch.load of a whole pickle: only for the run's own files, or files the user trusts."""
    return torch.load(str(path), map_location=map_location, **FULL_PICKLE)


# -- the content ---------------------------------------------------------------------------------

def trainable_state(model: nn.Module, tune: str) -> Dict[str, torch.Tensor]:
    """What a checkpoint stores of the model: LoRA mode the trainable tensors, full mode everything
    (a model trained from random weights needs its random text tower too)."""
    state = model.state_dict()
    if tune == "full":
        return {k: v.detach().cpu().clone() for k, v in state.items()}
    names = {n for n, p in model.named_parameters() if p.requires_grad}
    return {k: state[k].detach().cpu().clone() for k in names}


def content(cfg: TrainConfig, model: nn.Module, optimizer: Any, scheduler: Any, scaler: Any, state: RunState,
            rng: List[Dict[str, Any]], inputs: "RunInputs") -> Dict[str, Any]:
    """The checkpoint of a run after its current step; `rng` holds the generators of every rank."""
    return {
        "format": CHECKPOINT_FORMAT, "version": CHECKPOINT_VERSION,
        "config": asdict(cfg),
        "model_kind": cfg.tune,
        "model_config": {"size": model.cfg.size, "vocab_size": model.cfg.vocab_size},
        "model": trainable_state(model, cfg.tune),
        "optimizer": optimizer.state_dict(),
        "scheduler": scheduler.state_dict(),
        "scaler": scaler.state_dict(),
        "state": asdict(state),
        "rng": rng,
        "descriptions": inputs.texts, "input_ids": inputs.ids, "tokenizer": inputs.tokenizer,
        "dataset_hash": inputs.dataset_hash,
    }


def write(run: Path, checkpoint: Dict[str, Any], best: bool, keep: int) -> Path:
    """Saves the checkpoint as its step's file and as last.pt (and best.pt), then prunes to `keep` step files."""
    path = save_atomic(checkpoint, step_path(run, checkpoint["state"]["step"]))
    link_atomic(path, run / "last.pt")
    if best:
        link_atomic(path, run / "best.pt")
    prune(run, keep)
    return path


def restore(checkpoint: Dict[str, Any], where: Path, tune: str, model: nn.Module, optimizer: Any, scheduler: Any,
            scaler: Any) -> RunState:
    """Loads a checkpoint into the model and the optimizer, scheduler and scaler; returns its run state."""
    missing = set(trainable_state(model, tune)) - set(checkpoint["model"])
    if missing:
        raise CheckpointError(f"{where}: the checkpoint lacks {sorted(missing)[:5]}")
    model.load_state_dict(checkpoint["model"], strict=False)
    optimizer.load_state_dict(checkpoint["optimizer"])
    scheduler.load_state_dict(checkpoint["scheduler"])
    if checkpoint["scaler"]:
        scaler.load_state_dict(checkpoint["scaler"])
    return RunState(**checkpoint["state"])
