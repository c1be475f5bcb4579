// Describe Region: an image with its mask (both selected in the Explorer, or the mask found by
// the layouts' conventions, or asked for), an image of a built dataset (its record's regions), or
// a region PNG (its image found); from the palette, the image of the active image preview. It is
// described by the default or a chosen bundle, and the result stays open in a panel: the image
// with each region outlined and numbered beside its top-k answers.
// Non-interactive: describeRegion({image, mask, bundle, topK, show}).
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { imageOfRegion } from '../describe/maskLookup';
import { showDescribeResult } from '../describe/describePanel';
import { describeView } from '../describe/describeView';
import { IMAGE_PREVIEW_VIEW_TYPE, activeImage } from '../maskEditor/activeImage';
import { MASK_EDITOR_VIEW_TYPE } from '../maskEditor/maskEditorProvider';
import { imageCandidates, looksLikeMask, maskCandidates, orderPair } from '../../server/dataset/readers/layouts';
import { currentSettings } from '../client/host';
import { DescribeRegionsRequest, type DescribeRegionsParams, type DescribeRegionsResult } from '../client/methods';
import { requireTrust } from '../settings/trust';
import { absolute, choicesOf, fsPathOf, int, pickFile, str, type Workbench } from './common';

/** The dataset a file lies in (the nearest folder above with dataset.json) and the records of its splits. */
function datasetRecords(file: string): { root: string; records: { image: string; regions: { mask: string }[] }[] } | undefined {
  for (let dir = path.dirname(file); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (!existsSync(path.join(dir, 'dataset.json'))) continue;
    const records = (['train', 'val', 'test'] as const).flatMap((s) => {
      try {
        return readFileSync(path.join(dir, `${s}.jsonl`), 'utf8')
          .split('\n')
          .filter((l) => l.trim())
          .map((l) => JSON.parse(l) as { image: string; regions: { mask: string }[] });
      } catch {
        return [];
      }
    });
    return { root: dir, records };
  }
  return undefined;
}

export async function describeRegion(wb: Workbench, arg?: unknown, selection?: unknown): Promise<DescribeRegionsResult | undefined> {
  await requireTrust('Describe Region');
  const c = choicesOf(arg);
  const fromModel = (arg as { kind?: string; model?: { folder: string; embedded: boolean } } | undefined)?.kind === 'model' ? (arg as { model: { folder: string; embedded: boolean } }).model : undefined;
  let image = fsPathOf(c.image);
  let mask = fsPathOf(c.mask);
  let regionIndex: number | undefined;
  /** The regions are the image's record's, in order: the mask editor numbers them the same way. */
  let recordMasks: string[] | undefined;
  const selected = Array.isArray(selection) ? selection.map(fsPathOf).filter((p): p is string => !!p) : [];
  if (!image && !fromModel) {
    if (selected.length === 2) ({ image, mask } = orderPair(selected[0], selected[1]));
    else if (arg instanceof vscode.Uri) image = arg.fsPath;
  }
  if (image && !mask && looksLikeMask(image)) {
    // A region PNG or a mask: find its image.
    const file = image;
    const inDataset = datasetRecords(file);
    const found = inDataset ? imageOfRegion(inDataset.root, file, inDataset.records) : undefined;
    const candidate = found?.image ?? imageCandidates(file).find(existsSync);
    if (candidate) {
      mask = file;
      image = candidate;
      regionIndex = found?.index;
    }
  }
  if (!image && !fromModel) image = activeImage([IMAGE_PREVIEW_VIEW_TYPE, MASK_EDITOR_VIEW_TYPE])?.fsPath;
  if (image && !mask && !looksLikeMask(image)) {
    const inDataset = datasetRecords(image);
    const record = inDataset?.records.find((r) => path.join(inDataset.root, r.image) === path.resolve(image as string));
    if (inDataset && record && record.regions.length > 0) recordMasks = record.regions.map((g) => path.join(inDataset.root, g.mask));
  }
  if (!image) image = await pickFile('image to describe', { Images: ['png', 'jpg', 'jpeg', 'bmp', 'tif', 'tiff', 'webp'] });
  if (!image) return undefined;
  image = absolute(image);
  if (!mask && !recordMasks) mask = maskCandidates(image).find(existsSync);
  if (!mask && !recordMasks && Object.keys(c).length === 0) mask = await pickFile(`mask of ${path.basename(image)} (cancel: the whole image)`, { Masks: ['png', 'jpg', 'bmp', 'tif', 'tiff'] });
  const configured = currentSettings().defaultBundle;
  const bundle = fsPathOf(c.bundle) ?? (fromModel ? (fromModel.embedded ? undefined : fromModel.folder) : configured || undefined);
  const regions = currentSettings().regions;
  const show = c.show !== false;
  const params: DescribeRegionsParams = {
    image,
    ...(bundle ? { bundle: absolute(bundle) } : {}),
    // A region PNG is one region; a ground-truth mask is split into its regions; a dataset's image has its record's.
    ...(recordMasks ? { masks: recordMasks } : mask ? (regionIndex !== undefined || str(c.maskKind) === 'region' ? { masks: [absolute(mask)] } : { regionOf: { mask: absolute(mask), eps: regions.eps, minPts: regions.minPts } }) : {}),
    topK: int(c.topK) ?? 5,
    ...(show ? { picture: {} } : {}),
  };
  let result: DescribeRegionsResult;
  try {
    result = await (await wb.host.ready()).request(DescribeRegionsRequest, params, { timeoutMs: 120_000 });
  } catch (err) {
    const e = err as Error & { file?: string };
    wb.jobs.channel.error(`describe ${image}: ${e.message}`);
    void vscode.window.showErrorMessage(`Anomaly Lens: Describe Region failed: ${e.message}`, 'Open Log').then((a) => {
      if (a) wb.jobs.channel.show(true);
    });
    return undefined;
  }
  wb.jobs.channel.info(`described ${image}${mask ? ` with ${mask}` : ''}: ${result.regions.map((r) => r.ranking[0]?.text).join(' | ')}`);
  if (show) showDescribeResult(wb.context, image, describeView(result, bundle ? path.basename(bundle) : 'the embedded default model', currentSettings().uncertainBelow), { editorRegions: recordMasks !== undefined });
  return result;
}
