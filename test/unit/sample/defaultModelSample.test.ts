// The embedded default models (media/default-model*) were trained on the sample that
// `anomaly-lens sample` writes with its default options; scripts/train-default.sh records
// that sample's digest beside them. If the generator's output changes, the shipped models
// and the README's numbers no longer follow from `npm run train:default`, and this fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSample } from '../../../server/sample/generate';
import { SAMPLE_DEFAULTS } from '../../../server/sample/defaults';
import { sampleDigest } from '../../../server/sample/digest';

const repo = join(__dirname, '..', '..', '..');

test('the default sample is the one the embedded default models were trained on', async () => {
  const recorded = readFileSync(join(repo, 'media', 'default-model-sample.sha256'), 'utf8').trim();
  const dir = mkdtempSync(join(tmpdir(), 'al-default-sample-'));
  try {
    await generateSample(join(dir, 'sample'), { ...SAMPLE_DEFAULTS });
    assert.equal(sampleDigest(join(dir, 'sample')), recorded);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
