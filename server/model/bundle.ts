// Model bundles (docs/model-bundle.md): reading and validating bundle.json and the files it
// names. The ONNX encoders themselves are opened and checked in encoders.ts.
import { createHash } from 'node:crypto';
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError, errorMessage } from '../util/errors';
import { expectedOf, formatShapePath, shapeFailures, type ShapeFailure } from '../util/jsonShape';
import { isInside, realPlace } from '../util/paths';
import { BUNDLE_FORMAT_VERSION, BUNDLE_MANIFEST_SHAPE } from './bundleShape';
import type { PreprocessConfig } from './preprocess';
import { ClipTokenizer } from './tokenizer';

export { BUNDLE_FORMAT_VERSION };
export const BUNDLE_MANIFEST = 'bundle.json';

export interface BundleManifest {
  formatVersion: 1;
  architecture: 'alphaclip-vit';
  size: string;
  imageSize: number;
  patchSize: number;
  embedDim: number;
  contextLength: number;
  logitScale: number;
  preprocess: {
    resize: 'center-square-area';
    mean: [number, number, number];
    std: [number, number, number];
    alphaMean: number;
    alphaStd: number;
  };
  tokenizer: {
    kind: 'clip-bpe';
    merges: string;
    vocabSize: number;
    startId: number;
    endId: number;
    contextLength: number;
  };
  files: { imageEncoder: string; textEncoder: string; textEmbeddings?: string };
  descriptions: string[];
  /**
   * sha256 (hex) of the descriptions (their compact JSON, UTF-8) and of the text embeddings file
   * at export: an edited list or a replaced file no longer matches. Older bundles have none.
   */
  digests?: { descriptions: string; textEmbeddings: string };
  alpha: boolean;
  /** Temperature scaling fitted on held-out regions (docs/model-bundle.md); older bundles have none. */
  calibration?: BundleCalibration;
  provenance?: Record<string, unknown>;
}

export interface BundleCalibration {
  method: 'temperature-scaling';
  temperature: number;
  /** Answers whose calibrated probability is below this are shown as uncertain. */
  uncertainBelow?: number;
  fittedOn?: Record<string, unknown>;
}

export interface LoadedBundle {
  /** The bundle folder, absolute. */
  dir: string;
  manifestFile: string;
  manifest: BundleManifest;
  tokenizer: ClipTokenizer;
  preprocess: PreprocessConfig;
  imageEncoderFile: string;
  textEncoderFile: string;
  /** Rows of the bundle's descriptions, K x D, L2-normalised; absent when the bundle has none. */
  textEmbeddings?: Float32Array;
}

/** bundle.json as its shape admits it: descriptions may be absent or null, the embeddings file null. */
type ManifestJson = Omit<BundleManifest, 'files' | 'descriptions'> & {
  files: Omit<BundleManifest['files'], 'textEmbeddings'> & { textEmbeddings?: string | null };
  descriptions?: string[] | null;
};

/** bundle.json's wording of a failure of its shape: `"preprocess.std" must be three positive numbers, got [1,0,1]`. */
function shapeMessage({ path, shape, value, rule }: ShapeFailure): string {
  const at = `"${path.length > 0 ? formatShapePath(path) : BUNDLE_MANIFEST}"`;
  if (value === undefined) return `${at} is missing`;
  // The table's one constant is formatVersion.
  if (rule === 'const') return `formatVersion ${JSON.stringify(value)} is not supported (this version of Anomaly Lens reads ${BUNDLE_FORMAT_VERSION})`;
  if (shape.type === 'string' && rule === 'enum') return `${at} is ${JSON.stringify(value)}; supported: ${shape.enum!.map((a) => JSON.stringify(a)).join(', ')}`;
  if (shape.type === 'string' && rule !== 'pattern') return `${at} must be a non-empty string`;
  // Objects and lists, often long, are not repeated.
  const long = shape.type === 'object' || (shape.type === 'array' && shape.maxItems === undefined);
  return `${at} must be ${expectedOf(shape)}${long ? '' : `, got ${JSON.stringify(value)}`}`;
}

/** Checks a parsed bundle.json against format version 1; errors name the file and the key. */
export function validateManifest(json: unknown, file: string): BundleManifest {
  const fail = (message: string): never => {
    throw new UserError(message, file);
  };
  const [failure] = shapeFailures(BUNDLE_MANIFEST_SHAPE, json);
  if (failure) fail(shapeMessage(failure));
  // The shape holds; what remains are the rules between fields.
  const root = json as ManifestJson;
  const { tokenizer: tok, contextLength } = root;
  if (tok.startId !== tok.vocabSize - 2 || tok.endId !== tok.vocabSize - 1) {
    fail(`tokenizer.startId and endId must be vocabSize-2 and vocabSize-1 (${tok.vocabSize - 2}, ${tok.vocabSize - 1}), got ${tok.startId}, ${tok.endId}`);
  }
  if (tok.contextLength !== contextLength) fail(`tokenizer.contextLength ${tok.contextLength} differs from contextLength ${contextLength}`);
  const textEmbeddings = root.files.textEmbeddings ?? undefined;
  const descriptions = root.descriptions ?? [];
  if (textEmbeddings && descriptions.length === 0) fail('"files.textEmbeddings" is given but "descriptions" is empty');
  if (root.digests && !textEmbeddings) fail('"digests" is given but "files.textEmbeddings" is not');
  const calibration = root.calibration;

  // Only the known keys are kept.
  const { preprocess: pre, files, digests } = root;
  return {
    formatVersion: 1,
    architecture: root.architecture,
    size: root.size,
    imageSize: root.imageSize,
    patchSize: root.patchSize,
    embedDim: root.embedDim,
    contextLength,
    logitScale: root.logitScale,
    preprocess: { resize: pre.resize, mean: pre.mean, std: pre.std, alphaMean: pre.alphaMean, alphaStd: pre.alphaStd },
    tokenizer: { kind: tok.kind, merges: tok.merges, vocabSize: tok.vocabSize, startId: tok.startId, endId: tok.endId, contextLength: tok.contextLength },
    files: { imageEncoder: files.imageEncoder, textEncoder: files.textEncoder, ...(textEmbeddings ? { textEmbeddings } : {}) },
    descriptions,
    ...(digests ? { digests: { descriptions: digests.descriptions, textEmbeddings: digests.textEmbeddings } } : {}),
    alpha: root.alpha,
    ...(calibration
      ? {
          calibration: {
            method: calibration.method,
            temperature: calibration.temperature,
            ...(calibration.uncertainBelow !== undefined ? { uncertainBelow: calibration.uncertainBelow } : {}),
            ...(calibration.fittedOn ? { fittedOn: calibration.fittedOn } : {}),
          },
        }
      : {}),
    provenance: root.provenance,
  };
}

/** Reads and validates BUNDLE/bundle.json. */
export function readManifest(dir: string): { file: string; manifest: BundleManifest } {
  const file = join(resolve(dir), BUNDLE_MANIFEST);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new UserError(missing ? 'not found: a model bundle folder must contain bundle.json' : `cannot read: ${errorMessage(err)}`, file);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UserError(`is not valid JSON: ${errorMessage(err)}`, file);
  }
  return { file, manifest: validateManifest(json, file) };
}

/** A file named by bundle.json: must exist, be a file, and lie inside the bundle (symlinks resolved). */
export function bundleFile(dir: string, relative: string, key: string, manifestFile: string): string {
  const root = realpathSync(dir);
  const full = resolve(root, relative);
  if (!isInside(root, full)) throw new UserError(`"${key}" (${relative}) lies outside the bundle folder`, manifestFile);
  const place = realPlace(root, full);
  if (place.kind === 'missing' || place.kind === 'unresolvable') throw new UserError(`not found (named by "${key}" in ${manifestFile})`, full);
  if (place.kind === 'outside') {
    throw new UserError(`"${key}" (${relative}) leads outside the bundle folder through the symbolic link ${place.link} (to ${place.target})`, manifestFile);
  }
  if (!statSync(place.real).isFile()) throw new UserError(`is not a file (named by "${key}" in ${manifestFile})`, full);
  return full;
}

function readTokenizer(manifest: BundleManifest, file: string, manifestFile: string): ClipTokenizer {
  const { vocabSize } = manifest.tokenizer;
  const tokenizer = ClipTokenizer.fromFile(file, { maxMerges: vocabSize - 514 });
  if (tokenizer.vocabSize !== vocabSize) {
    throw new UserError(`holds ${tokenizer.mergeCount} merges, a vocabulary of ${tokenizer.vocabSize}; ${manifestFile} says tokenizer.vocabSize ${vocabSize}`, file);
  }
  return tokenizer;
}

/** Reads text_embeddings.bin: float32 little-endian K x D, rows L2-normalised. */
export function readTextEmbeddings(file: string, rows: number, dim: number): Float32Array {
  const data = readFileSync(file);
  const expected = rows * dim * 4;
  if (data.length !== expected) {
    throw new UserError(`has ${data.length} bytes; ${rows} descriptions x ${dim} dimensions x 4 bytes = ${expected}`, file);
  }
  const out = new Float32Array(rows * dim);
  for (let i = 0; i < out.length; i++) out[i] = data.readFloatLE(i * 4);
  for (let k = 0; k < rows; k++) {
    let sum = 0;
    for (let j = 0; j < dim; j++) sum += out[k * dim + j] ** 2;
    const norm = Math.sqrt(sum);
    if (!(Math.abs(norm - 1) < 1e-3)) throw new UserError(`row ${k} has norm ${norm}; text embeddings must be L2-normalised`, file);
  }
  return out;
}

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/** The digest of a description list that bundle.json records (the exporter computes the same). */
export function descriptionsDigest(descriptions: readonly string[]): string {
  return sha256(JSON.stringify(descriptions));
}

/**
 * The stored text embeddings belong to the listed descriptions: with digests, both must match
 * what the exporter recorded; without (older bundles), the row count is all that is checked.
 */
function checkDigests(manifest: BundleManifest, manifestFile: string, embeddingsFile: string): void {
  if (!manifest.digests) return;
  if (sha256(readFileSync(embeddingsFile)) !== manifest.digests.textEmbeddings) {
    throw new UserError(`${embeddingsFile} is not the text embeddings file exported with this bundle (its digest differs from "digests.textEmbeddings"); export the bundle again`, manifestFile);
  }
  if (descriptionsDigest(manifest.descriptions) !== manifest.digests.descriptions) {
    throw new UserError(
      '"descriptions" differ from those the stored text embeddings were computed for (their digest differs from "digests.descriptions"): the list was edited after export; restore it, or export the bundle again',
      manifestFile,
    );
  }
}

/** Reads and checks a bundle folder: manifest, files, tokenizer, precomputed text embeddings. */
export function loadBundle(dir: string): LoadedBundle {
  const { file: manifestFile, manifest } = readManifest(dir);
  const abs = resolve(dir);
  const imageEncoderFile = bundleFile(abs, manifest.files.imageEncoder, 'files.imageEncoder', manifestFile);
  const textEncoderFile = bundleFile(abs, manifest.files.textEncoder, 'files.textEncoder', manifestFile);
  const mergesFile = bundleFile(abs, manifest.tokenizer.merges, 'tokenizer.merges', manifestFile);
  const tokenizer = readTokenizer(manifest, mergesFile, manifestFile);
  const embeddingsFile = manifest.files.textEmbeddings ? bundleFile(abs, manifest.files.textEmbeddings, 'files.textEmbeddings', manifestFile) : undefined;
  if (embeddingsFile) checkDigests(manifest, manifestFile, embeddingsFile);
  const textEmbeddings = embeddingsFile ? readTextEmbeddings(embeddingsFile, manifest.descriptions.length, manifest.embedDim) : undefined;
  const preprocess: PreprocessConfig = {
    imageSize: manifest.imageSize,
    mean: manifest.preprocess.mean,
    std: manifest.preprocess.std,
    alphaMean: manifest.preprocess.alphaMean,
    alphaStd: manifest.preprocess.alphaStd,
  };
  return { dir: abs, manifestFile, manifest, tokenizer, preprocess, imageEncoderFile, textEncoderFile, textEmbeddings };
}
