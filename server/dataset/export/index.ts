// `anomaly-lens export-dataset`: a built dataset written as COCO or as anomalib's Folder layout.
// The export is written beside its folder and put in place only once complete, so a failed or
// cancelled export leaves what was there; the dataset is only read (under a reader's lease).
import { randomBytes } from 'node:crypto';
import { promises as fs, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UserError, errorMessage } from '../../util/errors';
import { isInside } from '../../util/paths';
import { checkOutputFolder } from '../../util/outputPath';
import type { Progress } from '../../util/progress';
import { TOOL_VERSION } from '../../util/version';
import { openDataset } from '../open';
import { takeReaderLease } from '../readerLease';
import { writeAnomalib } from './anomalib';
import { writeCoco } from './coco';
import type { DatasetExportRequest, DatasetExportResult } from './exportTypes';
import { EXPORT_FORMATS, EXPORT_MARKER } from './formats';

export type { DatasetExportFormat, DatasetExportRequest, DatasetExportResult } from './exportTypes';
export { EXPORT_FORMATS } from './formats';

export interface ExportOptions extends DatasetExportRequest {
  /** How the output folder is named in messages (`--out` on the command line). */
  outLabel?: string;
  progress?: Progress;
  signal?: AbortSignal;
}

function checkOut(dataset: string, out: string, label: string): void {
  const named = `${label} ${out}`;
  checkOutputFolder(out, label);
  if (out === dataset || isInside(dataset, out)) throw new UserError(`is inside the dataset ${dataset}; an export never writes into the dataset it reads`, named);
  if (isInside(out, dataset)) throw new UserError(`holds the dataset ${dataset}; choose a folder beside it`, named);
  let entries: string[];
  try {
    entries = readdirSync(out);
  } catch {
    return;
  }
  if (entries.length > 0 && !entries.includes(EXPORT_MARKER)) {
    throw new UserError(`holds files that are not an earlier export of this tool (no ${EXPORT_MARKER}); choose a new or empty folder`, named);
  }
}

/** Puts the finished export in place of `out` (an earlier export or nothing). */
async function swapIn(staging: string, out: string): Promise<void> {
  const old = `${out}.replaced-${randomBytes(4).toString('hex')}`;
  let moved = false;
  try {
    await fs.rename(out, old);
    moved = true;
  } catch (err) {
    if ((err as { code?: string }).code !== 'ENOENT') throw err;
  }
  await fs.rename(staging, out);
  if (moved) await fs.rm(old, { recursive: true, force: true });
}

export async function exportDataset(options: ExportOptions): Promise<DatasetExportResult> {
  const dataset = resolve(options.dataset);
  const out = resolve(options.out);
  if (!EXPORT_FORMATS.includes(options.format)) throw new UserError(`unknown export format "${String(options.format)}" (${EXPORT_FORMATS.join(' or ')})`);
  checkOut(dataset, out, options.outLabel ?? 'out');
  const opened = await openDataset(dataset);
  const lease = takeReaderLease(dataset, 'anomaly-lens export-dataset');
  await fs.mkdir(dirname(out), { recursive: true });
  const staging = join(dirname(out), `.${basename(out)}.partial-${randomBytes(4).toString('hex')}`);
  try {
    await fs.mkdir(staging);
    const written =
      options.format === 'coco'
        ? { ...(await writeCoco(dataset, opened, staging, options.progress, options.signal)), normalImages: 0 }
        : await writeAnomalib(dataset, opened, staging, options.progress, options.signal);
    const marker = { tool: { name: 'anomaly-lens', version: TOOL_VERSION }, dataset, format: options.format, createdAt: new Date().toISOString() };
    await fs.writeFile(join(staging, EXPORT_MARKER), `${JSON.stringify(marker, null, 2)}\n`);
    await swapIn(staging, out);
    return { dataset, format: options.format, out, ...written };
  } catch (err) {
    await fs.rm(staging, { recursive: true, force: true });
    if (err instanceof UserError || (err as { name?: string }).name === 'AbortError') throw err;
    throw new UserError(`cannot write the export: ${errorMessage(err)}`, `${options.outLabel ?? 'out'} ${out}`);
  } finally {
    options.progress?.stop();
    lease.release();
  }
}
