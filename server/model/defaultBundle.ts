// The model bundle shipped with the product in media/default-model/, found relative to the
// running code: <package>/dist/*.js when bundled, <package>/server/model/*.ts from source.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../util/errors';
import { BUNDLE_MANIFEST } from './bundle';

export const DEFAULT_BUNDLE_FOLDER = join('media', 'default-model');

/** The package root: the nearest of the two folders above `codeDir` that holds package.json. */
export function packageRoot(codeDir: string = __dirname): string {
  const candidates = [join(codeDir, '..'), join(codeDir, '..', '..')];
  return candidates.find((dir) => existsSync(join(dir, 'package.json'))) ?? candidates[0];
}

export function defaultBundlePath(codeDir: string = __dirname): string {
  return join(packageRoot(codeDir), DEFAULT_BUNDLE_FOLDER);
}

/** The embedded default bundle, or a UserError saying where it was looked for. */
export function defaultBundleDir(codeDir: string = __dirname): string {
  const dir = defaultBundlePath(codeDir);
  if (!existsSync(join(dir, BUNDLE_MANIFEST))) {
    throw new UserError(`no default model bundle is installed (${join(dir, BUNDLE_MANIFEST)} is missing); pass --bundle with a model bundle folder`);
  }
  return dir;
}
