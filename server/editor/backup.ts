// @pure: a mask document's hot-exit backup, which the extension host writes and reads.
// Hot-exit backups of a mask document: its whole current state (regions, metadata, where they
// are saved, the version of the regions its edits were made on), small next to the image and
// enough to restore unsaved edits after a restart.
import { decodeLabels, encodeLabelMap } from './labelsCodec';
import { MaskModel } from './maskDocument/maskModel';
import type { RegionsDocument, RegionsSource } from './regionsTypes';

export interface MaskBackup extends Omit<RegionsDocument, 'version'> {
  /** The backup's format. */
  version: 1;
  /** The version of the regions the edits were made on (RegionsDocument's `version`). */
  base?: string;
}

export function toBackup(image: string, source: RegionsSource, model: MaskModel, base?: string): string {
  const backup: MaskBackup = { version: 1, image, width: model.width, height: model.height, source, labels: encodeLabelMap(model.labels), regions: model.regions(), ...(base ? { base } : {}) };
  return JSON.stringify(backup);
}

/** The document a backup holds; undefined for anything that is not a whole backup of this version. */
export function fromBackup(text: string): { image: string; source: RegionsSource; model: MaskModel; base?: string } | undefined {
  try {
    const b = JSON.parse(text) as Partial<MaskBackup>;
    if (b.version !== 1 || typeof b.image !== 'string' || typeof b.labels !== 'string' || !Array.isArray(b.regions) || !b.source) return undefined;
    if (!Number.isInteger(b.width) || !Number.isInteger(b.height) || (b.width as number) < 1 || (b.height as number) < 1) return undefined;
    const labels = decodeLabels(b.labels, (b.width as number) * (b.height as number));
    return { image: b.image, source: b.source, model: new MaskModel(b.width as number, b.height as number, labels, b.regions), ...(typeof b.base === 'string' ? { base: b.base } : {}) };
  } catch {
    return undefined;
  }
}
