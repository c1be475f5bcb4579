"""Training checkpoints of a run folder.

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
import random
import re
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Any, Dict, List, Optional, Union

import numpy as np
import torch

from .lora import apply_lora, merge_lora
from .model import AlphaCLIP, build_model
from .weights import load_pretrained

PathLike = Union[str, Path]

CHECKPOINT_FORMAT = "anomaly-lens-checkpoint"
CHECKPOINT_VERSION = 1
WEIGHTS_FORMAT = "anomaly-lens-weights"
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
        obj = torch.load(str(path), map_location=map_location, **FULL_PICKLE)
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


# -- random generators -------------------------------------------------------------------------

def rng_state() -> Dict[str, Any]:
    state = {
        "python": random.getstate(),
        "numpy": np.random.get_state(),
        "torch": torch.get_rng_state(),
    }
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def set_rng_state(state: Dict[str, Any]) -> None:
    random.setstate(state["python"])
    np.random.set_state(state["numpy"])
    torch.set_rng_state(state["torch"].cpu() if hasattr(state["torch"], "cpu") else state["torch"])
    if "cuda" in state and torch.cuda.is_available():
        cuda = state["cuda"]
        if len(cuda) == torch.cuda.device_count():
            torch.cuda.set_rng_state_all([s.cpu() for s in cuda])


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed % (2 ** 32))
    torch.manual_seed(seed)


# -- portable model weights ----------------------------------------------------------------------

def weights_file(state_dict: Dict[str, torch.Tensor], size: str, vocab_size: int, use_alpha: bool) -> Dict[str, Any]:
    """The content of a bundle's weights.pt: the model's full state dict in float16 (as OpenAI
    ships CLIP), for further fine-tuning with --init. The runtime does not read it."""
    return {
        "format": WEIGHTS_FORMAT,
        "version": 1,
        "size": size,
        "vocab_size": vocab_size,
        "use_alpha": use_alpha,
        "state_dict": {k: (v.detach().cpu().half() if v.is_floating_point() else v.detach().cpu()) for k, v in state_dict.items()},
    }


# -- models from run files -------------------------------------------------------------------------

def _safe_load(path: Path) -> Any:
    """torch.load of tensors and plain containers only where this torch can refuse the rest."""
    kwargs: Dict[str, Any] = {"map_location": "cpu"}
    if "weights_only" in inspect.signature(torch.load).parameters:
        kwargs["weights_only"] = True
    return torch.load(str(path), **kwargs)


def model_from_weights(obj: Dict[str, Any], path: Path) -> AlphaCLIP:
    try:
        model = build_model(obj["size"], vocab_size=int(obj["vocab_size"]))
        model.load_state_dict(obj["state_dict"])
    except (KeyError, RuntimeError, ValueError) as err:
        raise CheckpointError(f"{path}: weights that do not fit an AlphaCLIP {obj.get('size')!r}: {err}") from err
    model.use_alpha = bool(obj.get("use_alpha", True))
    return model.eval()


def model_from_checkpoint(ck: Dict[str, Any], where: str = "checkpoint") -> AlphaCLIP:
    """The trained model of a checkpoint, LoRA merged. LoRA checkpoints re-read their run's --init
    (trusted as the run was started: a full pickle only if the run had --init-trusted)."""
    cfg, info = ck["config"], ck["model_config"]
    if ck["model_kind"] == "full":
        model = build_model(info["size"], vocab_size=info["vocab_size"])
        model.load_state_dict(ck["model"])
    else:
        if not cfg.get("init"):
            raise CheckpointError(f"{where}: a LoRA checkpoint without the base weights it adapts (--init)")
        try:
            model = load_init(cfg["init"], trusted=bool(cfg.get("init_trusted", False)))
        except CheckpointError as err:
            raise CheckpointError(f"{where}: cannot read the base weights the run was started from: {err}") from err
        apply_lora(model, r=cfg["lora_r"], alpha=cfg["lora_alpha"], dropout=cfg["lora_dropout"])
        unexpected = set(ck["model"]) - set(model.state_dict())
        if unexpected:
            raise CheckpointError(f"{where}: tensors that do not fit the base model: {sorted(unexpected)[:5]}")
        model.load_state_dict(ck["model"], strict=False)
        merge_lora(model)
    model.use_alpha = bool(cfg.get("alpha", True))
    return model.eval()


def _untrusted(path: Path, what: str) -> CheckpointError:
    return CheckpointError(
        f"{path}: {what}; it loads only as a full Python pickle, and a pickle can run any code when it is read; "
        "if you trust this file and where it came from, add --init-trusted")


def _is_torchscript(path: Path) -> bool:
    """A TorchScript archive (OpenAI's CLIP files): a zip whose archive folder holds code/."""
    try:
        with zipfile.ZipFile(path) as archive:
            return any(len(parts) > 2 and parts[1] == "code" for parts in (n.split("/") for n in archive.namelist()))
    except (OSError, zipfile.BadZipFile):
        return False


def load_init(path: PathLike, trusted: bool = False) -> AlphaCLIP:
    """Starting weights for training: a bundle folder (its weights.pt), a run folder (best.pt, else
    last.pt), a checkpoint or weights.pt file, or published OpenAI CLIP weights. Only tensors are read
    unless `trusted`: a run's checkpoints, and any file the safe loader refuses, are full pickles."""
    p = Path(path)
    if p.is_dir():
        if (p / "bundle.json").is_file():
            weights = p / "weights.pt"
            if not weights.is_file():
                raise CheckpointError(
                    f"{p}: the bundle carries no PyTorch weights (weights.pt), so training cannot start from it; "
                    "bundles written by `anomaly-lens import-weights` and `anomaly-lens train` carry them")
            try:
                obj = _safe_load(weights)
            except Exception as err:  # noqa: BLE001 - refused by weights_only
                raise _untrusted(weights, "the bundle's weights hold Python objects besides tensors") from err
            return model_from_weights(obj, weights)
        for name in ("best.pt", "last.pt"):
            if (p / name).is_file():
                if not trusted:
                    raise _untrusted(p / name, "a training run's checkpoint")
                return model_from_checkpoint(load(p / name), str(p / name))
        raise CheckpointError(f"{p}: neither a model bundle (bundle.json) nor a training run (best.pt, last.pt)")
    if not p.is_file():
        raise CheckpointError(f"{p}: no such file or folder")
    try:
        obj = _safe_load(p)
    except Exception:  # noqa: BLE001 - refused by weights_only: a checkpoint (numpy RNG states), an archive, other objects
        if _is_torchscript(p):
            return load_pretrained(p)
        if not trusted:
            raise _untrusted(p, "holds Python objects besides tensors (a training checkpoint does)") from None
        try:
            obj = torch.load(str(p), map_location="cpu", **FULL_PICKLE)
        except Exception:  # noqa: BLE001 - left to the CLIP reader, which names the problem
            return load_pretrained(p)
    if isinstance(obj, dict) and obj.get("format") == WEIGHTS_FORMAT:
        return model_from_weights(obj, p)
    if is_checkpoint(obj):
        return model_from_checkpoint(checked(obj, p), str(p))
    return load_pretrained(p)
