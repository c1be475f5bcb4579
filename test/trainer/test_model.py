import gc

import pytest
import torch

from anomaly_lens.config import CONFIGS, ModelConfig, get_config
from anomaly_lens.model import ALPHA_INSIDE, AlphaCLIP, build_model
from clip_reference import RefCLIP, openai_to_alphaclip_names

# Published OpenAI CLIP checkpoints (state dict of the TorchScript archive): top-level tensors and
# the tensors of every residual block, with shapes. Facts of the released files.
PUBLISHED = {
    "ViT-B/16": {
        "top": {
            "positional_embedding": (77, 512),
            "text_projection": (512, 512),
            "logit_scale": (),
            "input_resolution": (),
            "context_length": (),
            "vocab_size": (),
            "visual.class_embedding": (768,),
            "visual.positional_embedding": (197, 768),
            "visual.proj": (768, 512),
            "visual.conv1.weight": (768, 3, 16, 16),
            "visual.ln_pre.weight": (768,),
            "visual.ln_pre.bias": (768,),
            "visual.ln_post.weight": (768,),
            "visual.ln_post.bias": (768,),
            "token_embedding.weight": (49408, 512),
            "ln_final.weight": (512,),
            "ln_final.bias": (512,),
        },
        "visual_layers": 12,
        "visual_block": {
            "attn.in_proj_weight": (2304, 768),
            "attn.in_proj_bias": (2304,),
            "attn.out_proj.weight": (768, 768),
            "attn.out_proj.bias": (768,),
            "ln_1.weight": (768,),
            "ln_1.bias": (768,),
            "mlp.c_fc.weight": (3072, 768),
            "mlp.c_fc.bias": (3072,),
            "mlp.c_proj.weight": (768, 3072),
            "mlp.c_proj.bias": (768,),
            "ln_2.weight": (768,),
            "ln_2.bias": (768,),
        },
        "text_layers": 12,
        "text_block": {
            "attn.in_proj_weight": (1536, 512),
            "attn.in_proj_bias": (1536,),
            "attn.out_proj.weight": (512, 512),
            "attn.out_proj.bias": (512,),
            "ln_1.weight": (512,),
            "ln_1.bias": (512,),
            "mlp.c_fc.weight": (2048, 512),
            "mlp.c_fc.bias": (2048,),
            "mlp.c_proj.weight": (512, 2048),
            "mlp.c_proj.bias": (512,),
            "ln_2.weight": (512,),
            "ln_2.bias": (512,),
        },
    },
    "ViT-L/14@336px": {
        "top": {
            "positional_embedding": (77, 768),
            "text_projection": (768, 768),
            "logit_scale": (),
            "input_resolution": (),
            "context_length": (),
            "vocab_size": (),
            "visual.class_embedding": (1024,),
            "visual.positional_embedding": (577, 1024),
            "visual.proj": (1024, 768),
            "visual.conv1.weight": (1024, 3, 14, 14),
            "visual.ln_pre.weight": (1024,),
            "visual.ln_pre.bias": (1024,),
            "visual.ln_post.weight": (1024,),
            "visual.ln_post.bias": (1024,),
            "token_embedding.weight": (49408, 768),
            "ln_final.weight": (768,),
            "ln_final.bias": (768,),
        },
        "visual_layers": 24,
        "visual_block": {
            "attn.in_proj_weight": (3072, 1024),
            "attn.in_proj_bias": (3072,),
            "attn.out_proj.weight": (1024, 1024),
            "attn.out_proj.bias": (1024,),
            "ln_1.weight": (1024,),
            "ln_1.bias": (1024,),
            "mlp.c_fc.weight": (4096, 1024),
            "mlp.c_fc.bias": (4096,),
            "mlp.c_proj.weight": (1024, 4096),
            "mlp.c_proj.bias": (1024,),
            "ln_2.weight": (1024,),
            "ln_2.bias": (1024,),
        },
        "text_layers": 12,
        "text_block": {
            "attn.in_proj_weight": (2304, 768),
            "attn.in_proj_bias": (2304,),
            "attn.out_proj.weight": (768, 768),
            "attn.out_proj.bias": (768,),
            "ln_1.weight": (768,),
            "ln_1.bias": (768,),
            "mlp.c_fc.weight": (3072, 768),
            "mlp.c_fc.bias": (3072,),
            "mlp.c_proj.weight": (768, 3072),
            "mlp.c_proj.bias": (768,),
            "ln_2.weight": (768,),
            "ln_2.bias": (768,),
        },
    },
}
JIT_ONLY = ("input_resolution", "context_length", "vocab_size")


def published_shapes(size):
    """{name: shape} of a published OpenAI checkpoint."""
    table = PUBLISHED[size]
    shapes = dict(table["top"])
    for i in range(table["visual_layers"]):
        for suffix, shape in table["visual_block"].items():
            shapes[f"visual.transformer.resblocks.{i}.{suffix}"] = shape
    for i in range(table["text_layers"]):
        for suffix, shape in table["text_block"].items():
            shapes[f"transformer.resblocks.{i}.{suffix}"] = shape
    return shapes


def expected_alphaclip_shapes(size):
    shapes = {k: v for k, v in published_shapes(size).items() if k not in JIT_ONLY}
    shapes = openai_to_alphaclip_names(shapes)
    width, _, patch, _ = shapes["visual.conv1.weight"]
    shapes["visual.conv1_alpha.weight"] = (width, 1, patch, patch)
    return shapes


@pytest.mark.parametrize("size", ["ViT-B/16", "ViT-L/14@336px"])
def test_published_checkpoint_names_and_shapes_load_strictly(size):
    model = build_model(size)
    actual = {k: tuple(v.shape) for k, v in model.state_dict().items()}
    assert actual == expected_alphaclip_shapes(size)
    random_weights = {k: torch.randn(shape) if shape else torch.tensor(1.5) for k, shape in actual.items()}
    result = model.load_state_dict(random_weights, strict=True)
    assert not result.missing_keys and not result.unexpected_keys
    assert torch.equal(model.visual.proj, random_weights["visual.proj"])
    del model, random_weights
    gc.collect()


def test_sizes_match_the_published_architectures():
    b16 = get_config("ViT-B/16")
    assert (b16.image_size, b16.patch_size, b16.vision_width, b16.vision_layers, b16.vision_heads) == (224, 16, 768, 12, 12)
    assert (b16.embed_dim, b16.text_width, b16.text_layers, b16.text_heads, b16.vocab_size) == (512, 512, 12, 8, 49408)
    for name in ("ViT-L/14", "ViT-L/14@336px"):
        cfg = get_config(name)
        assert (cfg.patch_size, cfg.vision_width, cfg.vision_layers, cfg.vision_heads) == (14, 1024, 24, 16)
        assert (cfg.embed_dim, cfg.text_width, cfg.text_layers, cfg.text_heads, cfg.context_length) == (768, 768, 12, 12, 77)
    assert get_config("ViT-L/14").image_size == 224 and get_config("ViT-L/14@336px").image_size == 336
    assert get_config("tiny", vocab_size=600).vocab_size == 600
    with pytest.raises(ValueError, match="unknown model size"):
        get_config("ViT-H/14")


SMALL = ModelConfig(size="small-test", image_size=48, patch_size=12, vision_width=96, vision_layers=2, vision_heads=3,
                    embed_dim=40, text_width=64, text_layers=2, text_heads=2, context_length=20, vocab_size=300)


def paired_models(cfg):
    """A reference OpenAI-style CLIP and an AlphaCLIP holding the same weights."""
    ref = RefCLIP(cfg).eval()
    model = AlphaCLIP(cfg).eval()
    state = openai_to_alphaclip_names(ref.state_dict())
    state["visual.conv1_alpha.weight"] = torch.zeros(cfg.vision_width, 1, cfg.patch_size, cfg.patch_size)
    model.load_state_dict(state, strict=True)
    return ref, model


def random_ids(cfg, n):
    """Start token, a few random ids, end token (the largest id), zero padding; lengths vary."""
    ids = torch.zeros(n, cfg.context_length, dtype=torch.long)
    for row in range(n):
        length = 2 + (row * 5) % (cfg.context_length - 2)
        ids[row, 0] = cfg.vocab_size - 2
        ids[row, 1:length - 1] = torch.randint(1, cfg.vocab_size - 2, (length - 2,))
        ids[row, length - 1] = cfg.vocab_size - 1
    return ids


@pytest.mark.parametrize("cfg", [CONFIGS["tiny"], SMALL], ids=["tiny", "small"])
def test_zero_alpha_conv_computes_openai_clip(cfg):
    ref, model = paired_models(cfg)
    image = torch.randn(3, 3, cfg.image_size, cfg.image_size)
    alpha = torch.randn(3, 1, cfg.image_size, cfg.image_size)
    ids = random_ids(cfg, 5)
    with torch.no_grad():
        expected_image = ref.encode_image(image)
        expected_text = ref.encode_text(ids)
        got_image = model.encode_image(image, alpha)
        got_text = model.encode_text(ids)
    assert got_image.shape == (3, cfg.embed_dim) and got_text.shape == (5, cfg.embed_dim)
    assert expected_image.abs().max() > 0.1 and expected_text.abs().max() > 0.1
    torch.testing.assert_close(got_image, expected_image, atol=1e-5, rtol=0)
    torch.testing.assert_close(got_text, expected_text, atol=1e-5, rtol=0)


@pytest.mark.parametrize("cfg", [CONFIGS["tiny"], SMALL], ids=["tiny", "small"])
def test_alpha_conv_adds_to_the_patch_embedding(cfg):
    ref, model = paired_models(cfg)
    weight = torch.randn(cfg.vision_width, 1, cfg.patch_size, cfg.patch_size) * 0.05
    with torch.no_grad():
        model.visual.conv1_alpha.weight.copy_(weight)
    image = torch.randn(2, 3, cfg.image_size, cfg.image_size)
    alpha = torch.where(torch.rand(2, 1, cfg.image_size, cfg.image_size) > 0.5, ALPHA_INSIDE, -ALPHA_INSIDE)
    with torch.no_grad():
        expected = ref.encode_image(image, alpha, weight)
        got = model.encode_image(image, alpha)
        plain = ref.encode_image(image)
    torch.testing.assert_close(got, expected, atol=1e-5, rtol=0)
    assert (got - plain).abs().max() > 1e-3  # the mask changes the embedding


def test_whole_image_variant_ignores_alpha_and_designates_everything():
    cfg = CONFIGS["tiny"]
    model = build_model("tiny").eval()
    with torch.no_grad():
        model.visual.conv1_alpha.weight.normal_(0, 0.05)
    image = torch.randn(2, 3, 64, 64)
    region = torch.full((2, 1, 64, 64), -ALPHA_INSIDE)
    region[:, :, :16, :16] = ALPHA_INSIDE
    whole = torch.full((2, 1, 64, 64), ALPHA_INSIDE)
    with torch.no_grad():
        with_region = model.encode_image(image, region)
        with_whole = model.encode_image(image, whole)
        with_none = model.encode_image(image, None)
        model.use_alpha = False
        ignored = model.encode_image(image, region)
    assert (with_region - with_whole).abs().max() > 1e-3
    torch.testing.assert_close(with_none, with_whole, atol=1e-5, rtol=0)
    torch.testing.assert_close(ignored, with_whole, atol=1e-5, rtol=0)
    assert cfg.image_size == 64


def test_text_feature_is_taken_at_the_end_token():
    model = build_model("tiny", vocab_size=300).eval()
    ids = torch.zeros(2, 77, dtype=torch.long)
    ids[:, 0], ids[:, 1], ids[:, 2], ids[:, 3] = 298, 17, 40, 299
    ids[1, 10] = 5  # after the end token: causal attention never lets it reach the end position
    with torch.no_grad():
        out = model.encode_text(ids)
        ids[0, 2] = 41
        changed = model.encode_text(ids)
    torch.testing.assert_close(out[0], out[1], atol=1e-6, rtol=0)
    assert (changed[0] - out[0]).abs().max() > 1e-4


def test_forward_gives_clip_logits():
    model = build_model("tiny", vocab_size=300).eval()
    image, alpha = torch.randn(2, 3, 64, 64), torch.randn(2, 1, 64, 64)
    ids = random_ids(get_config("tiny", 300), 3)
    with torch.no_grad():
        per_image, per_text = model(image, alpha, ids)
        i = torch.nn.functional.normalize(model.encode_image(image, alpha), dim=-1)
        t = torch.nn.functional.normalize(model.encode_text(ids), dim=-1)
    assert per_image.shape == (2, 3) and torch.equal(per_text, per_image.t())
    torch.testing.assert_close(per_image, model.logit_scale.exp() * i @ t.t())
    assert abs(model.logit_scale.exp().item() - 1 / 0.07) < 1e-3


def test_gradient_checkpointing_gives_the_same_gradients():
    grads = []
    for checkpointing in (False, True):
        torch.manual_seed(3)
        model = build_model("tiny", vocab_size=300).train()
        model.set_grad_checkpointing(checkpointing)
        torch.manual_seed(4)
        image, alpha = torch.randn(2, 3, 64, 64), torch.randn(2, 1, 64, 64)
        model.encode_image(image, alpha).square().sum().backward()
        grads.append(model.visual.transformer.resblocks[0].attn.in_proj.weight.grad.clone())
    torch.testing.assert_close(grads[0], grads[1], atol=1e-5, rtol=1e-4)
    assert grads[0].abs().max() > 0
