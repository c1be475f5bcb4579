"""Supervised contrastive loss, image to text (paper eq. 5).

    L = 1/|I| sum_i  -1/|P(i)| sum_{p in P(i)} log( exp(s_ip / tau) / sum_{a in A(i)} exp(s_ia / tau) )

with s_ij the cosine similarity of image i and text j of the batch. P(i) holds the samples that
share i's description (label). Read literally, eq. 5 takes A(i) as all samples but i, as in
single-modality SupCon; across modalities that drops the matching text of image i itself, and an
image whose description is unique in the batch would have no positive at all. By default A(i) is
therefore every text of the batch and P(i) includes i; exclude_self=True reproduces the literal
formula, skipping anchors left without positives.
"""
from __future__ import annotations

from typing import Union

import torch
import torch.nn.functional as F


def supcon_loss(
    image_emb: torch.Tensor,
    text_emb: torch.Tensor,
    labels: torch.Tensor,
    temperature: Union[float, torch.Tensor],
    exclude_self: bool = False,
) -> torch.Tensor:
    """image_emb [N,D], text_emb [N,D] (row j = the description of sample j, repeats allowed),
    labels [N] (equal labels = same description). Embeddings are L2-normalised here."""
    if image_emb.shape != text_emb.shape or image_emb.dim() != 2:
        raise ValueError(f"image and text embeddings must both be [N,D], got {tuple(image_emb.shape)} and {tuple(text_emb.shape)}")
    n = image_emb.shape[0]
    if labels.shape != (n,):
        raise ValueError(f"labels must be [N] = [{n}], got {tuple(labels.shape)}")

    image = F.normalize(image_emb.float(), dim=-1)
    text = F.normalize(text_emb.float(), dim=-1)
    logits = image @ text.t() / temperature

    labels = labels.to(logits.device)
    positive = labels.view(-1, 1) == labels.view(1, -1)
    if exclude_self:
        self_mask = torch.eye(n, dtype=torch.bool, device=logits.device)
        positive = positive & ~self_mask
        logits = logits.masked_fill(self_mask, float("-inf"))

    log_prob = logits - torch.logsumexp(logits, dim=1, keepdim=True)
    # Non-positives (including the -inf diagonal) contribute nothing; where() keeps NaN out of the sum.
    positive_log_prob = torch.where(positive, log_prob, torch.zeros_like(log_prob)).sum(dim=1)
    count = positive.sum(dim=1)
    has_positive = count > 0
    if not bool(has_positive.any()):
        return logits.new_zeros(()) + 0.0 * image_emb.sum() + 0.0 * text_emb.sum()
    per_anchor = -positive_log_prob[has_positive] / count[has_positive].to(log_prob.dtype)
    return per_anchor.mean()
