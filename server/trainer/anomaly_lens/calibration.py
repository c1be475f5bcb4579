"""Temperature scaling (Guo et al. 2017, "On Calibration of Modern Neural Networks") fitted on the
validation split at export, recorded in bundle.json's "calibration" (docs/model-bundle.md).

One scalar T divides the logits (logitScale x cosine) before the softmax; it minimises the mean
negative log-likelihood of the ground truth. In beta = 1/T the NLL is convex (its second derivative
is the variance of the logits under the softmax), so its minimum is where the derivative
mean(E_p[z] - z_truth) crosses zero, found by bisection on log(beta). The engine's
server/eval/metrics/temperature.ts does the same for bundles calibrated after the fact.

The uncertainty threshold is the lowest calibrated confidence above which the answers are right
at least TARGET_ACCURACY of the time on the same split.
"""
from __future__ import annotations

import math
from typing import Any, Dict, Optional, Tuple

import torch
import torch.nn.functional as F

TEMPERATURE_RANGE: Tuple[float, float] = (0.01, 100.0)
TARGET_ACCURACY = 0.95
BINS = 15


def nll(logits: torch.Tensor, labels: torch.Tensor, temperature: float) -> float:
    """Mean -log softmax(logits / T)[label]."""
    return float(F.cross_entropy(logits.double() / temperature, labels, reduction="mean"))


def _slope(logits: torch.Tensor, labels: torch.Tensor, beta: float) -> float:
    p = torch.softmax(logits * beta, dim=1)
    return float(((p * logits).sum(dim=1) - logits.gather(1, labels[:, None]).squeeze(1)).mean())


def fit_temperature(logits: torch.Tensor, labels: torch.Tensor) -> float:
    """The temperature in TEMPERATURE_RANGE minimising the NLL of the labels."""
    z = logits.double()
    lo, hi = math.log(1 / TEMPERATURE_RANGE[1]), math.log(1 / TEMPERATURE_RANGE[0])
    if _slope(z, labels, math.exp(lo)) >= 0:
        return TEMPERATURE_RANGE[1]
    if _slope(z, labels, math.exp(hi)) <= 0:
        return TEMPERATURE_RANGE[0]
    for _ in range(80):
        if hi - lo <= 1e-12:
            break
        mid = (lo + hi) / 2
        if _slope(z, labels, math.exp(mid)) < 0:
            lo = mid
        else:
            hi = mid
    return 1 / math.exp((lo + hi) / 2)


def top_answers(logits: torch.Tensor, labels: torch.Tensor, temperature: float) -> Tuple[torch.Tensor, torch.Tensor]:
    """(confidence of the top answer at T, whether it is right) per row."""
    p = torch.softmax(logits.double() / temperature, dim=1)
    confidence, best = p.max(dim=1)
    return confidence, best == labels


def expected_calibration_error(confidence: torch.Tensor, correct: torch.Tensor, bins: int = BINS) -> float:
    """ECE over equal-width bins ((m-1)/M, m/M], 0 in the first."""
    index = (torch.ceil(confidence * bins) - 1).clamp(0, bins - 1).long()
    total = 0.0
    for m in range(bins):
        inside = index == m
        n = int(inside.sum())
        if n:
            total += n / confidence.numel() * abs(float(correct[inside].double().mean()) - float(confidence[inside].mean()))
    return total


def uncertain_threshold(confidence: torch.Tensor, correct: torch.Tensor, target: float = TARGET_ACCURACY) -> float:
    """The lowest confidence t with the answers at t or above right >= target of the time (0: all are; 1: none)."""
    order = torch.argsort(confidence, descending=True)
    conf = confidence[order].tolist()
    right = correct[order].tolist()
    threshold, hits = 1.0, 0
    for i, c in enumerate(conf):
        hits += bool(right[i])
        boundary = i + 1 == len(conf) or conf[i + 1] < c
        if boundary and hits / (i + 1) >= target:
            threshold = 0.0 if i + 1 == len(conf) else float(c)
    return threshold


def fit_calibration(logits: torch.Tensor, labels: torch.Tensor, target: float = TARGET_ACCURACY) -> Optional[Dict[str, Any]]:
    """bundle.json's "calibration" from the validation split's logits [N, K] and labels [N]; None without rows."""
    if logits.numel() == 0 or labels.numel() == 0:
        return None
    temperature = fit_temperature(logits, labels)
    before = top_answers(logits, labels, 1.0)
    after = top_answers(logits, labels, temperature)
    return {
        "method": "temperature-scaling",
        "temperature": temperature,
        "uncertainBelow": uncertain_threshold(*after, target=target),
        "fittedOn": {
            "split": "val",
            "candidates": "all",
            "regions": int(labels.numel()),
            "targetAccuracy": target,
            "nll": {"before": nll(logits, labels, 1.0), "after": nll(logits, labels, temperature)},
            "ece": {"before": expected_calibration_error(*before), "after": expected_calibration_error(*after)},
        },
    }
