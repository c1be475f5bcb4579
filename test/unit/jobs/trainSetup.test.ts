import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { prepareRun, tokenizerOfInit } from '../../../server/jobs/trainSetup';
import { ClipTokenizer, CLIP_MERGE_COUNT } from '../../../server/model/tokenizer';
import { UserError } from '../../../server/util/errors';
import { CLIP_MERGES, tempDir, writeDataset } from './fixtures';

interface TokenFileJson {
  tokenizer: { vocabSize: number; startId: number; endId: number; contextLength: number };
  texts: Array<{ text: string; input_ids: number[] }>;
}

function readTokens(file: string): TokenFileJson {
  return JSON.parse(readFileSync(file, 'utf8')) as TokenFileJson;
}

describe('prepareRun', () => {
  it('learns a small vocabulary from the descriptions of a model trained from scratch', async (t) => {
    const dir = tempDir(t);
    const data = writeDataset(join(dir, 'ds'), { train: 2, val: 1 });
    const run = await prepareRun({ dataset: data.root, run: join(dir, 'run') });
    assert.equal(run.resuming, false);
    assert.deepEqual(run.descriptions, data.descriptions);
    const tokenizer = ClipTokenizer.fromFile(run.merges);
    assert.equal(run.vocabSize, tokenizer.vocabSize);
    assert.ok(tokenizer.mergeCount > 0 && tokenizer.vocabSize === 514 + tokenizer.mergeCount);
    const tokens = readTokens(run.tokens);
    assert.deepEqual(tokens.tokenizer, { kind: 'clip-bpe', vocabSize: tokenizer.vocabSize, startId: tokenizer.vocabSize - 2, endId: tokenizer.vocabSize - 1, contextLength: 77 });
    assert.deepEqual(tokens.texts.map((row) => row.text), data.descriptions);
    for (const row of tokens.texts) {
      assert.equal(row.input_ids.length, 77);
      assert.equal(tokenizer.decode(row.input_ids), row.text);
      // learnt on exactly these texts: every word is one token
      assert.equal(row.input_ids.filter((id) => id !== 0).length, row.text.split(' ').length + 2);
    }
  });

  it('uses a given merges file (CLIP\'s) and keeps a started run\'s files', async (t) => {
    const dir = tempDir(t);
    const data = writeDataset(join(dir, 'ds'), { train: 2, val: 1 });
    const run = await prepareRun({ dataset: data.root, run: join(dir, 'run'), vocab: CLIP_MERGES });
    assert.equal(run.vocabSize, 49408);
    const merges = gunzipSync(readFileSync(run.merges)).toString('utf8').trim().split('\n');
    assert.equal(merges.length, 1 + CLIP_MERGE_COUNT);
    const clip = ClipTokenizer.fromFile(CLIP_MERGES);
    assert.deepEqual(readTokens(run.tokens).texts.map((row) => row.input_ids), data.descriptions.map((text) => clip.encodeForModel(text).inputIds));

    writeFileSync(join(run.run, 'run.json'), JSON.stringify({ tokenizer: { merges: run.merges, vocabSize: 49408 } }));
    const before = statSync(run.tokens).mtimeMs;
    const again = await prepareRun({ dataset: data.root, run: run.run });
    assert.equal(again.resuming, true);
    assert.equal(again.vocabSize, 49408);
    assert.equal(statSync(run.tokens).mtimeMs, before);
    // a checkpoint inside that run implies its tokenizer
    mkdirSync(join(run.run, 'checkpoints'));
    writeFileSync(join(run.run, 'checkpoints', 'step-000001.pt'), '');
    assert.deepEqual(tokenizerOfInit(join(run.run, 'checkpoints', 'step-000001.pt')), { from: `the run ${run.run}`, mergesFile: run.merges, vocabSize: 49408 });
  });

  it('refuses a run folder inside the dataset and starting weights of unknown vocabulary', async (t) => {
    const dir = tempDir(t);
    const data = writeDataset(join(dir, 'ds'), { train: 1, val: 0 });
    await assert.rejects(prepareRun({ dataset: data.root, run: join(data.root, 'runs', 'a') }), /lies inside the dataset/);
    const weights = join(dir, 'ViT-B-16.pt');
    writeFileSync(weights, 'not really weights');
    await assert.rejects(prepareRun({ dataset: data.root, run: join(dir, 'run'), init: weights }), (err: unknown) =>
      err instanceof UserError && err.message.includes('give the merges file it was trained with as --vocab'));
    await assert.rejects(prepareRun({ dataset: join(dir, 'nothing'), run: join(dir, 'run') }), /dataset\.json: cannot read/);
  });
});
