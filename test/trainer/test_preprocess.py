import json
import random
import struct
import subprocess
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from anomaly_lens.config import CLIP_MEAN, CLIP_STD
from anomaly_lens.png16 import decode_png
from anomaly_lens.preprocess import (ImageReadError, area_taps, center_square, footprint_spans, load_image_rgb,
                                     load_mask, preprocess, preprocess_files)

INSIDE = (1 - 0.5) / 0.26
OUTSIDE = -0.5 / 0.26


# --- a PNG writer with chosen filters and optional Adam7 interlacing (checks the decoder) ---

def _filter_row(kind, line, prev, bpp):
    out = bytearray(len(line))
    for i, x in enumerate(line):
        a = line[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        if kind == 0:
            pred = 0
        elif kind == 1:
            pred = a
        elif kind == 2:
            pred = b
        elif kind == 3:
            pred = (a + b) // 2
        else:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
        out[i] = (x - pred) & 0xFF
    return bytes(out)


def write_png(path, samples, interlace=False, seed=0):
    """samples [H, W, C] uint8/uint16, C in 1..4; each scanline gets a random filter type."""
    rng = random.Random(seed)
    h, w, c = samples.shape
    depth = 16 if samples.dtype == np.uint16 else 8
    colour = {1: 0, 2: 4, 3: 2, 4: 6}[c]
    bpp = c * depth // 8
    passes = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)) \
        if interlace else ((0, 0, 1, 1),)
    raw = bytearray()
    for x0, y0, dx, dy in passes:
        sub = samples[y0::dy, x0::dx]
        if sub.size == 0:
            continue
        data = sub.astype(">u2").tobytes() if depth == 16 else sub.tobytes()
        stride = sub.shape[1] * bpp
        prev = bytes(stride)
        for y in range(sub.shape[0]):
            line = data[y * stride:(y + 1) * stride]
            kind = rng.randrange(5)
            raw += bytes([kind]) + _filter_row(kind, line, prev, bpp)
            prev = line

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", w, h, depth, colour, 0, 0, 1 if interlace else 0)
    Path(path).write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(raw)))
                           + chunk(b"IEND", b""))


# --- hand-computed geometry ---

def test_center_square_rounds_the_origin_down():
    assert center_square(5, 3) == (1, 0, 3)
    assert center_square(3, 5) == (0, 1, 3)
    assert center_square(6, 3) == (1, 0, 3)
    assert center_square(4, 4) == (0, 0, 4)


def test_area_taps_weigh_by_overlap():
    first, weights = area_taps(3, 2)
    assert first.tolist() == [0, 1]
    np.testing.assert_allclose(weights, [[2 / 3, 1 / 3], [1 / 3, 2 / 3]], atol=1e-15)
    first, weights = area_taps(2, 3)  # upsampling: the middle output straddles two pixels
    assert first.tolist() == [0, 0, 1]
    np.testing.assert_allclose(weights, [[1, 0], [0.5, 0.5], [1, 0]], atol=1e-15)
    first, weights = area_taps(4, 2)
    assert first.tolist() == [0, 2]
    np.testing.assert_allclose(weights, [[0.5, 0.5], [0.5, 0.5]], atol=1e-15)
    for s, S in [(800, 336), (37, 224), (512, 7)]:
        first, weights = area_taps(s, S)
        np.testing.assert_allclose(weights.sum(axis=1), 1.0, atol=1e-12)
        assert first[0] == 0 and first[-1] + np.count_nonzero(weights[-1]) == s


def test_mask_footprint_spans_partly_covered_pixels():
    assert [a.tolist() for a in footprint_spans(3, 2)] == [[0, 1], [2, 3]]
    assert [a.tolist() for a in footprint_spans(2, 3)] == [[0, 0, 1], [1, 2, 2]]


def test_preprocess_of_a_non_square_image_by_hand():
    # 5x3 image: the crop keeps columns 1..3; channel R of the crop is 0, 30, 60 / 90, 120, 150 / 180, 210, 240.
    r = np.array([[7, 0, 30, 60, 9], [7, 90, 120, 150, 9], [7, 180, 210, 240, 9]], dtype=np.uint8)
    rgb = np.stack([r, 255 - r, np.full_like(r, 51)], axis=2)
    image, alpha = preprocess(rgb, None, 2)
    # rows: [10, 50], [100, 140], [190, 230] (weights 2/3, 1/3); then columns.
    expected_r = np.array([[40, 80], [160, 200]], dtype=np.float64)
    expected = np.stack([expected_r, 255 - expected_r, np.full((2, 2), 51.0)])
    for c in range(3):
        want = ((expected[c] / 255 - CLIP_MEAN[c]) / CLIP_STD[c]).astype(np.float32)
        np.testing.assert_allclose(image[c], want, atol=1e-6)
    assert image.dtype == np.float32 and image.shape == (3, 2, 2)
    assert alpha.dtype == np.float32 and alpha.shape == (1, 2, 2)
    np.testing.assert_allclose(alpha, INSIDE, atol=1e-6)
    assert abs(INSIDE - 1.923) < 1e-3


def test_upsampling_repeats_and_blends_pixels():
    grey = np.array([[0, 255], [255, 0]], dtype=np.uint8)
    image, _ = preprocess(np.repeat(grey[:, :, None], 3, axis=2), None, 3)
    raw = image[0] * CLIP_STD[0] + CLIP_MEAN[0]
    np.testing.assert_allclose(raw * 255, [[0, 127.5, 255], [127.5, 127.5, 127.5], [255, 127.5, 0]], atol=1e-4)


def test_a_one_pixel_region_survives_downsampling():
    mask = np.zeros((100, 100), dtype=bool)
    mask[50, 50] = True
    _, alpha = preprocess(np.zeros((100, 100, 3), dtype=np.uint8), mask, 7)
    inside = np.argwhere(alpha[0] > 0).tolist()
    assert inside == [[3, 3]]  # footprint of output 3 is [42, 58)
    assert np.allclose(alpha[0][alpha[0] < 0], OUTSIDE)
    # A pixel on a boundary shared by two footprints lands in both: 100/7*4 = 57.14, pixel 57.
    mask[:] = False
    mask[57, 57] = True
    _, alpha = preprocess(np.zeros((100, 100, 3), dtype=np.uint8), mask, 7)
    assert np.argwhere(alpha[0] > 0).tolist() == [[3, 3], [3, 4], [4, 3], [4, 4]]


def test_empty_absent_and_cropped_away_designations():
    rgb = np.zeros((4, 6, 3), dtype=np.uint8)
    empty = np.zeros((4, 6), dtype=bool)
    for designation in (None, empty):
        _, alpha = preprocess(rgb, designation, 3)
        np.testing.assert_allclose(alpha, INSIDE, atol=1e-6)
    outside = empty.copy()
    outside[:, 0] = True  # column 0 is cut by the centred crop (x0 = 1)
    _, alpha = preprocess(rgb, outside, 3)
    np.testing.assert_allclose(alpha, OUTSIDE, atol=1e-6)
    with pytest.raises(ValueError, match="mask is 5x4 but the image is 6x4"):
        preprocess(rgb, np.zeros((4, 5), dtype=bool), 3)


# --- decoding ---

def test_decoder_reads_every_filter_and_interlacing(tmp_path):
    rng = np.random.default_rng(1)
    for c in (1, 2, 3, 4):
        for dtype in (np.uint8, np.uint16):
            for interlace in (False, True):
                top = 256 if dtype == np.uint8 else 65536
                samples = rng.integers(0, top, size=(11, 13, c)).astype(dtype)
                path = tmp_path / f"x{c}{dtype.__name__}{interlace}.png"
                write_png(path, samples, interlace=interlace, seed=c)
                np.testing.assert_array_equal(decode_png(path.read_bytes()), samples)
                if dtype == np.uint8:  # the writer itself agrees with Pillow
                    np.testing.assert_array_equal(np.asarray(Image.open(path)).reshape(samples.shape), samples)


def test_decoding_to_8_bit_rgb(tmp_path):
    values = np.array([[0, 128, 129, 32896], [65408, 65535, 385, 384]], dtype=np.uint16)
    write_png(tmp_path / "rgb16.png", np.stack([values, values[::-1], values], axis=2))
    rgb = load_image_rgb(tmp_path / "rgb16.png")
    # round(v / 257): 128 -> 0, 129 -> 1, 32896 -> 128, 65408 -> 255 (254.505), 385 -> 1, 384 -> 1
    assert rgb[:, :, 0].tolist() == [[0, 0, 1, 128], [255, 255, 1, 1]]
    assert rgb[:, :, 1].tolist() == [[255, 255, 1, 1], [0, 0, 1, 128]]
    write_png(tmp_path / "grey16.png", values[:, :, None])
    assert load_image_rgb(tmp_path / "grey16.png")[:, :, 2].tolist() == [[0, 0, 1, 128], [255, 255, 1, 1]]

    grey = np.array([[10, 200]], dtype=np.uint8)
    Image.fromarray(grey, "L").save(tmp_path / "grey.png")
    assert load_image_rgb(tmp_path / "grey.png").tolist() == [[[10, 10, 10], [200, 200, 200]]]
    rgba = np.array([[[1, 2, 3, 0], [4, 5, 6, 255]]], dtype=np.uint8)
    Image.fromarray(rgba, "RGBA").save(tmp_path / "rgba.png")
    assert load_image_rgb(tmp_path / "rgba.png").tolist() == [[[1, 2, 3], [4, 5, 6]]]
    pal = Image.new("P", (2, 1))
    pal.putpalette([0, 0, 0, 250, 20, 30] + [0] * 762)
    pal.putpixel((1, 0), 1)
    pal.save(tmp_path / "pal.png")
    assert load_image_rgb(tmp_path / "pal.png").tolist() == [[[0, 0, 0], [250, 20, 30]]]


def test_mask_decoding_any_colour_above_zero(tmp_path):
    rgb = np.zeros((1, 4, 3), dtype=np.uint8)
    rgb[0, 1, 2] = 1  # blue only
    rgb[0, 2] = 255
    Image.fromarray(rgb, "RGB").save(tmp_path / "rgb.png")
    assert load_mask(tmp_path / "rgb.png").tolist() == [[False, True, True, False]]
    la = np.array([[[0, 255], [3, 0]]], dtype=np.uint8)
    Image.fromarray(la, "LA").save(tmp_path / "la.png")
    assert load_mask(tmp_path / "la.png").tolist() == [[False, True]]  # the alpha channel is not a designation
    write_png(tmp_path / "m16.png", np.array([[[0], [1], [65535]]], dtype=np.uint16))
    assert load_mask(tmp_path / "m16.png").tolist() == [[False, True, True]]  # judged at the file's depth
    Image.fromarray(np.array([[0, 1]], dtype=bool)).save(tmp_path / "bits.png")
    assert load_mask(tmp_path / "bits.png").tolist() == [[False, True]]


def test_unreadable_files_name_the_file(tmp_path):
    with pytest.raises(ImageReadError, match="missing.png: cannot read the image"):
        load_image_rgb(tmp_path / "missing.png")
    (tmp_path / "bad.png").write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    with pytest.raises(ImageReadError, match="bad.png: cannot decode the mask"):
        load_mask(tmp_path / "bad.png")
    Image.fromarray(np.zeros((3, 4, 3), dtype=np.uint8)).save(tmp_path / "img.png")
    Image.fromarray(np.zeros((3, 5), dtype=np.uint8)).save(tmp_path / "small.png")
    with pytest.raises(ImageReadError, match=r"small.png: the mask is 5x3 but the image .*img.png is 4x3"):
        preprocess_files(tmp_path / "img.png", [tmp_path / "small.png"], 4)


# --- the same numbers as the TypeScript runtime ---

def _fixtures(tmp_path, shared_dir):
    rng = np.random.default_rng(7)
    d = tmp_path
    Image.fromarray(rng.integers(0, 256, (45, 61, 3), dtype=np.uint8)).save(d / "wide.png")
    Image.fromarray(rng.integers(0, 256, (70, 33), dtype=np.uint8), "L").save(d / "tall_grey.png")
    Image.fromarray(rng.integers(0, 256, (20, 15, 4), dtype=np.uint8), "RGBA").save(d / "small_rgba.png")
    write_png(d / "deep.png", rng.integers(0, 65536, (40, 50, 3)).astype(np.uint16), seed=3)
    region = np.zeros((45, 61), dtype=np.uint8)
    region[10:13, 30:31] = 255
    region[40, 60] = 255  # outside the crop
    Image.fromarray(region, "L").save(d / "region.png")
    second = np.zeros((45, 61, 3), dtype=np.uint8)
    second[30:40, 20:26, 1] = 9
    Image.fromarray(second, "RGB").save(d / "region_rgb.png")
    Image.fromarray(np.zeros((45, 61), dtype=np.uint8), "L").save(d / "empty.png")
    tall = np.zeros((70, 33), dtype=np.uint8)
    tall[0:20, :] = 1
    Image.fromarray(tall, "L").save(d / "tall_mask.png")
    deep_mask = np.zeros((40, 50, 1), dtype=np.uint16)
    deep_mask[5:9, 5:9] = 2
    write_png(d / "deep_mask.png", deep_mask)
    sample = shared_dir / "data" / "mvtec-sample"
    return [
        ("wide", d / "wide.png", [d / "region.png"], 7),
        ("wide_two_masks", d / "wide.png", [d / "region.png", d / "region_rgb.png"], 16),
        ("wide_empty", d / "wide.png", [d / "empty.png"], 8),
        ("tall_grey", d / "tall_grey.png", [d / "tall_mask.png"], 9),
        ("upsample", d / "small_rgba.png", [], 32),
        ("deep", d / "deep.png", [d / "deep_mask.png"], 11),
        ("tire", sample / "tire" / "test" / "cut" / "009.png", [sample / "tire" / "ground_truth" / "cut" / "009_mask.png"], 224),
        ("tire_336", sample / "tire" / "test" / "combined" / "000.png",
         [sample / "tire" / "ground_truth" / "combined" / "000_mask.png"], 336),
    ]


def test_python_and_typescript_preprocessing_agree(tmp_path, repo_root, shared_dir, node):
    cases = _fixtures(tmp_path, shared_dir)
    spec = {"size": 0, "cases": [
        {"image": str(image), "masks": [str(m) for m in masks], "out": str(tmp_path / name), "size": size}
        for name, image, masks, size in cases
    ]}
    (tmp_path / "cases.json").write_text(json.dumps(spec))
    run = subprocess.run([node, "--import", "tsx", "test/fixtures/preprocess_ts.ts", str(tmp_path / "cases.json")],
                         cwd=repo_root, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    worst = 0.0
    for name, image_path, masks, size in cases:
        image, alpha = preprocess_files(image_path, masks, size)
        ts_image = np.fromfile(tmp_path / f"{name}.image.f32", dtype="<f4").reshape(3, size, size)
        ts_alpha = np.fromfile(tmp_path / f"{name}.alpha.f32", dtype="<f4").reshape(1, size, size)
        diff = float(np.abs(ts_image - image).max())
        worst = max(worst, diff)
        assert diff <= 1e-5, f"{name}: image differs by {diff}"
        np.testing.assert_array_equal(ts_alpha, alpha, err_msg=name)
        assert image.std() > 0.1, name  # real content, not a constant
    inside = {name: int((np.fromfile(tmp_path / f"{name}.alpha.f32", dtype="<f4") > 0).sum()) for name, *_ in cases}
    assert inside["wide_empty"] == 8 * 8 and inside["upsample"] == 32 * 32
    assert 0 < inside["wide"] < inside["wide_two_masks"] and 0 < inside["tire"] < 224 * 224
    print(f"max |TS - Python| over {len(cases)} cases: {worst:.3g}")
