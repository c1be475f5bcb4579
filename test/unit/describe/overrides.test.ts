import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../../server/util/errors';
import { createDescriber, loadOverrides, overridesTemplateText, writeOverridesTemplate } from '../../../server/describe';
import { datasetDescriptions, sourceClasses } from '../../../server/dataset/classDescriptions';
import { DescriptionBook } from '../../../server/dataset/descriptions';
import type { DatasetManifest } from '../../../server/dataset/format';
import { DATASET_FORMAT_VERSION } from '../../../server/dataset/formatVersion';
import { writeDataset } from '../../../server/dataset/manifest';
import { SAMPLE, tempDir } from './fixtures';

function withFile(content: string, body: (file: string) => void | Promise<void>): Promise<void> {
  const tmp = tempDir('overrides');
  const file = join(tmp.dir, 'overrides.json');
  writeFileSync(file, content);
  return Promise.resolve(body(file)).finally(tmp.remove);
}

test('map form: exact entries win over wildcards, names match however spelled, placeholders are filled', async () => {
  const overrides = {
    $comment: 'ignored',
    'cable/cut_inner_insulation': 'inner insulation of cable is cut',
    '*/scratch': 'scratch on the {object}',
    'metal nut/Scratch': 'scratched metal nut',
    'pcb4/*': '{defect} on the board',
    '*/*': 'something wrong with {object}: {defect}',
  };
  await withFile(JSON.stringify(overrides), async (file) => {
    const describer = createDescriber({ mode: 'builtin', overrides: file });
    const text = async (object: string, defect: string) => (await describer.describe(object, defect)).text;
    assert.equal(await text('cable', 'cut_inner_insulation'), 'inner insulation of cable is cut');
    assert.equal(await text('wood', 'scratch'), 'scratch on the wood');
    assert.equal(await text('metal_nut', 'scratch'), 'scratched metal nut');
    assert.equal(await text('pcb4', 'wrong place'), 'wrong place on the board');
    assert.equal(await text('pcb4', 'scratch'), 'scratch on the printed circuit board', '*/defect is more specific than object/*');
    assert.equal(await text('tile', 'gray_stroke'), 'something wrong with tile: gray stroke');
    const entry = await describer.describe('cable', 'cut_inner_insulation');
    assert.deepEqual(entry.provenance, { kind: 'curated', file });
  });
});

test('list form, and classes without an entry keep their built-in description', async () => {
  const list = { descriptions: [{ object: 'hazelnut', defect: 'print', text: 'printed mark on hazelnut' }] };
  await withFile(JSON.stringify(list), async (file) => {
    const describer = createDescriber({ mode: 'builtin', overrides: file });
    assert.equal((await describer.describe('hazelnut', 'print')).text, 'printed mark on hazelnut');
    assert.deepEqual(await describer.describe('hazelnut', 'hole'), { object: 'hazelnut', defect: 'hole', text: 'hole in hazelnut', provenance: { kind: 'builtin' } });
  });
});

test('malformed overrides are a UserError naming the file and the entry', async () => {
  const cases: [string, RegExp][] = [
    ['{ "cable/cut": "cut", }', /not valid JSON/],
    ['["cable/cut"]', /expected a JSON object/],
    ['{ "cable": "cut cable" }', /"cable": keys are "object\/defect"/],
    ['{ "cable/": "x" }', /"cable\/": keys are/],
    ['{ "cable/cut": "" }', /"cable\/cut": the description must be a non-empty string/],
    ['{ "cable/cut": 3 }', /"cable\/cut": the description must be a non-empty string/],
    ['{ "cable/cut": "cut in {thing}" }', /unknown placeholder \{thing\}/],
    ['{ "cable/cut": "two\\nlines" }', /must be one line/],
    [`{ "cable/cut": "${'x'.repeat(201)}" }`, /longer than 200 characters/],
    ['{ "metal_nut/color": "a", "Metal Nut/colour": "b" }', /"metal_nut\/color" and "Metal Nut\/colour" name the same class/],
    ['{ "descriptions": [{ "object": "cable", "text": "x" }] }', /descriptions\[0\]: "defect" must be a non-empty string/],
    ['{ "descriptions": {} }', /"descriptions" must be a list/],
  ];
  for (const [content, pattern] of cases) {
    await withFile(content, (file) => {
      assert.throws(
        () => createDescriber({ mode: 'builtin', overrides: file }),
        (err: unknown) => {
          assert.ok(err instanceof UserError, content);
          assert.equal(err.file, file);
          assert.ok(err.message.startsWith(`${file}: `), err.message);
          assert.match(err.message, pattern, content);
          return true;
        },
      );
    });
  }
  const tmp = tempDir('overrides-missing');
  try {
    assert.throws(() => loadOverrides(join(tmp.dir, 'absent.json')), /absent\.json: cannot read the overrides file/);
  } finally {
    tmp.remove();
  }
});

test('a template of the sample source dataset lists its classes and reads back as curated descriptions', async () => {
  const tmp = tempDir('template');
  try {
    const { entries, problems } = await datasetDescriptions(SAMPLE);
    assert.deepEqual(problems, []);
    const file = join(tmp.dir, 'overrides.json');
    await writeOverridesTemplate(file, entries);
    const written = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    // The tire masks name their regions' classes (class_ids.json), so "combined" is no class.
    assert.deepEqual(Object.keys(written).filter((k) => !k.startsWith('$')), ['otx_hazelnut/colour', 'tire/contamination', 'tire/cut', 'tire/hole']);
    assert.equal(written['tire/cut'], 'cut in tire');
    await assert.rejects(writeOverridesTemplate(file, entries), /exists already/);

    // A curator edits one line; the rest reads back unchanged, now as curated.
    written['tire/cut'] = 'cut in the tread of the tire';
    writeFileSync(file, JSON.stringify(written));
    const describer = createDescriber({ mode: 'builtin', overrides: file });
    assert.equal((await describer.describe('tire', 'cut')).text, 'cut in the tread of the tire');
    const hole = await describer.describe('tire', 'hole');
    assert.deepEqual(hole, { object: 'tire', defect: 'hole', text: 'hole in tire', provenance: { kind: 'curated', file } });
  } finally {
    tmp.remove();
  }
});

test('the template text is sorted, names each class once and is valid overrides', async () => {
  const text = overridesTemplateText([
    { object: 'zipper', defect: 'rough', text: 'rough surface of zipper' },
    { object: 'bottle', defect: 'contamination', text: 'contamination in bottle' },
    { object: 'bottle', defect: 'contamination', text: 'a second text' },
  ]);
  const json = JSON.parse(text) as Record<string, string>;
  assert.deepEqual(Object.keys(json), ['$comment', 'bottle/contamination', 'zipper/rough']);
  assert.equal(json['bottle/contamination'], 'contamination in bottle');
  await withFile(text, (file) => {
    assert.equal(loadOverrides(file).entries.length, 2);
  });
});

test('through the dataset builder: curated provenance with overrides, and a built dataset gives a template with its recorded texts', async () => {
  const tmp = tempDir('book-overrides');
  try {
    const overrides = join(tmp.dir, 'overrides.json');
    writeFileSync(overrides, JSON.stringify({ 'tire/hole': 'puncture hole in tire', '*/colour': 'paint colour spot on {object}' }));
    const book = new DescriptionBook(createDescriber({ mode: 'builtin', overrides }), () => createDescriber({ mode: 'builtin' }));
    for (const c of await sourceClasses(SAMPLE)) book.request(c.object, c.defect, c.exampleImage);
    const { entries, problems } = await book.settle();
    assert.deepEqual(problems, []);
    const byClass = new Map(entries.map((d) => [`${d.object}/${d.defect}`, d]));
    assert.deepEqual(byClass.get('tire/hole'), { object: 'tire', defect: 'hole', text: 'puncture hole in tire', provenance: { kind: 'curated', file: overrides } });
    assert.equal(byClass.get('otx_hazelnut/colour')?.text, 'paint colour spot on hazelnut');
    assert.deepEqual(byClass.get('tire/cut'), { object: 'tire', defect: 'cut', text: 'cut in tire', provenance: { kind: 'builtin' } });

    // A built dataset records these descriptions; one class it lists has none recorded.
    const out = join(tmp.dir, 'dataset');
    const manifest: DatasetManifest = {
      formatVersion: DATASET_FORMAT_VERSION,
      createdAt: new Date().toISOString(),
      tool: { name: 'anomaly-lens', version: '0.1.0' },
      sources: [{ kind: 'mvtec', root: SAMPLE, splits: ['test'] }],
      parameters: { mode: 'dbscan', eps: 1.5, minPts: 1, minArea: 0, threshold: 0, splitSeed: 0, valRatio: 0.29, describe: 'builtin' },
      objects: ['otx_hazelnut', 'tire'],
      defects: [...entries.map(({ object, defect }) => ({ object, defect })), { object: 'tire', defect: 'bulge' }],
      descriptions: entries,
      counts: { train: { images: 0, regions: 0 }, val: { images: 0, regions: 0 }, test: { images: 0, regions: 0 } },
    };
    await writeDataset(out, manifest, { train: [], val: [], test: [] });
    const template = await datasetDescriptions(out);
    assert.deepEqual(template.entries.slice(0, entries.length), entries);
    assert.deepEqual(template.entries.at(-1), { object: 'tire', defect: 'bulge', text: 'bulge on tire', provenance: { kind: 'builtin' } });
  } finally {
    tmp.remove();
  }
});
