// anomalyLens/loadRegions and anomalyLens/saveRegions: the mask editor's files, through the engine.
import { findRegionsSource, loadImageRegions, saveImageRegions } from '../../editor/imageRegions';
import { MaskModel } from '../../editor/maskDocument/maskModel';
import { decodeLabels, encodeLabels } from '../../editor/labelsCodec';
import type { RegionMeta, RegionsSource } from '../../editor/regionsTypes';
import { UserError } from '../../util/errors';
import { Params, positiveInteger } from '../params';
import { LoadRegionsRequest, SaveRegionsRequest, type LoadRegionsResult, type SaveRegionsParams, type SaveRegionsResult } from '../protocol';

export async function loadRegions(raw: unknown): Promise<LoadRegionsResult> {
  const p = Params.of(LoadRegionsRequest.method, raw);
  const image = p.string('image');
  const source = await findRegionsSource(image, p.optionalString('mask'));
  const loaded = await loadImageRegions(image, source);
  return { image: loaded.image, width: loaded.width, height: loaded.height, source, labels: encodeLabels(loaded.model.labels), regions: loaded.model.regions() };
}

function checkRegions(value: unknown): RegionMeta[] {
  if (!Array.isArray(value)) throw new UserError('regions must be a list');
  return value.map((r, k) => {
    const m = r as Partial<RegionMeta>;
    if (!Number.isInteger(m.id) || (m.id as number) < 1 || typeof m.defect !== 'string' || typeof m.description !== 'string') {
      throw new UserError(`regions[${k}] needs an id, a defect and a description`);
    }
    return { id: m.id as number, defect: m.defect, description: m.description, ...(m.classId !== undefined ? { classId: Number(m.classId) } : {}) };
  });
}

export async function saveRegions(raw: unknown): Promise<SaveRegionsResult> {
  const p = Params.of(SaveRegionsRequest.method, raw);
  const params = raw as SaveRegionsParams;
  const width = p.optionalNumber('width', positiveInteger, 'an integer of at least 1');
  const height = p.optionalNumber('height', positiveInteger, 'an integer of at least 1');
  if (width === undefined || height === undefined) throw new UserError('width and height are required');
  let labels: Uint16Array;
  try {
    labels = decodeLabels(p.string('labels'), width * height);
  } catch {
    throw new UserError(`the label map holds ${Buffer.from(p.string('labels'), 'base64').length / 2} values for a ${width}x${height} image`);
  }
  const model = new MaskModel(width, height, labels, checkRegions(params.regions));
  const source = params.source as RegionsSource;
  if (!source || !['dataset', 'mask', 'none'].includes(source.kind)) throw new UserError('source must be what loadRegions answered');
  // The source is re-derived from the image, so a client cannot point a save at another dataset.
  const found = await findRegionsSource(p.string('image'), source.kind === 'mask' ? source.mask : undefined);
  if (found.kind !== source.kind) throw new UserError(`the image's regions now live in ${found.kind === 'none' ? 'no mask' : `a ${found.kind}`}; reopen the image`);
  const saved = await saveImageRegions({ source: found, model, width, height });
  return { files: saved.files, source: saved.source };
}
