"""Reading published weights into AlphaCLIP.

- OpenAI CLIP `.pt` files are TorchScript archives (their state dict also holds the
  `input_resolution`, `context_length` and `vocab_size` values); plain state dicts are read too.
  The visual attention's `attn.in_proj_weight/bias` become `attn.in_proj.weight/bias`.
- AlphaCLIP `.pth` checkpoints hold the visual tower only (no `visual.` prefix), with
  `attn.in_proj.weight` and `conv1_alpha.weight`; the text tower stays OpenAI CLIP's.
Weights are never downloaded: the user supplies the files.
"""
from __future__ import annotations

import inspect
from pathlib import Path
from typing import Dict, Mapping, Optional, Tuple, Union

import torch

from .config import CONFIGS, ModelConfig, get_config
from .model import AlphaCLIP

PathLike = Union[str, Path]
StateDict = Dict[str, torch.Tensor]

JIT_VALUES = ("input_resolution", "context_length", "vocab_size")

WHERE_TO_GET = (
    "OpenAI CLIP weights (MIT licence) are the files of the CLIP release, e.g. ViT-B-16.pt, ViT-L-14.pt or "
    "ViT-L-14-336px.pt (github.com/openai/CLIP, clip/clip.py lists their URLs). AlphaCLIP visual checkpoints "
    "(research use only) come from the AlphaCLIP project's model zoo (github.com/SunzeY/AlphaCLIP), e.g. "
    "clip_b16_grit1m_fultune_8xe.pth, clip_l14_grit20m_fultune_2xe.pth or clip_l14_336_grit_20m_4xe.pth; "
    "use the one made for the same CLIP size. Anomaly Lens never downloads or bundles them."
)


class WeightsError(ValueError):
    """Weights that cannot be read or do not fit; the message says which file and why."""


def load_tensors(path: PathLike) -> object:
    """torch.load of tensors and plain containers only, on the CPU, where this torch can refuse the
    rest (weights_only): no code runs from the file."""
    kwargs: Dict[str, object] = {"map_location": "cpu"}
    if "weights_only" in inspect.signature(torch.load).parameters:
        kwargs["weights_only"] = True
    return torch.load(str(path), **kwargs)


def _unwrap(obj: object, path: Path) -> StateDict:
    """The state dict inside a checkpoint object ({'state_dict': ...}, {'model': ...}, DDP 'module.')."""
    for key in ("state_dict", "model", "model_state_dict"):
        if isinstance(obj, Mapping) and key in obj and isinstance(obj[key], Mapping):
            obj = obj[key]
            break
    if not isinstance(obj, Mapping) or not obj or not all(isinstance(v, torch.Tensor) for v in obj.values()):
        raise WeightsError(f"{path}: not a state dict of tensors")
    out = {}
    for key, value in obj.items():
        out[key[len("module."):] if key.startswith("module.") else key] = value
    return out


def read_state_dict(path: PathLike, what: str = "weights") -> StateDict:
    """Tensors of a TorchScript archive or a torch.save'd state dict, on the CPU."""
    path = Path(path)
    if not path.is_file():
        raise WeightsError(f"{path}: the {what} file does not exist. {WHERE_TO_GET}")
    try:
        return {k: v for k, v in torch.jit.load(str(path), map_location="cpu").state_dict().items()}
    except (RuntimeError, ValueError):
        pass  # not TorchScript
    try:
        obj = load_tensors(path)
    except Exception as err:  # pickle and zip errors have many types
        raise WeightsError(f"{path}: cannot read the {what} as a TorchScript archive or a PyTorch state dict: {err}") from err
    return _unwrap(obj, path)


def _rename_visual_attention(key: str) -> str:
    if ".attn.in_proj_weight" in key:
        return key.replace(".attn.in_proj_weight", ".attn.in_proj.weight")
    if ".attn.in_proj_bias" in key:
        return key.replace(".attn.in_proj_bias", ".attn.in_proj.bias")
    return key


def convert_openai_state_dict(state: Mapping[str, torch.Tensor]) -> Tuple[StateDict, Dict[str, int]]:
    """OpenAI CLIP names -> AlphaCLIP names (float32). Returns (state dict, the JIT archive's values)."""
    out: StateDict = {}
    values: Dict[str, int] = {}
    for key, tensor in state.items():
        if key in JIT_VALUES:
            values[key] = int(tensor.item())
            continue
        if key.startswith("visual."):
            key = _rename_visual_attention(key)
        out[key] = tensor.float() if tensor.is_floating_point() else tensor
    return out, values


def convert_alphaclip_visual(state: Mapping[str, torch.Tensor]) -> StateDict:
    """An AlphaCLIP visual checkpoint (with or without `visual.` prefix) -> `visual.*` names, float32."""
    out: StateDict = {}
    for key, tensor in state.items():
        key = key if key.startswith("visual.") else "visual." + key
        out[_rename_visual_attention(key)] = tensor.float() if tensor.is_floating_point() else tensor
    return out


def _layer_count(state: Mapping[str, torch.Tensor], prefix: str) -> int:
    indices = {int(k[len(prefix):].split(".", 1)[0]) for k in state if k.startswith(prefix)}
    return max(indices) + 1 if indices else 0


def _shape(state: Mapping[str, torch.Tensor], key: str, path: str) -> Tuple[int, ...]:
    if key not in state:
        raise WeightsError(f"{path}: no {key!r}: not a CLIP ViT checkpoint")
    return tuple(state[key].shape)


def infer_config(state: Mapping[str, torch.Tensor], path: str = "weights") -> ModelConfig:
    """The size of a full model (AlphaCLIP names) from its tensor shapes."""
    width, channels, patch, _ = _shape(state, "visual.conv1.weight", path)
    tokens, _ = _shape(state, "visual.positional_embedding", path)
    _, embed = _shape(state, "visual.proj", path)
    context, text_width = _shape(state, "positional_embedding", path)
    vocab, _ = _shape(state, "token_embedding.weight", path)
    grid = int(round((tokens - 1) ** 0.5))
    found = dict(
        image_size=grid * patch, patch_size=patch, vision_width=width,
        vision_layers=_layer_count(state, "visual.transformer.resblocks."), embed_dim=embed,
        text_width=text_width, text_layers=_layer_count(state, "transformer.resblocks."), context_length=context,
    )
    for size, cfg in CONFIGS.items():
        if all(getattr(cfg, k) == v for k, v in found.items()):
            return get_config(size, vocab_size=vocab)
    dims = ", ".join(f"{k} {v}" for k, v in found.items())
    raise WeightsError(f"{path}: a CLIP ViT of no supported size ({dims}); supported: {', '.join(CONFIGS)}")


def load_strict(model: AlphaCLIP, state: Mapping[str, torch.Tensor], path: str) -> None:
    """load_state_dict(strict) with an error listing what is missing, unexpected or of the wrong shape."""
    expected = model.state_dict()
    missing = sorted(set(expected) - set(state))
    unexpected = sorted(set(state) - set(expected))
    wrong = sorted(
        f"{k} {tuple(state[k].shape)} (expected {tuple(expected[k].shape)})"
        for k in set(expected) & set(state) if state[k].shape != expected[k].shape
    )
    if missing or unexpected or wrong:
        parts = []
        for label, items in (("missing", missing), ("unexpected", unexpected), ("wrong shape", wrong)):
            if items:
                shown = ", ".join(items[:8]) + (f", … ({len(items)} in all)" if len(items) > 8 else "")
                parts.append(f"{label}: {shown}")
        raise WeightsError(f"{path}: the weights do not fit {model.cfg.size}: " + "; ".join(parts))
    model.load_state_dict(dict(state), strict=True)


def load_pretrained(clip_path: PathLike, alpha_path: Optional[PathLike] = None, use_alpha: bool = True) -> AlphaCLIP:
    """AlphaCLIP from an OpenAI CLIP file and, optionally, an AlphaCLIP visual checkpoint that replaces
    the visual tower. Without one, conv1_alpha is zero: the model is exactly CLIP."""
    raw = read_state_dict(clip_path, "CLIP weights")
    state, values = convert_openai_state_dict(raw)
    cfg = infer_config(state, str(clip_path))
    if "context_length" in values and values["context_length"] != cfg.context_length:
        raise WeightsError(f"{clip_path}: context_length {values['context_length']} disagrees with the positional embedding")
    if "input_resolution" in values and values["input_resolution"] != cfg.image_size:
        raise WeightsError(f"{clip_path}: input_resolution {values['input_resolution']} disagrees with the positional embedding")
    if "visual.conv1_alpha.weight" not in state:
        state["visual.conv1_alpha.weight"] = torch.zeros(cfg.vision_width, 1, cfg.patch_size, cfg.patch_size)
    if alpha_path is not None:
        visual = convert_alphaclip_visual(read_state_dict(alpha_path, "AlphaCLIP weights"))
        if "visual.conv1_alpha.weight" not in visual:
            raise WeightsError(f"{alpha_path}: no conv1_alpha.weight: not an AlphaCLIP visual checkpoint")
        for key in ("visual.conv1.weight", "visual.positional_embedding", "visual.proj"):
            if key in visual and tuple(visual[key].shape) != tuple(state[key].shape):
                raise WeightsError(
                    f"{alpha_path}: made for another CLIP size than {clip_path} ({cfg.size}): {key} is "
                    f"{tuple(visual[key].shape)}, expected {tuple(state[key].shape)}")
        state = {k: v for k, v in state.items() if not k.startswith("visual.")}
        state.update(visual)
    model = AlphaCLIP(cfg, use_alpha=use_alpha)
    load_strict(model, state, str(alpha_path if alpha_path is not None else clip_path))
    return model.eval()
