// Opening a fitted detector: detector.json checked, its banks read, and whether what it was
// fitted with still holds: a different model bundle is refused; a normal image changed or gone
// since is reported (the banks still hold what it gave).
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError, errorMessage } from '../util/errors';
import type { MemoryBank } from './anomalyMap';
import { bundleDigest } from './bundleDigest';
import { DETECTOR_FORMAT, DETECTOR_FORMAT_VERSION, DETECTOR_MANIFEST, type DetectorManifest, type DetectorObject } from './detectorFormat';
import { rowNorms } from './nearest';

export interface LoadedObject {
  spec: DetectorObject;
  banks: MemoryBank[];
}

export interface LoadedDetector {
  dir: string;
  manifestFile: string;
  manifest: DetectorManifest;
  objects: Map<string, LoadedObject>;
  /** Normal images that changed or went since the fit, each a sentence naming the file. */
  changed: string[];
}

function fail(message: string, file: string): never {
  throw new UserError(message, file);
}

function checkManifest(json: unknown, file: string): DetectorManifest {
  const m = json as DetectorManifest;
  if (!m || typeof m !== 'object' || m.format !== DETECTOR_FORMAT) fail(`is not an anomaly detector ("format" is not "${DETECTOR_FORMAT}")`, file);
  if (m.formatVersion !== DETECTOR_FORMAT_VERSION) fail(`has format version ${String(m.formatVersion)}; this version of anomaly-lens reads version ${DETECTOR_FORMAT_VERSION}: fit the detector again`, file);
  if (!m.bundle || typeof m.bundle.digest !== 'string') fail('names no model bundle digest', file);
  if (!Array.isArray(m.objects) || m.objects.length === 0) fail('holds no object', file);
  if (!m.settings?.features || !Array.isArray(m.settings.features.levels)) fail('holds no feature settings', file);
  for (const o of m.objects) {
    if (typeof o.name !== 'string' || !(o.width > 0) || !(o.height > 0) || !(o.channels > 0) || typeof o.threshold !== 'number') fail('has an object without its name, image size, channels or threshold', file);
    if (!Array.isArray(o.banks) || o.banks.length !== m.settings.features.levels.length) fail(`object "${o.name}" has ${o.banks?.length ?? 0} banks for ${m.settings.features.levels.length} feature levels`, file);
  }
  return m;
}

async function readBank(dir: string, bank: DetectorObject['banks'][number], manifestFile: string): Promise<MemoryBank> {
  const file = resolve(dir, bank.file);
  if (!file.startsWith(resolve(dir))) fail(`bank "${bank.file}" lies outside the detector folder`, manifestFile);
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (err) {
    fail(`cannot read the memory bank (${(err as NodeJS.ErrnoException).code ?? errorMessage(err)}), named by ${manifestFile}`, file);
  }
  const expected = bank.rows * bank.dim * 4;
  if (bytes.length !== expected) fail(`has ${bytes.length} bytes; ${manifestFile} says ${bank.rows} rows x ${bank.dim} floats x 4 bytes = ${expected}`, file);
  const rows = new Float32Array(bank.rows * bank.dim);
  for (let i = 0; i < rows.length; i++) rows[i] = bytes.readFloatLE(i * 4);
  return { rows, count: bank.rows, dim: bank.dim, norms: rowNorms(rows, bank.rows, bank.dim) };
}

/** Which normal images differ from the fit (content digest) or are gone. */
async function changedNormals(manifest: DetectorManifest): Promise<string[]> {
  const out: string[] = [];
  for (const o of manifest.objects) {
    for (const n of o.normals) {
      const file = join(manifest.source, n.path);
      try {
        const digest = createHash('sha256').update(await fs.readFile(file)).digest('hex');
        if (digest !== n.sha256) out.push(`${file}: this normal image of "${o.name}" changed since the detector was fitted (its SHA-256 differs); fit the detector again to use it`);
      } catch {
        out.push(`${file}: this normal image of "${o.name}" is gone since the detector was fitted`);
      }
    }
  }
  return out;
}

/** Opens the detector in `dir` for the bundle in `bundleDir`. */
export async function loadDetector(dir: string, bundleDir: string): Promise<LoadedDetector> {
  const folder = resolve(dir);
  const manifestFile = join(folder, DETECTOR_MANIFEST);
  let text: string;
  try {
    text = await fs.readFile(manifestFile, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    fail(code === 'ENOENT' ? `not found: a detector folder holds ${DETECTOR_MANIFEST} (fit one with anomaly-lens fit-detector)` : `cannot read (${code ?? errorMessage(err)})`, manifestFile);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    fail(`is not valid JSON: ${errorMessage(err)}`, manifestFile);
  }
  const manifest = checkManifest(json, manifestFile);
  const digest = bundleDigest(bundleDir);
  if (digest !== manifest.bundle.digest) {
    fail(`was fitted for another model bundle (${manifest.bundle.dir}, digest ${manifest.bundle.digest.slice(0, 12)}…), not ${resolve(bundleDir)} (digest ${digest.slice(0, 12)}…): pass that bundle with --bundle, or fit the detector again`, manifestFile);
  }
  const objects = new Map<string, LoadedObject>();
  for (const spec of manifest.objects) objects.set(spec.name, { spec, banks: await Promise.all(spec.banks.map((b) => readBank(folder, b, manifestFile))) });
  return { dir: folder, manifestFile, manifest, objects, changed: await changedNormals(manifest) };
}
