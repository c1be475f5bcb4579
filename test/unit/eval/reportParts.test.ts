// The pure pieces of evaluation reports: candidate sets, gallery choice, region outlines,
// Markdown tables and the HTML page's escaping and Content-Security-Policy.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { candidatePlan, candidatesFor, computeMetrics, htmlReport, markdownReport, type Evaluation, type RegionPrediction } from '../../../server/eval';
import { dilate, maxPool, outline } from '../../../server/eval/report/contour';
import { pickGallery } from '../../../server/eval/report/gallery';
import { markdownTable } from '../../../server/eval/report/markdownTable';
import type { ImageRecord } from '../../../server/dataset/format';

function grid(rows: string[]): { mask: Uint8Array; width: number; height: number } {
  const width = rows[0].length;
  return { mask: Uint8Array.from(rows.join('').split(''), (c) => (c === '#' ? 1 : 0)), width, height: rows.length };
}

function draw(mask: Uint8Array, width: number): string[] {
  const rows: string[] = [];
  for (let y = 0; y < mask.length / width; y++) rows.push([...mask.subarray(y * width, (y + 1) * width)].map((v) => (v ? '#' : '.')).join(''));
  return rows;
}

describe('region outlines', () => {
  it('draws a ring just outside the region', () => {
    const { mask, width, height } = grid(['......', '......', '..##..', '..##..', '......', '......']);
    assert.deepEqual(draw(outline(mask, width, height, 1), width), ['......', '.####.', '.#..#.', '.#..#.', '.####.', '......']);
    assert.deepEqual(draw(dilate(mask, width, height, 2), width), ['######', '######', '######', '######', '######', '######']);
  });

  it('falls back to the inner border when the region fills the picture', () => {
    const { mask, width, height } = grid(['####', '####', '####']);
    assert.deepEqual(draw(outline(mask, width, height, 1), width), ['####', '#..#', '####']);
  });

  it('keeps a one-pixel region when scaling down (max over the footprint)', () => {
    const mask = new Uint8Array(16);
    mask[3 * 4 + 3] = 1;
    assert.deepEqual([...maxPool({ width: 4, height: 4, data: mask }, 2, 2)], [0, 0, 0, 1]);
    assert.deepEqual([...maxPool({ width: 4, height: 4, data: mask }, 3, 3)], [0, 0, 0, 0, 0, 0, 0, 0, 1]);
  });
});

describe('candidate sets', () => {
  const manifest = {
    descriptions: [
      { object: 'widget', defect: 'crack', text: 'crack in widget', provenance: { kind: 'builtin' as const } },
      { object: 'gadget', defect: 'crack', text: 'a crack', provenance: { kind: 'builtin' as const } },
      { object: 'widget', defect: 'hole', text: 'hole in widget', provenance: { kind: 'builtin' as const } },
      { object: 'widget', defect: 'crack2', text: 'a crack', provenance: { kind: 'builtin' as const } },
    ],
  };
  const records: ImageRecord[] = [
    {
      image: 'x.png', object: 'gadget', defect: 'dent', width: 2, height: 2,
      regions: [{ mask: 'm.png', bbox: [0, 0, 1, 1], area: 1, defect: 'dent', description: 'curated dent text' }],
    },
  ];

  it('takes every description of the dataset once, in dataset.json order, then those only the regions name', () => {
    const plan = candidatePlan('all', manifest, records);
    assert.deepEqual(plan.all, ['crack in widget', 'a crack', 'hole in widget', 'curated dent text']);
    assert.deepEqual(candidatesFor(plan, 'gadget'), plan.all);
  });

  it('restricts to the descriptions of the image\'s object', () => {
    const plan = candidatePlan('object', manifest, records);
    assert.deepEqual(candidatesFor(plan, 'widget'), ['crack in widget', 'a crack', 'hole in widget']);
    assert.deepEqual(candidatesFor(plan, 'gadget'), ['a crack', 'curated dent text']);
    assert.deepEqual(candidatesFor(plan, 'unknown'), []);
  });
});

const answer = (text: string) => [{ text, cosine: 0.5, probability: 0.5 }];
function rec(image: string, region: number, regionCount: number, truth: string, model: string, baseline: string): RegionPrediction {
  return { image, object: 'o', defect: 'd', region, regionCount, mask: `${image}-${region}.png`, truth, model: answer(model), baseline: answer(baseline) };
}

describe('gallery', () => {
  // Outcomes: mr-bw = model right, baseline wrong; br = both right; mw-br; bw = both wrong.
  const records = [
    rec('single.png', 0, 1, 'a', 'a', 'b'), // mr-bw, single-region image
    rec('multi.png', 0, 3, 'a', 'a', 'a'), // br
    rec('multi.png', 1, 3, 'b', 'b', 'a'), // mr-bw
    rec('multi.png', 2, 3, 'c', 'c', 'a'), // mr-bw
    rec('pair.png', 0, 2, 'a', 'b', 'a'), // mw-br
    rec('pair.png', 1, 2, 'b', 'a', 'a'), // bw
  ];

  it('prefers images with several regions and takes the outcomes in turn, two regions per image at most', () => {
    const picked = pickGallery(records, 4).map((r) => `${r.image}#${r.region}`);
    // Round 1: mr-bw multi#1, br multi#0, mw-br pair#0, bw pair#1; shown grouped by image.
    assert.deepEqual(picked, ['multi.png#0', 'multi.png#1', 'pair.png#0', 'pair.png#1']);
    const all = pickGallery(records, 10).map((r) => `${r.image}#${r.region}`);
    assert.deepEqual(all, ['multi.png#0', 'multi.png#1', 'pair.png#0', 'pair.png#1', 'single.png#0']);
    assert.deepEqual(pickGallery(records, 0), []);
  });
});

function evaluationOf(predictions: RegionPrediction[]): Evaluation {
  const bundle = (dir: string) => ({ dir, size: 'tiny', architecture: 'alphaclip-vit', imageSize: 16, embedDim: 4, alpha: true, logitScale: 10, descriptions: 2, sha256: { manifest: 'm', imageEncoder: 'i' } });
  return {
    inputs: {
      dataset: { dir: '/data/<set>', split: 'test', formatVersion: 1, createdAt: 'now', sources: [], parameters: {}, images: 1, regions: predictions.length, splitFile: { path: '/data/test.jsonl', sha256: 'x' } },
      model: bundle('/models/a&b'),
      baseline: bundle('/models/base'),
      candidates: { mode: 'all', count: 2, perObject: {} },
      topK: 1,
    },
    metrics: computeMetrics(predictions, { topK: 1 }),
    predictions,
    scores: { model: [] },
    problems: [{ file: '/data/bad<img>.png', message: 'cannot read "it"', severity: 'error' }],
    skipped: { images: 1, regions: 1 },
    timing: { seconds: 1, regionsPerSecond: 2 },
    root: '/data',
    datasetRecords: { train: [], val: [], test: [] },
  };
}

describe('report pages', () => {
  const hostile = '<script>alert("x")</script> | pipe';
  const evaluation = evaluationOf([rec('img<1>.png', 0, 2, hostile, hostile, 'plain'), rec('img<1>.png', 1, 2, 'plain', 'plain', 'plain')]);

  it('escapes every text in the HTML and allows no script or outside resource', () => {
    const html = htmlReport(evaluation, [{ record: evaluation.predictions[0], error: 'no picture: gone' }], 'abc123');
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'nonce-abc123'; base-uri 'none'; form-action 'none'">/);
    assert.match(html, /<style nonce="abc123">/);
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /\sstyle="/);
    assert.doesNotMatch(html, /(src|href)="(?!data:)/);
    assert.match(html, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt; \| pipe/);
    assert.match(html, /img&lt;1&gt;\.png/);
    assert.match(html, /\/models\/a&amp;b/);
    assert.match(html, /bad&lt;img&gt;\.png: cannot read &quot;it&quot;/);
  });

  it('escapes table pipes in Markdown and pads columns', () => {
    const md = markdownReport(evaluation);
    assert.ok(md.includes('| <script>alert("x")</script> \\| pipe; plain |'), md);
    const table = markdownTable({ header: ['a', 'n'], rows: [['x|y', '1'], ['long text', '22']], numericFrom: 1, totalRow: 1 });
    assert.deepEqual(table.split('\n'), [
      '| a             |      n |',
      '| ------------- | -----: |',
      '| x\\|y          |      1 |',
      '| **long text** | **22** |',
    ]);
  });
});
