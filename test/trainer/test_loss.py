import math

import pytest
import torch

from anomaly_lens.loss import supcon_loss


def eq5_by_loops(image, text, labels, tau, exclude_self):
    """Eq. 5 transcribed term by term: A(i) all texts (or all but i), P(i) same label (i itself only
    when it is in A(i)); anchors without positives are skipped."""
    n = len(labels)
    unit = lambda v: [x / math.sqrt(sum(y * y for y in v)) for x in v]  # noqa: E731
    image = [unit(v) for v in image.tolist()]
    text = [unit(v) for v in text.tolist()]
    dot = lambda a, b: sum(x * y for x, y in zip(a, b))  # noqa: E731
    terms = []
    for i in range(n):
        A = [a for a in range(n) if not (exclude_self and a == i)]
        P = [p for p in A if labels[p] == labels[i]]
        if not P:
            continue
        denominator = sum(math.exp(dot(image[i], text[a]) / tau) for a in A)
        inner = sum(math.log(math.exp(dot(image[i], text[p]) / tau) / denominator) for p in P)
        terms.append(-inner / len(P))
    return sum(terms) / len(terms)


REPEATED = [[0, 1, 0, 2, 1, 0], [3, 3, 3, 3], [7, 2, 7, 5, 2, 9, 7]]
CASES = [(labels, False) for labels in REPEATED + [[0, 1, 2, 3, 4]]] + [(labels, True) for labels in REPEATED]


@pytest.mark.parametrize("labels,exclude_self", CASES)
def test_matches_a_loop_by_loop_transcription_of_eq5(labels, exclude_self):
    n, d = len(labels), 8
    image = torch.randn(n, d, dtype=torch.float64)
    # Samples with the same description get the same text embedding, as in a real batch.
    table = torch.randn(max(labels) + 1, d, dtype=torch.float64) * 3
    text = table[torch.tensor(labels)]
    tau = 0.07
    got = supcon_loss(image, text, torch.tensor(labels), tau, exclude_self=exclude_self)
    expected = eq5_by_loops(image, text, labels, tau, exclude_self)
    assert got.item() == pytest.approx(expected, rel=1e-5)


def test_different_text_rows_per_sample_are_handled():
    labels = [0, 0, 1, 1, 1]
    image, text = torch.randn(5, 6, dtype=torch.float64), torch.randn(5, 6, dtype=torch.float64)
    for exclude_self in (False, True):
        got = supcon_loss(image, text, torch.tensor(labels), 0.5, exclude_self=exclude_self)
        assert got.item() == pytest.approx(eq5_by_loops(image, text, labels, 0.5, exclude_self), rel=1e-6)


def test_unique_descriptions_without_self_have_no_positive():
    image = torch.randn(4, 5, requires_grad=True)
    text = torch.randn(4, 5, requires_grad=True)
    loss = supcon_loss(image, text, torch.tensor([0, 1, 2, 3]), 0.1, exclude_self=True)
    assert loss.item() == 0.0
    loss.backward()  # still differentiable, zero gradient
    assert image.grad is not None and image.grad.abs().max() == 0
    # With the default (i in A(i) and P(i)) it is CLIP's image->text cross-entropy.
    default = supcon_loss(image, text, torch.tensor([0, 1, 2, 3]), 0.1)
    logits = torch.nn.functional.normalize(image, dim=-1) @ torch.nn.functional.normalize(text, dim=-1).t() / 0.1
    expected = torch.nn.functional.cross_entropy(logits, torch.arange(4))
    torch.testing.assert_close(default, expected)


def test_is_stable_at_small_temperatures_and_learnable_temperature():
    image = torch.randn(6, 4) * 100
    text = image.clone()
    loss = supcon_loss(image, text, torch.tensor([0, 0, 1, 1, 2, 2]), 1e-4)
    assert torch.isfinite(loss)
    log_scale = torch.tensor(math.log(1 / 0.07), requires_grad=True)
    loss = supcon_loss(torch.randn(4, 3), torch.randn(4, 3), torch.tensor([0, 1, 0, 1]), 1 / log_scale.exp())
    loss.backward()
    assert log_scale.grad is not None and torch.isfinite(log_scale.grad)


def test_aligned_embeddings_give_a_lower_loss():
    labels = torch.tensor([0, 1, 2, 0, 1, 2])
    table = torch.nn.functional.normalize(torch.randn(3, 16), dim=-1)
    text = table[labels]
    aligned = supcon_loss(text + 0.01 * torch.randn(6, 16), text, labels, 0.07)
    shuffled = supcon_loss(table[torch.tensor([1, 2, 0, 1, 2, 0])], text, labels, 0.07)
    assert aligned < shuffled


def test_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="must both be"):
        supcon_loss(torch.randn(3, 4), torch.randn(2, 4), torch.tensor([0, 1, 2]), 0.1)
    with pytest.raises(ValueError, match="labels"):
        supcon_loss(torch.randn(3, 4), torch.randn(3, 4), torch.tensor([0, 1]), 0.1)
