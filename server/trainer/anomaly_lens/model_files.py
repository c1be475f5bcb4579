"""Models from the product's own files: a bundle's weights.pt, a run's checkpoint, or published CLIP weights.

Only tensors are read from a file unless the user trusts it: a run's checkpoint, and any file the
tensors-only loader refuses, is a full pickle, which can run code when it is read.
"""
from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any, Dict, Union

import torch

from .checkpoint import CheckpointError, checked, is_checkpoint, load, read_pickle, save_atomic
from .lora import apply_lora, merge_lora
from .model import AlphaCLIP, build_model
from .weights import load_pretrained, load_tensors

PathLike = Union[str, Path]

WEIGHTS_FORMAT = "anomaly-lens-weights"


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

def save_weights(model: AlphaCLIP, bundle: Path, use_alpha: bool) -> Path:
    """Writes the model's weights.pt into a bundle, so that training can start from it (--init BUNDLE)."""
    state = weights_file(model.state_dict(), model.cfg.size, model.cfg.vocab_size, use_alpha)
    return save_atomic(state, Path(bundle) / "weights.pt")


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
                obj = load_tensors(weights)
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
        obj = load_tensors(p)
    except Exception:  # noqa: BLE001 - refused by weights_only: a checkpoint (numpy RNG states), an archive, other objects
        if _is_torchscript(p):
            return load_pretrained(p)
        if not trusted:
            raise _untrusted(p, "holds Python objects besides tensors (a training checkpoint does)") from None
        try:
            obj = read_pickle(p)
        except Exception:  # noqa: BLE001 - left to the CLIP reader, which names the problem
            return load_pretrained(p)
    if isinstance(obj, dict) and obj.get("format") == WEIGHTS_FORMAT:
        return model_from_weights(obj, p)
    if is_checkpoint(obj):
        return model_from_checkpoint(checked(obj, p), str(p))
    return load_pretrained(p)
