import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bundleLinks, descriptionDefinition, splitFileLinks } from '../../../server/datasetText/links';
import { parseSplitFile } from '../../../server/datasetText/parseSplitFile';
import type { Range } from '../../../server/datasetText/range';
import { SAMPLE_DESCRIPTIONS, sampleRecord } from './fixtures';

const at = (text: string, r: Range) => {
  const lines = text.split('\n');
  assert.equal(r.start.line, r.end.line);
  return lines[r.start.line].slice(r.start.character, r.end.character);
};

test('links on every image and mask path inside the root, none on escaping ones', () => {
  const escaping = sampleRecord(1, 1);
  escaping.image = '../x.png';
  const text = [JSON.stringify(sampleRecord(0, 2)), JSON.stringify(escaping)].join('\n');
  const links = splitFileLinks(parseSplitFile(text), '/data/ds');
  assert.deepEqual(links.map((l) => [at(text, l.range), l.target]), [
    ['"images/test/tire/combined/000.9c41d2aa.png"', '/data/ds/images/test/tire/combined/000.9c41d2aa.png'],
    ['"masks/test/tire/combined/000_0.5be07f13.png"', '/data/ds/masks/test/tire/combined/000_0.5be07f13.png'],
    ['"masks/test/tire/combined/000_1.5be07f13.png"', '/data/ds/masks/test/tire/combined/000_1.5be07f13.png'],
    ['"masks/test/tire/combined/001_0.5be07f13.png"', '/data/ds/masks/test/tire/combined/001_0.5be07f13.png'],
  ]);
});

test('bundle.json links its encoders, embeddings and tokenizer merges', () => {
  const bundle = {
    formatVersion: 1,
    tokenizer: { kind: 'clip-bpe', merges: 'tokenizer/merges.txt.gz', vocabSize: 49408 },
    files: { imageEncoder: 'image_encoder.onnx', textEncoder: 'text_encoder.onnx', textEmbeddings: '../elsewhere.bin' },
  };
  const text = JSON.stringify(bundle, null, 2);
  const links = bundleLinks(text, '/models/b');
  assert.deepEqual(links.map((l) => [at(text, l.range), l.target]), [
    ['"image_encoder.onnx"', '/models/b/image_encoder.onnx'],
    ['"text_encoder.onnx"', '/models/b/text_encoder.onnx'],
    ['"tokenizer/merges.txt.gz"', '/models/b/tokenizer/merges.txt.gz'],
  ]);
  assert.deepEqual(bundleLinks('{"files": ', '/models/b'), []);
});

test('Go to Definition from a description lands on its class\'s text in dataset.json', () => {
  const manifest = JSON.stringify({ formatVersion: 1, descriptions: SAMPLE_DESCRIPTIONS.map((d) => ({ ...d, provenance: { kind: 'builtin' } })) }, null, 2);
  const text = JSON.stringify(sampleRecord(0, 2));
  const record = parseSplitFile(text).records[0];
  const desc1 = record.regions[1].fields.description!.value;
  const target = descriptionDefinition(record, { line: 0, character: desc1.start.character + 3 }, manifest);
  assert.ok(target);
  assert.equal(at(manifest, target), '"a thin crack in the tire"');
  assert.equal(manifest.split('\n')[target.start.line].trim().startsWith('"text"'), true);
  const imageStart = record.fields.image!.value.start;
  assert.equal(descriptionDefinition(record, imageStart, manifest), undefined);
});
