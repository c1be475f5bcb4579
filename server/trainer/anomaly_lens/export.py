"""Export of a model to a bundle folder (docs/model-bundle.md): LoRA merged, float32, ONNX encoders
with a dynamic batch axis only, bundle.json, the tokenizer merges and the descriptions' text
embeddings. The bundle is assembled in a temporary sibling folder and moved into place at the end.
"""
from __future__ import annotations

import copy
import datetime as _dt
import gzip
import hashlib
import inspect
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, Dict, Mapping, Optional, Sequence, Union

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .config import ALPHA_INSIDE, ALPHA_MEAN, ALPHA_STD, CLIP_MEAN, CLIP_STD
from .lora import merge_lora
from .model import AlphaCLIP

PathLike = Union[str, Path]

FORMAT_VERSION = 1
# 17: LayerNormalization as one op; supported by torch 1.13's exporter and by torch 2.x's.
ONNX_OPSET = 17
IMAGE_ENCODER = "image_encoder.onnx"
TEXT_ENCODER = "text_encoder.onnx"
TEXT_EMBEDDINGS = "text_embeddings.bin"
MERGES = "tokenizer/merges.txt.gz"
TOKENIZER_KEYS = ("vocabSize", "startId", "endId", "contextLength")


class ExportError(ValueError):
    pass


class _ImageEncoder(nn.Module):
    def __init__(self, model: AlphaCLIP):
        super().__init__()
        self.model = model

    def forward(self, image: torch.Tensor, alpha: torch.Tensor) -> torch.Tensor:
        return self.model.encode_image(image, alpha)


class _TextEncoder(nn.Module):
    def __init__(self, model: AlphaCLIP):
        super().__init__()
        self.model = model

    def forward(self, input_ids: torch.Tensor) -> torch.Tensor:
        return self.model.encode_text(input_ids)


def _onnx_export(module: nn.Module, args: tuple, path: Path, input_names: Sequence[str]) -> None:
    kwargs: Dict[str, Any] = dict(
        input_names=list(input_names),
        output_names=["embedding"],
        dynamic_axes={name: {0: "batch"} for name in list(input_names) + ["embedding"]},
        opset_version=ONNX_OPSET,
        do_constant_folding=True,
    )
    if "dynamo" in inspect.signature(torch.onnx.export).parameters:
        kwargs["dynamo"] = False  # the TorchScript exporter: same graphs on torch 1.13 and 2.x
    with torch.no_grad():
        torch.onnx.export(module, args, str(path), **kwargs)


def _declare_unused_alpha(path: Path, size: int) -> None:
    """A whole-image model ignores alpha and the exporter drops the unused input; declaring it
    again keeps the documented interface (image, alpha) for every bundle."""
    import onnx
    from onnx import TensorProto, helper

    model = onnx.load(str(path))
    if any(v.name == "alpha" for v in model.graph.input):
        return
    model.graph.input.append(helper.make_tensor_value_info("alpha", TensorProto.FLOAT, ["batch", 1, size, size]))
    onnx.save(model, str(path))


def _check_onnx(path: Path, inputs: Mapping[str, Sequence[Optional[int]]], embed_dim: int) -> None:
    """onnx.checker, then the declared shapes: batch symbolic, every other axis fixed."""
    import onnx

    onnx.checker.check_model(str(path))
    graph = onnx.load(str(path), load_external_data=False).graph

    def dims(value) -> list:
        return [d.dim_value if d.HasField("dim_value") else None for d in value.type.tensor_type.shape.dim]

    declared = {v.name: dims(v) for v in graph.input}
    for name, shape in inputs.items():
        if declared.get(name) != list(shape):
            raise ExportError(f"{path.name}: input {name} has shape {declared.get(name)}, expected {list(shape)}")
    out = [dims(v) for v in graph.output]
    if out != [[None, embed_dim]]:
        raise ExportError(f"{path.name}: output shape {out}, expected [[batch, {embed_dim}]]")


def _check_tokenizer(info: Mapping[str, Any], model: AlphaCLIP) -> Dict[str, Any]:
    missing = [k for k in TOKENIZER_KEYS if k not in info]
    if missing:
        raise ExportError(f"tokenizer description lacks {', '.join(missing)}")
    vocab = int(info["vocabSize"])
    if vocab != model.cfg.vocab_size:
        raise ExportError(f"the tokenizer has {vocab} tokens but the model's vocabulary is {model.cfg.vocab_size}")
    if int(info["startId"]) != vocab - 2 or int(info["endId"]) != vocab - 1:
        raise ExportError(f"start/end ids must be {vocab - 2}/{vocab - 1}, got {info['startId']}/{info['endId']}")
    if int(info["contextLength"]) != model.cfg.context_length:
        raise ExportError(f"tokenizer context {info['contextLength']} differs from the model's {model.cfg.context_length}")
    return {"kind": "clip-bpe", "merges": MERGES, "vocabSize": vocab, "startId": vocab - 2, "endId": vocab - 1,
            "contextLength": model.cfg.context_length}


def _token_tensor(rows: Any, model: AlphaCLIP, count: int) -> torch.Tensor:
    ids = torch.as_tensor(np.asarray(rows, dtype=np.int64)) if count else torch.zeros(0, model.cfg.context_length, dtype=torch.int64)
    if ids.dim() != 2 or ids.shape != (count, model.cfg.context_length):
        raise ExportError(f"description token ids must be [{count}, {model.cfg.context_length}], got {list(ids.shape)}")
    if count and (int(ids.min()) < 0 or int(ids.max()) >= model.cfg.vocab_size):
        raise ExportError(f"description token ids must lie in [0, {model.cfg.vocab_size})")
    return ids


def text_embeddings(model: AlphaCLIP, input_ids: torch.Tensor, batch_size: int = 256) -> np.ndarray:
    """L2-normalised text embeddings [K, D] float32."""
    rows = []
    with torch.no_grad():
        for start in range(0, input_ids.shape[0], batch_size):
            rows.append(F.normalize(model.encode_text(input_ids[start:start + batch_size]).float(), dim=-1))
    if not rows:
        return np.zeros((0, model.cfg.embed_dim), dtype=np.float32)
    return torch.cat(rows).cpu().numpy().astype(np.float32)


def _write_merges(merges_file: PathLike, target: Path) -> None:
    try:
        data = Path(merges_file).read_bytes()
    except OSError as err:
        raise ExportError(f"{merges_file}: cannot read the tokenizer merges: {err.strerror or err}") from err
    if not data.strip():
        raise ExportError(f"{merges_file}: the tokenizer merges file is empty")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data if data[:2] == b"\x1f\x8b" else gzip.compress(data, mtime=0))


def descriptions_digest(descriptions: Sequence[str]) -> str:
    """sha256 of the descriptions as compact JSON (UTF-8), as the runtime computes it
    (JSON.stringify of the list), so that the runtime can tell an edited list from the one the
    stored text embeddings were computed for."""
    text = json.dumps(list(descriptions), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def file_digest(path: PathLike) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _replace_dir(staging: Path, out: Path) -> None:
    """Moves the finished bundle into place; an older bundle there is replaced only once the new one is complete."""
    if out.exists():
        if not out.is_dir() or (any(out.iterdir()) and not (out / "bundle.json").is_file()):
            raise ExportError(f"{out}: exists and is not a model bundle; choose another output folder")
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        os.replace(out, old)
        os.replace(staging, out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(staging, out)


def export_bundle(
    model: AlphaCLIP,
    out_dir: PathLike,
    tokenizer_info: Mapping[str, Any],
    merges_file: PathLike,
    descriptions: Sequence[str],
    descriptions_input_ids: Any,
    provenance: Mapping[str, Any],
    alpha: bool = True,
    calibration: Optional[Mapping[str, Any]] = None,
) -> Path:
    """Writes a model bundle to out_dir; the given model is not modified. Returns the folder."""
    out = Path(out_dir).resolve()
    cfg = model.cfg
    tokenizer = _check_tokenizer(tokenizer_info, model)
    descriptions = list(descriptions)
    ids = _token_tensor(descriptions_input_ids, model, len(descriptions))

    export_model = merge_lora(copy.deepcopy(model)).cpu().float().eval()
    export_model.use_alpha = alpha
    for p in export_model.parameters():
        p.requires_grad_(False)

    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    os.chmod(staging, 0o777 & ~_umask())  # mkdtemp makes it private; the bundle gets the usual mode
    try:
        S = cfg.image_size
        image = torch.randn(2, 3, S, S)
        alpha_in = torch.where(torch.rand(2, 1, S, S) > 0.5, 1.0, -1.0) * ALPHA_INSIDE
        _onnx_export(_ImageEncoder(export_model), (image, alpha_in), staging / IMAGE_ENCODER, ["image", "alpha"])
        if not alpha:
            _declare_unused_alpha(staging / IMAGE_ENCODER, S)
        _check_onnx(staging / IMAGE_ENCODER, {"image": [None, 3, S, S], "alpha": [None, 1, S, S]}, cfg.embed_dim)

        sample_ids = torch.zeros(2, cfg.context_length, dtype=torch.int64)
        sample_ids[:, 0], sample_ids[:, 1], sample_ids[0, 2] = cfg.vocab_size - 2, cfg.vocab_size - 1, cfg.vocab_size - 1
        sample_ids[0, 1] = 1
        _onnx_export(_TextEncoder(export_model), (sample_ids,), staging / TEXT_ENCODER, ["input_ids"])
        _check_onnx(staging / TEXT_ENCODER, {"input_ids": [None, cfg.context_length]}, cfg.embed_dim)

        _write_merges(merges_file, staging / MERGES)
        files = {"imageEncoder": IMAGE_ENCODER, "textEncoder": TEXT_ENCODER}
        if descriptions:
            text_embeddings(export_model, ids).astype("<f4").tofile(str(staging / TEXT_EMBEDDINGS))
            files["textEmbeddings"] = TEXT_EMBEDDINGS

        manifest = {
            "formatVersion": FORMAT_VERSION,
            "architecture": "alphaclip-vit",
            "size": cfg.size,
            "imageSize": S,
            "patchSize": cfg.patch_size,
            "embedDim": cfg.embed_dim,
            "contextLength": cfg.context_length,
            "logitScale": float(export_model.logit_scale.exp()),
            "preprocess": {"resize": "center-square-area", "mean": list(CLIP_MEAN), "std": list(CLIP_STD),
                           "alphaMean": ALPHA_MEAN, "alphaStd": ALPHA_STD},
            "tokenizer": tokenizer,
            "files": files,
            "descriptions": descriptions,
            **({"digests": {"descriptions": descriptions_digest(descriptions),
                            "textEmbeddings": file_digest(staging / TEXT_EMBEDDINGS)}} if descriptions else {}),
            "alpha": bool(alpha),
            **({"calibration": dict(calibration)} if calibration else {}),
            "provenance": {
                "createdAt": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                **dict(provenance),
                "export": {"opset": ONNX_OPSET, "torch": torch.__version__, "loraMerged": True},
            },
        }
        (staging / "bundle.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        _replace_dir(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return out
