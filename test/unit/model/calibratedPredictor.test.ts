// A bundle's calibration in the runtime: its probabilities are softmax(logitScale·cos / T) with the
// temperature bundle.json records (T = 1 without one), and its threshold is the predictor's.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_UNCERTAIN_BELOW, Predictor } from '../../../server/model';
import { makeColourBundle } from '../eval/colourFixtures';

const root = mkdtempSync(join(tmpdir(), 'al-calibrated-'));
after(() => rmSync(root, { recursive: true, force: true }));
const plain = join(root, 'plain');
const calibrated = join(root, 'calibrated');

before(async () => {
  await makeColourBundle(plain);
  cpSync(plain, calibrated, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(calibrated, 'bundle.json'), 'utf8')) as Record<string, unknown>;
  manifest.calibration = { method: 'temperature-scaling', temperature: 2.5, uncertainBelow: 0.8, fittedOn: { split: 'val' } };
  writeFileSync(join(calibrated, 'bundle.json'), JSON.stringify(manifest));
});

describe('a calibrated bundle', () => {
  it('divides the logits by its temperature before the softmax; a bundle without one keeps T = 1 and the default threshold', async () => {
    const [a, b] = await Promise.all([Predictor.open(plain), Predictor.open(calibrated)]);
    try {
      assert.equal(a.temperature, 1);
      assert.equal(a.uncertainBelow, DEFAULT_UNCERTAIN_BELOW);
      assert.equal(b.temperature, 2.5);
      assert.equal(b.uncertainBelow, 0.8);
      const set = await a.candidates();
      // A region embedding between two descriptions: several candidates get a share.
      const [x, y] = set.embeddings;
      const mixed = x.map((v, i) => v + 0.6 * y[i]);
      const norm = Math.hypot(...mixed);
      const embedding = mixed.map((v) => v / norm);
      for (const [predictor, temperature] of [[a, 1], [b, 2.5]] as const) {
        const ranked = predictor.rank(embedding, set);
        const exps = ranked.map((r) => Math.exp((predictor.logitScale * r.cosine) / temperature));
        const total = exps.reduce((s, e) => s + e, 0);
        ranked.forEach((r, k) => assert.ok(Math.abs(r.probability - exps[k] / total) < 1e-12, `${r.text}: ${r.probability} vs ${exps[k] / total}`));
      }
      // The same ranking, a flatter distribution.
      assert.deepEqual(b.rank(embedding, set).map((r) => r.text), a.rank(embedding, set).map((r) => r.text));
      assert.ok(b.rank(embedding, set)[0].probability < a.rank(embedding, set)[0].probability);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
