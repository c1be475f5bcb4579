"""Where and how precisely a run computes: the device, mixed precision, gradient scaling, a slow CPU BLAS."""
from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Optional

import torch

from .distributed import Dist
from .train_options import ConfigError


def pick_device(pref: str, d: Dist) -> torch.device:
    """The rank's device: the CPU for --device cpu, else its CUDA device if any (--device cuda needs one)."""
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


def enable_fast_kernels(device: torch.device) -> None:
    """cuDNN's autotuner and TF32 matrix products on CUDA."""
    if device.type == "cuda":
        torch.backends.cudnn.benchmark = True
        torch.backends.cuda.matmul.allow_tf32 = True


def autocast(device: torch.device, dtype: Optional[torch.dtype]):
    """Mixed precision of `dtype` on the device; no change when dtype is None."""
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
