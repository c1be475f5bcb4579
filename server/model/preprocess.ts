// `center-square-area` preprocessing (docs/model-bundle.md): image file + designation ->
// the image encoder's `image` [3,S,S] and `alpha` [1,S,S] inputs. Decoding (sharp) is kept
// apart from the array pipeline, which is pure.
import sharp from 'sharp';
import { checkPixelLimit, maxPixels } from '../image/pixelLimit';
import { readImageBytes } from '../image/source';
import { UserError, errorMessage } from '../util/errors';
import { type BinaryMask, type Plane, centerSquare, resampleArea, resampleMaskMax } from './resample';

export interface PreprocessConfig {
  /** S, the square side the encoder takes. */
  imageSize: number;
  mean: readonly [number, number, number] | readonly number[];
  std: readonly [number, number, number] | readonly number[];
  alphaMean: number;
  alphaStd: number;
}

/** CLIP's RGB statistics and AlphaCLIP's alpha normalisation. */
export const CLIP_PREPROCESS: Omit<PreprocessConfig, 'imageSize'> = {
  mean: [0.48145466, 0.4578275, 0.40821073],
  std: [0.26862954, 0.26130258, 0.27577711],
  alphaMean: 0.5,
  alphaStd: 0.26,
};

/** 8-bit RGB, interleaved, row-major. */
export type RgbImage = Plane<Uint8Array> & { channels: 3 };

export interface Preprocessed {
  /** [3, S, S] normalised RGB, channel-first. */
  image: Float32Array;
  /** [1, S, S]: (m - alphaMean) / alphaStd with m in {0, 1}. */
  alpha: Float32Array;
  size: number;
  /** No designation, or an empty one: the whole image was designated (all ones). */
  wholeImage: boolean;
  /** The designation lies entirely outside the centred square the model sees. */
  outsideCrop: boolean;
}

/** A mask in memory: any value above 0 is inside (a LabelMask fits). */
export interface MaskValues {
  width: number;
  height: number;
  values: ArrayLike<number>;
}

/** A designation: a mask file (any format sharp reads) or a mask in memory. */
export type Designation = string | MaskValues;

function checkConfig(config: PreprocessConfig): void {
  if (!Number.isInteger(config.imageSize) || config.imageSize < 1) throw new RangeError(`imageSize must be a positive integer, got ${config.imageSize}`);
  if (config.mean.length !== 3 || config.std.length !== 3) throw new RangeError('mean and std must have three entries');
}

/** Steps 2, 3 and 5 for the image: [3, S, S] float32, channel-first. */
export function normaliseImage(rgb: RgbImage, config: PreprocessConfig): Float32Array {
  checkConfig(config);
  const S = config.imageSize;
  const crop = centerSquare(rgb.width, rgb.height);
  const plane = S * S;
  const image = new Float32Array(3 * plane);
  for (let c = 0; c < 3; c++) {
    const values = resampleArea(rgb, c, crop, S);
    const mean = config.mean[c];
    const std = config.std[c];
    for (let i = 0; i < plane; i++) image[c * plane + i] = (values[i] / 255 - mean) / std;
  }
  return image;
}

export type DesignationAlpha = Pick<Preprocessed, 'alpha' | 'wholeImage' | 'outsideCrop'>;

/**
 * Steps 2, 4 and 5 for the designation of a width x height image: [1, S, S] float32. `mask`
 * (0/1 per pixel) absent or empty designates the whole image.
 */
export function designationAlpha(mask: BinaryMask | undefined, width: number, height: number, config: PreprocessConfig): DesignationAlpha {
  checkConfig(config);
  if (mask && (mask.width !== width || mask.height !== height)) {
    throw new RangeError(`mask is ${mask.width}x${mask.height} but the image is ${width}x${height}`);
  }
  const S = config.imageSize;
  const plane = S * S;
  const wholeImage = !mask || !mask.data.some((v) => v !== 0);
  const m = wholeImage ? new Uint8Array(plane).fill(1) : resampleMaskMax(mask, centerSquare(width, height), S);
  const inside = (1 - config.alphaMean) / config.alphaStd;
  const outside = (0 - config.alphaMean) / config.alphaStd;
  const alpha = new Float32Array(plane);
  let any = false;
  for (let i = 0; i < plane; i++) {
    alpha[i] = m[i] ? inside : outside;
    if (m[i]) any = true;
  }
  return { alpha, wholeImage, outsideCrop: !any };
}

/** Steps 2-5 on decoded arrays. */
export function preprocessArrays(rgb: RgbImage, mask: BinaryMask | undefined, config: PreprocessConfig): Preprocessed {
  const designated = designationAlpha(mask, rgb.width, rgb.height, config);
  return { image: normaliseImage(rgb, config), size: config.imageSize, ...designated };
}

/** 16-bit samples to 8-bit as round(v / 257). */
export function to8bit(v: number): number {
  return Math.round(v / 257);
}

interface Decoded {
  width: number;
  height: number;
  channels: number;
  /** Native samples: 0..255 or, for 16-bit sources, 0..65535. */
  data: Uint8Array | Uint16Array;
  sixteenBit: boolean;
}

/** Decodes to RGB(A) at the file's own depth; grey replicated, palette expanded, ICC ignored. */
async function decodeRgbNative(file: string, what: string): Promise<Decoded> {
  const bytes = await readImageBytes(file, what);
  const limit = maxPixels();
  try {
    const meta = await sharp(bytes, { limitInputPixels: false }).metadata();
    checkPixelLimit(file, meta.width, meta.height, limit);
    const input = sharp(bytes, { ignoreIcc: true, limitInputPixels: limit });
    const sixteenBit = meta.depth === 'ushort';
    const { data, info } = await input
      .toColourspace(sixteenBit ? 'rgb16' : 'srgb')
      .raw({ depth: sixteenBit ? 'ushort' : 'uchar' })
      .toBuffer({ resolveWithObject: true });
    const samples = sixteenBit ? new Uint16Array(data.buffer, data.byteOffset, data.length / 2) : new Uint8Array(data.buffer, data.byteOffset, data.length);
    return { width: info.width, height: info.height, channels: info.channels, data: samples, sixteenBit };
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`cannot read the ${what}: ${errorMessage(err)}`, file);
  }
}

/** Step 1 for the image: 8-bit RGB (16-bit scaled by round(v/257), grey replicated, alpha dropped). */
export async function decodeRgb(file: string): Promise<RgbImage> {
  const src = await decodeRgbNative(file, 'image');
  const n = src.width * src.height;
  const data = new Uint8Array(n * 3);
  for (let p = 0; p < n; p++) {
    for (let c = 0; c < 3; c++) {
      const v = src.data[p * src.channels + c];
      data[p * 3 + c] = src.sixteenBit ? to8bit(v) : v;
    }
  }
  return { width: src.width, height: src.height, channels: 3, data };
}

/** Step 1 for a designation file: 1 where any colour channel is above 0 (at the file's depth). */
export async function decodeMask(file: string): Promise<BinaryMask> {
  const src = await decodeRgbNative(file, 'mask');
  const n = src.width * src.height;
  const data = new Uint8Array(n);
  for (let p = 0; p < n; p++) {
    const at = p * src.channels;
    data[p] = src.data[at] > 0 || src.data[at + 1] > 0 || src.data[at + 2] > 0 ? 1 : 0;
  }
  return { width: src.width, height: src.height, data };
}

function maskFromValues(mask: MaskValues): BinaryMask {
  const n = mask.width * mask.height;
  if (mask.values.length !== n) throw new RangeError(`mask of ${mask.width}x${mask.height} has ${mask.values.length} values`);
  const data = new Uint8Array(n);
  for (let i = 0; i < n; i++) data[i] = mask.values[i] > 0 ? 1 : 0;
  return { width: mask.width, height: mask.height, data };
}

/**
 * The union of designations (several masks designate one region together), checked against
 * the image size; undefined when there are none.
 */
export async function combineDesignations(designations: readonly Designation[], width: number, height: number, imageFile?: string): Promise<BinaryMask | undefined> {
  if (designations.length === 0) return undefined;
  const union = new Uint8Array(width * height);
  for (const designation of designations) {
    const mask = typeof designation === 'string' ? await decodeMask(designation) : maskFromValues(designation);
    if (mask.width !== width || mask.height !== height) {
      const where = typeof designation === 'string' ? designation : undefined;
      throw new UserError(`the mask is ${mask.width}x${mask.height} but the image${imageFile ? ` ${imageFile}` : ''} is ${width}x${height}`, where);
    }
    for (let i = 0; i < union.length; i++) union[i] |= mask.data[i];
  }
  return { width, height, data: union };
}

/** Reads an image and its designation (several masks are combined) and preprocesses them. */
export async function preprocessFile(imageFile: string, designations: readonly Designation[], config: PreprocessConfig): Promise<Preprocessed> {
  const rgb = await decodeRgb(imageFile);
  const mask = await combineDesignations(designations, rgb.width, rgb.height, imageFile);
  return preprocessArrays(rgb, mask, config);
}
