import json
import os

import pytest
import torch

from anomaly_lens import checkpoint as ckpt
from anomaly_lens.train_options import ConfigError
from fixtures import dataset_with_tokens, run_in_process, tiny_options, write_dataset


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    # 10 images with 1-3 regions: 3 batches of 8 per epoch.
    return dataset_with_tokens(tmp_path_factory.mktemp("ckpt"), train=10, val=3, seed=4)


def step_losses(events):
    return {e["step"]: e["loss"] for e in events if e["type"] == "step"}


def assert_same_state(a, b, path=""):
    """Exactly equal nested checkpoint content (tensors bit for bit)."""
    if isinstance(a, torch.Tensor):
        assert isinstance(b, torch.Tensor) and torch.equal(a, b), path
    elif isinstance(a, dict):
        assert set(a) == set(b), path
        for key in a:
            assert_same_state(a[key], b[key], f"{path}.{key}")
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            assert_same_state(x, y, f"{path}[{i}]")
    else:
        assert a == b, path


@pytest.mark.parametrize("mode, k", [("full", 3), ("lora", 2)])
def test_resume_takes_the_same_next_step(setup, tmp_path, mode, k):
    """k steps, stop, resume: step k+1 equals that of an uninterrupted run (loss, weights, optimizer).
    full: k = 3 ends epoch 1, so the resumed run first validates; lora: k = 2 is mid-epoch and LoRA
    dropout draws from the restored generator."""
    root, data, tokens, merges = setup
    extra = dict(epochs=2)
    if mode == "lora":
        base = tmp_path / "base"
        assert run_in_process(tiny_options(data, tokens, merges, base, epochs=1, max_steps=1))[0] == 0
        extra.update(init=str(base / "last.pt"), init_trusted=True, lora_r=4, lora_alpha=8, lora_dropout=0.5, lr=1e-3)
    straight = tiny_options(data, tokens, merges, tmp_path / "straight", stop_at=k + 1, **extra)
    code, events = run_in_process(straight)
    assert code == 0 and events[-1]["type"] == "stopped" and events[-1]["step"] == k + 1

    split = tiny_options(data, tokens, merges, tmp_path / "split", stop_at=k, **extra)
    code, first = run_in_process(split)
    assert code == 0 and first[-1]["type"] == "stopped" and first[-1]["step"] == k
    resumed_options = dict(out=split["out"], device="cpu", workers=0, stop_at=k + 1, export=False)
    code, second = run_in_process(resumed_options)
    assert code == 0
    start = next(e for e in second if e["type"] == "start")
    assert start["resumed_from"] == k
    assert step_losses(second) == {k + 1: step_losses(events)[k + 1]}
    assert step_losses(first) == {s: loss for s, loss in step_losses(events).items() if s <= k}

    a = ckpt.load(tmp_path / "straight" / "last.pt")
    b = ckpt.load(tmp_path / "split" / "last.pt")
    for key in ("model", "optimizer", "scheduler", "state"):
        assert_same_state(a[key], b[key], key)
    assert a["state"]["step"] == k + 1


def test_checkpoint_files(setup, tmp_path):
    root, data, tokens, merges = setup
    run = tmp_path / "run"
    code, events = run_in_process(tiny_options(data, tokens, merges, run, epochs=2, checkpoint_every=1, keep_checkpoints=2))
    assert code == 0
    saved = [e for e in events if e["type"] == "checkpoint"]
    assert [e["step"] for e in saved] == [1, 2, 3, 4, 5, 6]
    assert [e["epoch"] for e in saved] == [1, 1, 1, 2, 2, 2]
    assert [p.name for p in ckpt.step_files(run)] == ["step-000005.pt", "step-000006.pt"]
    assert not [p for p in run.rglob("*.tmp")]
    last = ckpt.load(run / "last.pt")
    assert os.path.samefile(run / "last.pt", run / "checkpoints" / "step-000006.pt")
    best_step = max((e for e in events if e["type"] == "eval"), key=lambda e: e["val_accuracy"])["step"]
    assert ckpt.load(run / "best.pt")["state"]["step"] == best_step
    assert set(last) >= {"config", "model", "optimizer", "scheduler", "scaler", "state", "rng", "descriptions",
                         "input_ids", "tokenizer", "dataset_hash", "model_kind"}
    assert last["state"]["epoch"] == 2 and last["state"]["batch_in_epoch"] == 0
    assert [h["epoch"] for h in last["state"]["history"]] == [1, 2]
    assert len(last["rng"]) == 1 and set(last["rng"][0]) >= {"python", "numpy", "torch"}
    run_json = json.loads((run / "run.json").read_text())
    assert run_json["model"]["vocabSize"] == 520 and run_json["tokenizer"]["merges"] == str(merges)

    # A finished run started again reads no data and trains nothing.
    code, again = run_in_process(dict(out=str(run), device="cpu", export=False))
    assert code == 0 and [e["type"] for e in again if e["type"] != "warning"] == ["done"] and again[-1]["steps"] == 6


def test_resume_refuses_other_settings_or_a_changed_dataset(setup, tmp_path):
    root, data, tokens, merges = setup
    run = tmp_path / "run"
    assert run_in_process(tiny_options(data, tokens, merges, run, stop_at=1))[0] == 0
    with pytest.raises(ConfigError, match=r"--batch 16 \(the run has 8\)"):
        run_in_process(dict(out=str(run), batch=16))
    copy = tmp_path / "ds2"
    write_dataset(copy, train=9, val=3, seed=4)
    with pytest.raises(ConfigError, match="the dataset changed"):
        run_in_process(dict(out=str(run), dataset=str(copy), device="cpu"))


def test_atomic_writes_and_links(tmp_path):
    target = tmp_path / "sub" / "a.pt"
    ckpt.save_atomic({"x": torch.arange(3)}, target)
    assert torch.equal(torch.load(target)["x"], torch.arange(3))
    ckpt.link_atomic(target, tmp_path / "last.pt")
    assert os.path.samefile(target, tmp_path / "last.pt")
    ckpt.save_atomic({"x": torch.arange(4)}, target)  # replaces the step file; the link keeps the old one
    assert torch.equal(torch.load(tmp_path / "last.pt")["x"], torch.arange(3))

    class Unpicklable:
        def __reduce__(self):
            raise RuntimeError("cannot pickle")

    with pytest.raises(RuntimeError):
        ckpt.save_atomic({"x": Unpicklable()}, target)
    assert torch.equal(torch.load(target)["x"], torch.arange(4))
    assert sorted(p.name for p in target.parent.iterdir()) == ["a.pt"]
    with pytest.raises(ckpt.CheckpointError, match="not an Anomaly Lens training checkpoint"):
        ckpt.load(target)
