import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join, relative } from 'node:path';
import { readSource } from '../../../server/dataset/readers';
import type { SourceKind } from '../../../server/dataset/types';
import { UserError } from '../../../server/util/errors';
import { treeMaker } from './helpers';
import { ANOMALYDIFFUSION_TREE, GENERIC_TREE, MVTEC_TREE, VISA_TREE, type TreeSpec } from '../../fixtures/makeSources';

const tree = treeMaker('detect');

function userError(pattern: RegExp) {
  return (err: unknown) => {
    assert.ok(err instanceof UserError, `expected a UserError, got ${String(err)}`);
    assert.match(err.message, pattern);
    return true;
  };
}

describe('layout detection', () => {
  const cases: [SourceKind, TreeSpec][] = [
    ['mvtec', MVTEC_TREE],
    ['visa', VISA_TREE],
    ['anomalydiffusion', ANOMALYDIFFUSION_TREE],
    ['generic', GENERIC_TREE],
  ];
  for (const [kind, spec] of cases) {
    it(`detects ${kind}`, async () => {
      assert.equal((await readSource(await tree(spec))).kind, kind);
    });
  }

  it('prefers the VisA csv over folder layouts in the same root', async () => {
    const root = await tree({ ...MVTEC_TREE, ...VISA_TREE });
    assert.equal((await readSource(root)).kind, 'visa');
  });

  it('uses a forced kind, and a forced kind that does not fit is a UserError naming the root', async () => {
    const root = await tree(GENERIC_TREE);
    await assert.rejects(readSource(root, { kind: 'mvtec' }), userError(new RegExp(`^${root}: no MVTec AD object folder`)));
    await assert.rejects(readSource(root, { kind: 'anomalydiffusion' }), userError(new RegExp(`^${root}: no AnomalyDiffusion folders`)));
    const mvtec = await tree(MVTEC_TREE);
    await assert.rejects(readSource(join(mvtec, 'bottle', 'license.txt'), { kind: 'generic' }), userError(/is not a folder/));
  });

  it('refuses an unknown layout, naming the folder and every layout looked for', async () => {
    const root = await tree({ 'docs/readme.txt': { text: 'x' }, 'a/b/c/deep.png': 'image', 'top.png': 'image' });
    await assert.rejects(readSource(root), (err: unknown) => {
      assert.ok(err instanceof UserError);
      assert.ok(err.message.startsWith(`${root}: no known dataset layout`));
      for (const name of ['VisA', 'MVTec AD', 'AnomalyDiffusion', 'generic folder', 'split_csv/1cls.csv', 'ground_truth', 'image/', 'mask/']) {
        assert.ok(err.message.includes(name), `message names ${name}: ${err.message}`);
      }
      return true;
    });
  });

  it('refuses a root that does not exist or is not a folder', async () => {
    const root = await tree({ 'file.png': 'image' });
    await assert.rejects(readSource(join(root, 'missing')), userError(/missing: source dataset folder does not exist/));
    await assert.rejects(readSource(join(root, 'file.png')), userError(/file\.png: source dataset is not a folder/));
  });

  it('resolves a relative root to an absolute one', async () => {
    const root = await tree(GENERIC_TREE);
    const ds = await readSource(relative(process.cwd(), join(root, 'screw', '..', 'nut', '..')));
    assert.equal(ds.root, root);
    assert.ok(ds.samples.every((s) => s.image.startsWith(`${root}/`) && (!s.mask || s.mask.startsWith(`${root}/`))));
  });
});
