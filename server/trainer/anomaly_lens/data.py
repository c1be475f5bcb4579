"""Training samples from a dataset on disk (docs/dataset.md): one sample per region, i.e. (image, that
region's mask, the index of its description).

Paths in the split files are relative to the dataset root and confined to it, symbolic links
followed. Images and masks are preprocessed exactly as the runtime does (`center-square-area`,
docs/model-bundle.md). Decoding is the CPU bottleneck, so when the preprocessed tensors fit the cache budget they are computed once,
in parallel threads, and batches are then cut from memory; otherwise DataLoader workers decode
each batch. Augmentation (random horizontal and vertical flips of image and alpha together) runs
on whole batches on the training device, from a generator seeded by (seed, step), so that a resumed
run draws the same flips.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional, Sequence, Tuple, TypeVar

import numpy as np
import torch
from torch.utils.data import Dataset, DistributedSampler, Sampler

from .config import ALPHA_MEAN, ALPHA_STD
from .preprocess import ImageReadError, load_image_rgb, load_mask, normalise_image, designation_alpha

DATASET_FORMAT_VERSION = 1
MANIFEST = "dataset.json"
SPLIT_FILES = {"train": "train.jsonl", "val": "val.jsonl", "test": "test.jsonl"}

ALPHA_INSIDE = (1.0 - ALPHA_MEAN) / ALPHA_STD
ALPHA_OUTSIDE = (0.0 - ALPHA_MEAN) / ALPHA_STD


class DatasetError(ValueError):
    """A dataset that cannot be used; the message names the file (and line) and the problem."""


@dataclass(frozen=True)
class RegionSample:
    image: Path
    mask: Path
    label: int
    description: str
    #: "train.jsonl:3 regions[1]", for messages.
    where: str


def _inside(base: str, path: str) -> bool:
    return path == base or path.startswith(base.rstrip(os.sep) + os.sep)


def _link_leading_out(base: str, full: str, real_base: str) -> Tuple[str, str]:
    """The first symbolic link on the way from base to full whose target lies outside real_base."""
    path = base
    for part in os.path.relpath(full, base).split(os.sep):
        path = os.path.join(path, part)
        if os.path.islink(path):
            target = os.path.realpath(path)
            if not _inside(real_base, target):
                return path, target
    return full, os.path.realpath(full)


def confine(root: Path, relative: object, where: str) -> Path:
    """root/relative, refusing absolute paths and paths that leave the root, lexically or through
    symbolic links (as the TypeScript side does)."""
    if not isinstance(relative, str) or not relative:
        raise DatasetError(f"{where}: expected a relative path, got {relative!r}")
    if os.path.isabs(relative) or re.match(r"^[a-zA-Z]:", relative) or relative.startswith(("\\", "/")):
        raise DatasetError(f'{where}: path "{relative}" is absolute; paths must be relative to the dataset root')
    base = os.path.normpath(os.path.abspath(root))
    full = os.path.normpath(os.path.join(base, relative.replace("\\", "/")))
    if not _inside(base, full):
        raise DatasetError(f'{where}: path "{relative}" escapes the dataset root {base}')
    real_base = os.path.realpath(base)
    if not _inside(real_base, os.path.realpath(full)):
        link, target = _link_leading_out(base, full, real_base)
        raise DatasetError(f'{where}: path "{relative}" leads outside the dataset root through the symbolic link {link} (to {target})')
    return Path(full)


def read_manifest(root: Path) -> dict:
    file = root / MANIFEST
    try:
        manifest = json.loads(file.read_text(encoding="utf-8"))
    except OSError as err:
        raise DatasetError(f"{file}: cannot read: {err.strerror or err}") from err
    except ValueError as err:
        raise DatasetError(f"{file}: not valid JSON: {err}") from err
    if not isinstance(manifest, dict):
        raise DatasetError(f"{file}: not a dataset manifest (expected an object)")
    version = manifest.get("formatVersion")
    if version != DATASET_FORMAT_VERSION:
        raise DatasetError(f"{file}: format version {version!r}; this trainer reads version {DATASET_FORMAT_VERSION}")
    if not isinstance(manifest.get("descriptions"), list):
        raise DatasetError(f"{file}: no descriptions list")
    return manifest


#: The note a rebuild writes while it switches the dataset's manifests (server/dataset/switch.ts).
SWITCH_NOTE = Path(".anomaly-lens") / "staging" / "COMMIT"

T = TypeVar("T")


def _switch_state(root: Path) -> Tuple[bool, Optional[Tuple[int, int, int]]]:
    note = os.path.lexists(root / SWITCH_NOTE)
    try:
        st = (root / MANIFEST).stat()
        return note, (st.st_ino, st.st_mtime_ns, st.st_size)
    except OSError:
        return note, None


def read_steadily(root: Path, read: Callable[[], T], wait: float = 120.0) -> T:
    """`read()` of the dataset in `root` as one version, the old or the new, while a rebuild may
    switch it: a switch under way (its COMMIT note) is waited for, and a read during which
    dataset.json was replaced is done again (its DatasetError, caused by the switch, is dropped)."""
    deadline = time.monotonic() + wait
    delay = 0.02
    while True:
        before = _switch_state(root)
        if not before[0]:
            failure: Optional[DatasetError] = None
            try:
                result = read()
            except DatasetError as err:
                failure = err
            if _switch_state(root) == before:
                if failure is not None:
                    raise failure
                return result
        if time.monotonic() >= deadline:
            raise DatasetError(f"{root}: the dataset kept switching while it was read (a build is writing it, or one died while "
                               "switching it: `anomaly-lens validate` finishes that); train again when the build has finished")
        time.sleep(delay)
        delay = min(delay * 2, 0.25)


def manifest_descriptions(manifest: dict) -> List[str]:
    """The distinct description texts of a manifest, in first-seen order."""
    seen: Dict[str, None] = {}
    for entry in manifest["descriptions"]:
        if isinstance(entry, dict) and isinstance(entry.get("text"), str):
            seen.setdefault(entry["text"], None)
    return list(seen)


def read_split(root: Path, split: str) -> List[Tuple[int, dict]]:
    """(line number, record) of a split file; a missing file is an empty split."""
    file = root / SPLIT_FILES[split]
    if not file.exists():
        return []
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as err:
        raise DatasetError(f"{file}: cannot read: {err.strerror or err}") from err
    records = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as err:
            raise DatasetError(f"{file}:{number}: not valid JSON: {err}") from err
        if not isinstance(record, dict) or not isinstance(record.get("regions"), list):
            raise DatasetError(f"{file}:{number}: not an image record (expected an object with regions)")
        records.append((number, record))
    return records


def region_samples(root: Path, split: str, labels: Dict[str, int]) -> List[RegionSample]:
    """One sample per region of a split; labels maps description text -> label index."""
    root = Path(root)
    samples = []
    name = SPLIT_FILES[split]
    for number, record in read_split(root, split):
        where = f"{root / name}:{number}"
        image = confine(root, record.get("image"), f"{where}: image")
        for i, region in enumerate(record["regions"]):
            at = f"{where}: regions[{i}]"
            if not isinstance(region, dict):
                raise DatasetError(f"{at}: not a region object")
            description = region.get("description")
            if description not in labels:
                raise DatasetError(f"{at}: description {description!r} is not among the dataset's descriptions ({MANIFEST})")
            mask = confine(root, region.get("mask"), f"{at}: mask")
            samples.append(RegionSample(image, mask, labels[description], description, f"{name}:{number} regions[{i}]"))
    return samples


def dataset_hash(root: Path) -> str:
    """sha256 over the manifest and the split files (names and contents, in a fixed order)."""
    digest = hashlib.sha256()
    for name in (MANIFEST, *SPLIT_FILES.values()):
        file = Path(root) / name
        if file.is_file():
            digest.update(name.encode() + b"\0")
            digest.update(file.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()


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
    def _decode_image(self, path: Path) -> np.ndarray:
        return normalise_image(load_image_rgb(path), self.size)

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
