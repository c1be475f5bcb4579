// Special files given as images or masks (a named pipe would block a read forever, a device
// never ends) are refused by their type before they are opened.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readImageInfo } from '../../../server/image/read';
import { readMask } from '../../../server/image/mask';
import { readRegularFile, readRegularFileSync } from '../../../server/image/regularFile';
import { readWholeImage } from '../../../server/image/wholeImage';
import { decodeMask, decodeRgb } from '../../../server/model/preprocess';
import { UserError } from '../../../server/util/errors';
import { BLUE, RED, makeColourBundle, writeColourDataset } from '../eval/colourFixtures';
import { runCliTimed } from './runCli';

const root = mkdtempSync(join(tmpdir(), 'al-special-'));
after(() => rmSync(root, { recursive: true, force: true }));
const fifo = join(root, 'FIFO.png');
before(() => execFileSync('mkfifo', [fifo]));

const refused = (file: string, kind: RegExp) => (err: unknown) => err instanceof UserError && err.message.startsWith(`${file}: is `) && kind.test(err.message);

describe('image and mask readers on special files', () => {
  it('refuse a named pipe and a device by their type, without blocking on them', async () => {
    const pipe = /is a named pipe \(FIFO\), not a regular file/;
    const device = /is a character device, not a regular file/;
    await assert.rejects(readMask(fifo), refused(fifo, pipe));
    await assert.rejects(readImageInfo(fifo), refused(fifo, pipe));
    await assert.rejects(decodeRgb(fifo), refused(fifo, pipe));
    await assert.rejects(decodeMask(fifo), refused(fifo, pipe));
    await assert.rejects(readRegularFile(fifo), refused(fifo, pipe));
    await assert.rejects(readMask('/dev/zero'), refused('/dev/zero', device));
    await assert.rejects(decodeRgb('/dev/zero'), refused('/dev/zero', device));
    await assert.rejects(readMask(root), refused(root, /is a directory, not a regular file/));
    // The same with the blocking reads of a build's worker threads.
    await assert.rejects(readMask(fifo, { blocking: true }), refused(fifo, pipe));
    await assert.rejects(readWholeImage(fifo, { blocking: true }), refused(fifo, pipe));
    assert.throws(() => readRegularFileSync(fifo), refused(fifo, pipe));
    await assert.rejects(readMask('/dev/zero', { blocking: true }), refused('/dev/zero', device));
    await assert.rejects(readWholeImage(root, { blocking: true }), refused(root, /is a directory, not a regular file/));
    assert.throws(() => readRegularFileSync(join(root, 'missing.png'), 'image'), /cannot read the image: no such file/);
  });

  it('split FIFO.png and split /dev/zero exit 2 with one line at once', () => {
    for (const [file, kind] of [[fifo, 'a named pipe \\(FIFO\\)'], ['/dev/zero', 'a character device']]) {
      const run = runCliTimed(['split', file], { timeoutMs: 30_000 });
      assert.equal(run.signal, null, `split ${file} did not finish`);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, new RegExp(`^anomaly-lens: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: is ${kind}, not a regular file`));
    }
  });
});

describe('a region mask replaced by a named pipe in a built dataset', () => {
  const dataset = join(root, 'dataset');
  const bundle = join(root, 'bundle');
  before(async () => {
    await Promise.all([
      writeColourDataset(dataset, [
        { name: 'i1', object: 'widget', regions: [{ x: 0, y: 0, w: 4, h: 4, colour: RED, truth: 'crack in widget', defect: 'crack' }] },
        { name: 'i2', object: 'widget', regions: [{ x: 2, y: 2, w: 6, h: 6, colour: BLUE, truth: 'stain on widget', defect: 'stain' }] },
      ]),
      makeColourBundle(bundle, 'masked-mean'),
    ]);
    const record = JSON.parse(readFileSync(join(dataset, 'test.jsonl'), 'utf8').trim().split('\n')[1]) as { regions: { mask: string }[] };
    const mask = join(dataset, record.regions[0].mask);
    rmSync(mask);
    execFileSync('mkfifo', [mask]);
  });

  it('eval finishes and names the pipe instead of hanging', () => {
    const run = runCliTimed(['eval', '--dataset', dataset, '--bundle', bundle, '--out', join(root, 'report')], { timeoutMs: 60_000 });
    assert.equal(run.signal, null, 'eval did not finish');
    assert.equal(run.code, 2, `a dataset with a pipe for a mask is refused: ${run.stderr}`);
    assert.match(run.stderr, /masks\/i2_0\.png is a named pipe \(FIFO\), not a regular file/);
  });

  it('validate finishes and reports the mask', () => {
    const run = runCliTimed(['validate', dataset], { timeoutMs: 60_000 });
    assert.equal(run.signal, null, 'validate did not finish');
    assert.equal(run.code, 1, run.stderr + run.stdout);
    assert.match(run.stdout, /mask masks\/i2_0\.png is a named pipe \(FIFO\), not a regular file/);
  });
});
