"""Region samples as tensors: decoded and preprocessed as the runtime does, cached in memory when they fit.

Images and masks are preprocessed exactly as the runtime does (`center-square-area`,
docs/model-bundle.md). Decoding is the CPU bottleneck, so when the preprocessed tensors fit the
cache budget they are computed once, in parallel threads, and batches are then cut from memory;
otherwise DataLoader workers decode each batch.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch
from torch.utils.data import Dataset

from .config import ALPHA_INSIDE, ALPHA_OUTSIDE
from .dataset_files import RegionSample
from .preprocess import ImageReadError, designation_alpha, load_image_rgb, load_mask, normalise_image


def alpha_from_mask(mask: torch.Tensor) -> torch.Tensor:
    """bool [..., S, S] -> normalised alpha float32 [..., 1, S, S]."""
    inside = torch.tensor(ALPHA_INSIDE, dtype=torch.float32)
    outside = torch.tensor(ALPHA_OUTSIDE, dtype=torch.float32)
    return torch.where(mask.unsqueeze(-3), inside, outside)


Batch = Tuple[torch.Tensor, torch.Tensor, torch.Tensor]


class RegionDataset(Dataset):
    """Region samples as tensors. Indexed by a list of sample indices it returns a whole batch
    (image [N,3,S,S], alpha [N,1,S,S], label [N] int64), so that a DataLoader with batch_size=None
    and a batch sampler decodes a batch per worker call.

    With use_alpha False (the whole-image variant) masks are not read and alpha is all inside.
    """

    def __init__(self, samples: Sequence[RegionSample], image_size: int, use_alpha: bool = True):
        self.size = image_size
        self.use_alpha = use_alpha
        self._set_samples(samples)

    def _set_samples(self, samples: Sequence[RegionSample]) -> None:
        self.samples = list(samples)
        self.labels = torch.tensor([s.label for s in self.samples], dtype=torch.int64)
        self.image_paths = sorted({s.image for s in self.samples})
        self._image_slot = {path: i for i, path in enumerate(self.image_paths)}
        self.sample_image = torch.tensor([self._image_slot[s.image] for s in self.samples], dtype=torch.int64)
        self.images: Optional[torch.Tensor] = None  # cache: float32 [n_images, 3, S, S]
        self.masks: Optional[torch.Tensor] = None  # cache: bool [n_samples, S, S]

    def __len__(self) -> int:
        return len(self.samples)

    @property
    def cached(self) -> bool:
        return self.images is not None

    def cache_bytes(self) -> int:
        """Memory the cache would take."""
        per_image = 3 * self.size * self.size * 4
        per_mask = self.size * self.size if self.use_alpha else 0
        return len(self.image_paths) * per_image + len(self.samples) * per_mask

    # -- decoding ---------------------------------------------------------------------------------
    def _decode_mask(self, sample: RegionSample, image_shape: Optional[Tuple[int, int]] = None) -> np.ndarray:
        """bool [S, S]: the region after the shared geometry (an empty mask designates the whole image)."""
        mask = load_mask(sample.mask)
        if image_shape is not None and mask.shape != image_shape:
            raise ImageReadError(
                f"{sample.mask}: the mask is {mask.shape[1]}x{mask.shape[0]} but the image {sample.image} is "
                f"{image_shape[1]}x{image_shape[0]}")
        height, width = mask.shape
        return designation_alpha(mask, width, height, self.size)[0] > 0

    def drop_missing(self) -> List[Tuple[str, str]]:
        """Leaves out the samples whose image or mask does not exist (a cheap check before any
        decoding); returns (file, message) for each missing file."""
        problems = []
        missing_images = {path for path in self.image_paths if not path.is_file()}
        problems += [(str(path), "image does not exist") for path in sorted(missing_images)]
        keep = []
        for j, sample in enumerate(self.samples):
            if sample.image in missing_images:
                continue
            if self.use_alpha and not sample.mask.is_file():
                problems.append((str(sample.mask), f"mask of {sample.where} does not exist"))
                continue
            keep.append(j)
        if len(keep) != len(self.samples):
            self._set_samples([self.samples[j] for j in keep])
        return problems

    def preload(
        self,
        workers: int,
        on_progress: Optional[Callable[[int, int], None]] = None,
        should_stop: Optional[Callable[[], bool]] = None,
    ) -> List[Tuple[str, str]]:
        """Decodes everything into the cache with `workers` threads (PIL and numpy release the GIL
        for most of the work). Samples whose image or mask cannot be read are dropped; returns
        (file, message) for each. Returns early (cache left empty) when should_stop() turns true."""
        problems: List[Tuple[str, str]] = []
        images = torch.empty(len(self.image_paths), 3, self.size, self.size, dtype=torch.float32)
        masks = torch.empty(len(self.samples), self.size, self.size, dtype=torch.bool) if self.use_alpha else None
        image_ok = [False] * len(self.image_paths)
        image_shape: Dict[Path, Tuple[int, int]] = {}
        sample_ok = [True] * len(self.samples)
        total = len(self.image_paths) + (len(self.samples) if self.use_alpha else 0)
        done = 0

        def load_image(i: int):
            path = self.image_paths[i]
            rgb = load_image_rgb(path)
            return i, rgb.shape[:2], normalise_image(rgb, self.size)

        def load_region(j: int):
            sample = self.samples[j]
            return j, self._decode_mask(sample, image_shape.get(sample.image))

        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            for kind, count, fn in (("image", len(self.image_paths), load_image),
                                    ("mask", len(self.samples) if self.use_alpha else 0, load_region)):
                for start in range(0, count, 256):
                    if should_stop is not None and should_stop():
                        return problems
                    chunk = range(start, min(start + 256, count))
                    futures = [(k, pool.submit(fn, k)) for k in chunk if kind == "image" or image_ok[int(self.sample_image[k])]]
                    for k, future in futures:
                        try:
                            result = future.result()
                        except (ImageReadError, ValueError, OSError) as err:
                            if kind == "image":
                                problems.append((str(self.image_paths[k]), str(err)))
                            else:
                                sample_ok[k] = False
                                problems.append((str(self.samples[k].mask), f"{self.samples[k].where}: {err}"))
                            continue
                        if kind == "image":
                            i, shape, tensor = result
                            images[i] = torch.from_numpy(tensor)
                            image_ok[i] = True
                            image_shape[self.image_paths[i]] = shape
                        else:
                            j, mask = result
                            masks[j] = torch.from_numpy(mask)
                    done += len(chunk)
                    if on_progress is not None:
                        on_progress(done, total)
        for j in range(len(self.samples)):
            if not image_ok[int(self.sample_image[j])]:
                sample_ok[j] = False
        self._keep([j for j, ok in enumerate(sample_ok) if ok], images, masks, image_ok)
        return problems

    def _keep(self, keep: List[int], images: torch.Tensor, masks: Optional[torch.Tensor], image_ok: List[bool]) -> None:
        if len(keep) != len(self.samples):
            self.samples = [self.samples[j] for j in keep]
            self.labels = self.labels[keep]
            self.sample_image = self.sample_image[keep]
            masks = masks[keep] if masks is not None else None
        self.images = images
        self.masks = masks

    # -- batches ----------------------------------------------------------------------------------
    def __getitem__(self, index):
        indices = [index] if isinstance(index, int) else list(index)
        batch = self.batch(indices)
        return tuple(t[0] for t in batch) if isinstance(index, int) else batch

    def batch(self, indices: Sequence[int]) -> Batch:
        idx = torch.as_tensor(indices, dtype=torch.int64)
        labels = self.labels[idx]
        if self.images is not None:
            image = self.images[self.sample_image[idx]]
            if self.use_alpha:
                alpha = alpha_from_mask(self.masks[idx])
            else:
                alpha = torch.full((len(indices), 1, self.size, self.size), ALPHA_INSIDE)
            return image, alpha, labels
        images, alphas = [], []
        decoded: Dict[Path, Tuple[np.ndarray, Tuple[int, int]]] = {}
        for j in indices:
            sample = self.samples[j]
            if sample.image not in decoded:
                rgb = load_image_rgb(sample.image)
                decoded[sample.image] = (normalise_image(rgb, self.size), rgb.shape[:2])
            tensor, shape = decoded[sample.image]
            images.append(torch.from_numpy(tensor))
            if self.use_alpha:
                alphas.append(alpha_from_mask(torch.from_numpy(self._decode_mask(sample, shape))))
            else:
                alphas.append(torch.full((1, self.size, self.size), ALPHA_INSIDE))
        return torch.stack(images), torch.stack(alphas), labels
