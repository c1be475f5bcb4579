// Reads a report folder for the report panel: report.json, and the gallery's images and region
// masks as data: URIs (the webview reads no file itself). Paths in a report are relative to its
// dataset; one that leads out of the dataset folder is not read, and neither is a dataset folder
// (named by report.json, so not trusted) outside the allowed places. No `vscode`: the browser
// tests feed the webview exactly what the panel sends.
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { extname, isAbsolute, join, relative, resolve } from 'node:path';
import type { LoadedReport, ReportJson } from '../../webviews/report/messages';
import { confinedFolder } from './panelFolders';

export const REPORT_JSON = 'report.json';
export const SUPPORTED_SCHEMA = 1;
/** A picture larger than this is left out of the gallery (it would be posted to the webview whole). */
const MAX_PICTURE_BYTES = 16 * 1024 * 1024;

const MIME: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.bmp': 'image/bmp',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
};

export function readReport(folder: string): LoadedReport {
  const file = join(folder, REPORT_JSON);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? `${file} does not exist: evaluate into this folder first` : `${file}: ${(err as Error).message}`);
  }
  const report = value as ReportJson;
  if (typeof report !== 'object' || report === null || typeof report.metrics !== 'object' || !Array.isArray(report.predictions)) {
    throw new Error(`${file} is not an Anomaly Lens report`);
  }
  if (report.schemaVersion !== SUPPORTED_SCHEMA) {
    throw new Error(`${file} has report format ${String(report.schemaVersion)}; this version reads format ${SUPPORTED_SCHEMA}`);
  }
  return { folder: resolve(folder), report };
}

/**
 * A path of the report's dataset as an absolute path inside it, or undefined when it leads out
 * or the dataset folder lies outside `roots` (the panels' allowed places, panelFolders.ts).
 */
export function datasetFile(report: ReportJson, path: string, roots: readonly string[]): string | undefined {
  const root = confinedFolder(report.inputs?.dataset?.dir, roots);
  if (!root || typeof path !== 'string' || isAbsolute(path)) return undefined;
  try {
    const realRoot = realpathSync(root);
    const real = realpathSync(resolve(root, path));
    const rel = relative(realRoot, real);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return undefined;
    return real;
  } catch {
    return undefined;
  }
}

function dataUri(file: string): string | undefined {
  const mime = MIME[extname(file).toLowerCase()];
  if (!mime) return undefined;
  try {
    const stat = statSync(file);
    if (!stat.isFile() || stat.size > MAX_PICTURE_BYTES) return undefined;
    return `data:${mime};base64,${readFileSync(file).toString('base64')}`;
  } catch {
    return undefined;
  }
}

/** The gallery's images and region masks, by their path in the report; unreadable ones, and all of a dataset outside `roots`, are left out. */
export function galleryPictures(report: ReportJson, roots: readonly string[]): Record<string, string> {
  const pictures: Record<string, string> = {};
  const byKey = new Map(report.predictions.map((p) => [`${p.image}#${p.region}`, p]));
  for (const { image, region } of report.gallery) {
    const record = byKey.get(`${image}#${region}`);
    if (!record) continue;
    for (const path of [record.image, record.mask]) {
      if (path in pictures) continue;
      const file = datasetFile(report, path, roots);
      const uri = file && dataUri(file);
      if (uri) pictures[path] = uri;
    }
  }
  return pictures;
}
