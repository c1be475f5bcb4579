// The geometry of the `center-square-area` preprocessing (docs/model-bundle.md): centred
// square crop, separable exact-area resampling for images, max over the footprint for masks.
// Pure functions on row-major, channel-interleaved arrays.

export interface SquareCrop {
  x0: number;
  y0: number;
  side: number;
}

/** The centred square of side min(W, H), its origin rounded down. */
export function centerSquare(width: number, height: number): SquareCrop {
  if (!(width > 0 && height > 0)) throw new RangeError(`image size must be positive, got ${width}x${height}`);
  const side = Math.min(width, height);
  return { x0: Math.floor((width - side) / 2), y0: Math.floor((height - side) / 2), side };
}

/** Source taps of one output pixel along one axis: source indices first..first+weights.length-1. */
export interface Taps {
  first: number;
  weights: Float64Array;
}

/**
 * Exact area weights from `s` source pixels to `S` output pixels. Output o covers the source
 * interval [o*s/S, (o+1)*s/S); source pixel i contributes |[i, i+1) ∩ that interval| / (s/S).
 * In units of 1/S both intervals have integer ends, so the overlap is an exact integer and
 * each weight is overlap / s with a single rounding.
 */
export function areaTaps(s: number, S: number): Taps[] {
  const taps: Taps[] = [];
  for (let o = 0; o < S; o++) {
    const lo = o * s;
    const hi = (o + 1) * s;
    const first = Math.floor(lo / S);
    const last = Math.ceil(hi / S) - 1;
    const weights = new Float64Array(last - first + 1);
    for (let i = first; i <= last; i++) {
      const overlap = Math.min(hi, (i + 1) * S) - Math.max(lo, i * S);
      weights[i - first] = overlap / s;
    }
    taps.push({ first, weights });
  }
  return taps;
}

/** The source pixels an output pixel's mask footprint spans: [floor(o*s/S), ceil((o+1)*s/S)). */
export function footprint(s: number, S: number): Array<{ first: number; end: number }> {
  const out: Array<{ first: number; end: number }> = [];
  for (let o = 0; o < S; o++) out.push({ first: Math.floor((o * s) / S), end: Math.ceil(((o + 1) * s) / S) });
  return out;
}

/** A row-major image of `channels` interleaved samples per pixel. */
export interface Plane<T extends ArrayLike<number> = ArrayLike<number>> {
  width: number;
  height: number;
  channels: number;
  data: T;
}

/**
 * Area-resamples the crop of one channel to S x S in float64: each row along x first, then
 * each column along y. Returns S*S values, row-major.
 */
export function resampleArea(src: Plane, channel: number, crop: SquareCrop, S: number): Float64Array {
  const { side, x0, y0 } = crop;
  const taps = areaTaps(side, S);
  const { width, channels, data } = src;
  const rows = new Float64Array(side * S);
  for (let y = 0; y < side; y++) {
    const rowStart = ((y0 + y) * width + x0) * channels + channel;
    for (let o = 0; o < S; o++) {
      const { first, weights } = taps[o];
      let sum = 0;
      for (let k = 0; k < weights.length; k++) sum += weights[k] * data[rowStart + (first + k) * channels];
      rows[y * S + o] = sum;
    }
  }
  const out = new Float64Array(S * S);
  for (let o = 0; o < S; o++) {
    const { first, weights } = taps[o];
    for (let x = 0; x < S; x++) {
      let sum = 0;
      for (let k = 0; k < weights.length; k++) sum += weights[k] * rows[(first + k) * S + x];
      out[o * S + x] = sum;
    }
  }
  return out;
}

/** One byte per pixel, row-major: 1 inside the designated region, 0 outside. */
export interface BinaryMask {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Max-pools a 0/1 mask's crop to S x S over each output pixel's footprint (rows, then columns). */
export function resampleMaskMax(mask: BinaryMask, crop: SquareCrop, S: number): Uint8Array {
  const { side, x0, y0 } = crop;
  const spans = footprint(side, S);
  const rows = new Uint8Array(side * S);
  for (let y = 0; y < side; y++) {
    const rowStart = (y0 + y) * mask.width + x0;
    for (let o = 0; o < S; o++) {
      const { first, end } = spans[o];
      for (let i = first; i < end; i++) {
        if (mask.data[rowStart + i]) {
          rows[y * S + o] = 1;
          break;
        }
      }
    }
  }
  const out = new Uint8Array(S * S);
  for (let o = 0; o < S; o++) {
    const { first, end } = spans[o];
    for (let x = 0; x < S; x++) {
      for (let i = first; i < end; i++) {
        if (rows[i * S + x]) {
          out[o * S + x] = 1;
          break;
        }
      }
    }
  }
  return out;
}
