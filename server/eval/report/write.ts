// Writes a report folder: report.json, report.md and report.html, each replaced atomically
// and only once all three are ready.
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeFilesTogether } from '../../dataset/manifest';
import { UserError, errorMessage } from '../../util/errors';
import { resolveInsideReal } from '../../util/paths';
import type { Evaluation } from '../evaluate';
import { pickGallery } from './gallery';
import { type GalleryItem, htmlReport } from './html';
import { reportJson } from './json';
import { markdownReport } from './markdown';
import { regionThumbnail } from './thumbnail';

export const REPORT_FILES = { json: 'report.json', markdown: 'report.md', html: 'report.html' } as const;

export interface WriteReportOptions {
  /** Regions in the HTML gallery. */
  gallery: number;
  version: string;
  createdAt?: string;
}

async function galleryItems(evaluation: Evaluation, count: number): Promise<GalleryItem[]> {
  const picked = pickGallery(evaluation.predictions, count);
  return Promise.all(
    picked.map(async (record) => {
      try {
        const image = resolveInsideReal(evaluation.root, record.image);
        const mask = resolveInsideReal(evaluation.root, record.mask);
        return { record, thumbnail: await regionThumbnail(image, mask) };
      } catch (err) {
        return { record, error: `no picture: ${errorMessage(err)}` };
      }
    }),
  );
}

export async function writeReport(evaluation: Evaluation, outDir: string, options: WriteReportOptions): Promise<Record<keyof typeof REPORT_FILES, string>> {
  const out = resolve(outDir);
  let isDir = true;
  try {
    isDir = statSync(out).isDirectory();
  } catch {
    // Created by the write.
  }
  if (!isDir) throw new UserError('exists and is not a folder; choose another report folder', out);
  const gallery = await galleryItems(evaluation, options.gallery);
  const json = reportJson(evaluation, gallery.map((g) => g.record), options.createdAt ?? new Date().toISOString(), options.version);
  const files = {
    json: join(out, REPORT_FILES.json),
    markdown: join(out, REPORT_FILES.markdown),
    html: join(out, REPORT_FILES.html),
  };
  await writeFilesTogether([
    { path: files.json, data: `${JSON.stringify(json, null, 2)}\n` },
    { path: files.markdown, data: markdownReport(evaluation) },
    { path: files.html, data: htmlReport(evaluation, gallery) },
  ]);
  return files;
}
