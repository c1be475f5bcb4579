import json

import pytest
import torch
import torch.nn.functional as F

from anomaly_lens import checkpoint as ckpt
from anomaly_lens.devices import reference_blas
from anomaly_lens.history import read_history
from anomaly_lens.model import build_model
from anomaly_lens.model_files import load_init, model_from_checkpoint
from anomaly_lens.preprocess import preprocess_files
from anomaly_lens.train_options import ConfigError, resolve_config
from anomaly_lens.tuning import lr_factor, parameter_groups, prepare_model
from fixtures import dataset_with_tokens, run_in_process, tiny_options, write_dataset, write_tokens


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    return dataset_with_tokens(tmp_path_factory.mktemp("train"), train=10, val=4, seed=2)


def steps(events):
    return [e for e in events if e["type"] == "step"]


def test_a_few_steps_reduce_the_loss(tmp_path):
    # One region per image (its colour tells its class) and one batch holding the whole training
    # split: every step sees the same regions, and the tiny model learns them from random weights.
    data = write_dataset(tmp_path / "ds", train=8, val=0, seed=2, max_regions=1)
    tokens, merges = write_tokens(tmp_path / "tok", data.descriptions)
    options = tiny_options(data, tokens, merges, tmp_path / "run", batch=64, epochs=10, lr=1e-3, warmup_steps=3)
    code, events = run_in_process(options)
    assert code == 0
    losses = [e["loss"] for e in steps(events)]
    assert len(losses) == 10
    assert losses[-1] < 0.75 * losses[0], losses
    assert events[-1]["type"] == "done" and events[-1]["steps"] == 10


def test_mode_defaults_and_invalid_combinations():
    scratch = resolve_config(dict(dataset="d", tokens="t", merges="m", out="o"))
    assert (scratch.tune, scratch.lr, scratch.lr_alpha_conv, scratch.lr_conv) == ("full", 5e-4, 5e-4, 5e-4)
    pretrained = resolve_config(dict(dataset="d", tokens="t", merges="m", out="o", init="bundle"))
    assert (pretrained.tune, pretrained.lr, pretrained.lr_alpha_conv, pretrained.lr_conv) == ("lora", 1e-4, 1e-4, 1e-6)
    assert (pretrained.lora_r, pretrained.lora_alpha, pretrained.lora_dropout) == (64, 64.0, 0.1)
    assert (pretrained.weight_decay, pretrained.beta1, pretrained.beta2, pretrained.batch, pretrained.eval_batch) == (
        1e-4, 0.9, 0.999, 64, 256)
    full = resolve_config(dict(dataset="d", tokens="t", merges="m", out="o", init="bundle", tune="full"))
    assert (full.lr, full.lr_alpha_conv, full.lr_conv) == (1e-5, 1e-4, 1e-6)
    with pytest.raises(ConfigError, match="LoRA on randomly initialised weights"):
        resolve_config(dict(dataset="d", tokens="t", merges="m", out="o", tune="lora"))
    with pytest.raises(ConfigError, match="unknown --base"):
        resolve_config(dict(dataset="d", tokens="t", merges="m", out="o", base="ViT-H/14"))
    saved = vars(scratch)
    with pytest.raises(ConfigError, match=r"--lr 0\.1 \(the run has 0\.0005\)"):
        resolve_config(dict(out="o", lr=0.1), saved)
    resumed = resolve_config(dict(out="o", device="cpu", workers=1), saved)
    assert resumed.lr == 5e-4 and resumed.workers == 1


def test_parameter_groups_and_schedule():
    cfg = resolve_config(dict(dataset="d", tokens="t", merges="m", out="o", init="x", lora_r=4, lora_alpha=8))
    model = build_model("tiny", vocab_size=520)
    from anomaly_lens.lora import apply_lora, mark_only_lora_trainable

    apply_lora(model, r=4, alpha=8)
    mark_only_lora_trainable(model, also=["visual.conv1.weight", "visual.conv1_alpha.weight"])
    groups = {g["name"]: g for g in parameter_groups(model, cfg)}
    assert {n: g["lr"] for n, g in groups.items()} == {"main": 1e-4, "conv1_alpha": 1e-4, "conv1": 1e-6}
    names = {id(p): n for n, p in model.named_parameters()}
    assert [names[id(p)] for p in groups["conv1_alpha"]["params"]] == ["visual.conv1_alpha.weight"]
    assert [names[id(p)] for p in groups["conv1"]["params"]] == ["visual.conv1.weight"]
    assert all("lora_" in names[id(p)] for p in groups["main"]["params"])
    assert len(groups["main"]["params"]) == 2 * 4 * 4  # A and B of in/out proj, c_fc, c_proj in 4 layers
    cosine = lr_factor("cosine", 2, 10)
    assert [cosine(s) for s in (0, 1)] == [0.5, 1.0]
    assert cosine(2) == 1.0 and cosine(6) == pytest.approx(0.5) and cosine(10) == pytest.approx(0.0)
    assert lr_factor("constant", 0, 10)(7) == 1.0


def test_validation_accuracy_is_eq3_over_all_descriptions(setup, tmp_path):
    root, data, tokens, merges = setup
    code, events = run_in_process(tiny_options(data, tokens, merges, tmp_path / "run", epochs=1))
    assert code == 0
    (evaluation,) = [e for e in events if e["type"] == "eval"]
    model = model_from_checkpoint(ckpt.load(tmp_path / "run" / "best.pt"))
    token_rows = json.loads(tokens.read_text())["texts"]
    with torch.no_grad():
        text = F.normalize(model.encode_text(torch.tensor([r["input_ids"] for r in token_rows])), dim=-1)
        correct = total = 0
        for line in (data.root / "val.jsonl").read_text().splitlines():
            record = json.loads(line)
            for region in record["regions"]:
                image, alpha = preprocess_files(data.root / record["image"], [data.root / region["mask"]], 64)
                emb = F.normalize(model.encode_image(torch.from_numpy(image)[None], torch.from_numpy(alpha)[None]), dim=-1)
                predicted = int((emb @ text.t()).argmax())
                correct += token_rows[predicted]["text"] == region["description"]
                total += 1
    assert evaluation["samples"] == total == data.counts["val"]["regions"]
    assert evaluation["val_accuracy"] == pytest.approx(correct / total, abs=1e-9)


def test_lora_from_a_bundle_trains_adapters_and_convs_only(setup, tmp_path):
    root, data, tokens, merges = setup
    code, events = run_in_process(tiny_options(data, tokens, merges, tmp_path / "base", epochs=1, export=True))
    assert code == 0
    bundle = tmp_path / "base" / "bundle"
    assert (bundle / "weights.pt").is_file() and (bundle / "image_encoder.onnx").is_file()
    base = load_init(bundle)

    options = tiny_options(data, tokens, merges, tmp_path / "lora", init=str(bundle), lora_r=4, lora_alpha=4,
                           epochs=1, lr=1e-2, lr_alpha_conv=1e-2, lr_conv=1e-2, export=True)
    code, events = run_in_process(options)
    assert code == 0, events[-1]
    start = next(e for e in events if e["type"] == "start")
    assert start["config"]["tune"] == "lora"
    saved = ckpt.load(tmp_path / "lora" / "last.pt")
    assert saved["model_kind"] == "lora"
    assert set(saved["model"]) == {"visual.conv1.weight", "visual.conv1_alpha.weight"} | {
        k for k in saved["model"] if ".lora_" in k}
    assert len([k for k in saved["model"] if k.endswith("lora_A")]) == 16

    merged = model_from_checkpoint(saved)
    before, after = base.state_dict(), merged.state_dict()
    changed = {k for k in before if not torch.equal(before[k], after[k])}
    assert "visual.conv1.weight" in changed and "visual.conv1_alpha.weight" in changed
    assert any(k.endswith("attn.in_proj.weight") for k in changed)
    assert all(k.startswith("visual.") for k in changed)
    assert not any("ln_" in k or "positional" in k or k.endswith(".bias") for k in changed)
    manifest = json.loads((tmp_path / "lora" / "bundle" / "bundle.json").read_text())
    assert manifest["provenance"]["kind"] == "trained"
    assert manifest["provenance"]["base"]["init"] == str(bundle)
    assert manifest["provenance"]["hyperparameters"]["lora_r"] == 4
    assert manifest["descriptions"] == data.descriptions


def test_whole_image_variant_keeps_conv1_alpha(setup, tmp_path):
    root, data, tokens, merges = setup
    code, _ = run_in_process(tiny_options(data, tokens, merges, tmp_path / "run", epochs=1, alpha=False))
    assert code == 0
    saved = ckpt.load(tmp_path / "run" / "last.pt")
    model = model_from_checkpoint(saved)
    assert model.use_alpha is False
    assert torch.count_nonzero(model.visual.conv1_alpha.weight) == 0


def test_prepare_model_checks_the_init_weights_against_vocabulary_and_size(setup, tmp_path):
    root, data, tokens, merges = setup
    run_in_process(tiny_options(data, tokens, merges, tmp_path / "base", epochs=1, max_steps=1))
    cfg = resolve_config(tiny_options(data, tokens, merges, tmp_path / "x", init=str(tmp_path / "base"), init_trusted=True))
    assert cfg.base is None
    with pytest.raises(ConfigError, match="vocabulary has 520 tokens but the token file's tokenizer has 600"):
        prepare_model(cfg, 600)
    model, _ = prepare_model(cfg, 520)
    assert cfg.base == "tiny" and model.cfg.size == "tiny"
    cfg = resolve_config(tiny_options(data, tokens, merges, tmp_path / "x", init=str(tmp_path / "base"), init_trusted=True, base="ViT-B/16"))
    with pytest.raises(ConfigError, match="--base ViT-B/16, but the --init weights .* are a tiny model"):
        prepare_model(cfg, 520)


def test_two_processes_under_torchrun(setup, repo_root, tmp_path):
    """DDP on the CPU (gloo): the global batch is split, only rank 0 reports and writes, validation
    counts every region once. `--redirects 2 --tee 2` keeps torchrun off stdout and works around
    torch 1.13's launcher on Python 3.11 (it cannot parse 0 or 3 there)."""
    import os
    import signal
    import subprocess
    import sys

    from fixtures import cli_args

    root, data, tokens, merges = setup
    run = tmp_path / "run"
    options = tiny_options(data, tokens, merges, run, epochs=1, batch=8)
    env = {**os.environ, "PYTHONPATH": str(repo_root / "server" / "trainer"), "OMP_NUM_THREADS": "1"}
    # --standalone: a rendezvous on a free local port, so another torchrun on the machine is never
    # joined; the launcher and its workers are one process group, all stopped if it overruns.
    launcher = subprocess.Popen(
        [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2", "--redirects", "2", "--tee", "2",
         "-m", "anomaly_lens", *cli_args(options)],
        cwd=repo_root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        stdout, stderr = launcher.communicate(timeout=300)
    except subprocess.TimeoutExpired:
        os.killpg(launcher.pid, signal.SIGKILL)
        stdout, stderr = launcher.communicate()
        raise AssertionError(f"torchrun did not finish in 300 s:\n{stderr[-3000:]}")
    proc = subprocess.CompletedProcess(launcher.args, launcher.returncode, stdout, stderr)
    assert proc.returncode == 0, proc.stderr[-3000:]
    events = [json.loads(line) for line in proc.stdout.splitlines()]
    start = next(e for e in events if e["type"] == "start")
    regions = data.counts["train"]["regions"]
    assert start["world_size"] == 2
    assert start["steps"]["per_epoch"] == -(-(-(-regions // 2)) // 4)  # each rank: half the regions, batches of 4
    assert len([e for e in events if e["type"] == "start"]) == 1
    (evaluation,) = [e for e in events if e["type"] == "eval"]
    assert evaluation["samples"] == data.counts["val"]["regions"]
    saved = ckpt.load(run / "last.pt")
    assert len(saved["rng"]) == 2 and saved["state"]["step"] == start["steps"]["total"]
    assert events[-1]["type"] == "done"
    # Rank 0 alone writes the history: each step once.
    history = read_history(run)
    assert [e["step"] for e in history if e["type"] == "step"] == list(range(1, start["steps"]["total"] + 1))
    assert [e["type"] for e in history].count("start") == 1 and history[-1]["type"] == "done"


def test_reference_blas_is_recognised_from_the_mapped_libraries():
    line = "7f3a1c000000-7f3a1c020000 r-xp 00000000 08:01 123 {}\n"
    reference = "/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0"
    openblas = "/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3"
    assert reference_blas(line.format(reference) + line.format("/usr/lib/libtorch_cpu.so")) == reference
    assert reference_blas(line.format(openblas) + line.format("/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so")) is None
    assert reference_blas(line.format("/opt/conda/lib/libmkl_core.so.2")) is None
    assert reference_blas("7f3a1c000000-7f3a1c020000 rw-p 00000000 00:00 0\n") is None


def test_decoding_in_worker_processes_trains_like_the_cache(setup, tmp_path):
    """Above the cache budget batches are decoded by DataLoader worker processes; the run is the same."""
    root, data, tokens, merges = setup
    cached = tiny_options(data, tokens, merges, tmp_path / "cached", epochs=1, max_steps=2)
    code, events = run_in_process(cached)
    assert code == 0 and next(e for e in events if e["type"] == "start")["cached"] is True
    code, lazy_events = run_in_process({**cached, "out": str(tmp_path / "lazy"), "cache_mb": 0, "workers": 2})
    assert code == 0 and next(e for e in lazy_events if e["type"] == "start")["cached"] is False
    assert [e["loss"] for e in steps(lazy_events)] == [e["loss"] for e in steps(events)]
    assert [e["val_accuracy"] for e in lazy_events if e["type"] == "eval"] == [
        e["val_accuracy"] for e in events if e["type"] == "eval"]
