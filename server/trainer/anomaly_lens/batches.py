"""Batches for one rank: an epoch's resumable order, the loader that cuts them, a training batch's flips.

Augmentation (random horizontal and vertical flips of image and alpha together) runs on whole
batches on the training device, from a generator seeded by (seed, step), so that a resumed run
draws the same flips.
"""
from __future__ import annotations

from typing import Iterator, List, Tuple

import torch
from torch.utils.data import DataLoader, Dataset, DistributedSampler, Sampler

from .region_dataset import RegionDataset


class ResumableBatches(Sampler):
    """Batches of sample indices for one rank: the epoch's permutation is DistributedSampler's
    (seeded by seed + epoch, padded so every rank gets as many samples), cut into batches; the
    first `skip` batches of the epoch are left out when resuming mid-epoch."""

    def __init__(self, dataset: Dataset, batch_size: int, world_size: int, rank: int, seed: int, shuffle: bool = True):
        self.inner = DistributedSampler(dataset, num_replicas=world_size, rank=rank, shuffle=shuffle, seed=seed, drop_last=False)
        self.batch_size = batch_size
        self.skip = 0

    def set_epoch(self, epoch: int, skip: int = 0) -> None:
        self.inner.set_epoch(epoch)
        self.skip = skip

    def batches_per_epoch(self) -> int:
        return -(-len(self.inner) // self.batch_size)

    def __iter__(self) -> Iterator[List[int]]:
        indices = list(self.inner)
        for b in range(self.skip, self.batches_per_epoch()):
            yield indices[b * self.batch_size:(b + 1) * self.batch_size]

    def __len__(self) -> int:
        return self.batches_per_epoch() - self.skip


def make_loader(dataset: RegionDataset, batches, workers: int, device: torch.device) -> DataLoader:
    """Batches from the cache in this process, or decoded by `workers` processes. The loader gets its
    own generator: creating an iterator then draws nothing from the global one (dropout's), which
    keeps a resumed run on the same random sequence."""
    use_workers = 0 if dataset.cached else workers
    return DataLoader(dataset, sampler=batches, batch_size=None, num_workers=use_workers,
                      pin_memory=device.type == "cuda", generator=torch.Generator().manual_seed(0),
                      persistent_workers=False)


def flip_generator(seed: int, step: int) -> torch.Generator:
    return torch.Generator().manual_seed((seed * 1_000_003 + step) % (2 ** 63))


def random_flips(image: torch.Tensor, alpha: torch.Tensor, generator: torch.Generator) -> Tuple[torch.Tensor, torch.Tensor]:
    """Per sample, a horizontal flip with probability 1/2 and a vertical one with probability 1/2,
    the same for the image and its alpha."""
    n = image.shape[0]
    horizontal = (torch.rand(n, generator=generator) < 0.5).to(image.device).view(-1, 1, 1, 1)
    vertical = (torch.rand(n, generator=generator) < 0.5).to(image.device).view(-1, 1, 1, 1)
    image = torch.where(horizontal, image.flip(-1), image)
    alpha = torch.where(horizontal, alpha.flip(-1), alpha)
    image = torch.where(vertical, image.flip(-2), image)
    alpha = torch.where(vertical, alpha.flip(-2), alpha)
    return image, alpha
