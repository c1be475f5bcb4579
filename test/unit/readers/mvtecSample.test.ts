// The real MVTec sample beside the repository: what the reader lists must agree with the
// pairs and counts its STATS.md states.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSource } from '../../../server/dataset/readers';
import { MVTEC_SAMPLE, snapshotTree } from '../../fixtures/makeSources';

interface Stats {
  /** `image mask` per anomalous image, root-relative. */
  pairs: string[];
  /** `object/defect` -> pair count, from the summary table. */
  perDefect: Map<string, number>;
  total: number;
}

function cells(line: string): string[] {
  return line.split('|').slice(1, -1).map((c) => c.trim());
}

function readStats(): Stats {
  const lines = readFileSync(join(MVTEC_SAMPLE, 'STATS.md'), 'utf8').split('\n');
  const pairs: string[] = [];
  const perDefect = new Map<string, number>();
  let total = -1;
  for (const line of lines) {
    if (!line.startsWith('|')) continue;
    const row = cells(line);
    const code = /^`(.+)`$/;
    if (code.test(row[0]) && code.test(row[1])) pairs.push(`${row[0].replace(code, '$1')} ${row[1].replace(code, '$1')}`);
    else if (row.length === 4 && /^\d+$/.test(row[2])) perDefect.set(`${row[0]}/${row[1]}`, Number(row[2]));
    else if (row.length === 4 && row[0] === '**all**') total = Number(row[2].replace(/\*/g, ''));
  }
  return { pairs: pairs.sort(), perDefect, total };
}

function imagesIn(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((n) => /\.(png|jpg)$/i.test(n)) : [];
}

describe('MVTec sample (../shared/data/mvtec-sample)', () => {
  const stats = readStats();

  it('STATS.md parses into pairs and per-defect counts that agree', () => {
    assert.ok(stats.pairs.length > 0);
    assert.equal(stats.pairs.length, stats.total);
    assert.equal([...stats.perDefect.values()].reduce((a, b) => a + b, 0), stats.total);
  });

  it('lists exactly the anomalous pairs of STATS.md, without problems, and writes nothing', async () => {
    const before = snapshotTree(MVTEC_SAMPLE);
    const ds = await readSource(MVTEC_SAMPLE);
    assert.equal(ds.kind, 'mvtec');
    assert.deepEqual(ds.problems, []);
    const anomalous = ds.samples.filter((s) => s.mask);
    const rel = (p: string) => p.slice(MVTEC_SAMPLE.length + 1);
    assert.deepEqual(anomalous.map((s) => `${rel(s.image)} ${rel(s.mask as string)}`).sort(), stats.pairs);

    const counts = new Map<string, number>();
    for (const s of anomalous) counts.set(`${s.object}/${s.defect}`, (counts.get(`${s.object}/${s.defect}`) ?? 0) + 1);
    assert.deepEqual(counts, stats.perDefect);
    assert.ok(anomalous.every((s) => s.split === 'test'));
    assert.deepEqual(snapshotTree(MVTEC_SAMPLE), before);
  });

  it('lists the good images of train/good and test/good with their splits', async () => {
    const ds = await readSource(MVTEC_SAMPLE);
    for (const object of ['otx_hazelnut', 'tire']) {
      const good = ds.samples.filter((s) => s.object === object && s.defect === 'good');
      assert.equal(good.filter((s) => s.split === 'train-good').length, imagesIn(join(MVTEC_SAMPLE, object, 'train/good')).length);
      assert.equal(good.filter((s) => s.split === 'test').length, imagesIn(join(MVTEC_SAMPLE, object, 'test/good')).length);
      assert.ok(good.every((s) => s.mask === undefined));
    }
    assert.ok(ds.samples.some((s) => s.split === 'train-good'));
  });

  it("gives tire's class_ids.json to every tire sample, without its background entry", async () => {
    const raw = JSON.parse(readFileSync(join(MVTEC_SAMPLE, 'tire/class_ids.json'), 'utf8')) as Record<string, string>;
    const expected = Object.fromEntries(Object.entries(raw).filter(([value, name]) => value !== '0' && name !== 'good').map(([v, n]) => [Number(v), n]));
    const ds = await readSource(join(MVTEC_SAMPLE, 'tire'));
    const tire = stats.pairs.filter((p) => p.startsWith('tire/')).length;
    assert.equal(ds.samples.length, tire);
    for (const s of ds.samples) assert.deepEqual(s.classNames, expected);
    const hazelnut = await readSource(join(MVTEC_SAMPLE, 'otx_hazelnut'));
    assert.ok(hazelnut.samples.every((s) => s.classNames === undefined));
  });
});
