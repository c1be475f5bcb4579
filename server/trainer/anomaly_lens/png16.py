"""A PNG decoder (numpy + zlib) for 16-bit files, whose samples Pillow cuts to 8 bits in colour modes.

Reads grey, grey+alpha, RGB and RGBA at 8 or 16 bits, interlaced or not; returns the samples at the
file's own depth.
"""
from __future__ import annotations

import struct
import zlib
from typing import List, Tuple

import numpy as np

SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHANNELS = {0: 1, 2: 3, 4: 2, 6: 4}  # colour type -> samples per pixel
# Adam7 passes: (x start, y start, x step, y step)
ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))


class PngError(ValueError):
    pass


def png_header(data: bytes) -> Tuple[int, int, int, int, int]:
    """(width, height, bit depth, colour type, interlace) of PNG bytes."""
    if not data.startswith(SIGNATURE) or data[12:16] != b"IHDR":
        raise PngError("not a PNG file")
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", data[16:29])
    return width, height, depth, colour, interlace


def _chunks(data: bytes):
    pos = len(SIGNATURE)
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if len(body) != length:
            raise PngError(f"truncated {kind.decode('latin-1')} chunk")
        yield kind, body
        pos += 12 + length
        if kind == b"IEND":
            return


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def _unfilter(raw: np.ndarray, rows: int, stride: int, bpp: int) -> np.ndarray:
    """Undoes the per-scanline filters of one (sub)image: raw holds rows * (1 + stride) bytes."""
    out = np.zeros((rows, stride), dtype=np.uint8)
    prev = np.zeros(stride, dtype=np.int64)
    lines = raw.reshape(rows, stride + 1)
    for y in range(rows):
        kind = int(lines[y, 0])
        line = lines[y, 1:].astype(np.int64)
        if kind == 0:
            cur = line
        elif kind == 1:  # Sub: a running sum along each byte lane
            padded = np.zeros(((stride + bpp - 1) // bpp) * bpp, dtype=np.int64)
            padded[:stride] = line
            cur = (np.cumsum(padded.reshape(-1, bpp), axis=0) % 256).reshape(-1)[:stride]
        elif kind == 2:  # Up
            cur = (line + prev) % 256
        elif kind in (3, 4):  # Average, Paeth: each byte depends on the one bpp before it
            cur = line.copy()
            up = prev
            for i in range(stride):
                left = int(cur[i - bpp]) if i >= bpp else 0
                if kind == 3:
                    predictor = (left + int(up[i])) >> 1
                else:
                    predictor = _paeth(left, int(up[i]), int(up[i - bpp]) if i >= bpp else 0)
                cur[i] = (int(line[i]) + predictor) & 0xFF
        else:
            raise PngError(f"unknown filter type {kind}")
        out[y] = cur
        prev = cur
    return out


def _samples(bytes_: np.ndarray, depth: int, width: int, channels: int) -> np.ndarray:
    rows = bytes_.shape[0]
    if depth == 16:
        pairs = bytes_.reshape(rows, width * channels, 2).astype(np.uint16)
        return (pairs[..., 0] << 8) | pairs[..., 1]
    return bytes_


def decode_png(data: bytes) -> np.ndarray:
    """Samples [H, W, C] (uint8 or uint16) of an 8- or 16-bit grey/RGB(A) PNG."""
    width, height, depth, colour, interlace = png_header(data)
    if colour not in CHANNELS or depth not in (8, 16):
        raise PngError(f"unsupported PNG layout (colour type {colour}, bit depth {depth})")
    channels = CHANNELS[colour]
    idat: List[bytes] = [body for kind, body in _chunks(data) if kind == b"IDAT"]
    try:
        raw = np.frombuffer(zlib.decompress(b"".join(idat)), dtype=np.uint8)
    except zlib.error as err:
        raise PngError(f"corrupt image data: {err}") from err
    bpp = channels * depth // 8
    dtype = np.uint16 if depth == 16 else np.uint8
    passes = ADAM7 if interlace else ((0, 0, 1, 1),)
    image = np.zeros((height, width, channels), dtype=dtype)
    pos = 0
    for x0, y0, dx, dy in passes:
        w = (width - x0 + dx - 1) // dx if width > x0 else 0
        h = (height - y0 + dy - 1) // dy if height > y0 else 0
        if w == 0 or h == 0:
            continue
        size = h * (1 + w * bpp)
        if pos + size > raw.size:
            raise PngError("truncated image data")
        rows = _unfilter(raw[pos:pos + size], h, w * bpp, bpp)
        pos += size
        image[y0::dy, x0::dx] = _samples(rows, depth, w, channels).reshape(h, w, channels)
    return image
