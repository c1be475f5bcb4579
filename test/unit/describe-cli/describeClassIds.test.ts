// `anomaly-lens describe --region-of` on class-id masks, through the real command line with the
// embedded default model: the README's own example on the sample (class_ids.json beside its
// objects), and a real MVTec 3D-AD mask mixing two defects (/work/shared/data/mvtec-sample).
// Each region is named by its class, no warning is given for a valid class-id mask, and the
// mask's path is printed once.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { runCli } from '../eval/colourFixtures';

const root = mkdtempSync(join(tmpdir(), 'al-describe-classes-'));
after(() => rmSync(root, { recursive: true, force: true }));
const sample = join(root, 'sample');
const TIRE = '/work/shared/data/mvtec-sample/tire';

interface DescribeJson {
  regions: { designation: { kind: string; file?: string; index?: number; of?: number; classId?: number; defect?: string; classMap?: string }; ranking: { text: string }[] }[];
  warnings: string[];
}

/** The mask's non-zero values and the names its class map gives them. */
async function classesOf(mask: string, classMap: string): Promise<Map<number, string>> {
  const { data } = await sharp(mask).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  const names = JSON.parse(readFileSync(classMap, 'utf8')) as Record<string, string>;
  const out = new Map<number, string>();
  for (const v of new Set(data)) if (v !== 0) out.set(v, names[String(v)]);
  return out;
}

function occurrences(text: string, part: string): number {
  return text.split(part).length - 1;
}

before(() => {
  const run = runCli(['sample', sample]);
  assert.equal(run.code, 0, run.stderr);
});

describe('describe --region-of on a class-id mask', () => {
  it("names each region's defect on the README's example, without a warning, the mask's path once", async () => {
    const image = join(sample, 'mvtec', 'tile', 'test', 'combined', '000.png');
    const mask = join(sample, 'mvtec', 'tile', 'ground_truth', 'combined', '000_mask.png');
    const classMap = join(sample, 'mvtec', 'tile', 'class_ids.json');
    const classes = await classesOf(mask, classMap);
    assert.ok(classes.size >= 2, 'the example mixes two defects');

    const run = runCli(['describe', image, '--region-of', mask, '--top', '1']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '', 'a valid class-id mask gives no warning');
    // The sample lies outside the working folder, so paths are printed whole.
    assert.equal(occurrences(run.stdout, mask), 1, run.stdout);
    assert.ok(run.stdout.includes(`class ids named by ${classMap}`), run.stdout);
    const lines = run.stdout.split('\n').filter((l) => l.startsWith('region '));
    assert.equal(lines.length, classes.size);
    for (const [value, name] of classes) assert.ok(lines.some((l) => l.includes(`${name} (mask value ${value})`)), `${name} (${value}) in\n${run.stdout}`);

    const json = JSON.parse(runCli(['describe', image, '--region-of', mask, '--json']).stdout) as DescribeJson;
    assert.deepEqual(json.warnings, []);
    assert.deepEqual(
      json.regions.map((r) => [r.designation.classId, r.designation.defect]).sort(),
      [...classes].map(([v, n]) => [v, n]).sort(),
    );
    for (const r of json.regions) assert.equal(r.designation.classMap, classMap);
  });

  it('names the two defects of a real MVTec 3D-AD combined mask', { skip: !existsSync(TIRE) && 'the real MVTec sample is not here' }, async () => {
    const image = join(TIRE, 'test', 'combined', '000.png');
    const mask = join(TIRE, 'ground_truth', 'combined', '000_mask.png');
    const classes = await classesOf(mask, join(TIRE, 'class_ids.json'));
    assert.deepEqual([...classes.values()].sort(), ['contamination', 'cut']);
    const run = runCli(['describe', image, '--region-of', mask, '--json']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '');
    const json = JSON.parse(run.stdout) as DescribeJson;
    assert.deepEqual(json.regions.map((r) => r.designation.defect).sort(), ['contamination', 'cut']);
  });

  it('still warns, naming the file once, about a value its class map does not name', async () => {
    const mask = join(sample, 'mvtec', 'tile', 'ground_truth', 'combined', '000_mask.png');
    const image = join(sample, 'mvtec', 'tile', 'test', 'combined', '000.png');
    const other = join(root, 'other');
    mkdirSync(join(other, 'ground_truth', 'combined'), { recursive: true });
    copyFileSync(mask, join(other, 'ground_truth', 'combined', '000_mask.png'));
    const classes = await classesOf(mask, join(sample, 'mvtec', 'tile', 'class_ids.json'));
    const [known, unknown] = [...classes.keys()];
    writeFileSync(join(other, 'class_ids.json'), JSON.stringify({ [known]: classes.get(known), 0: 'good' }));
    const copied = join(other, 'ground_truth', 'combined', '000_mask.png');
    const run = runCli(['describe', image, '--region-of', copied, '--json']);
    assert.equal(run.code, 0, run.stderr);
    const warnings = run.stderr.split('\n').filter(Boolean);
    assert.equal(warnings.length, 1, run.stderr);
    assert.equal(occurrences(warnings[0], copied), 1, warnings[0]);
    assert.match(warnings[0], new RegExp(`mask value\\(s\\) ${unknown} name no class in .*class_ids\\.json`));
    const json = JSON.parse(run.stdout) as DescribeJson;
    assert.deepEqual(json.regions.map((r) => r.designation.defect ?? null).sort(), [classes.get(known), null].sort());
  });
});
