import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import {
  countLabel,
  datasetChildren,
  datasetNode,
  objectChildren,
  objectsChildren,
  parseManifest,
  present,
  splitChildren,
  splitObjectChildren,
  splitDefectChildren,
  imagePath,
  summariseRecords,
  type DatasetTreeNode,
} from '../../../extension/datasetTree/model';
import { parseSplit } from '../../../server/dataset/manifestText';
import { FIXTURE_DATASETS, countsOf, manifestOf } from '../../e2e/fixture';

const screws = FIXTURE_DATASETS[0];
const cables = FIXTURE_DATASETS[1];
const ref = { manifestPath: '/ws/datasets/screws/dataset.json', name: 'datasets/screws' };

function jsonl(records: unknown[]): string {
  return records.map((r) => JSON.stringify(r)).join('\n');
}

function datasetOf(manifestText: string): Extract<DatasetTreeNode, { kind: 'dataset' }> {
  const node = datasetNode(ref, manifestText);
  assert.equal(node.kind, 'dataset', node.kind === 'invalid' ? node.message : '');
  return node as Extract<DatasetTreeNode, { kind: 'dataset' }>;
}

test('parseManifest accepts a manifest in the dataset format', () => {
  const result = parseManifest(JSON.stringify(manifestOf(screws)));
  assert.ok(result.ok);
  assert.deepEqual(result.manifest.counts.train, countsOf(screws.records.train));
});

test('parseManifest names what is wrong', () => {
  const good = manifestOf(screws);
  const cases: [string, RegExp][] = [
    ['{ "formatVersion": 1, ', /not valid JSON/],
    ['[]', /expected a JSON object/],
    [JSON.stringify({ ...good, formatVersion: 99 }), /format version 99 is newer/],
    [JSON.stringify({ ...good, formatVersion: undefined }), /formatVersion: expected 1, got null/],
    [JSON.stringify({ ...good, objects: [1] }), /^objects: expected a list of object names/],
    [JSON.stringify({ ...good, counts: { ...good.counts, val: { images: -1, regions: 0 } } }), /^counts: expected/],
    [JSON.stringify({ ...good, defects: [{ object: 'screw' }], objects: 'x' }), /^objects: .*; defects: expected a list of \{ object, defect \}/],
  ];
  for (const [text, message] of cases) {
    const result = parseManifest(text);
    assert.equal(result.ok, false, text);
    if (!result.ok) assert.match(result.message, message);
  }
});

test('a broken dataset.json becomes an invalid node that names the file and the problem', () => {
  const node = datasetNode(ref, '{');
  assert.equal(node.kind, 'invalid');
  const p = present(node);
  assert.equal(p.icon, 'error');
  assert.equal(p.collapsible, false);
  assert.match(p.tooltip, /^\/ws\/datasets\/screws\/dataset\.json: not valid JSON/);
});

test('a dataset shows its totals and expands into the three splits and its objects', () => {
  const node = datasetOf(JSON.stringify(manifestOf(screws)));
  const all = countsOf([...screws.records.train, ...screws.records.val, ...screws.records.test]);
  assert.equal(present(node).description, countLabel(all));
  const children = datasetChildren(node).map(present);
  assert.deepEqual(children.map((c) => c.label), ['train', 'val', 'test', 'objects']);
  assert.deepEqual(children.slice(0, 3).map((c) => c.description), [
    countLabel(countsOf(screws.records.train)),
    countLabel(countsOf(screws.records.val)),
    countLabel(countsOf(screws.records.test)),
  ]);
  assert.equal(new Set(children.map((c) => c.id)).size, children.length, 'ids are unique');
});

test('an empty split cannot be expanded', () => {
  const node = datasetOf(JSON.stringify(manifestOf(cables)));
  const val = datasetChildren(node).find((c) => c.kind === 'split' && c.split === 'val');
  assert.ok(val);
  assert.equal(present(val).collapsible, false);
  assert.equal(present(val).description, '0 images · 0 regions');
});

test('countLabel uses singular for one', () => {
  assert.equal(countLabel({ images: 1, regions: 1 }), '1 image · 1 region');
  assert.equal(countLabel({ images: 2, regions: 0 }), '2 images · 0 regions');
});

test('parseSplit keeps the valid records and names each bad line', () => {
  const records = screws.records.train;
  const text = `${JSON.stringify(records[0])}\n\nnot json\n${JSON.stringify({ image: 'x.png' })}\n${jsonl(records.slice(1))}\n`;
  const contents = parseSplit(text);
  assert.deepEqual(contents.records, records);
  assert.equal(contents.problems.length, 2);
  assert.match(contents.problems[0], /^line 3: not valid JSON/);
  assert.match(contents.problems[1], /^line 4: object: expected a non-empty string/);
});

test('summariseRecords counts images and regions per object and defect', () => {
  const records = screws.records.train;
  const summary = summariseRecords(records);
  assert.deepEqual(summary.map((o) => o.object), ['hazelnut', 'screw']);
  for (const found of summary) {
    assert.deepEqual({ images: found.images, regions: found.regions }, countsOf(records.filter((r) => r.object === found.object)));
  }
});

test('summariseRecords totals equal the records it was given', () => {
  const record = fc.record({
    object: fc.constantFrom('screw', 'cable', 'hazelnut'),
    defect: fc.constantFrom('crack', 'cut', 'scratch'),
    regions: fc.array(fc.constant(screws.records.train[0].regions[0]), { maxLength: 6 }),
  });
  fc.assert(
    fc.property(fc.array(record, { maxLength: 40 }), (partial) => {
      const records = partial.map((r) => ({ ...screws.records.train[0], ...r }));
      const summary = summariseRecords(records);
      const images = summary.reduce((s, o) => s + o.images, 0);
      const regions = summary.reduce((s, o) => s + o.regions, 0);
      const perDefect = summary.flatMap((o) => [...o.defects.values()]).reduce((s, d) => s + d.regions, 0);
      return images === records.length && regions === records.reduce((s, r) => s + r.regions.length, 0) && perDefect === regions;
    }),
  );
});

test('split objects expand into defects; file problems become warning nodes', () => {
  const node = datasetOf(JSON.stringify(manifestOf(screws)));
  const train = datasetChildren(node)[0];
  assert.equal(train.kind, 'split');
  if (train.kind !== 'split') return;
  const children = splitChildren(train, parseSplit(`${jsonl(screws.records.train)}\n{oops`));
  const screw = children.find((c) => c.kind === 'splitObject' && c.summary.object === 'screw');
  assert.ok(screw && screw.kind === 'splitObject');
  assert.deepEqual(splitObjectChildren(screw).map((d) => [present(d).label, present(d).description]), [
    ['scratch_head', '1 image · 2 regions'],
    ['thread_side', '1 image · 1 region'],
  ]);
  // A defect expands into its images, each opened in the mask editor.
  const [head] = splitObjectChildren(screw);
  assert.ok(head.kind === 'splitDefect' && present(head).collapsible);
  const images = splitDefectChildren(head as Extract<DatasetTreeNode, { kind: 'splitDefect' }>, parseSplit(jsonl(screws.records.train)));
  assert.deepEqual(images.map((i) => [present(i).label, present(i).description, present(i).contextValue]), [['000.png', '2 regions', 'anomalyLens.datasetImage']]);
  assert.ok(images[0].kind === 'image');
  assert.equal(imagePath(images[0].ref, images[0].record), join(dirname(images[0].ref.manifestPath), 'images', 'screw', 'scratch_head', '000.png'));
  const problem = children.find((c) => c.kind === 'problem');
  assert.ok(problem);
  assert.match(present(problem).label, new RegExp(`^train\\.jsonl: line ${screws.records.train.length + 1}: not valid JSON`));
});

test('objects list their defect classes with the descriptions from the manifest', () => {
  const node = datasetOf(JSON.stringify(manifestOf(screws)));
  const objects = datasetChildren(node)[3];
  assert.equal(objects.kind, 'objects');
  if (objects.kind !== 'objects') return;
  const list = objectsChildren(objects);
  assert.deepEqual(list.map((o) => present(o).label), ['hazelnut', 'screw']);
  const screw = list[1];
  assert.ok(screw.kind === 'object');
  assert.equal(present(screw).description, '2 defect classes');
  const defects = objectChildren(screw).map(present);
  assert.deepEqual(defects.map((d) => [d.label, d.description]), [
    ['scratch_head', 'scratch on screw head'],
    ['thread_side', 'damaged screw thread'],
  ]);
});
