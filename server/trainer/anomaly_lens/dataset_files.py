"""The dataset on disk as the trainer reads it: manifest, split files, confined paths, one version at a time.

The format is docs/dataset.md. Paths in the split files are relative to the dataset root and
confined to it, symbolic links followed. Each region of a split is one sample: (image, that
region's mask, the index of its description).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple, TypeVar

DATASET_FORMAT_VERSION = 1
MANIFEST = "dataset.json"
SPLIT_FILES = {"train": "train.jsonl", "val": "val.jsonl", "test": "test.jsonl"}


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
