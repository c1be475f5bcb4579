"""Low-rank adaptation (LoRA) of the linear layers of AlphaCLIP's visual tower.

A wrapped layer computes W x + b + scaling * B A dropout(x) with A [r, in] (Kaiming-uniform),
B [out, r] (zero, so the model is unchanged at the start) and scaling = alpha / r. The base
weights keep their names (`...in_proj.weight`), the adapters are `...in_proj.lora_A` / `lora_B`.
"""
from __future__ import annotations

import math
from typing import Dict, Iterable, List, Sequence

import torch
import torch.nn.functional as F
from torch import nn

DEFAULT_TARGETS: Sequence[str] = ("attn.in_proj", "attn.out_proj", "mlp.c_fc", "mlp.c_proj")
LORA_MARKER = "lora_"


class LoRALinear(nn.Linear):
    def __init__(self, in_features: int, out_features: int, r: int, alpha: float, dropout: float, bias: bool = True):
        super().__init__(in_features, out_features, bias=bias)
        if r <= 0:
            raise ValueError(f"LoRA rank must be positive, got {r}")
        self.r = r
        self.lora_alpha = alpha
        self.scaling = alpha / r
        self.lora_dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()
        self.lora_A = nn.Parameter(torch.empty(r, in_features))
        self.lora_B = nn.Parameter(torch.zeros(out_features, r))
        nn.init.kaiming_uniform_(self.lora_A, a=math.sqrt(5))

    @classmethod
    def wrap(cls, base: nn.Linear, r: int, alpha: float, dropout: float) -> "LoRALinear":
        layer = cls(base.in_features, base.out_features, r, alpha, dropout, bias=base.bias is not None)
        layer.to(device=base.weight.device, dtype=base.weight.dtype)
        with torch.no_grad():
            layer.weight.copy_(base.weight)
            if base.bias is not None:
                layer.bias.copy_(base.bias)
        layer.weight.requires_grad_(base.weight.requires_grad)
        if base.bias is not None:
            layer.bias.requires_grad_(base.bias.requires_grad)
        layer.train(base.training)
        return layer

    def delta_weight(self) -> torch.Tensor:
        return (self.lora_B @ self.lora_A) * self.scaling

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        base = F.linear(x, self.weight, self.bias)
        low_rank = F.linear(F.linear(self.lora_dropout(x), self.lora_A), self.lora_B)
        return base + low_rank * self.scaling

    def merged(self) -> nn.Linear:
        """A plain nn.Linear computing what this layer computes in eval mode."""
        plain = nn.Linear(self.in_features, self.out_features, bias=self.bias is not None)
        plain.to(device=self.weight.device, dtype=self.weight.dtype)
        with torch.no_grad():
            plain.weight.copy_(self.weight + self.delta_weight().to(self.weight.dtype))
            if self.bias is not None:
                plain.bias.copy_(self.bias)
        plain.train(self.training)
        return plain

    def extra_repr(self) -> str:
        return f"{super().extra_repr()}, r={self.r}, lora_alpha={self.lora_alpha}"


def _lora_root(module: nn.Module) -> tuple:
    """LoRA adapts only the visual tower: module.visual for a whole model, else module itself."""
    visual = getattr(module, "visual", None)
    if isinstance(visual, nn.Module):
        return visual, "visual."
    return module, ""


def _set_submodule(root: nn.Module, name: str, new: nn.Module) -> None:
    parent_name, _, child = name.rpartition(".")
    parent = root.get_submodule(parent_name) if parent_name else root
    setattr(parent, child, new)


def _matches(name: str, targets: Iterable[str]) -> bool:
    return any(name == t or name.endswith("." + t) for t in targets)


def apply_lora(
    module: nn.Module,
    r: int = 64,
    alpha: float = 64,
    dropout: float = 0.1,
    targets: Sequence[str] = DEFAULT_TARGETS,
) -> List[str]:
    """Wraps the target nn.Linear layers of the visual tower with LoRA; returns the LoRA parameter names.

    Names are relative to `module` (e.g. `visual.transformer.resblocks.0.attn.in_proj.lora_A`).
    """
    root, prefix = _lora_root(module)
    chosen = [
        name for name, sub in root.named_modules()
        if isinstance(sub, nn.Linear) and not isinstance(sub, LoRALinear) and _matches(name, targets)
    ]
    if not chosen and not any(isinstance(m, LoRALinear) for m in root.modules()):
        raise ValueError(f"no linear layer matches the LoRA targets {list(targets)}")
    for name in chosen:
        _set_submodule(root, name, LoRALinear.wrap(root.get_submodule(name), r, alpha, dropout))
    return lora_parameter_names(module)


def lora_parameter_names(module: nn.Module) -> List[str]:
    return [name for name, _ in module.named_parameters() if LORA_MARKER in name.rsplit(".", 1)[-1]]


def has_lora(module: nn.Module) -> bool:
    return any(isinstance(m, LoRALinear) for m in module.modules())


def mark_only_lora_trainable(module: nn.Module, also: Iterable[str] = ()) -> List[str]:
    """Freezes every parameter except the LoRA adapters and the named extra ones (e.g.
    `visual.conv1_alpha.weight`); returns the trainable names."""
    extra = set(also)
    known = {name for name, _ in module.named_parameters()}
    missing = extra - known
    if missing:
        raise KeyError(f"no such parameters: {sorted(missing)}")
    trainable = []
    for name, param in module.named_parameters():
        keep = LORA_MARKER in name.rsplit(".", 1)[-1] or name in extra
        param.requires_grad_(keep)
        if keep:
            trainable.append(name)
    return trainable


def merge_lora(module: nn.Module) -> nn.Module:
    """Folds every LoRA adapter into its base weight (W + B A * scaling) and restores nn.Linear, in place."""
    names = [name for name, sub in module.named_modules() if isinstance(sub, LoRALinear)]
    for name in names:
        _set_submodule(module, name, module.get_submodule(name).merged())
    return module


def lora_state_dict(module: nn.Module) -> Dict[str, torch.Tensor]:
    """Only the LoRA adapter tensors."""
    return {k: v for k, v in module.state_dict().items() if LORA_MARKER in k.rsplit(".", 1)[-1]}
