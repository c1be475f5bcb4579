"""AlphaCLIP: a CLIP ViT whose patch embedding also sees an alpha (region) mask, plus CLIP's text tower.

Parameter names are those of the published weights: OpenAI CLIP's, except that the visual attention
keeps its packed q/k/v projection in a linear layer (`attn.in_proj.{weight,bias}`, AlphaCLIP's
convention) and the visual tower has `conv1_alpha`. The text tower keeps OpenAI's
`attn.in_proj_weight` / `attn.in_proj_bias`.
"""
from __future__ import annotations

import math
from collections import OrderedDict
from typing import Optional, Tuple

import torch
import torch.nn.functional as F
import torch.utils.checkpoint
from torch import nn

from .config import ALPHA_INSIDE, ModelConfig, get_config

_HAS_SDPA = hasattr(F, "scaled_dot_product_attention")


class LayerNorm(nn.LayerNorm):
    """LayerNorm computed in float32 whatever the input precision (as CLIP)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.dtype == torch.float32:
            return super().forward(x)
        return super().forward(x.float()).to(x.dtype)


class QuickGELU(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * torch.sigmoid(1.702 * x)


def multi_head_attention(qkv: torch.Tensor, heads: int, head_dim: int, mask: Optional[torch.Tensor]) -> torch.Tensor:
    """Scaled dot-product attention over packed projections.

    qkv: [L, N, 3E] (sequence first, q|k|v along the last axis); mask: additive [L, L] or None.
    Returns [L, N, E], the heads concatenated, before the output projection: the same computation
    as torch.nn.MultiheadAttention. Sizes other than L and N are plain ints, so an exported graph
    computes only the sequence and batch axes from its input.
    """
    length, batch = qkv.shape[0], qkv.shape[1]
    q, k, v = qkv.chunk(3, dim=-1)
    # [L, N, E] -> [N*heads, L, head_dim]
    q = q.reshape(length, batch * heads, head_dim).transpose(0, 1)
    k = k.reshape(length, batch * heads, head_dim).transpose(0, 1)
    v = v.reshape(length, batch * heads, head_dim).transpose(0, 1)
    if mask is not None:
        mask = mask.to(q.dtype)  # under autocast q may be half precision
    if _HAS_SDPA and not torch.onnx.is_in_onnx_export():
        # Fused kernels (flash / memory-efficient on GPU) keep no [L, L] matrix for backward.
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
    else:
        scores = torch.bmm(q * (head_dim ** -0.5), k.transpose(1, 2))
        if mask is not None:
            scores = scores + mask
        out = torch.bmm(scores.softmax(dim=-1), v)
    return out.transpose(0, 1).reshape(length, batch, heads * head_dim)


class VisualAttention(nn.Module):
    """Multi-head self-attention with the q/k/v projection as a linear layer (`in_proj`)."""

    def __init__(self, width: int, heads: int):
        super().__init__()
        self.heads = heads
        self.head_dim = width // heads
        self.in_proj = nn.Linear(width, 3 * width)
        self.out_proj = nn.Linear(width, width)

    def forward(self, x: torch.Tensor, mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        return self.out_proj(multi_head_attention(self.in_proj(x), self.heads, self.head_dim, mask))


class TextAttention(nn.Module):
    """Multi-head self-attention holding its q/k/v projection as OpenAI CLIP names it."""

    def __init__(self, width: int, heads: int):
        super().__init__()
        self.heads = heads
        self.head_dim = width // heads
        self.in_proj_weight = nn.Parameter(torch.empty(3 * width, width))
        self.in_proj_bias = nn.Parameter(torch.zeros(3 * width))
        self.out_proj = nn.Linear(width, width)
        nn.init.xavier_uniform_(self.in_proj_weight)

    def forward(self, x: torch.Tensor, mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        qkv = F.linear(x, self.in_proj_weight, self.in_proj_bias)
        return self.out_proj(multi_head_attention(qkv, self.heads, self.head_dim, mask))


class ResidualAttentionBlock(nn.Module):
    """Pre-LN transformer block: x + attn(ln_1(x)), then x + mlp(ln_2(x))."""

    def __init__(self, width: int, heads: int, attention: type):
        super().__init__()
        self.ln_1 = LayerNorm(width)
        self.attn = attention(width, heads)
        self.ln_2 = LayerNorm(width)
        self.mlp = nn.Sequential(OrderedDict([
            ("c_fc", nn.Linear(width, 4 * width)),
            ("gelu", QuickGELU()),
            ("c_proj", nn.Linear(4 * width, width)),
        ]))

    def forward(self, x: torch.Tensor, mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        x = x + self.attn(self.ln_1(x), mask)
        return x + self.mlp(self.ln_2(x))


class Transformer(nn.Module):
    def __init__(self, width: int, layers: int, heads: int, attention: type):
        super().__init__()
        self.width = width
        self.layers = layers
        self.resblocks = nn.Sequential(*[ResidualAttentionBlock(width, heads, attention) for _ in range(layers)])
        self.grad_checkpointing = False

    def forward(self, x: torch.Tensor, mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        for block in self.resblocks:
            if self.grad_checkpointing and self.training and torch.is_grad_enabled():
                x = torch.utils.checkpoint.checkpoint(block, x, mask, use_reentrant=False)
            else:
                x = block(x, mask)
        return x


class VisionTransformer(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        width, patch = cfg.vision_width, cfg.patch_size
        self.input_resolution = cfg.image_size
        self.output_dim = cfg.embed_dim
        self.conv1 = nn.Conv2d(3, width, kernel_size=patch, stride=patch, bias=False)
        self.conv1_alpha = nn.Conv2d(1, width, kernel_size=patch, stride=patch, bias=False)
        scale = width ** -0.5
        self.class_embedding = nn.Parameter(scale * torch.randn(width))
        self.positional_embedding = nn.Parameter(scale * torch.randn(cfg.num_patches + 1, width))
        self.ln_pre = LayerNorm(width)
        self.transformer = Transformer(width, cfg.vision_layers, cfg.vision_heads, VisualAttention)
        self.ln_post = LayerNorm(width)
        self.proj = nn.Parameter(scale * torch.randn(width, cfg.embed_dim))
        nn.init.zeros_(self.conv1_alpha.weight)

    def patch_embedding(self, image: torch.Tensor, alpha: Optional[torch.Tensor]) -> torch.Tensor:
        """conv1(rgb) + conv1_alpha(alpha); alpha None means the whole image is designated."""
        x = self.conv1(image.to(self.conv1.weight.dtype))
        if alpha is None:
            # conv1_alpha of a constant image: per-channel sum of the kernel times that constant.
            w = self.conv1_alpha.weight
            return x + (w.sum(dim=(1, 2, 3)) * ALPHA_INSIDE).to(x.dtype).view(1, -1, 1, 1)
        return x + self.conv1_alpha(alpha.to(self.conv1_alpha.weight.dtype))

    def forward(self, image: torch.Tensor, alpha: Optional[torch.Tensor] = None) -> torch.Tensor:
        x = self.patch_embedding(image, alpha)  # [N, width, grid, grid]
        x = x.flatten(2).transpose(1, 2)  # [N, grid*grid, width]
        cls = self.class_embedding.to(x.dtype).expand(x.shape[0], 1, -1)
        x = torch.cat([cls, x], dim=1) + self.positional_embedding.to(x.dtype)
        x = self.ln_pre(x)
        x = self.transformer(x.transpose(0, 1)).transpose(0, 1)  # sequence-first inside
        x = self.ln_post(x[:, 0, :])
        return x @ self.proj


class AlphaCLIP(nn.Module):
    def __init__(self, cfg: ModelConfig, use_alpha: bool = True):
        super().__init__()
        self.cfg = cfg
        # False: the whole-image variant; any alpha given is ignored and the whole image is designated.
        self.use_alpha = use_alpha
        self.context_length = cfg.context_length
        self.vocab_size = cfg.vocab_size

        self.visual = VisionTransformer(cfg)

        self.token_embedding = nn.Embedding(cfg.vocab_size, cfg.text_width)
        self.positional_embedding = nn.Parameter(torch.empty(cfg.context_length, cfg.text_width))
        self.transformer = Transformer(cfg.text_width, cfg.text_layers, cfg.text_heads, TextAttention)
        self.ln_final = LayerNorm(cfg.text_width)
        self.text_projection = nn.Parameter(torch.empty(cfg.text_width, cfg.embed_dim))
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))
        causal = torch.full((cfg.context_length, cfg.context_length), float("-inf")).triu_(1)
        self.register_buffer("attn_mask", causal, persistent=False)
        self._init_text_parameters()

    def _init_text_parameters(self) -> None:
        cfg = self.cfg
        nn.init.normal_(self.token_embedding.weight, std=0.02)
        nn.init.normal_(self.positional_embedding, std=0.01)
        attn_std = cfg.text_width ** -0.5
        proj_std = attn_std * (2 * cfg.text_layers) ** -0.5
        fc_std = (2 * cfg.text_width) ** -0.5
        for block in self.transformer.resblocks:
            nn.init.normal_(block.attn.in_proj_weight, std=attn_std)
            nn.init.normal_(block.attn.out_proj.weight, std=proj_std)
            nn.init.normal_(block.mlp.c_fc.weight, std=fc_std)
            nn.init.normal_(block.mlp.c_proj.weight, std=proj_std)
        nn.init.normal_(self.text_projection, std=attn_std)

    @property
    def dtype(self) -> torch.dtype:
        return self.visual.conv1.weight.dtype

    def set_grad_checkpointing(self, enabled: bool = True) -> None:
        """Recompute block activations in backward (less memory, more compute)."""
        self.visual.transformer.grad_checkpointing = enabled
        self.transformer.grad_checkpointing = enabled

    def encode_image(self, image: torch.Tensor, alpha: Optional[torch.Tensor] = None) -> torch.Tensor:
        """image [N,3,S,S], alpha [N,1,S,S] (normalised) -> [N,D], not normalised."""
        return self.visual(image, alpha if self.use_alpha else None)

    def encode_text(self, input_ids: torch.Tensor) -> torch.Tensor:
        """input_ids [N,context] -> [N,D], not normalised; the feature is taken at the end token."""
        x = self.token_embedding(input_ids).to(self.dtype) + self.positional_embedding.to(self.dtype)
        x = self.transformer(x.transpose(0, 1), self.attn_mask).transpose(0, 1)
        x = self.ln_final(x)
        # The end token has the largest id. int32 because ONNX Runtime has no int64 ArgMax.
        end = input_ids.to(torch.int32).argmax(dim=-1).to(torch.int64)
        x = x.gather(1, end.view(-1, 1, 1).expand(-1, 1, self.cfg.text_width))[:, 0]
        return x @ self.text_projection

    def forward(
        self, image: torch.Tensor, alpha: Optional[torch.Tensor], input_ids: torch.Tensor
    ) -> Tuple[torch.Tensor, torch.Tensor]:
        """CLIP's logits: (logits_per_image [N_img, N_txt], logits_per_text [N_txt, N_img])."""
        image_features = F.normalize(self.encode_image(image, alpha), dim=-1)
        text_features = F.normalize(self.encode_text(input_ids), dim=-1)
        logits_per_image = self.logit_scale.exp() * image_features @ text_features.t()
        return logits_per_image, logits_per_image.t()


def build_model(size: str, vocab_size: Optional[int] = None, use_alpha: bool = True) -> AlphaCLIP:
    """A randomly initialised AlphaCLIP of a named size (conv1_alpha zero)."""
    return AlphaCLIP(get_config(size, vocab_size), use_alpha=use_alpha)
