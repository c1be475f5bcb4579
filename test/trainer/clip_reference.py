"""An independent OpenAI-CLIP-style reference (torch.nn.MultiheadAttention in both towers) that the
trainer's AlphaCLIP is checked against. Parameter names are OpenAI CLIP's; `alpha_weight`, when
given to encode_image, adds AlphaCLIP's alpha patch embedding."""
from collections import OrderedDict

import torch
import torch.nn.functional as F
from torch import nn


class RefBlock(nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.attn = nn.MultiheadAttention(width, heads)
        self.ln_1 = nn.LayerNorm(width)
        self.mlp = nn.Sequential(OrderedDict([
            ("c_fc", nn.Linear(width, width * 4)),
            ("gelu", nn.Identity()),
            ("c_proj", nn.Linear(width * 4, width)),
        ]))
        self.ln_2 = nn.LayerNorm(width)

    def forward(self, x, mask=None):
        h = self.ln_1(x)
        x = x + self.attn(h, h, h, need_weights=False, attn_mask=mask)[0]
        h = self.mlp.c_fc(self.ln_2(x))
        h = h * torch.sigmoid(1.702 * h)
        return x + self.mlp.c_proj(h)


class RefTransformer(nn.Module):
    def __init__(self, width, layers, heads):
        super().__init__()
        self.resblocks = nn.ModuleList([RefBlock(width, heads) for _ in range(layers)])

    def forward(self, x, mask=None):
        for block in self.resblocks:
            x = block(x, mask)
        return x


class RefVisual(nn.Module):
    def __init__(self, image, patch, width, layers, heads, embed):
        super().__init__()
        self.patch = patch
        self.conv1 = nn.Conv2d(3, width, patch, patch, bias=False)
        self.class_embedding = nn.Parameter(torch.randn(width) * width ** -0.5)
        self.positional_embedding = nn.Parameter(torch.randn((image // patch) ** 2 + 1, width) * width ** -0.5)
        self.ln_pre = nn.LayerNorm(width)
        self.transformer = RefTransformer(width, layers, heads)
        self.ln_post = nn.LayerNorm(width)
        self.proj = nn.Parameter(torch.randn(width, embed) * width ** -0.5)

    def forward(self, x, alpha=None, alpha_weight=None):
        x = self.conv1(x)
        if alpha_weight is not None:
            x = x + F.conv2d(alpha, alpha_weight, stride=self.patch)
        x = x.reshape(x.shape[0], x.shape[1], -1).permute(0, 2, 1)
        cls = self.class_embedding + torch.zeros(x.shape[0], 1, x.shape[-1])
        x = torch.cat([cls, x], dim=1) + self.positional_embedding
        x = self.ln_pre(x).permute(1, 0, 2)
        x = self.transformer(x).permute(1, 0, 2)
        return self.ln_post(x[:, 0, :]) @ self.proj


class RefCLIP(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.visual = RefVisual(cfg.image_size, cfg.patch_size, cfg.vision_width, cfg.vision_layers,
                                cfg.vision_heads, cfg.embed_dim)
        self.transformer = RefTransformer(cfg.text_width, cfg.text_layers, cfg.text_heads)
        self.token_embedding = nn.Embedding(cfg.vocab_size, cfg.text_width)
        self.positional_embedding = nn.Parameter(torch.randn(cfg.context_length, cfg.text_width) * 0.01)
        self.ln_final = nn.LayerNorm(cfg.text_width)
        self.text_projection = nn.Parameter(torch.randn(cfg.text_width, cfg.embed_dim) * cfg.text_width ** -0.5)
        self.logit_scale = nn.Parameter(torch.tensor(4.6052))
        n = cfg.context_length
        self.mask = torch.empty(n, n).fill_(float("-inf")).triu_(1)
        with torch.no_grad():
            for p in self.parameters():
                if p.dim() >= 2:
                    p.normal_(0, 0.05)
                elif p.dim() == 1:
                    p.normal_(0, 0.1) if p.shape[0] > 0 else None
            for m in self.modules():
                if isinstance(m, nn.LayerNorm):
                    m.weight.normal_(1.0, 0.1)

    def encode_image(self, image, alpha=None, alpha_weight=None):
        return self.visual(image, alpha, alpha_weight)

    def encode_text(self, text):
        x = self.token_embedding(text) + self.positional_embedding
        x = self.transformer(x.permute(1, 0, 2), self.mask).permute(1, 0, 2)
        x = self.ln_final(x)
        return x[torch.arange(x.shape[0]), text.argmax(dim=-1)] @ self.text_projection


def openai_to_alphaclip_names(state_dict):
    """The reference's OpenAI names -> the trainer's (visual attention in_proj as a linear layer)."""
    out = {}
    for key, value in state_dict.items():
        if key.startswith("visual.") and key.endswith(".attn.in_proj_weight"):
            key = key[: -len("in_proj_weight")] + "in_proj.weight"
        elif key.startswith("visual.") and key.endswith(".attn.in_proj_bias"):
            key = key[: -len("in_proj_bias")] + "in_proj.bias"
        out[key] = value
    return out
