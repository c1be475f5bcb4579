"""`center-square-area` preprocessing (docs/model-bundle.md), the same steps as the TypeScript runtime.

1. decode to 8-bit RGB (grey replicated, 16-bit as round(v/257), alpha dropped); the designation
   becomes m in {0,1} (any colour value above 0 is inside); none or empty = the whole image;
2. centred square crop of side min(W, H), origin rounded down;
3. separable exact-area resampling to S x S in float64 (rows, then columns);
4. the mask: max over each output pixel's footprint [floor(o*s/S), ceil((o+1)*s/S));
5. image = (rgb/255 - mean)/std, alpha = (m - 0.5)/0.26, float32, channel-first.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional, Sequence, Tuple, Union

import numpy as np
from PIL import Image

from .config import ALPHA_MEAN, ALPHA_STD, CLIP_MEAN, CLIP_STD
from .png16 import PngError, decode_png, png_header

PathLike = Union[str, Path]


class ImageReadError(ValueError):
    """An image or mask file that cannot be read; the message names the file."""


def _read_bytes(path: PathLike, what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as err:
        raise ImageReadError(f"{path}: cannot read the {what}: {err.strerror or err}") from err


def _decode_native(path: PathLike, what: str) -> np.ndarray:
    """Samples [H, W, C] at the file's own depth (uint8, or uint16 for 16-bit sources); C is 1-4,
    grey first or RGB first, palettes expanded."""
    data = _read_bytes(path, what)
    try:
        if data[:8] == b"\x89PNG\r\n\x1a\n" and png_header(data)[2] == 16:
            return decode_png(data)
        with Image.open(path) as img:
            img.load()
            if img.mode == "P":
                img = img.convert("RGBA" if "transparency" in img.info else "RGB")
            elif img.mode in ("1", "CMYK", "YCbCr", "LAB", "HSV"):
                img = img.convert("RGB")
            elif img.mode == "PA":
                img = img.convert("RGBA")
            if img.mode.startswith("I;16") or img.mode == "I":
                arr = np.clip(np.asarray(img, dtype=np.int64), 0, 65535).astype(np.uint16)
            elif img.mode == "F":
                raise ImageReadError(f"{path}: floating-point {what}s are not supported")
            else:
                arr = np.asarray(img)
    except (PngError, OSError, SyntaxError) as err:
        raise ImageReadError(f"{path}: cannot decode the {what}: {err}") from err
    if arr.ndim == 2:
        arr = arr[:, :, None]
    return arr


def _colour(arr: np.ndarray) -> np.ndarray:
    """The colour samples: grey (+alpha) -> 1 channel, RGB(A) -> 3."""
    return arr[:, :, :1] if arr.shape[2] in (1, 2) else arr[:, :, :3]


def to_8bit(samples: np.ndarray) -> np.ndarray:
    """16-bit samples to 8-bit as round(v / 257) (never a tie for integers)."""
    return np.floor(samples.astype(np.float64) / 257 + 0.5).astype(np.uint8)


def load_image_rgb(path: PathLike) -> np.ndarray:
    """An image file as 8-bit RGB [H, W, 3]."""
    arr = _colour(_decode_native(path, "image"))
    if arr.dtype == np.uint16:
        arr = to_8bit(arr)
    if arr.shape[2] == 1:
        arr = np.repeat(arr, 3, axis=2)
    return np.ascontiguousarray(arr, dtype=np.uint8)


def load_mask(path: PathLike) -> np.ndarray:
    """A designation mask file as bool [H, W]: inside where any colour value (at the file's depth) is above 0."""
    return (_colour(_decode_native(path, "mask")) > 0).any(axis=2)


def center_square(width: int, height: int) -> Tuple[int, int, int]:
    """(x0, y0, side) of the centred square."""
    if width < 1 or height < 1:
        raise ValueError(f"image size must be positive, got {width}x{height}")
    side = min(width, height)
    return (width - side) // 2, (height - side) // 2, side


def area_taps(s: int, S: int) -> Tuple[np.ndarray, np.ndarray]:
    """Exact area weights from s source pixels to S outputs, as taps: (first [S], weights [S, K]).

    Output o covers the source interval [o*s/S, (o+1)*s/S); source pixel first[o]+k contributes
    weights[o, k] = its overlap with that interval / (s/S) (taps past the interval weigh 0). In
    units of 1/S all interval ends are integers, so each weight is overlap / s, rounded once.
    """
    o = np.arange(S, dtype=np.int64)
    lo, hi = o * s, (o + 1) * s
    first = lo // S
    last = -((-hi) // S) - 1
    i = first[:, None] + np.arange(int((last - first).max()) + 1, dtype=np.int64)[None, :]
    overlap = np.minimum(hi[:, None], (i + 1) * S) - np.maximum(lo[:, None], i * S)
    return first, np.clip(overlap, 0, None).astype(np.float64) / s


def footprint_spans(s: int, S: int) -> Tuple[np.ndarray, np.ndarray]:
    """(first, end) [S] each: output o's mask footprint is source pixels [floor(o*s/S), ceil((o+1)*s/S))."""
    o = np.arange(S, dtype=np.int64)
    return (o * s) // S, -((-(o + 1) * s) // S)


def resample_area(square: np.ndarray, S: int) -> np.ndarray:
    """[s, s, C] -> [S, S, C] float64, along x first, then along y; each output sums its taps in order."""
    s = square.shape[0]
    first, weights = area_taps(s, S)
    src = square.astype(np.float64)
    rows = np.zeros((s, S, src.shape[2]))
    for k in range(weights.shape[1]):
        rows += weights[None, :, k, None] * src[:, np.minimum(first + k, s - 1), :]
    out = np.zeros((S, S, src.shape[2]))
    for k in range(weights.shape[1]):
        out += weights[:, k, None, None] * rows[np.minimum(first + k, s - 1), :, :]
    return out


def resample_mask_max(square: np.ndarray, S: int) -> np.ndarray:
    """[s, s] bool -> [S, S] bool, True where any pixel of the footprint is True (rows, then columns)."""
    s = square.shape[0]
    first, end = footprint_spans(s, S)
    rows = np.zeros((s, S), dtype=bool)
    for k in range(int((end - first).max())):
        rows |= (first + k < end)[None, :] & square[:, np.minimum(first + k, s - 1)]
    out = np.zeros((S, S), dtype=bool)
    for k in range(int((end - first).max())):
        out |= (first + k < end)[:, None] & rows[np.minimum(first + k, s - 1), :]
    return out


def designation_alpha(
    mask: Optional[np.ndarray], width: int, height: int, size: int,
    alpha_mean: float = ALPHA_MEAN, alpha_std: float = ALPHA_STD,
) -> np.ndarray:
    """Steps 2, 4, 5 for a designation of a width x height image: float32 [1, S, S]."""
    if mask is not None and mask.shape != (height, width):
        raise ValueError(f"the mask is {mask.shape[1]}x{mask.shape[0]} but the image is {width}x{height}")
    if mask is None or not mask.any():
        m = np.ones((size, size), dtype=bool)
    else:
        x0, y0, side = center_square(width, height)
        m = resample_mask_max(mask[y0:y0 + side, x0:x0 + side] != 0, size)
    inside = (1.0 - alpha_mean) / alpha_std
    outside = (0.0 - alpha_mean) / alpha_std
    return np.where(m, inside, outside).astype(np.float32)[None]


def normalise_image(
    rgb: np.ndarray, size: int, mean: Sequence[float] = CLIP_MEAN, std: Sequence[float] = CLIP_STD,
) -> np.ndarray:
    """Steps 2, 3, 5 for 8-bit RGB [H, W, 3]: float32 [3, S, S]."""
    if rgb.ndim != 3 or rgb.shape[2] != 3:
        raise ValueError(f"expected an RGB array [H, W, 3], got shape {rgb.shape}")
    if len(mean) != 3 or len(std) != 3:
        raise ValueError("mean and std must have three entries")
    height, width = rgb.shape[:2]
    x0, y0, side = center_square(width, height)
    values = resample_area(rgb[y0:y0 + side, x0:x0 + side], size)
    mean_ = np.asarray(mean, dtype=np.float64)
    std_ = np.asarray(std, dtype=np.float64)
    return ((values / 255 - mean_) / std_).astype(np.float32).transpose(2, 0, 1).copy()


def preprocess(
    rgb: np.ndarray,
    mask: Optional[np.ndarray],
    size: int,
    mean: Sequence[float] = CLIP_MEAN,
    std: Sequence[float] = CLIP_STD,
    alpha_mean: float = ALPHA_MEAN,
    alpha_std: float = ALPHA_STD,
) -> Tuple[np.ndarray, np.ndarray]:
    """8-bit RGB [H, W, 3] and designation [H, W] (bool or 0/>0, None = whole image) ->
    (image float32 [3, S, S], alpha float32 [1, S, S])."""
    if size < 1:
        raise ValueError(f"size must be positive, got {size}")
    height, width = rgb.shape[:2]
    alpha = designation_alpha(mask, width, height, size, alpha_mean, alpha_std)
    return normalise_image(rgb, size, mean, std), alpha


def preprocess_files(image_path: PathLike, mask_paths: Sequence[PathLike], size: int) -> Tuple[np.ndarray, np.ndarray]:
    """Reads an image and its designation (the union of the masks; none = whole image) and preprocesses them."""
    rgb = load_image_rgb(image_path)
    union = None
    for path in mask_paths:
        mask = load_mask(path)
        if mask.shape != rgb.shape[:2]:
            raise ImageReadError(
                f"{path}: the mask is {mask.shape[1]}x{mask.shape[0]} but the image {image_path} is {rgb.shape[1]}x{rgb.shape[0]}")
        union = mask if union is None else union | mask
    return preprocess(rgb, union, size)
