// A split file's lint that names the hovers' model opens it meanwhile, so the first hover over
// the file does not wait for it; a model that cannot open leaves the lint as it is.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { defaultBundleDir } from '../../../server/model/defaultBundle';
import { checkLintParams, LanguageMethods } from '../../../server/rpc/methods/datasetText';
import { PredictorCache } from '../../../server/rpc/predictors';
import { sampleLines } from './fixtures';

const dir = mkdtempSync(join(tmpdir(), 'al-hover-model-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'test.jsonl');
const text = sampleLines(3);

async function withMethods(run: (methods: LanguageMethods, predictors: PredictorCache) => Promise<void>): Promise<void> {
  const predictors = new PredictorCache();
  const methods = new LanguageMethods(predictors);
  try {
    await run(methods, predictors);
  } finally {
    await methods.linter.close();
    await predictors.closeAll();
  }
}

test('a lint naming the hovers\' model (the embedded default) opens it, and a lint without leaves the models alone', async () => {
  await withMethods(async (methods, predictors) => {
    const plain = await methods.lint(checkLintParams({ file, text }), new AbortController().signal);
    assert.deepEqual(predictors.folders(), []);
    const warmed = await methods.lint(checkLintParams({ file, text, hoverModel: {} }), new AbortController().signal);
    assert.deepEqual(warmed, plain);
    assert.deepEqual(predictors.folders(), [resolve(defaultBundleDir())]);
    const predictor = await predictors.get(defaultBundleDir());
    assert.ok(predictor.descriptions.length > 0);
  });
});

test('a model folder that cannot open leaves the lint as it is', async () => {
  await withMethods(async (methods, predictors) => {
    const missing = join(dir, 'no-model');
    const lint = await methods.lint(checkLintParams({ file, text, hoverModel: { bundle: missing } }), new AbortController().signal);
    assert.equal(lint.records.length, 3);
    await assert.rejects(predictors.get(missing));
  });
});

test('the hovers\' model is checked as an object with an optional folder', () => {
  assert.deepEqual(checkLintParams({ file, hoverModel: { bundle: '/models/a' } }), { file, hoverModel: { bundle: '/models/a' } });
  assert.throws(() => checkLintParams({ file, hoverModel: 'a' }), /hoverModel must be an object/);
  assert.throws(() => checkLintParams({ file, hoverModel: { bundle: 3 } }), /bundle must be a non-empty string/);
});
