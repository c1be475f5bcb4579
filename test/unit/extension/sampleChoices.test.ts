// Create Sample Dataset's choices and message: the scales offered with the images each really
// holds, the sample recognised from its sample.json, and a message that names each folder once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SAMPLE_DEFAULTS, SAMPLE_FORMAT } from '../../../server/sample/defaults';
import { planSample } from '../../../server/sample/plan';
import { SAMPLE_SCALES, sampleSources, sampleWrittenMessage, scaleChoices } from '../../../extension/sample/sampleChoices';

/** Two words in a row that are the same word ("synthetic synthetic"), or undefined. */
function stutter(text: string): string | undefined {
  return /\b(\w+)\W+\1\b/i.exec(text)?.[0];
}

test('each scale offered says how many images the sample of that scale holds, and the default is marked once', () => {
  const choices = scaleChoices();
  assert.deepEqual(choices.map((c) => c.scale), [...SAMPLE_SCALES]);
  for (const c of choices) {
    const images = planSample({ seed: 1, scale: c.scale, size: 128 }).length;
    assert.match(c.description, new RegExp(`^${images.toLocaleString('en-US')} images\\b`), `${c.label}: ${c.description}`);
  }
  const marked = choices.filter((c) => /\bdefault\b/.test(c.description));
  assert.deepEqual(marked.map((c) => c.scale), [SAMPLE_DEFAULTS.scale]);
});

test("a sample is recognised by its sample.json's format once it is complete, with its two source folders", () => {
  const manifest = { format: SAMPLE_FORMAT, version: 1, complete: true, layouts: { synthetic: { dir: 'synthetic' }, mvtec: { dir: 'mvtec' } } };
  assert.deepEqual(sampleSources(JSON.stringify(manifest)), { synthetic: 'synthetic', mvtec: 'mvtec' });
  assert.equal(sampleSources(JSON.stringify({ ...manifest, complete: false })), undefined, 'still being written');
  assert.equal(sampleSources(JSON.stringify({ name: 'a package', version: 1 })), undefined, 'another sample.json');
  assert.equal(sampleSources('{not json'), undefined);
});

test('the message once the sample is written names each folder once, with its layout, and never the same word twice in a row', () => {
  const message = sampleWrittenMessage({ out: '/w/sample', images: 1500, synthetic: '/w/sample/synthetic', mvtec: '/w/sample/mvtec' }, (p) => p.replace('/w/', ''));
  assert.equal(stutter(message), undefined, message);
  assert.match(message, /sample written to sample: 1,500 images/);
  assert.match(message, /sample\/synthetic in the AnomalyDiffusion layout/);
  assert.match(message, /sample\/mvtec in the MVTec AD layout/);
});
