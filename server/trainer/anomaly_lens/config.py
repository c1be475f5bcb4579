"""Model sizes of AlphaCLIP (CLIP ViT + alpha patch embedding) and the preprocessing constants."""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Dict, Optional, Tuple

# CLIP's RGB normalisation and AlphaCLIP's alpha normalisation (docs/model-bundle.md).
CLIP_MEAN: Tuple[float, float, float] = (0.48145466, 0.4578275, 0.40821073)
CLIP_STD: Tuple[float, float, float] = (0.26862954, 0.26130258, 0.27577711)
ALPHA_MEAN = 0.5
ALPHA_STD = 0.26
# The normalised alpha of a pixel inside and outside the designated region.
ALPHA_INSIDE = (1.0 - ALPHA_MEAN) / ALPHA_STD
ALPHA_OUTSIDE = (0.0 - ALPHA_MEAN) / ALPHA_STD

CLIP_VOCAB_SIZE = 49408
CONTEXT_LENGTH = 77


@dataclass(frozen=True)
class ModelConfig:
    size: str
    image_size: int
    patch_size: int
    vision_width: int
    vision_layers: int
    vision_heads: int
    embed_dim: int
    text_width: int
    text_layers: int
    text_heads: int
    context_length: int = CONTEXT_LENGTH
    vocab_size: int = CLIP_VOCAB_SIZE

    @property
    def grid_size(self) -> int:
        return self.image_size // self.patch_size

    @property
    def num_patches(self) -> int:
        return self.grid_size ** 2

    def __post_init__(self) -> None:
        if self.image_size % self.patch_size:
            raise ValueError(f"image size {self.image_size} is not a multiple of the patch size {self.patch_size}")
        if self.vision_width % self.vision_heads:
            raise ValueError(f"vision width {self.vision_width} is not divisible by {self.vision_heads} heads")
        if self.text_width % self.text_heads:
            raise ValueError(f"text width {self.text_width} is not divisible by {self.text_heads} heads")
        if self.vocab_size < 3:
            raise ValueError(f"vocabulary size {self.vocab_size} is too small")


CONFIGS: Dict[str, ModelConfig] = {
    "tiny": ModelConfig(
        size="tiny", image_size=64, patch_size=8, vision_width=128, vision_layers=4, vision_heads=4,
        embed_dim=128, text_width=128, text_layers=3, text_heads=4,
    ),
    "ViT-B/16": ModelConfig(
        size="ViT-B/16", image_size=224, patch_size=16, vision_width=768, vision_layers=12, vision_heads=12,
        embed_dim=512, text_width=512, text_layers=12, text_heads=8,
    ),
    "ViT-L/14": ModelConfig(
        size="ViT-L/14", image_size=224, patch_size=14, vision_width=1024, vision_layers=24, vision_heads=16,
        embed_dim=768, text_width=768, text_layers=12, text_heads=12,
    ),
}

# ViT-L/14 fine-tuned at 336 px: the same network with a longer positional embedding.
CONFIGS["ViT-L/14@336px"] = replace(CONFIGS["ViT-L/14"], size="ViT-L/14@336px", image_size=336)

SIZES = tuple(CONFIGS)


def get_config(size: str, vocab_size: Optional[int] = None) -> ModelConfig:
    """The configuration of a named size; vocab_size overrides CLIP's 49408 (small vocabularies)."""
    if size not in CONFIGS:
        raise ValueError(f"unknown model size {size!r}; known sizes: {', '.join(SIZES)}")
    cfg = CONFIGS[size]
    return replace(cfg, vocab_size=vocab_size) if vocab_size is not None else cfg
