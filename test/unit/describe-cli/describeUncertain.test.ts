// describe says when the model is unsure: with the embedded default model (calibrated on its
// validation split) on a region of the real MVTec sample, an answer below the threshold is shown
// as "uncertain:" with its top candidates, one at or above it is stated.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, runCli } from '../eval/colourFixtures';

const HAZELNUT = join(REPO_ROOT, '..', 'shared', 'data', 'mvtec-sample', 'otx_hazelnut');
const IMAGE = join(HAZELNUT, 'test', 'colour', '001.jpg');
const MASK = join(HAZELNUT, 'ground_truth', 'colour', '001_mask.png');
const BUNDLE = JSON.parse(readFileSync(join(REPO_ROOT, 'media', 'default-model', 'bundle.json'), 'utf8')) as { calibration: { temperature: number; uncertainBelow: number } };

interface DescribeJson {
  uncertainBelow: number;
  temperature: number;
  regions: { uncertain: boolean; ranking: { text: string; probability: number }[] }[];
}

function describeRegion(...extra: string[]): { text: string; json: DescribeJson } {
  const text = runCli(['describe', IMAGE, '--mask', MASK, '--top', '3', ...extra]);
  assert.equal(text.code, 0, text.stderr);
  const json = runCli(['describe', IMAGE, '--mask', MASK, '--top', '3', '--json', ...extra]);
  assert.equal(json.code, 0, json.stderr);
  return { text: text.stdout, json: JSON.parse(json.stdout) as DescribeJson };
}

describe('describe with an uncertainty threshold', () => {
  const bundleDefault = describeRegion();
  const [region] = bundleDefault.json.regions;
  const best = region.ranking[0];

  it("uses the bundle's calibrated threshold and temperature unless told otherwise", () => {
    assert.equal(bundleDefault.json.uncertainBelow, BUNDLE.calibration.uncertainBelow);
    assert.equal(bundleDefault.json.temperature, BUNDLE.calibration.temperature);
    assert.equal(region.uncertain, best.probability < BUNDLE.calibration.uncertainBelow);
  });

  it('prints "uncertain:" with the top candidates when the best answer is below --uncertain-below', () => {
    const above = (best.probability + 1) / 2;
    const { text, json } = describeRegion('--uncertain-below', String(above));
    assert.equal(json.regions[0].uncertain, true);
    assert.equal(json.uncertainBelow, above);
    assert.match(text, new RegExp(`^ {2}uncertain: the best answer is ${(best.probability * 100).toFixed(2)} %, below ${(above * 100).toFixed(2)} %; the top candidates:$`, 'm'));
    assert.doesNotMatch(text, /^ {2}answer:/m);
    for (const [k, r] of json.regions[0].ranking.entries()) assert.match(text, new RegExp(`^ +${k + 1}\\. ${r.text} `, 'm'));
  });

  it('states the answer when it is at or above the threshold', () => {
    const { text, json } = describeRegion('--uncertain-below', String(best.probability / 2));
    assert.equal(json.regions[0].uncertain, false);
    assert.match(text, new RegExp(`^ {2}answer: ${best.text} \\(${(best.probability * 100).toFixed(2)} %\\)$`, 'm'));
    assert.doesNotMatch(text, /uncertain:/);
  });

  it('refuses a threshold outside 0 to 1, naming the option', () => {
    const run = runCli(['describe', IMAGE, '--mask', MASK, '--uncertain-below', '1.5']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--uncertain-below: invalid value "1\.5": expected a number from 0 to 1/);
  });
});
