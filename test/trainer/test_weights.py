import copy
import json
import os
import subprocess
import sys
import warnings

import pytest
import torch

from anomaly_lens.cli_import import import_weights, sha256
from anomaly_lens.config import get_config
from anomaly_lens.weights import (WeightsError, convert_openai_state_dict, infer_config, load_pretrained,
                                  read_state_dict)
from clip_reference import RefCLIP
from test_model import PUBLISHED, SMALL, published_shapes, random_ids

TINY = get_config("tiny", vocab_size=300)


class ArchivedCLIP(RefCLIP):
    """The reference CLIP as OpenAI ships it: a TorchScript archive in float16 that also holds
    input_resolution, context_length and vocab_size."""

    def __init__(self, cfg):
        super().__init__(cfg)
        self.register_buffer("input_resolution", torch.tensor(cfg.image_size))
        self.register_buffer("context_length", torch.tensor(cfg.context_length))
        self.register_buffer("vocab_size", torch.tensor(cfg.vocab_size))

    def forward(self, image, text):
        return self.encode_image(image), self.encode_text(text)


def save_archive(ref, cfg, path):
    image = torch.randn(1, 3, cfg.image_size, cfg.image_size)
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore", torch.jit.TracerWarning)
        # The trace shares parameters with the module it traces: trace a copy.
        traced = torch.jit.trace(copy.deepcopy(ref).eval(), (image, random_ids(cfg, 1)), check_trace=False)
    traced.half()
    traced.save(str(path))


def rounded(ref):
    """The reference with its weights rounded to float16, as in the archive."""
    with torch.no_grad():
        for p in ref.parameters():
            p.copy_(p.half().float())
    return ref.eval()


def outputs(model_image, model_text, cfg, alpha=None):
    torch.manual_seed(11)
    image = torch.randn(2, 3, cfg.image_size, cfg.image_size)
    ids = random_ids(cfg, 3)
    with torch.no_grad():
        return model_image(image, alpha), model_text(ids)


def test_openai_torchscript_archive(tmp_path):
    ref = ArchivedCLIP(TINY)
    save_archive(ref, TINY, tmp_path / "clip.pt")
    raw = read_state_dict(tmp_path / "clip.pt")
    assert raw["input_resolution"].item() == 64 and raw["visual.transformer.resblocks.0.attn.in_proj_weight"].dtype == torch.float16
    model = load_pretrained(tmp_path / "clip.pt")
    assert model.cfg == TINY and not model.training
    assert torch.count_nonzero(model.visual.conv1_alpha.weight) == 0
    assert model.visual.transformer.resblocks[0].attn.in_proj.weight.dtype == torch.float32
    ref = rounded(ref)
    got = outputs(model.encode_image, model.encode_text, TINY, torch.randn(2, 1, 64, 64))
    want = outputs(lambda i, a: ref.encode_image(i), ref.encode_text, TINY)
    torch.testing.assert_close(got[0], want[0], atol=1e-5, rtol=0)
    torch.testing.assert_close(got[1], want[1], atol=1e-5, rtol=0)


@pytest.mark.parametrize("wrap", ["plain", "state_dict", "ddp"])
def test_plain_state_dicts(tmp_path, wrap):
    ref = RefCLIP(SMALL).eval()
    state = ref.state_dict()
    if wrap == "state_dict":
        state = {"state_dict": state}
    elif wrap == "ddp":
        state = {"module." + k: v for k, v in state.items()}
    torch.save(state, tmp_path / "clip.pt")
    # SMALL is not a supported size: the import says so, naming the dimensions found.
    with pytest.raises(WeightsError, match=r"no supported size \(image_size 48, patch_size 12, vision_width 96"):
        load_pretrained(tmp_path / "clip.pt")
    ref = RefCLIP(TINY).eval()
    state = {"model": ref.state_dict()} if wrap == "state_dict" else ref.state_dict()
    torch.save(state, tmp_path / "tiny.pt")
    model = load_pretrained(tmp_path / "tiny.pt")
    got = outputs(model.encode_image, model.encode_text, TINY)
    want = outputs(lambda i, a: ref.encode_image(i), ref.encode_text, TINY)
    torch.testing.assert_close(got[0], want[0], atol=1e-5, rtol=0)
    torch.testing.assert_close(got[1], want[1], atol=1e-5, rtol=0)


def alphaclip_visual_checkpoint(cfg, seed):
    """What AlphaCLIP releases: the visual tower only, no `visual.` prefix, attn.in_proj as a linear."""
    torch.manual_seed(seed)
    donor = RefCLIP(cfg)
    visual = {}
    for key, value in donor.visual.state_dict().items():
        visual[key.replace("attn.in_proj_weight", "attn.in_proj.weight").replace("attn.in_proj_bias", "attn.in_proj.bias")] = value
    visual["conv1_alpha.weight"] = torch.randn(cfg.vision_width, 1, cfg.patch_size, cfg.patch_size) * 0.05
    return donor, visual


def test_alphaclip_visual_checkpoint_replaces_the_visual_tower(tmp_path):
    clip_ref = ArchivedCLIP(TINY)
    save_archive(clip_ref, TINY, tmp_path / "clip.pt")
    clip_ref = rounded(clip_ref)
    donor, visual = alphaclip_visual_checkpoint(TINY, seed=5)
    torch.save(visual, tmp_path / "alpha.pth")
    model = load_pretrained(tmp_path / "clip.pt", tmp_path / "alpha.pth")
    assert torch.equal(model.visual.conv1_alpha.weight, visual["conv1_alpha.weight"])
    assert torch.equal(model.visual.transformer.resblocks[1].attn.in_proj.weight,
                       visual["transformer.resblocks.1.attn.in_proj.weight"])
    alpha = torch.where(torch.rand(2, 1, 64, 64) > 0.5, 1.923, -1.923)
    got = outputs(model.encode_image, model.encode_text, TINY, alpha)
    want = outputs(lambda i, a: donor.eval().encode_image(i, a, visual["conv1_alpha.weight"]), clip_ref.encode_text, TINY, alpha)
    torch.testing.assert_close(got[0], want[0], atol=1e-5, rtol=0)  # visual tower: AlphaCLIP's
    torch.testing.assert_close(got[1], want[1], atol=1e-5, rtol=0)  # text tower: CLIP's

    # Some copies carry the `visual.` prefix; they read the same.
    torch.save({"visual." + k: v for k, v in visual.items()}, tmp_path / "prefixed.pth")
    again = load_pretrained(tmp_path / "clip.pt", tmp_path / "prefixed.pth")
    assert torch.equal(again.visual.proj, model.visual.proj)


def test_clear_errors(tmp_path):
    with pytest.raises(WeightsError) as missing:
        load_pretrained(tmp_path / "ViT-L-14-336px.pt")
    message = str(missing.value)
    assert str(tmp_path / "ViT-L-14-336px.pt") in message and "does not exist" in message
    assert "ViT-L-14-336px.pt" in message and "github.com/openai/CLIP" in message and "MIT" in message
    assert "clip_l14_336_grit_20m_4xe.pth" in message and "research use only" in message

    ref = ArchivedCLIP(TINY)
    save_archive(ref, TINY, tmp_path / "clip.pt")
    _, other_size = alphaclip_visual_checkpoint(SMALL, seed=1)
    torch.save(other_size, tmp_path / "alpha_small.pth")
    with pytest.raises(WeightsError, match=r"alpha_small.pth: made for another CLIP size than .*clip.pt \(tiny\)"):
        load_pretrained(tmp_path / "clip.pt", tmp_path / "alpha_small.pth")

    _, visual = alphaclip_visual_checkpoint(TINY, seed=1)
    del visual["conv1_alpha.weight"]
    torch.save(visual, tmp_path / "no_alpha.pth")
    with pytest.raises(WeightsError, match="no conv1_alpha.weight: not an AlphaCLIP visual checkpoint"):
        load_pretrained(tmp_path / "clip.pt", tmp_path / "no_alpha.pth")

    _, visual = alphaclip_visual_checkpoint(TINY, seed=1)
    del visual["ln_post.bias"], visual["transformer.resblocks.3.mlp.c_fc.weight"]
    visual["extra.weight"] = torch.zeros(1)
    torch.save(visual, tmp_path / "partial.pth")
    with pytest.raises(WeightsError, match=r"partial.pth: the weights do not fit tiny: missing: "
                                           r"visual.ln_post.bias, visual.transformer.resblocks.3.mlp.c_fc.weight; "
                                           r"unexpected: visual.extra.weight"):
        load_pretrained(tmp_path / "clip.pt", tmp_path / "partial.pth")

    (tmp_path / "notes.pt").write_text("not weights")
    with pytest.raises(WeightsError, match="notes.pt: cannot read the CLIP weights"):
        load_pretrained(tmp_path / "notes.pt")

    state = RefCLIP(TINY).state_dict()
    state["input_resolution"] = torch.tensor(224)
    torch.save(state, tmp_path / "inconsistent.pt")
    with pytest.raises(WeightsError, match="input_resolution 224 disagrees"):
        load_pretrained(tmp_path / "inconsistent.pt")


@pytest.mark.parametrize("size", list(PUBLISHED))
def test_size_is_inferred_from_published_shapes(size):
    state = {k: torch.empty(shape, device="meta") for k, shape in published_shapes(size).items()}
    converted, _ = convert_openai_state_dict({k: v for k, v in state.items() if k not in ("input_resolution", "context_length", "vocab_size")})
    assert "visual.transformer.resblocks.0.attn.in_proj.weight" in converted
    assert "transformer.resblocks.0.attn.in_proj_weight" in converted  # the text tower keeps OpenAI's name
    assert infer_config(converted) == get_config(size)


def test_import_weights_writes_an_imported_bundle(tmp_path, shared_dir, repo_root):
    ref = ArchivedCLIP(get_config("tiny"))
    save_archive(ref, get_config("tiny"), tmp_path / "clip.pt")
    _, visual = alphaclip_visual_checkpoint(get_config("tiny"), seed=2)
    torch.save(visual, tmp_path / "alpha.pth")
    merges = shared_dir / "data" / "clip-bpe" / "bpe_simple_vocab_16e6.txt.gz"
    golden = [json.loads(line) for line in (shared_dir / "data" / "clip-bpe" / "golden.jsonl").read_text().splitlines()[:3]]
    tokens = {"tokenizer": {"kind": "clip-bpe", "vocabSize": 49408, "startId": 49406, "endId": 49407, "contextLength": 77},
              "texts": [{"text": g["text"], "input_ids": g["input_ids"]} for g in golden]}
    (tmp_path / "tokens.json").write_text(json.dumps(tokens))

    model = load_pretrained(tmp_path / "clip.pt", tmp_path / "alpha.pth")
    summary = import_weights(tmp_path / "clip.pt", tmp_path / "alpha.pth", tmp_path / "bundle", merges, tmp_path / "tokens.json",
                             model=model)
    assert summary == {"bundle": str(tmp_path / "bundle"), "size": "tiny", "alpha": True, "alphaWeights": True, "descriptions": 3}
    manifest = json.loads((tmp_path / "bundle" / "bundle.json").read_text())
    assert manifest["descriptions"] == [g["text"] for g in golden]
    base = manifest["provenance"]["base"]
    assert manifest["provenance"]["kind"] == "imported"
    assert base["clip"] == {"file": "clip.pt", "sha256": sha256(tmp_path / "clip.pt")}
    assert base["alpha"] == {"file": "alpha.pth", "sha256": sha256(tmp_path / "alpha.pth")}

    env = {**os.environ, "PYTHONPATH": str(repo_root / "server" / "trainer")}
    cli = [sys.executable, "-m", "anomaly_lens.cli_import", "--clip", str(tmp_path / "clip.pt"),
           "--merges", str(merges), "--whole-image", "--out", str(tmp_path / "whole")]
    done = subprocess.run(cli, capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == {"bundle": str(tmp_path / "whole"), "size": "tiny", "alpha": False,
                                                         "alphaWeights": False, "descriptions": 0}
    assert json.loads((tmp_path / "whole" / "bundle.json").read_text())["alpha"] is False

    failed = subprocess.run(cli[:3] + ["--clip", str(tmp_path / "absent.pt"), "--merges", str(merges), "--out", str(tmp_path / "x")],
                            capture_output=True, text=True, env=env, timeout=300)
    assert failed.returncode == 2
    assert failed.stderr.startswith("error: ") and "absent.pt: the CLIP weights file does not exist" in failed.stderr
    assert not (tmp_path / "x").exists()
