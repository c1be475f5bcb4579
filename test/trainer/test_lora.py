import pytest
import torch
from torch import nn

from anomaly_lens.lora import (LoRALinear, apply_lora, has_lora, lora_parameter_names, lora_state_dict,
                               mark_only_lora_trainable, merge_lora)
from anomaly_lens.model import build_model

TARGET_SUFFIXES = ("attn.in_proj", "attn.out_proj", "mlp.c_fc", "mlp.c_proj")


def inputs():
    return torch.randn(2, 3, 64, 64), torch.randn(2, 1, 64, 64)


def test_wraps_the_visual_linear_layers_only_and_keeps_base_names():
    model = build_model("tiny", vocab_size=300)
    base_keys = set(model.state_dict())
    names = apply_lora(model, r=8, alpha=16, dropout=0.1)
    layers = model.visual.transformer.layers
    assert len(names) == layers * len(TARGET_SUFFIXES) * 2
    for i in range(layers):
        for suffix in TARGET_SUFFIXES:
            prefix = f"visual.transformer.resblocks.{i}.{suffix}"
            assert f"{prefix}.lora_A" in names and f"{prefix}.lora_B" in names
            layer = model.get_submodule(prefix)
            assert isinstance(layer, LoRALinear) and layer.scaling == 2.0
            assert layer.lora_A.shape == (8, layer.in_features) and layer.lora_B.shape == (layer.out_features, 8)
            assert torch.count_nonzero(layer.lora_B) == 0 and torch.count_nonzero(layer.lora_A) > 0
    assert not any(isinstance(m, LoRALinear) for m in model.transformer.modules())  # text tower untouched
    new_keys = set(model.state_dict())
    assert base_keys <= new_keys
    assert new_keys - base_keys == set(names)
    assert set(lora_state_dict(model)) == set(names)


def test_zero_initialised_adapters_leave_the_model_unchanged():
    model = build_model("tiny", vocab_size=300).eval()
    image, alpha = inputs()
    with torch.no_grad():
        before = model.encode_image(image, alpha)
        apply_lora(model, r=4)
        model.eval()
        after = model.encode_image(image, alpha)
    torch.testing.assert_close(after, before, atol=1e-6, rtol=0)


def test_merge_folds_the_adapters_into_plain_linear_layers():
    model = build_model("tiny", vocab_size=300)
    apply_lora(model, r=4, alpha=8, dropout=0.1)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("lora_B"):
                p.normal_(0, 0.02)
    model.eval()
    image, alpha = inputs()
    with torch.no_grad():
        adapted = model.encode_image(image, alpha)
        merge_lora(model)
        merged = model.encode_image(image, alpha)
    assert not has_lora(model)
    assert lora_parameter_names(model) == []
    layer = model.visual.transformer.resblocks[0].attn.in_proj
    assert type(layer) is nn.Linear
    base = build_model("tiny", vocab_size=300).eval()
    base.load_state_dict(model.state_dict(), strict=True)  # merged model has the plain names again
    with torch.no_grad():
        reloaded = base.encode_image(image, alpha)
    plain = build_model("tiny", vocab_size=300).eval()
    torch.testing.assert_close(merged, adapted, atol=1e-5, rtol=0)
    torch.testing.assert_close(reloaded, adapted, atol=1e-5, rtol=0)
    with torch.no_grad():
        assert (adapted - plain.encode_image(image, alpha)).abs().max() > 1e-3


def test_merge_equals_the_layer_math():
    layer = LoRALinear.wrap(nn.Linear(6, 5), r=2, alpha=4, dropout=0.0)
    with torch.no_grad():
        layer.lora_B.normal_()
    x = torch.randn(3, 6)
    expected = x @ (layer.weight + 2.0 * layer.lora_B @ layer.lora_A).t() + layer.bias
    torch.testing.assert_close(layer(x), expected, atol=1e-5, rtol=0)
    torch.testing.assert_close(layer.merged()(x), expected, atol=1e-5, rtol=0)


def test_dropout_acts_on_the_low_rank_path_in_training_only():
    layer = LoRALinear.wrap(nn.Linear(32, 16), r=4, alpha=4, dropout=0.5)
    with torch.no_grad():
        layer.lora_B.normal_()
    x = torch.randn(8, 32)
    layer.train()
    a, b = layer(x), layer(x)
    assert (a - b).abs().max() > 1e-4
    layer.eval()
    torch.testing.assert_close(layer(x), layer(x))
    torch.testing.assert_close(layer(x), layer.merged()(x), atol=1e-5, rtol=0)


def test_only_lora_and_named_parameters_train():
    model = build_model("tiny", vocab_size=300)
    names = apply_lora(model, r=4)
    trainable = mark_only_lora_trainable(model, also=["visual.conv1_alpha.weight", "visual.conv1.weight"])
    assert set(trainable) == set(names) | {"visual.conv1_alpha.weight", "visual.conv1.weight"}
    for name, p in model.named_parameters():
        assert p.requires_grad == (name in trainable), name
    image, alpha = inputs()
    model.train()
    model.encode_image(image, alpha).sum().backward()
    assert model.visual.transformer.resblocks[0].attn.in_proj.weight.grad is None
    assert model.visual.transformer.resblocks[0].attn.in_proj.lora_B.grad.abs().max() > 0
    assert model.visual.conv1_alpha.weight.grad.abs().max() > 0
    with pytest.raises(KeyError, match="no such parameters"):
        mark_only_lora_trainable(model, also=["visual.conv2.weight"])


def test_lora_state_dict_round_trips():
    model = build_model("tiny", vocab_size=300)
    apply_lora(model, r=4)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "lora_" in name:
                p.normal_()
    saved = lora_state_dict(model)
    other = build_model("tiny", vocab_size=300)
    apply_lora(other, r=4)
    result = other.load_state_dict(saved, strict=False)
    assert not result.unexpected_keys
    for key, value in saved.items():
        assert torch.equal(other.state_dict()[key], value)


def test_apply_lora_to_the_visual_tower_directly_and_custom_targets():
    model = build_model("tiny", vocab_size=300)
    names = apply_lora(model.visual, r=2, targets=("attn.out_proj",))
    assert names and all(n.startswith("transformer.resblocks.") and ".attn.out_proj.lora_" in n for n in names)
    with pytest.raises(ValueError, match="no linear layer"):
        apply_lora(build_model("tiny", vocab_size=300), targets=("attn.q_proj",))
