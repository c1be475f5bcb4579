// `anomaly-lens eval` end to end on a dataset of flat-colour regions with colour bundles
// (colourFixtures.ts), whose every answer is worked out by hand:
//
//   model    (region-aware): the description whose colour is nearest the region's colour
//   baseline (mask-blind):   the description whose colour is nearest the top-left pixel
//
//   image  object  region colour  truth     model (all)  baseline (corner)
//   i1     widget  red            crack     crack  ✓     crack   ✓
//   i2     widget  green          crack     hole   ✗     hole    ✗
//   i3     widget  red            crack     crack  ✓     crack   ✓
//                  blue           stain     stain  ✓     crack   ✗
//   i4     gadget  yellow         dent      dent   ✓     dent    ✓
//                  yellow         dent      dent   ✓     dent    ✓
//   i5     gadget  magenta        scratch   scratch ✓    scratch ✓
//                  yellow         dent      dent   ✓     scratch ✗
//                  green          dent      hole   ✗     scratch ✗
//   i6     widget  blue           stain     stain  ✓     stain   ✓
//   i7     gadget  magenta        scratch   scratch ✓    scratch ✓
//
// With `--candidates object`, i5's green region is ranked among the gadget descriptions only:
// green differs from yellow in the red channel alone and from magenta in all three, so
// the model answers dent (right); the baseline's answers do not change.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import sharp from 'sharp';
import type { ReportJson } from '../../../server/eval';
import { BLUE, GREEN, MAGENTA, RED, YELLOW, type ImageSpec, type RegionSpec, type Rgb, makeColourBundle, runCli, writeColourDataset, writeMask } from './colourFixtures';

const CRACK = 'crack in widget';
const HOLE = 'hole in widget';
const STAIN = 'stain on widget';
const DENT = 'dent in gadget';
const SCRATCH = 'scratch on gadget';

const r = (x: number, y: number, w: number, h: number, colour: Rgb, truth: string, defect: string): RegionSpec => ({ x, y, w, h, colour, truth, defect });
const IMAGES: ImageSpec[] = [
  { name: 'i1', object: 'widget', regions: [r(0, 0, 4, 4, RED, CRACK, 'crack')] },
  { name: 'i2', object: 'widget', regions: [r(0, 0, 4, 4, GREEN, CRACK, 'crack')] },
  { name: 'i3', object: 'widget', regions: [r(0, 0, 4, 4, RED, CRACK, 'crack'), r(16, 16, 6, 6, BLUE, STAIN, 'stain')] },
  { name: 'i4', object: 'gadget', regions: [r(0, 0, 4, 4, YELLOW, DENT, 'dent'), r(20, 8, 4, 6, YELLOW, DENT, 'dent')] },
  { name: 'i5', object: 'gadget', regions: [r(0, 0, 4, 4, MAGENTA, SCRATCH, 'scratch'), r(10, 20, 6, 4, YELLOW, DENT, 'dent'), r(24, 24, 6, 6, GREEN, DENT, 'dent')] },
  { name: 'i6', object: 'widget', regions: [r(0, 0, 6, 6, BLUE, STAIN, 'stain')] },
  { name: 'i7', object: 'gadget', regions: [r(0, 0, 4, 4, MAGENTA, SCRATCH, 'scratch')] },
];
const MODEL_ANSWERS = [CRACK, HOLE, CRACK, STAIN, DENT, DENT, SCRATCH, DENT, HOLE, STAIN, SCRATCH];
const BASELINE_ANSWERS = [CRACK, HOLE, CRACK, CRACK, DENT, DENT, SCRATCH, SCRATCH, SCRATCH, STAIN, SCRATCH];

const root = mkdtempSync(join(tmpdir(), 'al-eval-'));
after(() => rmSync(root, { recursive: true, force: true }));
const dataset = join(root, 'dataset');
const model = join(root, 'model');
const baseline = join(root, 'baseline');

function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const full = join(dir, name);
    if (statSync(full).isFile()) out[relative(dir, full)] = createHash('sha256').update(readFileSync(full)).digest('hex');
  }
  return out;
}

function readReport(dir: string): ReportJson {
  return JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as ReportJson;
}

const pct = (correct: number, total: number) => ({ correct, total, rate: correct / total });

/** A table row of the terminal/Markdown output, whatever the padding. */
function row(...cells: string[]): RegExp {
  const esc = (c: string) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^\\| ${cells.map((c) => ` *${esc(c)} *`).join('\\|')}\\|$`, 'm');
}

before(async () => {
  await Promise.all([writeColourDataset(dataset, IMAGES), makeColourBundle(model, 'masked-mean'), makeColourBundle(baseline, 'corner')]);
});

describe('anomaly-lens eval', () => {
  let report: ReportJson;
  let stdout: string;
  let datasetBefore: Record<string, string>;
  const out = join(root, 'report-all');

  before(() => {
    datasetBefore = tree(dataset);
    const run = runCli(['eval', '--dataset', dataset, '--bundle', model, '--baseline', baseline, '--out', out, '--top', '3', '--gallery', '12']);
    assert.equal(run.code, 0, run.stderr);
    stdout = run.stdout;
    report = readReport(out);
  });

  it('answers every region as worked out by hand', () => {
    assert.equal(report.schemaVersion, 1);
    assert.deepEqual(report.predictions.map((p) => `${p.image}#${p.region}`), IMAGES.flatMap((i) => i.regions.map((_, k) => `images/${i.name}.png#${k}`)));
    assert.deepEqual(report.predictions.map((p) => p.model[0].text), MODEL_ANSWERS);
    assert.deepEqual(report.predictions.map((p) => p.baseline?.[0].text), BASELINE_ANSWERS);
    assert.deepEqual(report.predictions.map((p) => p.regionCount), [1, 1, 2, 2, 2, 2, 3, 3, 3, 1, 1]);
    for (const p of report.predictions) {
      assert.equal(p.model.length, 3);
      assert.ok(p.model[0].cosine > 0.99 && p.model[0].probability > 0.99, JSON.stringify(p.model[0]));
    }
  });

  it('reports accuracy by number of regions and by object (Tables 4 and 5) against the hand count', () => {
    const m = report.metrics;
    assert.deepEqual(m.byRegionCount.map((x) => [x.label, x.regions, x.model, x.baseline]), [
      ['1', 4, pct(3, 4), pct(3, 4)],
      ['2', 4, pct(4, 4), pct(3, 4)],
      ['3', 3, pct(2, 3), pct(1, 3)],
    ]);
    assert.deepEqual(m.byObject.map((x) => [x.label, x.model, x.baseline]), [
      ['gadget', pct(5, 6), pct(4, 6)],
      ['widget', pct(4, 5), pct(3, 5)],
    ]);
    assert.deepEqual([m.total.model, m.total.baseline], [pct(9, 11), pct(7, 11)]);
    assert.deepEqual(m.byClass.map((x) => [x.object, x.defect, x.model.correct, x.model.total]), [
      ['gadget', 'dent', 3, 4],
      ['gadget', 'scratch', 2, 2],
      ['widget', 'crack', 2, 3],
      ['widget', 'stain', 2, 2],
    ]);
    assert.deepEqual(m.topConfusions.model, [
      { truth: CRACK, predicted: HOLE, count: 1 },
      { truth: DENT, predicted: HOLE, count: 1 },
    ]);
  });

  it('measures mask following: the region-aware model follows, the mask-blind baseline does not', () => {
    // Pairs of different truths: i3 (crack, stain); i5 (scratch, dent) twice. i4's two dents do not count.
    assert.deepEqual(report.metrics.maskFollowing.model, { images: 2, pairs: 3, differ: 3, bothRight: 2, followRate: 1, bothRightRate: 2 / 3 });
    assert.deepEqual(report.metrics.maskFollowing.baseline, { images: 2, pairs: 3, differ: 0, bothRight: 0, followRate: 0, bothRightRate: 0 });
  });

  it('prints Tables 4 and 5 with the gap to the baseline', () => {
    assert.match(stdout, row('1', '4', '75.00', '75.00 (+0.00)'));
    assert.match(stdout, row('2', '4', '75.00', '100.00 (+25.00)'));
    assert.match(stdout, row('3', '3', '33.33', '66.67 (+33.33)'));
    assert.match(stdout, row('**Total accuracy**', '**11**', '**63.64**', '**81.82 (+18.18)**'));
    assert.match(stdout, row('gadget', '6', '66.67', '83.33 (+16.67)'));
    assert.match(stdout, row('widget', '5', '60.00', '80.00 (+20.00)'));
  });

  it('records its inputs with hashes of the bundles and the split file', () => {
    const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
    assert.equal(report.inputs.model.sha256.imageEncoder, sha(join(model, 'image_encoder.onnx')));
    assert.equal(report.inputs.baseline?.sha256.manifest, sha(join(baseline, 'bundle.json')));
    assert.equal(report.inputs.baseline?.alpha, false);
    assert.equal(report.inputs.dataset.splitFile.sha256, sha(join(dataset, 'test.jsonl')));
    assert.deepEqual([report.inputs.dataset.images, report.inputs.dataset.regions], [7, 11]);
    assert.deepEqual(report.inputs.candidates, { mode: 'all', count: 5, perObject: { widget: 5, gadget: 5 } });
    assert.deepEqual(tree(dataset), datasetBefore, 'the dataset is not modified');
  });

  it('writes report.md with the same tables, per class, top-k and mask following', () => {
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    assert.match(md, /## Accuracy by number of regions in the image \(Table 4\)/);
    assert.match(md, row('3', '3', '33.33', '66.67 (+33.33)'));
    assert.match(md, row('gadget', 'dent', DENT, '4', '50.00', '75.00 (+25.00)'));
    assert.match(md, row('top-1', '63.64', '81.82 (+18.18)'));
    assert.match(md, row('Model', '2', '3', '100.00', '66.67'));
    assert.match(md, row('Baseline', '2', '3', '0.00', '0.00'));
  });

  it('writes a self-contained report.html with outlined regions in the gallery', async () => {
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'nonce-[A-Za-z0-9+/=]+'; base-uri 'none'; form-action 'none'">/);
    assert.doesNotMatch(html, /<script|<link|@import|url\(/i);
    assert.doesNotMatch(html, /(src|href)="(?!data:)/);
    const images = [...html.matchAll(/<img src="data:image\/jpeg;base64,([^"]+)" width="(\d+)" height="(\d+)" alt="([^"]+)">/g)];
    // Multi-region images first, two regions of an image at most: i3 ×2, i4 ×2, i5 ×2, then the four single ones.
    assert.equal(images.length, 10);
    assert.deepEqual(report.gallery.length, 10);
    const blue = images.find((m) => m[4] === 'images/i3.png, region 2');
    assert.ok(blue, 'i3 region 2 is in the gallery');
    const { data, info } = await sharp(Buffer.from(blue[1], 'base64')).raw().toBuffer({ resolveWithObject: true });
    assert.deepEqual([info.width, info.height], [32, 32]);
    const px = (x: number, y: number) => [...data.subarray((y * 32 + x) * 3, (y * 32 + x) * 3 + 3)];
    // The blue square covers x, y 16..21; the white line runs just outside it (x or y = 15 or 22).
    for (const [x, y] of [[15, 18], [22, 18], [18, 15], [18, 22], [15, 15]]) assert.ok(px(x, y).every((v) => v > 200), `outline at ${x},${y}: ${px(x, y)}`);
    const inside = px(18, 18);
    assert.ok(inside[2] > 200 && inside[0] < 60 && inside[1] < 60, `region stays blue: ${inside}`);
    const outside = px(8, 26);
    assert.ok(outside.every((v) => Math.abs(v - 128) < 20), `background stays grey: ${outside}`);
  });
});

describe('anomaly-lens eval --candidates object', () => {
  it('ranks each region among its object\'s descriptions', () => {
    const out = join(root, 'report-object');
    const run = runCli(['eval', '--dataset', dataset, '--bundle', model, '--baseline', baseline, '--out', out, '--candidates', 'object', '--json']);
    assert.equal(run.code, 0, run.stderr);
    const summary = JSON.parse(run.stdout) as { files: { json: string }; metrics: ReportJson['metrics'] };
    assert.equal(summary.files.json, join(out, 'report.json'));
    const report = readReport(out);
    assert.deepEqual(report.predictions.map((p) => p.model[0].text), MODEL_ANSWERS.map((a, i) => (i === 8 ? DENT : a)));
    assert.deepEqual(report.predictions.map((p) => p.baseline?.[0].text), BASELINE_ANSWERS);
    assert.deepEqual(report.inputs.candidates, { mode: 'object', count: 5, perObject: { widget: 3, gadget: 2 } });
    assert.deepEqual(summary.metrics.total.model, pct(10, 11));
    assert.deepEqual(summary.metrics.byRegionCount[2].model, pct(3, 3));
    // Top-3 covers every description of either object.
    assert.deepEqual(summary.metrics.topK.map((t) => t.model.correct), [10, 10, 11, 11, 11].slice(0, summary.metrics.topK.length));
  });

  it('works without a baseline, leaving its columns out', () => {
    const out = join(root, 'report-alone');
    const run = runCli(['eval', '--dataset', dataset, '--bundle', model, '--out', out, '--top', '1']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, row('Regions in image', 'Regions', 'Model (%)'));
    assert.match(run.stdout, row('3', '3', '66.67'));
    const report = readReport(out);
    assert.equal(report.inputs.baseline, undefined);
    assert.equal(report.predictions[0].baseline, undefined);
    assert.deepEqual(report.metrics.maskFollowing.baseline, undefined);
  });
});

describe('anomaly-lens eval on bad input', () => {
  it('skips unreadable images and masks of another size and evaluates the rest; refuses a dataset with a path outside it', async () => {
    const broken = join(root, 'broken');
    cpSync(dataset, broken, { recursive: true });
    writeFileSync(join(broken, 'images', 'i6.png'), 'not a png');
    await writeMask(join(broken, 'masks', 'i7_0.png'), [{ x: 0, y: 0, w: 2, h: 2 }], 16, 16);
    const before = tree(broken);

    const out = join(root, 'report-broken');
    const run = runCli(['eval', '--dataset', broken, '--bundle', model, '--baseline', baseline, '--out', out]);
    assert.equal(run.code, 1, 'problems make the exit code 1');
    assert.match(run.stderr, /error: .*images\/i6\.png: cannot read the image/);
    assert.match(run.stderr, /error: .*masks\/i7_0\.png: the mask is 16x16 but the image .*i7\.png is 32x32/);
    assert.doesNotMatch(run.stderr, /\n\s+at /);
    const report = readReport(out);
    assert.deepEqual(report.skipped, { images: 2, regions: 2 });
    // Without i6 and i7 (both answered right by both): 7 of 9 and 5 of 9.
    assert.deepEqual([report.metrics.total.model, report.metrics.total.baseline], [pct(7, 9), pct(5, 9)]);
    assert.equal(report.problems.length, 2);
    assert.match(readFileSync(join(out, 'report.md'), 'utf8'), /## Problems/);
    assert.deepEqual(tree(broken), before, 'the dataset is not modified');

    // A record whose path leaves the dataset fails validate's cheap checks: no evaluation at all.
    const lines = readFileSync(join(broken, 'test.jsonl'), 'utf8').trim().split('\n');
    const escaping = { ...JSON.parse(lines[1]), image: '../outside.png' };
    writeFileSync(join(broken, 'test.jsonl'), [lines[0], JSON.stringify(escaping), ...lines.slice(2)].map((l) => `${l}\n`).join(''));
    const refused = runCli(['eval', '--dataset', broken, '--bundle', model, '--out', join(root, 'report-refused')]);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /test\.jsonl:2: .*"\.\.\/outside\.png" escapes the dataset root.* is not a valid dataset .*anomaly-lens validate/);
    assert.ok(!existsSync(join(root, 'report-refused', 'report.json')));
  });

  it('stops with a clear error on a missing bundle or dataset, keeping the earlier report', () => {
    const out = join(root, 'report-all');
    const earlier = tree(out);
    const noBundle = runCli(['eval', '--dataset', dataset, '--bundle', join(root, 'nope'), '--out', out]);
    assert.equal(noBundle.code, 2);
    assert.match(noBundle.stderr, /anomaly-lens: .*nope\/bundle\.json: not found: a model bundle folder must contain bundle\.json/);
    const noDataset = runCli(['eval', '--dataset', join(root, 'nothing'), '--bundle', model, '--out', out]);
    assert.equal(noDataset.code, 2);
    assert.match(noDataset.stderr, /nothing\/dataset\.json: cannot read/);
    for (const r of [noBundle, noDataset]) assert.doesNotMatch(r.stderr, /\n\s+at /);
    assert.deepEqual(tree(out), earlier);
  });

  it('refuses a report folder that is a file', () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'x');
    const run = runCli(['eval', '--dataset', dataset, '--bundle', model, '--out', file]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^anomaly-lens: --out .*a-file: is a file, not a folder\n$/);
    assert.equal(readFileSync(file, 'utf8'), 'x');
  });
});
