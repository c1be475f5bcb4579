// Files named by a model bundle's bundle.json go through the same real-path confinement as
// dataset files: a link leading out of the bundle folder is refused, naming the link.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleFile } from '../../../server/model/bundle';

const root = mkdtempSync(join(tmpdir(), 'al-bundle-links-'));
after(() => rmSync(root, { recursive: true, force: true }));

describe('bundle files and symbolic links', () => {
  const bundle = join(root, 'bundle');
  const manifest = join(bundle, 'bundle.json');
  mkdirSync(join(bundle, 'sub'), { recursive: true });
  writeFileSync(join(bundle, 'image.onnx'), 'x');
  writeFileSync(join(root, 'elsewhere.onnx'), 'x');
  symlinkSync('image.onnx', join(bundle, 'alias.onnx'));
  symlinkSync(join(root, 'elsewhere.onnx'), join(bundle, 'out.onnx'));
  symlinkSync(root, join(bundle, 'up'));

  it('follows links inside the bundle folder', () => {
    assert.equal(bundleFile(bundle, 'alias.onnx', 'files.imageEncoder', manifest), join(bundle, 'alias.onnx'));
  });

  it('refuses a file or folder linked outside, naming the link, and a missing file', () => {
    assert.throws(() => bundleFile(bundle, 'out.onnx', 'files.imageEncoder', manifest), {
      message: `${manifest}: "files.imageEncoder" (out.onnx) leads outside the bundle folder through the symbolic link ${join(bundle, 'out.onnx')} (to ${join(root, 'elsewhere.onnx')})`,
    });
    assert.throws(() => bundleFile(bundle, 'up/elsewhere.onnx', 'files.textEncoder', manifest), {
      message: `${manifest}: "files.textEncoder" (up/elsewhere.onnx) leads outside the bundle folder through the symbolic link ${join(bundle, 'up')} (to ${root})`,
    });
    assert.throws(() => bundleFile(bundle, '../elsewhere.onnx', 'files.textEncoder', manifest), /lies outside the bundle folder/);
    assert.throws(() => bundleFile(bundle, 'none.onnx', 'files.textEncoder', manifest), /not found \(named by "files.textEncoder"/);
    assert.throws(() => bundleFile(bundle, 'sub', 'files.textEncoder', manifest), /is not a file/);
  });
});
