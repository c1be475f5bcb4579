// Mask files the mask editor names itself rather than finding them beside the image by the
// dataset's conventions (Choose mask…, the first save of an image without a mask, Save As).  A
// save never takes such a path on trust: it writes only inside a workspace folder the extension
// named when it started the server (ANOMALY_LENS_WORKSPACE_FOLDERS), never through a symbolic
// link, never over the image, and over an existing file only when this server's loadRegions
// answered that file for that image (the editor opened it); a path that does not exist yet is a
// new mask.
import { realpathSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from '../util/errors';
import { isInside } from '../util/paths';
import { checkMaskForWrite } from './maskFileKind';
import { WORKSPACE_FOLDERS_ENV } from './workspaceFoldersEnv';

/** The workspace folders the extension named (a JSON list of absolute paths); none when unset or malformed. */
export function workspaceFolders(env: NodeJS.ProcessEnv = process.env): string[] {
  const text = env[WORKSPACE_FOLDERS_ENV];
  if (!text) return [];
  try {
    const list = JSON.parse(text) as unknown;
    return Array.isArray(list) ? list.filter((f): f is string => typeof f === 'string' && f !== '').map((f) => resolve(f)) : [];
  } catch {
    return [];
  }
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/** The masks loadRegions answered, by image (real paths): what the editor has opened in this server. */
export class OpenedMasks {
  private readonly byImage = new Map<string, Set<string>>();

  remember(image: string, mask: string): void {
    const key = real(image);
    const masks = this.byImage.get(key) ?? new Set<string>();
    masks.add(real(mask));
    this.byImage.set(key, masks);
  }

  has(image: string, mask: string): boolean {
    return this.byImage.get(real(image))?.has(real(mask)) ?? false;
  }
}

/** Throws, in words, unless `mask` may be written as `image`'s regions (see the head of this file). */
export async function checkChosenMask(image: string, mask: string, folders: readonly string[], opened: OpenedMasks): Promise<void> {
  await checkMaskForWrite(mask);
  if (real(mask) === real(image)) throw new UserError('is the image itself; the regions are saved into a mask file', mask);
  const rule = 'the mask editor writes a mask it did not find beside the image only inside a workspace folder';
  if (folders.length === 0) throw new UserError(`${rule}, and no workspace folder is open`, mask);
  let folder: string;
  try {
    folder = realpathSync(dirname(resolve(mask)));
  } catch {
    throw new UserError(`its folder ${dirname(resolve(mask))} does not exist`, mask);
  }
  if (!folders.some((f) => isInside(real(f), folder))) throw new UserError(`${rule} (${folders.join(', ')}); its folder is ${folder}`, mask);
  const exists = await fs.lstat(mask).then(() => true, () => false);
  if (exists && !opened.has(image, mask)) {
    throw new UserError(`exists and was not opened for ${image} in the mask editor; open it there with Choose mask… to edit it, or save the regions as a new file`, mask);
  }
}
