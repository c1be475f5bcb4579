// `anomaly-lens describe` with a colour bundle (test/unit/eval/colourFixtures.ts): the answer
// for a region is the description whose colour is nearest the region's mean colour, so every
// expected answer here follows from the colours painted.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { build } from 'esbuild';
import { defaultBundlePath } from '../../../server/model/defaultBundle';
import { BLUE, CYAN, RED, REPO_ROOT, makeColourBundle, runCli, writeImage, writeMask } from '../eval/colourFixtures';
import { makeTinyBundle } from '../model/tinyBundle';

const root = mkdtempSync(join(tmpdir(), 'al-describe-'));
after(() => rmSync(root, { recursive: true, force: true }));
const bundle = join(root, 'bundle');
const image = join(root, 'image.png');
const cyanImage = join(root, 'mostly-cyan.png');
const masks = {
  red: join(root, 'red.png'),
  blue: join(root, 'blue.png'),
  both: join(root, 'red-and-blue.png'),
  empty: join(root, 'empty.png'),
  small: join(root, 'small.png'),
};

const RED_SQUARE = { x: 2, y: 2, w: 6, h: 6 };
const BLUE_SQUARE = { x: 20, y: 20, w: 8, h: 8 };

interface DescribeJson {
  image: string;
  bundle: string;
  candidates: { source: string; count: number };
  regions: {
    designation: { kind: string; file?: string; index?: number; bbox?: number[]; area?: number; reason?: string };
    wholeImage: boolean;
    outsideCrop: boolean;
    ranking: { rank: number; text: string; cosine: number; probability: number }[];
  }[];
  warnings: string[];
}

function describeJson(args: string[]): { json: DescribeJson; stderr: string } {
  const run = runCli(['describe', ...args, '--json']);
  assert.equal(run.code, 0, run.stderr);
  return { json: JSON.parse(run.stdout) as DescribeJson, stderr: run.stderr };
}

const top = (json: DescribeJson) => json.regions.map((r) => r.ranking[0].text);

/** A failed run: exit 2, one clear line naming the problem, no stack trace. */
function fails(args: string[], message: RegExp): void {
  const run = runCli(['describe', ...args]);
  assert.equal(run.code, 2, `exit code 2, got ${run.code}: ${run.stderr}`);
  assert.match(run.stderr, message);
  assert.doesNotMatch(run.stderr, /\n\s+at |internal error/);
  assert.equal(run.stdout, '');
}

before(async () => {
  await makeColourBundle(bundle);
  await writeImage(image, [{ ...RED_SQUARE, colour: RED }, { ...BLUE_SQUARE, colour: BLUE }, { x: 20, y: 2, w: 6, h: 4, colour: CYAN }]);
  await writeImage(cyanImage, [{ x: 0, y: 0, w: 32, h: 32, colour: CYAN }, { x: 4, y: 4, w: 4, h: 4, colour: RED }]);
  await writeMask(masks.red, [RED_SQUARE]);
  await writeMask(masks.blue, [BLUE_SQUARE]);
  await writeMask(masks.both, [RED_SQUARE, BLUE_SQUARE]);
  await writeMask(masks.empty, []);
  await writeMask(masks.small, [{ x: 0, y: 0, w: 4, h: 4 }], 16, 16);
});

describe('anomaly-lens describe', () => {
  it('describes each --mask region with the top-k, cosine and probability', () => {
    const { json } = describeJson([image, '--bundle', bundle, '--mask', masks.red, '--mask', masks.blue, '--top', '3']);
    assert.deepEqual(top(json), ['crack in widget', 'stain on widget']);
    assert.deepEqual(json.regions.map((r) => r.designation), [{ kind: 'mask', file: masks.red }, { kind: 'mask', file: masks.blue }]);
    assert.deepEqual(json.candidates, { source: 'bundle', count: 6 });
    for (const region of json.regions) {
      assert.equal(region.ranking.length, 3);
      assert.deepEqual(region.ranking.map((r) => r.rank), [1, 2, 3]);
      assert.ok(region.ranking[0].cosine > 0.99 && region.ranking[0].probability > 0.99);
      assert.ok(region.ranking[0].probability >= region.ranking[1].probability && region.ranking[1].probability >= region.ranking[2].probability);
      assert.equal(region.wholeImage, false);
    }
  });

  it('prints a readable ranking by default', () => {
    const run = runCli(['describe', image, '--bundle', bundle, '--mask', masks.blue, '--top', '2']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /6 candidate descriptions from the bundle/);
    assert.match(run.stdout, /^region 1: mask .*blue\.png$/m);
    assert.match(run.stdout, /^ {3}1\. stain on widget +cos 1\.0000 +p +99\.9\d %$/m);
    assert.equal(run.stdout.match(/^ +\d+\. /gm)?.length, 2);
  });

  it('splits --region-of into its regions (DBSCAN) and describes each', () => {
    const { json } = describeJson([image, '--bundle', bundle, '--region-of', masks.both, '--top', '1']);
    assert.deepEqual(top(json), ['crack in widget', 'stain on widget']);
    assert.deepEqual(
      json.regions.map((r) => r.designation),
      [
        { kind: 'region-of', file: masks.both, index: 0, of: 2, bbox: [2, 2, 6, 6], area: 36 },
        { kind: 'region-of', file: masks.both, index: 1, of: 2, bbox: [20, 20, 8, 8], area: 64 },
      ],
    );
    // With a neighbourhood wider than the gap the two squares are one region, of mixed colour.
    const merged = describeJson([image, '--bundle', bundle, '--region-of', masks.both, '--eps', '20']).json;
    assert.equal(merged.regions.length, 1);
    assert.equal(merged.regions[0].designation.area, 100);
  });

  it('describes the whole image when no region is designated, and says so', () => {
    const run = runCli(['describe', cyanImage, '--bundle', bundle]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^region 1: whole image \(no region designated\)$/m);
    assert.match(run.stdout, /^ {3}1\. cut in cable /m);
    const { json } = describeJson([cyanImage, '--bundle', bundle]);
    assert.deepEqual(json.regions.map((r) => [r.designation, r.wholeImage]), [[{ kind: 'whole-image', reason: 'no region designated' }, true]]);
  });

  it('treats an empty mask as the whole image, and says so', () => {
    const run = runCli(['describe', cyanImage, '--bundle', bundle, '--mask', masks.empty]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^region 1: mask .*empty\.png is empty: the whole image is described$/m);
    const split = runCli(['describe', cyanImage, '--bundle', bundle, '--region-of', masks.empty, '--json']);
    assert.equal(split.code, 0, split.stderr);
    assert.match(split.stderr, /warning: .*empty\.png: the mask is empty, so it designates the whole image/);
    const json = JSON.parse(split.stdout) as DescribeJson;
    assert.deepEqual(json.regions.map((r) => [r.designation.kind, r.wholeImage, r.ranking[0].text]), [['whole-image', true, 'cut in cable']]);
    assert.match(split.stdout, /"reason": "the mask .*empty\.png is empty"/);
  });
});

describe('candidate descriptions', () => {
  it('reads one description per line, or a JSON array, instead of the bundle\'s', () => {
    const lines = join(root, 'candidates.txt');
    writeFileSync(lines, 'stain on widget\n\n  crack in widget  \r\n');
    const fromLines = describeJson([image, '--bundle', bundle, '--mask', masks.red, '--candidates', lines]).json;
    assert.deepEqual(fromLines.regions[0].ranking.map((r) => r.text), ['crack in widget', 'stain on widget']);
    assert.deepEqual(fromLines.candidates, { source: lines, count: 2 });
    const array = join(root, 'candidates.json');
    writeFileSync(array, JSON.stringify(['hole in widget', 'stain on widget']));
    const fromJson = describeJson([image, '--bundle', bundle, '--mask', masks.blue, '--candidates', array]).json;
    assert.deepEqual(fromJson.regions[0].ranking.map((r) => r.text), ['stain on widget', 'hole in widget']);
  });

  it('warns about duplicates and keeps one of each', () => {
    const file = join(root, 'duplicates.txt');
    writeFileSync(file, 'crack in widget\nstain on widget\ncrack in widget\n');
    const { json, stderr } = describeJson([image, '--bundle', bundle, '--mask', masks.red, '--candidates', file]);
    assert.match(stderr, /warning: .*duplicates\.txt: 1 duplicate description\(s\) ignored: "crack in widget"/);
    assert.equal(json.candidates.count, 2);
    assert.equal(json.warnings.length, 1);
  });

  it('takes --text, runs the text encoder on new texts and warns about texts cut to 77 tokens', () => {
    const long = Array.from({ length: 90 }, (_, i) => `word${i}`).join(' ');
    const { json, stderr } = describeJson([image, '--bundle', bundle, '--mask', masks.red, '--text', 'crack in widget', 'something new', long]);
    assert.equal(json.candidates.count, 3);
    assert.equal(json.regions[0].ranking[0].text, 'crack in widget');
    assert.deepEqual(new Set(json.regions[0].ranking.map((r) => r.text)), new Set(['crack in widget', 'something new', long]));
    assert.match(stderr, /warning: description "word0 word1 .*" has \d+ tokens; cut to the context of 77/);
  });

  it('refuses an empty candidates file, a bad JSON array and --candidates with --text', () => {
    const empty = join(root, 'empty.txt');
    writeFileSync(empty, '\n  \n');
    fails([image, '--bundle', bundle, '--candidates', empty], /empty\.txt: holds no candidate descriptions/);
    const bad = join(root, 'bad.json');
    writeFileSync(bad, '["a", 3]');
    fails([image, '--bundle', bundle, '--candidates', bad], /bad\.json: must be a JSON array of strings/);
    fails([image, '--bundle', bundle, '--candidates', bad, '--text', 'x'], /either with --candidates FILE or with --text, not both/);
    fails([image, '--bundle', bundle, '--candidates', join(root, 'missing.txt')], /missing\.txt: cannot read the candidates file/);
  });
});

describe('bad input', () => {
  it('names a missing or malformed bundle', () => {
    fails([image, '--bundle', join(root, 'no-bundle')], /no-bundle\/bundle\.json: not found: a model bundle folder must contain bundle\.json/);
    const malformed = join(root, 'malformed');
    cpSync(bundle, malformed, { recursive: true });
    writeFileSync(join(malformed, 'bundle.json'), '{ "formatVersion": 1,');
    fails([image, '--bundle', malformed], /malformed\/bundle\.json: is not valid JSON/);
  });

  it('names an encoder of the wrong shapes', async () => {
    const wrong = join(root, 'wrong-size');
    await makeTinyBundle(wrong, 'wrong-image-size');
    fails([image, '--bundle', wrong], /wrong-size\/image_encoder\.onnx: input "image" has shape \[N,3,16,16\]; expected \[N,3,8,8\]/);
    const wrongDim = join(root, 'wrong-dim');
    await makeTinyBundle(wrongDim, 'wrong-embed-dim');
    fails([image, '--bundle', wrongDim], /wrong-dim\/image_encoder\.onnx: output "embedding" has shape \[N,17\]; expected \[N,16\]/);
  });

  it('names an unreadable image and masks of another size', () => {
    const garbage = join(root, 'garbage.png');
    writeFileSync(garbage, 'not an image');
    fails([garbage, '--bundle', bundle], /garbage\.png: cannot read the image/);
    fails([image, '--bundle', bundle, '--mask', masks.small], /small\.png: the mask is 16x16 but the image .*image\.png is 32x32/);
    fails([image, '--bundle', bundle, '--region-of', masks.small], /small\.png: the mask is 16x16 but the image .*image\.png is 32x32/);
    fails([image, '--bundle', bundle, '--mask', join(root, 'nope.png')], /nope\.png: cannot read the mask/);
    fails([image, '--bundle', bundle, '--region-of', garbage], /garbage\.png: /);
    fails([image, '--bundle', bundle, '--eps', '3'], /--eps and --min-pts apply to --region-of MASK/);
  });
});

describe('the embedded default bundle', () => {
  it('lies in media/default-model of the package, from source and from dist/', () => {
    assert.equal(defaultBundlePath(join(REPO_ROOT, 'server', 'model')), join(REPO_ROOT, 'media', 'default-model'));
    assert.equal(defaultBundlePath(join(REPO_ROOT, 'dist')), join(REPO_ROOT, 'media', 'default-model'));
  });

  it('is used without --bundle by the bundled command line, with a clear error when absent', async () => {
    // A package laid out as installed: dist/cli.js bundled by esbuild, media/ beside it.
    const pkg = join(root, 'package');
    mkdirSync(join(pkg, 'dist'), { recursive: true });
    writeFileSync(join(pkg, 'package.json'), '{ "name": "anomaly-lens", "private": true }\n');
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(pkg, 'node_modules'), 'dir');
    await build({
      entryPoints: [join(REPO_ROOT, 'server', 'cli', 'main.ts')],
      outfile: join(pkg, 'dist', 'cli.js'),
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: ['onnxruntime-node', 'sharp', 'density-clustering', 'vscode'],
      logLevel: 'silent',
    });
    const cli = (args: string[]) => spawnSync(process.execPath, [join(pkg, 'dist', 'cli.js'), ...args], { encoding: 'utf8', cwd: root });

    const absent = cli(['describe', image, '--mask', masks.red]);
    assert.equal(absent.status, 2, absent.stderr);
    assert.match(absent.stderr, /no default model bundle is installed \(.*package\/media\/default-model\/bundle\.json is missing\); pass --bundle/);

    cpSync(bundle, join(pkg, 'media', 'default-model'), { recursive: true });
    const present = cli(['describe', image, '--mask', masks.red, '--json']);
    assert.equal(present.status, 0, present.stderr);
    const json = JSON.parse(present.stdout) as DescribeJson;
    assert.equal(json.bundle, join(pkg, 'media', 'default-model'));
    assert.equal(json.regions[0].ranking[0].text, 'crack in widget');
  });
});
