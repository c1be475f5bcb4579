// Shape checks for dataset.json and the jsonl image records (docs/dataset.md).  Each check
// returns readable messages ("regions[2].bbox: expected 4 non-negative integers"), empty when valid.
import { DATASET_FORMAT_VERSION } from './formatVersion';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isNonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
const isPositiveInt = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0;
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

class Checker {
  readonly errors: string[] = [];

  field(obj: Json, key: string, ok: (v: unknown) => boolean, expected: string, prefix = ''): void {
    if (!ok(obj[key])) {
      const got = key in obj ? JSON.stringify(obj[key]) : 'nothing';
      this.errors.push(`${prefix}${key}: expected ${expected}, got ${got?.length > 60 ? `${got.slice(0, 57)}...` : got}`);
    }
  }
}

const SPLITS = ['train', 'val', 'test'] as const;

function isBbox(v: unknown): boolean {
  return Array.isArray(v) && v.length === 4 && v.every(isCount) && (v[2] as number) > 0 && (v[3] as number) > 0;
}

/** Checks one line of a split's jsonl file. */
export function checkImageRecord(value: unknown): string[] {
  const c = new Checker();
  if (!isObject(value)) return ['expected a JSON object (one image record)'];
  c.field(value, 'image', isNonEmptyString, 'a relative path');
  c.field(value, 'object', isNonEmptyString, 'a non-empty string');
  c.field(value, 'defect', isNonEmptyString, 'a non-empty string');
  c.field(value, 'width', isPositiveInt, 'a positive integer');
  c.field(value, 'height', isPositiveInt, 'a positive integer');
  if (!Array.isArray(value.regions)) {
    c.field(value, 'regions', () => false, 'an array of regions');
    return c.errors;
  }
  value.regions.forEach((region: unknown, i: number) => {
    const prefix = `regions[${i}].`;
    if (!isObject(region)) {
      c.errors.push(`regions[${i}]: expected a region object`);
      return;
    }
    c.field(region, 'mask', isNonEmptyString, 'a relative path', prefix);
    c.field(region, 'bbox', isBbox, '[x, y, width, height] of non-negative integers', prefix);
    c.field(region, 'area', isPositiveInt, 'a positive integer', prefix);
    c.field(region, 'defect', isNonEmptyString, 'a non-empty string', prefix);
    c.field(region, 'description', isNonEmptyString, 'a non-empty string', prefix);
    if ('classId' in region) c.field(region, 'classId', isCount, 'a non-negative integer', prefix);
  });
  return c.errors;
}

function isProvenance(v: unknown): boolean {
  if (!isObject(v)) return false;
  if (v.kind === 'builtin') return true;
  if (v.kind === 'llm') return isNonEmptyString(v.model) && isString(v.promptHash);
  if (v.kind === 'curated') return isString(v.file);
  return false;
}

/** Checks the parsed dataset.json. */
export function checkManifest(value: unknown): string[] {
  if (!isObject(value)) return ['expected a JSON object'];
  const c = new Checker();
  if (value.formatVersion !== DATASET_FORMAT_VERSION) {
    c.errors.push(`formatVersion: expected ${DATASET_FORMAT_VERSION}, got ${JSON.stringify(value.formatVersion ?? null)}`);
  }
  c.field(value, 'createdAt', isString, 'a date string');
  c.field(value, 'tool', (v) => isObject(v) && v.name === 'anomaly-lens' && isString(v.version), '{ name: "anomaly-lens", version }');
  c.field(value, 'sources', (v) => Array.isArray(v) && v.every((s) => isObject(s) && isString(s.kind) && isString(s.root) && Array.isArray(s.splits)), 'a list of { kind, root, splits }');
  c.field(
    value,
    'parameters',
    (v) =>
      isObject(v) && ['dbscan', 'cc4', 'cc8'].includes(v.mode as string) &&
      [v.eps, v.minPts, v.minArea, v.threshold, v.splitSeed, v.valRatio].every(isFiniteNumber) &&
      ['builtin', 'llm'].includes(v.describe as string),
    '{ mode, eps, minPts, minArea, threshold, splitSeed, valRatio, describe }',
  );
  c.field(value, 'objects', (v) => Array.isArray(v) && v.every(isString), 'a list of object names');
  c.field(value, 'defects', (v) => Array.isArray(v) && v.every((d) => isObject(d) && isString(d.object) && isString(d.defect)), 'a list of { object, defect }');
  if (!Array.isArray(value.descriptions)) c.field(value, 'descriptions', () => false, 'a list of descriptions');
  else {
    value.descriptions.forEach((d: unknown, i: number) => {
      if (!isObject(d) || !isString(d.object) || !isString(d.defect) || !isNonEmptyString(d.text) || !isProvenance(d.provenance)) {
        c.errors.push(`descriptions[${i}]: expected { object, defect, text, provenance: builtin | llm | curated }`);
      }
    });
  }
  c.field(value, 'counts', (v) => isObject(v) && SPLITS.every((s) => isObject(v[s]) && isCount(v[s].images) && isCount(v[s].regions)), '{ train, val, test } each { images, regions }');
  if ('goodImages' in value) {
    c.field(value, 'goodImages', (v) => isObject(v) && Object.values(v).every(isCount), 'object -> count');
  }
  return c.errors;
}
