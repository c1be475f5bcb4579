"""Temperature scaling at export: the fit, the ECE and the uncertainty threshold against scipy and
scikit-learn, and a trained run's bundle carrying the calibration fitted on its validation split."""
import argparse
import io
import json

import numpy as np
import pytest
import torch
from scipy.optimize import minimize_scalar
from scipy.special import logsumexp, softmax
from sklearn.calibration import calibration_curve

from anomaly_lens import checkpoint as ckpt
from anomaly_lens.__main__ import _export
from anomaly_lens.progress import Progress
from anomaly_lens import validation
from anomaly_lens.dataset_files import region_samples
from anomaly_lens.calibration import (TEMPERATURE_RANGE, expected_calibration_error, fit_calibration, fit_temperature,
                                      nll, top_answers, uncertain_threshold)
from anomaly_lens.export import text_embeddings
from anomaly_lens.model_files import model_from_checkpoint
from anomaly_lens.region_dataset import RegionDataset
from anomaly_lens.train_options import TrainConfig
from fixtures import dataset_with_tokens, run_in_process, tiny_options


def logits_like_a_model(seed: int, n: int = 400, k: int = 12):
    """Logits of an overconfident classifier that is right about 70 % of the time."""
    g = np.random.default_rng(seed)
    labels = g.integers(0, k, n)
    z = g.normal(0, 1, (n, k))
    right = g.random(n) < 0.7
    z[np.arange(n), np.where(right, labels, (labels + 1) % k)] += 2.5
    return torch.from_numpy(z * 4), torch.from_numpy(labels)


def scipy_nll(z: np.ndarray, y: np.ndarray, t: float) -> float:
    return float(np.mean(logsumexp(z / t, axis=1) - z[np.arange(len(y)), y] / t))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_temperature_minimises_the_nll_as_scipy_finds_it(seed):
    z, y = logits_like_a_model(seed)
    fit = minimize_scalar(lambda t: scipy_nll(z.numpy(), y.numpy(), t), bounds=TEMPERATURE_RANGE, method="bounded",
                          options={"xatol": 1e-10})
    t = fit_temperature(z, y)
    assert t == pytest.approx(fit.x, rel=1e-4)
    assert t > 1, "an overconfident model is softened"
    assert nll(z, y, t) == pytest.approx(scipy_nll(z.numpy(), y.numpy(), fit.x), abs=1e-9)
    assert nll(z, y, 1.0) == pytest.approx(scipy_nll(z.numpy(), y.numpy(), 1.0), abs=1e-12)


def test_ece_agrees_with_calibration_curve():
    z, y = logits_like_a_model(3)
    conf, correct = top_answers(z, y, 1.7)
    p = softmax(z.numpy() / 1.7, axis=1)
    np.testing.assert_allclose(conf.numpy(), p.max(axis=1), rtol=1e-12)
    prob_true, prob_pred = calibration_curve(correct.numpy().astype(int), conf.numpy(), n_bins=15, strategy="uniform")
    edges = np.linspace(0, 1, 16)
    counts = np.bincount(np.searchsorted(edges[1:-1], conf.numpy()), minlength=15)
    expected = float(np.sum(counts[counts > 0] / conf.numel() * np.abs(prob_true - prob_pred)))
    assert expected_calibration_error(conf, correct) == pytest.approx(expected, abs=1e-12)


def test_the_threshold_is_the_lowest_confidence_reaching_the_target():
    z, y = logits_like_a_model(4)
    conf, correct = top_answers(z, y, fit_temperature(z, y))
    c, r = conf.numpy(), correct.numpy()
    for target in (0.8, 0.9, 0.95):
        brute = next((float(t) for t in np.unique(c) if r[c >= t].mean() >= target), 1.0)
        brute = 0.0 if brute == c.min() else brute
        assert uncertain_threshold(conf, correct, target) == brute
        assert r[c >= brute].mean() >= target


def test_a_trained_bundle_records_the_calibration_of_its_validation_split(tmp_path):
    root, data, tokens, merges = dataset_with_tokens(tmp_path / "data", train=10, val=6, seed=5)
    out = tmp_path / "run"
    code, events = run_in_process(tiny_options(data, tokens, merges, out, epochs=2, export=True))
    assert code == 0, events[-1]
    manifest = json.loads((out / "bundle" / "bundle.json").read_text())
    calibration = manifest["calibration"]
    assert calibration["method"] == "temperature-scaling"
    assert calibration["fittedOn"]["split"] == "val"
    assert calibration["fittedOn"]["regions"] == data.counts["val"]["regions"]

    # The same fit, done here on the best model's val logits with the bundle's logit scale.
    best = ckpt.load(out / "best.pt")
    model = model_from_checkpoint(best)
    cfg = tiny_options(data, tokens, merges, out)
    token_rows = json.loads(tokens.read_text())["texts"]
    text = torch.from_numpy(text_embeddings(model, torch.tensor([r["input_ids"] for r in token_rows]), 64))
    texts = [r["text"] for r in token_rows]
    samples = region_samples(data.root, "val", {t: i for i, t in enumerate(texts)})
    val = RegionDataset(samples, model.cfg.image_size)
    logits, labels = validation.scores(model, val, text, manifest["logitScale"], TrainConfig(**{**cfg, "export": True}),
                                       torch.device("cpu"), None)
    expected = fit_calibration(logits, labels)
    assert calibration["temperature"] == pytest.approx(expected["temperature"], rel=1e-4)
    assert calibration["uncertainBelow"] == pytest.approx(expected["uncertainBelow"], abs=1e-6)
    assert calibration["fittedOn"]["nll"]["after"] <= calibration["fittedOn"]["nll"]["before"] + 1e-12

    # `export` of the same checkpoint fits the same calibration; once the dataset changed, it exports none and says why.
    events = io.StringIO()
    assert _export(argparse.Namespace(run=str(out), out=str(tmp_path / "again"), checkpoint="best"), Progress(events, min_step_interval=0)) == 0
    again = json.loads((tmp_path / "again" / "bundle.json").read_text())["calibration"]
    assert again["temperature"] == pytest.approx(calibration["temperature"], rel=1e-6)
    assert again["uncertainBelow"] == pytest.approx(calibration["uncertainBelow"], abs=1e-9)
    manifest_file = data.root / "dataset.json"
    manifest_file.write_text(manifest_file.read_text() + "\n")
    events = io.StringIO()
    assert _export(argparse.Namespace(run=str(out), out=str(tmp_path / "changed"), checkpoint="best"), Progress(events, min_step_interval=0)) == 0
    assert "calibration" not in json.loads((tmp_path / "changed" / "bundle.json").read_text())
    warnings = [json.loads(line) for line in events.getvalue().splitlines() if json.loads(line)["type"] == "warning"]
    assert any("not calibrated" in w["message"] and "changed since" in w["message"] for w in warnings), warnings
