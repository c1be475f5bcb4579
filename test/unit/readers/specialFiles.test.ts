// A named pipe inside a source dataset (where an image or a mask should be) is named as such and
// left out; reading the source never opens it, so nothing blocks.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { MVTEC_TREE } from '../../fixtures/makeSources';
import { problemsAbout, readUnchanged, summary, treeMaker } from './helpers';

const tree = treeMaker('special');

describe('special files in a source', () => {
  it('a named pipe where a mask should be is reported by its type and ignored', async () => {
    const root = await tree(MVTEC_TREE);
    const mask = join(root, 'capsule', 'ground_truth', 'crack', '000_mask.png');
    rmSync(mask);
    execFileSync('mkfifo', [mask]);
    const ds = await readUnchanged(root);
    const [problem] = problemsAbout(ds, 'capsule/ground_truth/crack/000_mask.png');
    assert.match(problem.message, /is a named pipe \(FIFO\), not a regular file; ignored/);
    assert.ok(!summary(ds).some((line) => line.includes('000_mask.png') && line.startsWith('capsule/test/crack')));
  });
});
