// Problems of a split file found from its text alone, plus those that need facts about the
// files it names, given as input (the server works the facts out; this module reads nothing).
// Messages and rules are the engine's: the shape checks are checkImageRecord's and the
// confinement check is resolveInside's (confinement.ts), so the editor and `anomaly-lens validate` agree.
import { checkImageRecord } from '../dataset/schema';
import { type Confine, confinement } from './confinement';
import type { ParsedSplitFile, RegionRanges, SplitRecord } from './parseSplitFile';
import type { Range } from './range';
import type { Bbox, DescriptionEntry, DiagnosticCode, FileFacts, Severity, SplitDiagnostic } from './types';

export type { Bbox, DescriptionEntry, DiagnosticCode, FileFacts, Severity, SplitDiagnostic };

export interface SplitDiagnosticInputs {
  /** The dataset folder; paths are checked for confinement when given. */
  root?: string;
  /** dataset.json's descriptions; descriptions are checked when given. */
  descriptions?: readonly DescriptionEntry[];
  /** Facts per path; a path without facts is not checked (yet). */
  files?: ReadonlyMap<string, FileFacts>;
  /** The root's confinement of paths, when the caller shares one (default: one per call). */
  confine?: Confine;
}

const SHAPE_MESSAGE = /^(?:regions\[(\d+)\]\.?)?([A-Za-z]+)?: /;

function shapeDiagnostics(record: SplitRecord): SplitDiagnostic[] {
  return checkImageRecord(record.value).map((message) => {
    const m = SHAPE_MESSAGE.exec(message);
    const regionIndex = m?.[1] === undefined ? undefined : Number(m[1]);
    const region = regionIndex === undefined ? undefined : record.regions[regionIndex];
    const key = m?.[2];
    const fields = region ? region.fields : record.fields;
    const field = key ? fields[key] : undefined;
    const missing = message.endsWith('got nothing');
    return {
      line: record.line,
      range: field ? field.value : (region ?? record).range,
      severity: 'error',
      message,
      code: missing ? 'missing-field' : 'wrong-type',
      region: regionIndex,
    };
  });
}

function classKey(object: string, defect: string): string {
  return `${object}\0${defect}`;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

class RecordChecker {
  readonly out: SplitDiagnostic[] = [];

  constructor(
    readonly record: SplitRecord,
    readonly inputs: SplitDiagnosticInputs,
    readonly descriptions: Map<string, string> | undefined,
    readonly confine: Confine | undefined,
  ) {}

  add(range: Range, code: DiagnosticCode, message: string, region?: number): void {
    this.out.push({ line: this.record.line, range, severity: 'error', message, code, region });
  }

  /** False when the path escapes the root (then its file is not looked at). */
  confined(path: string, range: Range, region?: number): boolean {
    if (!this.confine) return true;
    const answer = this.confine(path);
    if ('error' in answer) this.add(range, 'path-escapes', answer.error, region);
    return 'target' in answer;
  }

  image(): void {
    const field = this.record.fields.image;
    const path = str(field?.node.value);
    if (!field || !path || !this.confined(path, field.value)) return;
    const facts = this.inputs.files?.get(path);
    if (!facts) return;
    if (!facts.exists) return this.add(field.value, 'image-missing', `image file ${path} does not exist`);
    if (facts.problem) return this.add(field.value, 'file-unreadable', `image ${path} ${facts.problem}`);
    const value = this.record.value as Record<string, unknown>;
    const [w, h] = [num(value.width), num(value.height)];
    if (facts.width !== undefined && facts.height !== undefined && w !== undefined && h !== undefined && (facts.width !== w || facts.height !== h)) {
      const sizeRange = (facts.width !== w ? this.record.fields.width : this.record.fields.height)?.value ?? field.value;
      this.add(sizeRange, 'image-size', `the record says ${w}x${h}, the image ${path} is ${facts.width}x${facts.height}`);
    }
  }

  region(region: RegionRanges): void {
    const i = region.index;
    const value = region.node.value as Record<string, unknown>;
    if (region.node.kind !== 'object') return;
    this.description(region, value);
    const field = region.fields.mask;
    const path = str(value.mask);
    if (!field || !path || !this.confined(path, field.value, i)) return;
    const facts = this.inputs.files?.get(path);
    if (!facts) return;
    if (!facts.exists) return this.add(field.value, 'mask-missing', `regions[${i}]: mask file ${path} does not exist`, i);
    if (facts.problem) return this.add(field.value, 'file-unreadable', `regions[${i}]: mask ${path} ${facts.problem}`, i);
    const record = this.record.value as Record<string, unknown>;
    const [w, h] = [num(record.width), num(record.height)];
    if (facts.width !== undefined && facts.height !== undefined && w !== undefined && h !== undefined && (facts.width !== w || facts.height !== h)) {
      this.add(field.value, 'mask-size', `regions[${i}]: mask ${path} is ${facts.width}x${facts.height}, its image ${w}x${h}`, i);
    }
    const bbox = region.fields.bbox;
    if (bbox && facts.bbox && JSON.stringify(bbox.node.value) !== JSON.stringify(facts.bbox)) {
      this.add(bbox.value, 'bbox-mismatch', `regions[${i}].bbox: the mask's foreground lies in ${JSON.stringify(facts.bbox)}, the record says ${JSON.stringify(bbox.node.value)}`, i);
    }
    const area = region.fields.area;
    if (area && facts.area !== undefined && area.node.value !== facts.area) {
      this.add(area.value, 'area-mismatch', `regions[${i}].area: the mask has ${facts.area} foreground pixels, the record says ${JSON.stringify(area.node.value)}`, i);
    }
  }

  description(region: RegionRanges, value: Record<string, unknown>): void {
    const field = region.fields.description;
    const object = str((this.record.value as Record<string, unknown>).object);
    const defect = str(value.defect);
    const text = str(value.description);
    if (!this.descriptions || !field || !object || !defect || !text) return;
    const expected = this.descriptions.get(classKey(object, defect));
    const i = region.index;
    if (expected === undefined) this.add(field.value, 'description-unknown', `regions[${i}]: no description of ${object}/${defect} in dataset.json`, i);
    else if (expected !== text) this.add(field.value, 'description-differs', `regions[${i}]: description "${text}" differs from dataset.json's "${expected}"`, i);
  }
}

function descriptionMap(entries: readonly DescriptionEntry[] | undefined): Map<string, string> | undefined {
  return entries && new Map(entries.map((d) => [classKey(d.object, d.defect), d.text]));
}

/** The problems of one record. */
export function recordDiagnostics(
  record: SplitRecord,
  inputs: SplitDiagnosticInputs = {},
  descriptions = descriptionMap(inputs.descriptions),
  confine = inputs.confine ?? (inputs.root === undefined ? undefined : confinement(inputs.root)),
): SplitDiagnostic[] {
  const shape = shapeDiagnostics(record);
  if (typeof record.value !== 'object' || record.value === null || Array.isArray(record.value)) return shape;
  const c = new RecordChecker(record, inputs, descriptions, confine);
  c.image();
  for (const region of record.regions) c.region(region);
  return [...shape, ...c.out];
}

/** Every problem of a parsed split file, in line order. */
export function splitFileDiagnostics(parsed: ParsedSplitFile, inputs: SplitDiagnosticInputs = {}): SplitDiagnostic[] {
  const descriptions = descriptionMap(inputs.descriptions);
  const confine = inputs.confine ?? (inputs.root === undefined ? undefined : confinement(inputs.root));
  const out: SplitDiagnostic[] = parsed.errors.map((e) => ({ line: e.line, range: e.range, severity: 'error', message: e.message, code: 'malformed-json' }));
  for (const record of parsed.records) out.push(...recordDiagnostics(record, inputs, descriptions, confine));
  return out.sort((a, b) => a.line - b.line);
}
