// Model bundles (docs/model-bundle.md): reading and validating bundle.json and the files it
// names. The ONNX encoders themselves are opened and checked in encoders.ts.
import { createHash } from 'node:crypto';
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError, errorMessage } from '../util/errors';
import { isInside, realPlace } from '../util/paths';
import type { PreprocessConfig } from './preprocess';
import { ClipTokenizer } from './tokenizer';

export const BUNDLE_FORMAT_VERSION = 1;
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
  provenance?: Record<string, unknown>;
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

type Json = Record<string, unknown>;

class ManifestReader {
  constructor(private readonly file: string) {}

  fail(message: string): never {
    throw new UserError(message, this.file);
  }

  object(value: unknown, key: string): Json {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(`"${key}" must be an object`);
    return value as Json;
  }

  has(obj: Json, key: string, path: string): unknown {
    if (!(key in obj) || obj[key] === undefined) this.fail(`"${path}" is missing`);
    return obj[key];
  }

  string(obj: Json, key: string, path = key): string {
    const v = this.has(obj, key, path);
    if (typeof v !== 'string' || v === '') this.fail(`"${path}" must be a non-empty string`);
    return v;
  }

  integer(obj: Json, key: string, min: number, path = key): number {
    const v = this.has(obj, key, path);
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) this.fail(`"${path}" must be an integer of at least ${min}, got ${JSON.stringify(v)}`);
    return v;
  }

  positive(obj: Json, key: string, path = key): number {
    const v = this.has(obj, key, path);
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) this.fail(`"${path}" must be a positive number, got ${JSON.stringify(v)}`);
    return v;
  }

  finite(obj: Json, key: string, path = key): number {
    const v = this.has(obj, key, path);
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(`"${path}" must be a number, got ${JSON.stringify(v)}`);
    return v;
  }

  triple(obj: Json, key: string, positive: boolean, path = key): [number, number, number] {
    const v = this.has(obj, key, path);
    if (!Array.isArray(v) || v.length !== 3 || !v.every((x) => typeof x === 'number' && Number.isFinite(x) && (!positive || x > 0))) {
      this.fail(`"${path}" must be three ${positive ? 'positive ' : ''}numbers, got ${JSON.stringify(v)}`);
    }
    return v as [number, number, number];
  }

  literal<T extends string>(obj: Json, key: string, allowed: readonly T[], path = key): T {
    const v = this.string(obj, key, path);
    if (!(allowed as readonly string[]).includes(v)) this.fail(`"${path}" is ${JSON.stringify(v)}; supported: ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
    return v as T;
  }
}

/** Checks a parsed bundle.json against format version 1; errors name the file and the key. */
export function validateManifest(json: unknown, file: string): BundleManifest {
  const r: ManifestReader = new ManifestReader(file);
  const root = r.object(json, 'bundle.json');
  const version = r.has(root, 'formatVersion', 'formatVersion');
  if (version !== BUNDLE_FORMAT_VERSION) r.fail(`formatVersion ${JSON.stringify(version)} is not supported (this version of Anomaly Lens reads ${BUNDLE_FORMAT_VERSION})`);
  const architecture = r.literal(root, 'architecture', ['alphaclip-vit'] as const);
  const size = r.string(root, 'size');
  const imageSize = r.integer(root, 'imageSize', 1);
  const patchSize = r.integer(root, 'patchSize', 1);
  const embedDim = r.integer(root, 'embedDim', 1);
  const contextLength = r.integer(root, 'contextLength', 2);
  const logitScale = r.positive(root, 'logitScale');

  const pre = r.object(r.has(root, 'preprocess', 'preprocess'), 'preprocess');
  const preprocess: BundleManifest['preprocess'] = {
    resize: r.literal(pre, 'resize', ['center-square-area'] as const, 'preprocess.resize'),
    mean: r.triple(pre, 'mean', false, 'preprocess.mean'),
    std: r.triple(pre, 'std', true, 'preprocess.std'),
    alphaMean: r.finite(pre, 'alphaMean', 'preprocess.alphaMean'),
    alphaStd: r.positive(pre, 'alphaStd', 'preprocess.alphaStd'),
  };

  const tok = r.object(r.has(root, 'tokenizer', 'tokenizer'), 'tokenizer');
  const tokenizer: BundleManifest['tokenizer'] = {
    kind: r.literal(tok, 'kind', ['clip-bpe'] as const, 'tokenizer.kind'),
    merges: r.string(tok, 'merges', 'tokenizer.merges'),
    vocabSize: r.integer(tok, 'vocabSize', 514, 'tokenizer.vocabSize'),
    startId: r.integer(tok, 'startId', 0, 'tokenizer.startId'),
    endId: r.integer(tok, 'endId', 0, 'tokenizer.endId'),
    contextLength: r.integer(tok, 'contextLength', 2, 'tokenizer.contextLength'),
  };
  if (tokenizer.startId !== tokenizer.vocabSize - 2 || tokenizer.endId !== tokenizer.vocabSize - 1) {
    r.fail(`tokenizer.startId and endId must be vocabSize-2 and vocabSize-1 (${tokenizer.vocabSize - 2}, ${tokenizer.vocabSize - 1}), got ${tokenizer.startId}, ${tokenizer.endId}`);
  }
  if (tokenizer.contextLength !== contextLength) r.fail(`tokenizer.contextLength ${tokenizer.contextLength} differs from contextLength ${contextLength}`);

  const filesJson = r.object(r.has(root, 'files', 'files'), 'files');
  const files: BundleManifest['files'] = {
    imageEncoder: r.string(filesJson, 'imageEncoder', 'files.imageEncoder'),
    textEncoder: r.string(filesJson, 'textEncoder', 'files.textEncoder'),
  };
  if (filesJson.textEmbeddings !== undefined && filesJson.textEmbeddings !== null) {
    files.textEmbeddings = r.string(filesJson, 'textEmbeddings', 'files.textEmbeddings');
  }

  const descriptionsJson = root.descriptions ?? [];
  if (!Array.isArray(descriptionsJson) || !descriptionsJson.every((d) => typeof d === 'string')) r.fail('"descriptions" must be a list of strings');
  const descriptions = descriptionsJson as string[];
  if (files.textEmbeddings && descriptions.length === 0) r.fail('"files.textEmbeddings" is given but "descriptions" is empty');

  let digests: BundleManifest['digests'];
  if (root.digests !== undefined) {
    const d = r.object(root.digests, 'digests');
    const hex = (key: string): string => {
      const v = r.string(d, key, `digests.${key}`);
      if (!/^[0-9a-f]{64}$/.test(v)) r.fail(`"digests.${key}" must be a sha256 in hex, got ${JSON.stringify(v)}`);
      return v;
    };
    digests = { descriptions: hex('descriptions'), textEmbeddings: hex('textEmbeddings') };
    if (!files.textEmbeddings) r.fail('"digests" is given but "files.textEmbeddings" is not');
  }

  const alpha = r.has(root, 'alpha', 'alpha');
  if (typeof alpha !== 'boolean') r.fail(`"alpha" must be true or false, got ${JSON.stringify(alpha)}`);
  const provenance = root.provenance === undefined ? undefined : r.object(root.provenance, 'provenance');

  return { formatVersion: 1, architecture, size, imageSize, patchSize, embedDim, contextLength, logitScale, preprocess, tokenizer, files, descriptions, ...(digests ? { digests } : {}), alpha, provenance };
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
