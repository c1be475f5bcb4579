import gzip
import json
import os
import stat
import subprocess

import numpy as np
import onnx
import pytest
import torch
import torch.nn.functional as F

import hashlib

from anomaly_lens.export import ONNX_OPSET, ExportError, descriptions_digest, export_bundle
from anomaly_lens.lora import apply_lora, has_lora
from anomaly_lens.model import ALPHA_INSIDE, build_model
from anomaly_lens.preprocess import preprocess_files

CLIP_TOKENIZER = {"kind": "clip-bpe", "vocabSize": 49408, "startId": 49406, "endId": 49407, "contextLength": 77}


@pytest.fixture
def golden(shared_dir):
    rows = [json.loads(line) for line in (shared_dir / "data" / "clip-bpe" / "golden.jsonl").read_text().splitlines()]
    rows = rows[:40]
    return [r["text"] for r in rows], np.array([r["input_ids"] for r in rows], dtype=np.int64)


@pytest.fixture
def merges(shared_dir):
    return shared_dir / "data" / "clip-bpe" / "bpe_simple_vocab_16e6.txt.gz"


def adapted_tiny_model():
    """The tiny model as after training: non-zero alpha conv, LoRA adapters (not merged), LayerNorms
    away from their initial identity."""
    model = build_model("tiny")
    with torch.no_grad():
        model.visual.conv1_alpha.weight.normal_(0, 0.05)
        model.logit_scale.fill_(4.0)
        for module in model.modules():
            if isinstance(module, torch.nn.LayerNorm):
                module.weight.normal_(1, 0.2)
                module.bias.normal_(0, 0.2)
    apply_lora(model, r=8, alpha=8, dropout=0.1)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("lora_B"):
                p.normal_(0, 0.05)
    return model.eval()


def image_inputs(shared_dir, n_random):
    """Two real MVTec-style samples preprocessed at 64 px, then random images with rectangular regions."""
    sample = shared_dir / "data" / "mvtec-sample"
    images, alphas = [], []
    for image, mask in [("tire/test/cut/009.png", "tire/ground_truth/cut/009_mask.png"),
                        ("otx_hazelnut/test/colour/002.jpg", "otx_hazelnut/ground_truth/colour/002_mask.png")]:
        i, a = preprocess_files(sample / image, [sample / mask], 64)
        images.append(i)
        alphas.append(a)
    rng = np.random.default_rng(5)
    for _ in range(n_random):
        images.append(rng.normal(0, 1, (3, 64, 64)).astype(np.float32))
        a = np.full((1, 64, 64), -ALPHA_INSIDE, dtype=np.float32)
        y, x = rng.integers(0, 48, 2)
        a[:, y:y + 16, x:x + 16] = ALPHA_INSIDE
        alphas.append(a)
    return np.stack(images), np.stack(alphas)


def run_ort(tmp_path, node, repo_root, bundle, runs):
    spec = {"bundle": str(bundle), "runs": runs}
    (tmp_path / "runs.json").write_text(json.dumps(spec))
    proc = subprocess.run([node, "--import", "tsx", "test/fixtures/ort_run.ts", str(tmp_path / "runs.json")],
                          cwd=repo_root, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def feed(tmp_path, name, array):
    path = tmp_path / f"{name}.bin"
    array.tofile(str(path))
    return {"file": str(path), "dtype": "int64" if array.dtype == np.int64 else "float32", "shape": list(array.shape)}


def image_run(tmp_path, name, image, alpha):
    return {"encoder": "image", "output": str(tmp_path / name),
            "feeds": {"image": feed(tmp_path, name + ".image", image), "alpha": feed(tmp_path, name + ".alpha", alpha)}}


def text_run(tmp_path, name, ids):
    return {"encoder": "text", "output": str(tmp_path / name), "feeds": {"input_ids": feed(tmp_path, name + ".ids", ids)}}


def read(tmp_path, name, kind, dim):
    return np.fromfile(str(tmp_path / f"{name}.{kind}.f32"), dtype="<f4").reshape(-1, dim)


def test_onnx_runtime_in_node_matches_pytorch(tmp_path, golden, merges, shared_dir, node, repo_root):
    texts, ids = golden
    model = adapted_tiny_model()
    bundle = export_bundle(model, tmp_path / "bundle", CLIP_TOKENIZER, merges, texts, ids,
                           {"kind": "trained", "base": "random tiny", "hyperparameters": {"lora_r": 8}})
    assert has_lora(model)  # the caller's model keeps its adapters

    images, alphas = image_inputs(shared_dir, 4)
    runs = [
        image_run(tmp_path, "img6", images, alphas),
        image_run(tmp_path, "img1", images[3:4], alphas[3:4]),
        text_run(tmp_path, "txt", ids),
        text_run(tmp_path, "txt1", ids[7:8]),
    ]
    summary = run_ort(tmp_path, node, repo_root, bundle, runs)
    D = 128
    assert [o["shape"] for o in summary["outputs"]] == [[6, D], [1, D], [40, D], [1, D]]
    assert summary["bundle"] == {"size": "tiny", "embedDim": D, "descriptions": 40, "textEmbeddings": 40 * D, "vocabSize": 49408}
    assert summary["inputs"] == {"image": ["image", "alpha"], "text": ["input_ids"]}

    with torch.no_grad():  # the unmerged LoRA model in PyTorch is the reference
        torch_image = model.encode_image(torch.from_numpy(images), torch.from_numpy(alphas)).numpy()
        torch_text = model.encode_text(torch.from_numpy(ids)).numpy()
    ort_image, ort_text = read(tmp_path, "img6", "raw", D), read(tmp_path, "txt", "raw", D)
    image_diff = float(np.abs(ort_image - torch_image).max())
    text_diff = float(np.abs(ort_text - torch_text).max())
    assert image_diff <= 1e-4 and text_diff <= 1e-4, (image_diff, text_diff)
    assert np.abs(read(tmp_path, "img1", "raw", D) - torch_image[3:4]).max() <= 1e-4
    assert np.abs(read(tmp_path, "txt1", "raw", D) - torch_text[7:8]).max() <= 1e-4

    normalise = lambda x: x / np.linalg.norm(x, axis=1, keepdims=True)  # noqa: E731
    torch_sim = normalise(torch_image) @ normalise(torch_text).T
    ort_sim = normalise(ort_image) @ normalise(ort_text).T
    assert np.array_equal(torch_sim.argmax(axis=1), ort_sim.argmax(axis=1))  # each image's best text
    assert np.array_equal(torch_sim.argmax(axis=0), ort_sim.argmax(axis=0))  # each text's best image
    runtime_sim = read(tmp_path, "img6", "runtime", D) @ read(tmp_path, "txt", "runtime", D).T
    assert np.array_equal(runtime_sim.argmax(axis=1), torch_sim.argmax(axis=1))
    assert np.abs(runtime_sim - torch_sim).max() <= 1e-4
    assert len(set(torch_sim.argmax(axis=1).tolist())) > 1  # not a degenerate, constant answer

    stored = np.fromfile(str(bundle / "text_embeddings.bin"), dtype="<f4").reshape(40, D)
    assert np.abs(stored - normalise(torch_text)).max() <= 1e-5
    print(f"\nparity tiny: image max|ORT-torch| {image_diff:.2e}, text {text_diff:.2e}, "
          f"similarity {np.abs(ort_sim - torch_sim).max():.2e}, argmax agree {len(ort_sim)}/{len(ort_sim)}")


def test_bundle_contents(tmp_path, golden, merges):
    texts, ids = golden
    model = adapted_tiny_model()
    bundle = export_bundle(model, tmp_path / "b", CLIP_TOKENIZER, merges, texts[:3], ids[:3],
                           {"kind": "trained", "datasetHash": "abc", "metrics": {"top1": 0.5}})
    manifest = json.loads((bundle / "bundle.json").read_text())
    assert manifest["formatVersion"] == 1 and manifest["architecture"] == "alphaclip-vit"
    assert (manifest["size"], manifest["imageSize"], manifest["patchSize"], manifest["embedDim"]) == ("tiny", 64, 8, 128)
    assert manifest["contextLength"] == 77 and manifest["alpha"] is True
    assert manifest["logitScale"] == pytest.approx(np.exp(4.0), rel=1e-6)
    assert manifest["preprocess"] == {"resize": "center-square-area", "mean": [0.48145466, 0.4578275, 0.40821073],
                                      "std": [0.26862954, 0.26130258, 0.27577711], "alphaMean": 0.5, "alphaStd": 0.26}
    assert manifest["tokenizer"] == {**CLIP_TOKENIZER, "merges": "tokenizer/merges.txt.gz"}
    assert manifest["files"] == {"imageEncoder": "image_encoder.onnx", "textEncoder": "text_encoder.onnx",
                                 "textEmbeddings": "text_embeddings.bin"}
    assert manifest["descriptions"] == texts[:3]
    prov = manifest["provenance"]
    assert prov["kind"] == "trained" and prov["datasetHash"] == "abc" and prov["metrics"] == {"top1": 0.5}
    assert prov["export"]["opset"] == ONNX_OPSET and prov["createdAt"].endswith("Z")
    assert (bundle / "tokenizer" / "merges.txt.gz").read_bytes() == merges.read_bytes()
    assert (bundle / "text_embeddings.bin").stat().st_size == 3 * 128 * 4
    assert manifest["digests"] == {"descriptions": descriptions_digest(texts[:3]),
                                   "textEmbeddings": hashlib.sha256((bundle / "text_embeddings.bin").read_bytes()).hexdigest()}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b"]  # no staging folder left behind
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(bundle.stat().st_mode) == 0o777 & ~umask  # not the private mode of a temp folder

    for name, inputs in (("image_encoder.onnx", {"image": ["batch", 3, 64, 64], "alpha": ["batch", 1, 64, 64]}),
                         ("text_encoder.onnx", {"input_ids": ["batch", 77]})):
        graph_model = onnx.load(str(bundle / name))
        onnx.checker.check_model(graph_model)
        assert graph_model.opset_import[0].version == ONNX_OPSET
        graph = graph_model.graph
        shapes = {v.name: [d.dim_param or d.dim_value for d in v.type.tensor_type.shape.dim] for v in graph.input}
        assert shapes == inputs
        out = [[d.dim_param or d.dim_value for d in v.type.tensor_type.shape.dim] for v in graph.output]
        assert out == [["batch", 128]] and graph.output[0].name == "embedding"
    text_graph = onnx.load(str(bundle / "text_encoder.onnx")).graph
    assert {i.name: i.type.tensor_type.elem_type for i in text_graph.input} == {"input_ids": onnx.TensorProto.INT64}
    producers = {out: node for node in text_graph.node for out in node.output}
    argmaxes = [n for n in text_graph.node if n.op_type == "ArgMax"]
    assert len(argmaxes) == 1
    cast = producers[argmaxes[0].input[0]]
    assert cast.op_type == "Cast" and [a.i for a in cast.attribute if a.name == "to"] == [onnx.TensorProto.INT32]
    assert cast.input[0] == "input_ids"


def test_whole_image_bundle_ignores_alpha(tmp_path, golden, merges, shared_dir, node, repo_root):
    texts, ids = golden
    model = adapted_tiny_model()
    bundle = export_bundle(model, tmp_path / "whole", CLIP_TOKENIZER, merges, texts[:5], ids[:5],
                           {"kind": "trained"}, alpha=False)
    assert json.loads((bundle / "bundle.json").read_text())["alpha"] is False
    images, alphas = image_inputs(shared_dir, 1)
    runs = [image_run(tmp_path, "a", images, alphas), image_run(tmp_path, "b", images, -alphas)]
    summary = run_ort(tmp_path, node, repo_root, bundle, runs)
    assert summary["inputs"]["image"] == ["image", "alpha"]
    with torch.no_grad():
        whole = model.encode_image(torch.from_numpy(images), torch.full_like(torch.from_numpy(alphas), ALPHA_INSIDE)).numpy()
        masked = model.encode_image(torch.from_numpy(images), torch.from_numpy(alphas)).numpy()
    a, b = read(tmp_path, "a", "raw", 128), read(tmp_path, "b", "raw", 128)
    assert np.array_equal(a, b)
    assert np.abs(a - whole).max() <= 1e-4
    assert np.abs(masked - whole).max() > 1e-3  # the alpha model itself does see the region
    assert model.use_alpha  # the caller's model is unchanged


def test_plain_merges_are_compressed_and_bundles_replaced(tmp_path, golden, merges):
    texts, ids = golden
    plain = tmp_path / "merges.txt"
    plain.write_bytes(gzip.decompress(merges.read_bytes()))
    model = build_model("tiny").eval()
    out = tmp_path / "bundle"
    export_bundle(model, out, CLIP_TOKENIZER, plain, [], [], {"kind": "imported"})
    assert gzip.decompress((out / "tokenizer" / "merges.txt.gz").read_bytes()) == plain.read_bytes()
    manifest = json.loads((out / "bundle.json").read_text())
    assert manifest["descriptions"] == [] and "textEmbeddings" not in manifest["files"]
    assert not (out / "text_embeddings.bin").exists()
    export_bundle(model, out, CLIP_TOKENIZER, plain, texts[:2], ids[:2], {"kind": "imported"})
    assert json.loads((out / "bundle.json").read_text())["descriptions"] == texts[:2]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bundle", "merges.txt"]


def test_export_rejects_inconsistent_inputs(tmp_path, golden, merges):
    texts, ids = golden
    model = build_model("tiny", vocab_size=600).eval()
    with pytest.raises(ExportError, match="the tokenizer has 49408 tokens but the model's vocabulary is 600"):
        export_bundle(model, tmp_path / "x", CLIP_TOKENIZER, merges, texts[:2], ids[:2], {"kind": "trained"})
    model = build_model("tiny").eval()
    with pytest.raises(ExportError, match=r"token ids must be \[3, 77\]"):
        export_bundle(model, tmp_path / "x", CLIP_TOKENIZER, merges, texts[:3], ids[:2], {"kind": "trained"})
    with pytest.raises(ExportError, match="cannot read the tokenizer merges"):
        export_bundle(model, tmp_path / "x", CLIP_TOKENIZER, tmp_path / "nope.gz", [], [], {"kind": "trained"})
    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "notes.txt").write_text("keep me")
    with pytest.raises(ExportError, match="exists and is not a model bundle"):
        export_bundle(model, occupied, CLIP_TOKENIZER, merges, [], [], {"kind": "trained"})
    assert (occupied / "notes.txt").read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["occupied"]


def test_exported_embeddings_are_the_merged_models(tmp_path, golden, merges):
    """text_embeddings.bin rows are the normalised text embeddings, in description order."""
    texts, ids = golden
    model = adapted_tiny_model()
    bundle = export_bundle(model, tmp_path / "b", CLIP_TOKENIZER, merges, texts[5:9], ids[5:9], {"kind": "trained"})
    with torch.no_grad():
        expected = F.normalize(model.encode_text(torch.from_numpy(ids[5:9])), dim=-1).numpy()
    stored = np.fromfile(str(bundle / "text_embeddings.bin"), dtype="<f4").reshape(4, 128)
    assert np.abs(stored - expected).max() <= 1e-5
    assert np.allclose(np.linalg.norm(stored, axis=1), 1, atol=1e-5)


def test_descriptions_digest_is_the_runtimes():
    # The same list and digest are pinned in test/unit/model/bundleDigest.test.ts.
    texts = ["crack in «tile»", "tab\there\nnewline", 'quote "q" and \\ back', "émoji 🙂", "\u0001 control"]
    assert descriptions_digest(texts) == "31691b504dfd319b5b34e19003b65d1a0db1666fadac1f5c70beb02af03ca178"
