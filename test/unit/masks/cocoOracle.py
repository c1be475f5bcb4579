"""Reference for COCO masks, written with numpy apart from the TypeScript under test.

Reads JSON cases on stdin, each {"width", "height", "polygons": [[x1, y1, ...], ...],
"circles": [[cx, cy, r], ...]}, and prints for each: the pixels inside (a pixel is inside a
polygon when its centre (x + 0.5, y + 0.5) is, by the even-odd count of edge crossings of a
ray to the right; the region is the union of its polygons and circles), the run-length counts
of that mask read column by column (Fortran order, first run background) and their
compressed string (5-bit groups, least significant first, from '0'; 0x20 = more follows, 0x10
of the last group = sign; from the fourth count on, the difference to the count two before).
"""
import json
import sys

import numpy as np


def inside_polygon(points, width, height):
    xs = np.asarray(points[0::2], dtype=np.float64)
    ys = np.asarray(points[1::2], dtype=np.float64)
    cx, cy = np.meshgrid(np.arange(width) + 0.5, np.arange(height) + 0.5)
    inside = np.zeros((height, width), dtype=bool)
    n = len(xs)
    for i in range(n):
        j = (i - 1) % n
        xi, yi, xj, yj = xs[i], ys[i], xs[j], ys[j]
        straddles = (yi <= cy) != (yj <= cy)
        with np.errstate(divide="ignore", invalid="ignore"):
            x_cross = xi + (cy - yi) * (xj - xi) / (yj - yi)
        inside ^= straddles & (cx < x_cross)
    return inside


def inside_circle(cx0, cy0, r, width, height):
    cx, cy = np.meshgrid(np.arange(width) + 0.5, np.arange(height) + 0.5)
    return (cx - cx0) ** 2 + (cy - cy0) ** 2 <= r * r


def counts_of(mask):
    flat = mask.flatten(order="F").astype(np.int8)
    edges = np.flatnonzero(np.diff(np.concatenate(([0], flat, [1 - flat[-1]] if flat.size else [1]))))
    runs = np.diff(np.concatenate(([0], edges))).tolist()
    # The last edge only closes the last run; drop a zero-length tail.
    return [int(r) for r in runs]


def compress(counts):
    out = []
    for i, c in enumerate(counts):
        x = c - counts[i - 2] if i > 2 else c
        while True:
            group = x & 0x1F
            x >>= 5
            more = (x != -1) if group & 0x10 else (x != 0)
            if more:
                group |= 0x20
            out.append(chr(group + 48))
            if not more:
                break
    return "".join(out)


def main():
    cases = json.load(sys.stdin)
    answers = []
    for case in cases:
        w, h = case["width"], case["height"]
        mask = np.zeros((h, w), dtype=bool)
        for points in case.get("polygons", []):
            mask |= inside_polygon(points, w, h)
        for cx, cy, r in case.get("circles", []):
            mask |= inside_circle(cx, cy, r, w, h)
        counts = counts_of(mask)
        ys, xs = np.nonzero(mask)
        answers.append({"pixels": sorted((ys * w + xs).tolist()), "counts": counts, "string": compress(counts)})
    json.dump(answers, sys.stdout)


main()
