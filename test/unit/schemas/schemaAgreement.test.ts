// The generated JSON schemas accept exactly the documents the engine's checkers accept: real
// documents (the embedded default bundle, a dataset built by the CLI) and hundreds of mutations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkImageRecord, checkManifest } from '../../../server/dataset/schema';
import { DATASET_MANIFEST_SHAPE, IMAGE_RECORD_SHAPE } from '../../../server/dataset/manifestShape';
import { BUNDLE_MANIFEST_SHAPE } from '../../../server/model/bundleShape';
import { BUNDLE_FORMAT_VERSION, validateManifest } from '../../../server/model/bundle';
import { toJsonSchema } from '../../../server/util/jsonShape';
import { UserError } from '../../../server/util/errors';
import { ensureBuilt, repoRoot, runCli } from '../dataset/cli';
import { validate } from './miniValidator';
import { mutations, type Variant } from './mutations';
import { jsonSchemaFiles } from '../../../scripts/jsonSchemaFiles';

let work: string;
let datasetJson: Record<string, unknown>;
let record: Record<string, unknown>;

before(() => {
  ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'schemas-'));
  const sample = runCli(['sample', join(work, 'src'), '--scale', '0.05']);
  assert.equal(sample.code, 0, sample.stderr);
  const build = runCli(['build', join(work, 'src', 'mvtec'), join(work, 'src', 'synthetic'), '-o', join(work, 'ds')]);
  assert.equal(build.code, 0, build.stderr);
  datasetJson = JSON.parse(readFileSync(join(work, 'ds', 'dataset.json'), 'utf8'));
  record = JSON.parse(readFileSync(join(work, 'ds', 'test.jsonl'), 'utf8').split('\n')[0]);
});

after(() => rmSync(work, { recursive: true, force: true }));

/** Feeds every variant to both; returns the variants they disagree on. */
function disagreements(variants: Variant[], engineAccepts: (doc: unknown) => boolean, schema: Record<string, unknown>): string[] {
  return variants.flatMap((v) => {
    const engine = engineAccepts(v.doc);
    const schemaErrors = validate(schema, v.doc);
    return engine === (schemaErrors.length === 0) ? [] : [`${v.what}: engine ${engine ? 'accepts' : 'refuses'}, schema ${engine ? `refuses (${schemaErrors[0]})` : 'accepts'}`];
  });
}

function refusedCount(variants: Variant[], engineAccepts: (doc: unknown) => boolean): number {
  return variants.filter((v) => !engineAccepts(v.doc)).length;
}

test('dataset.json: the schema and checkManifest agree on a built dataset and its mutations', () => {
  const withLlm = structuredClone(datasetJson);
  (withLlm.descriptions as Record<string, unknown>[])[0].provenance = { kind: 'llm', model: 'gpt-x', promptHash: 'ab', baseURL: 'http://localhost' };
  const withCurated = structuredClone(datasetJson);
  (withCurated.descriptions as Record<string, unknown>[])[0].provenance = { kind: 'curated', file: 'descriptions.json' };
  const variants = [datasetJson, withLlm, withCurated].flatMap((doc) => mutations(doc));
  const accepts = (doc: unknown): boolean => checkManifest(doc).length === 0;
  assert.equal(accepts(datasetJson), true);
  assert.ok(variants.length > 300, `${variants.length} variants`);
  assert.ok(refusedCount(variants, accepts) > 100, 'many variants are refused');
  assert.deepEqual(disagreements(variants, accepts, toJsonSchema(DATASET_MANIFEST_SHAPE)), []);
});

test('split records: the record schema and checkImageRecord agree on a built record and its mutations', () => {
  const variants = mutations(record);
  const accepts = (doc: unknown): boolean => checkImageRecord(doc).length === 0;
  assert.equal(accepts(record), true);
  assert.ok(refusedCount(variants, accepts) > 50);
  assert.deepEqual(disagreements(variants, accepts, toJsonSchema(IMAGE_RECORD_SHAPE)), []);
});

test('split records: every message names the place the editor marks, and a deleted field reads "got nothing"', () => {
  // The forms server/datasetText/diagnostics.ts maps to ranges: "width: …", "regions[3].bbox: …", "regions[3]: …".
  const place = /^(?:expected |(?:regions\[\d+\]\.?)?(?:[A-Za-z]+)?: expected )/;
  let deleted = 0;
  for (const v of mutations(record)) {
    const messages = checkImageRecord(v.doc);
    for (const m of messages) assert.match(m, place, v.what);
    if (v.what.endsWith(': deleted') && messages.length > 0) {
      deleted++;
      assert.deepEqual(messages.filter((m) => !m.endsWith(', got nothing')), [], v.what);
    }
  }
  assert.ok(deleted > 5, `${deleted} deleted fields refused`);
});

// Rules between fields that a JSON schema of this subset cannot state; validateManifest alone checks them.
const CROSS_FIELD = /startId and endId must be|differs from contextLength|"files\.textEmbeddings" is given but|"digests" is given but/;

test('bundle.json: the schema and validateManifest agree on the default bundle and its mutations, save rules between fields', () => {
  const bundle = JSON.parse(readFileSync(join(repoRoot, 'media', 'default-model', 'bundle.json'), 'utf8'));
  const older = structuredClone(bundle);
  delete older.digests;
  delete older.provenance;
  older.files.textEmbeddings = null;
  older.descriptions = [];
  // provenance is free-form: mutating inside it says nothing.
  const variants = [bundle, older].flatMap((doc) => mutations(doc, (p) => p[0] === 'provenance'));
  let crossField = 0;
  const accepts = (doc: unknown): boolean => {
    try {
      validateManifest(doc, 'bundle.json');
      return true;
    } catch (err) {
      assert.ok(err instanceof UserError, `validateManifest crashed: ${err}`);
      return false;
    }
  };
  const schema = toJsonSchema(BUNDLE_MANIFEST_SHAPE);
  const disagree = variants.filter((v) => {
    if (disagreements([v], accepts, schema).length === 0) return false;
    try {
      validateManifest(v.doc, 'bundle.json');
    } catch (err) {
      if (CROSS_FIELD.test((err as Error).message) && validate(schema, v.doc).length === 0) {
        crossField++;
        return false;
      }
    }
    return true;
  });
  assert.equal(accepts(bundle), true);
  assert.equal(accepts(older), true);
  assert.ok(refusedCount(variants, accepts) > 100);
  assert.deepEqual(disagreements(disagree, accepts, schema), []);
  assert.ok(crossField > 0, 'the mutations reach the rules between fields');
});

test('the bundle schema names the format version the engine reads', () => {
  assert.deepEqual((toJsonSchema(BUNDLE_MANIFEST_SHAPE).properties as Record<string, unknown>).formatVersion, {
    description: 'Version of the bundle format.',
    const: BUNDLE_FORMAT_VERSION,
  });
});

test('the contributed schemas check only Anomaly Lens files: other tools’ dataset.json and bundle.json are left alone', () => {
  const files = jsonSchemaFiles();
  const dataset = JSON.parse(files['dataset.schema.json']) as Record<string, unknown>;
  const bundle = JSON.parse(files['bundle.schema.json']) as Record<string, unknown>;
  assert.deepEqual(dataset.then, toJsonSchema(DATASET_MANIFEST_SHAPE));
  assert.deepEqual(bundle.then, toJsonSchema(BUNDLE_MANIFEST_SHAPE));
  const applies = (schema: Record<string, unknown>, doc: unknown) => validate(schema.if as Record<string, unknown>, doc).length === 0;
  assert.ok(applies(dataset, datasetJson), 'a built dataset.json');
  const defaultBundle = JSON.parse(readFileSync(join(repoRoot, 'media', 'default-model', 'bundle.json'), 'utf8'));
  assert.ok(applies(bundle, defaultBundle), 'the embedded default bundle.json');
  for (const other of [{ rows: 3, name: 'imagenet' }, { tool: { name: 'label-studio' } }, [1, 2]]) assert.ok(!applies(dataset, other), JSON.stringify(other));
  for (const other of [{ architecture: 'resnet50', files: {} }, { name: 'bundle' }]) assert.ok(!applies(bundle, other), JSON.stringify(other));
});
