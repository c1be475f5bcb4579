// anomalyLens/loadRegions and anomalyLens/saveRegions: the mask editor's files, through the engine.
import { findRegionsSource, openImageRegions, saveImageRegions } from '../../editor/imageRegions';
import { MaskModel, MAX_REGION_ID } from '../../editor/maskDocument/maskModel';
import { decodeLabels, encodeLabelMap } from '../../editor/labelsCodec';
import type { RegionMeta, RegionsSource } from '../../editor/regionsTypes';
import { OpenedMasks, checkChosenMask, workspaceFolders } from '../../editor/chosenMasks';
import { UserError } from '../../util/errors';
import { ResponseError } from 'vscode-jsonrpc';
import { resolve } from 'node:path';
import { Params, positiveInteger } from '../params';
import { ErrorCodes, LoadRegionsRequest, SaveRegionsRequest, type LoadRegionsResult, type SaveRegionsParams, type SaveRegionsResult } from '../protocol';

const samePath = (a: string, b: string) => resolve(a) === resolve(b);

/** The masks loadRegions answered in this server: the only existing files a save to a chosen mask writes. */
const opened = new OpenedMasks();

export async function loadRegions(raw: unknown): Promise<LoadRegionsResult> {
  const p = Params.of(LoadRegionsRequest.method, raw);
  const image = p.string('image');
  const { value: loaded, version } = await openImageRegions(image, p.optionalString('mask'));
  const source = loaded.source;
  if (source.kind === 'mask' && p.optionalString('mask') !== undefined) opened.remember(image, source.mask);
  return { image: loaded.image, width: loaded.width, height: loaded.height, source, labels: encodeLabelMap(loaded.model.labels), regions: loaded.model.regions(), ...(version ? { version } : {}) };
}

/** The largest class id a mask file holds (16-bit PNG); 0 is no region. */
const MAX_CLASS_ID = 0xffff;

function invalid(message: string): ResponseError<void> {
  return new ResponseError(ErrorCodes.InvalidParams, `${SaveRegionsRequest.method}: ${message}`);
}

function checkRegions(value: unknown): RegionMeta[] {
  if (!Array.isArray(value)) throw invalid('regions must be a list');
  const seen = new Map<number, number>();
  return value.map((r, k) => {
    const m = (typeof r === 'object' && r !== null ? r : {}) as Partial<RegionMeta>;
    if (!Number.isInteger(m.id) || (m.id as number) < 1 || (m.id as number) > MAX_REGION_ID || typeof m.defect !== 'string' || typeof m.description !== 'string') {
      throw invalid(`regions[${k}] needs an id (an integer from 1 to ${MAX_REGION_ID}), a defect and a description`);
    }
    const id = m.id as number;
    if (seen.has(id)) throw invalid(`regions[${k}] has the id ${id} of regions[${seen.get(id)}]`);
    seen.set(id, k);
    if ('classId' in m && !(Number.isInteger(m.classId) && (m.classId as number) >= 1 && (m.classId as number) <= MAX_CLASS_ID)) {
      throw invalid(`regions[${k}].classId must be an integer from 1 to ${MAX_CLASS_ID}, not ${JSON.stringify(m.classId)}`);
    }
    return { id, defect: m.defect, description: m.description, ...(m.classId !== undefined ? { classId: m.classId } : {}) };
  });
}

/** Every labelled pixel belongs to a listed region: pixels of no region would be saved as a class nobody chose. */
function checkLabels(labels: Uint16Array, regions: readonly RegionMeta[]): void {
  const listed = new Set(regions.map((r) => r.id));
  const strays = new Map<number, number>();
  for (let i = 0; i < labels.length; i++) if (labels[i] !== 0 && !listed.has(labels[i])) strays.set(labels[i], (strays.get(labels[i]) ?? 0) + 1);
  const [first] = [...strays].sort(([a], [b]) => a - b);
  if (first) throw invalid(`the label map gives ${first[1]} pixel${first[1] === 1 ? '' : 's'} to region ${first[0]}, which regions does not list`);
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
  } catch (err) {
    const text = p.string('labels');
    if (text.startsWith('runs:')) throw new UserError(`the label map's runs do not fit a ${width}x${height} image: ${(err as Error).message}`);
    throw new UserError(`the label map holds ${Buffer.from(text, 'base64').length / 2} values for a ${width}x${height} image`);
  }
  const regions = checkRegions(params.regions);
  checkLabels(labels, regions);
  const model = new MaskModel(width, height, labels, regions);
  const source = params.source as RegionsSource;
  if (!source || !['dataset', 'mask', 'none'].includes(source.kind) || (source.kind === 'mask' && (typeof source.mask !== 'string' || source.mask === ''))) {
    throw invalid('source must be what loadRegions answered');
  }
  // The source is re-derived from the image, so a client cannot point a save at another dataset,
  // and a mask the conventions find keeps its class names (class_ids.json).
  const image = p.string('image');
  const derived = await findRegionsSource(image);
  // A mask the conventions do not find is the client's path: confined (chosenMasks.ts).
  const chosen = source.kind === 'mask' && !(derived.kind === 'mask' && samePath(derived.mask, source.mask));
  if (chosen) await checkChosenMask(image, source.mask, workspaceFolders(), opened);
  const found = chosen ? await findRegionsSource(image, source.mask) : derived;
  if (found.kind !== source.kind) throw new UserError(`the image's regions now live in ${found.kind === 'none' ? 'no mask' : `a ${found.kind}`}; reopen the image`);
  const saved = await saveImageRegions({ source: found, model, width, height, version: p.optionalString('version') }, { newClasses: p.optionalStrings('newClasses') ?? [] });
  if (chosen && found.kind === 'mask') opened.remember(image, found.mask);
  return { files: saved.files, source: saved.source, ...(saved.version ? { version: saved.version } : {}) };
}
