// Problems of a split file found from its text alone, plus those that need facts about the
// files it names, given as input (the server works the facts out; this module reads nothing).
// Messages and rules are the engine's: the shape checks are checkImageRecord's and the
// confinement check is resolveInside's (confinement.ts), so the editor and `anomaly-lens validate` agree.
import { checkImageRecord } from '../dataset/schema';
import { type Confine, confinement } from './confinement';
import { type ParsedSplitFile, type RegionRanges, type SplitRecord, type SplitSyntaxError, inLineOrder, isSyntaxError } from './parseSplitFile';
import type { Range } from './range';
import type { Bbox, DescriptionEntry, DiagnosticCode, FileFacts, LintedDiagnostic, Severity, SplitDiagnostic } from './types';

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

/**
 * Where the problems of a file go: the first `limit` of them, and a count of the rest, which
 * are never made (a file of two million broken lines has twelve million problems).
 */
export class DiagnosticSink {
  /** The problems kept; the linter adds their quick fixes. */
  readonly kept: LintedDiagnostic[] = [];
  /** Problems past the limit. */
  more = 0;

  constructor(readonly limit = Number.POSITIVE_INFINITY) {}

  /** True once a problem is only counted. */
  get full(): boolean {
    return this.kept.length >= this.limit;
  }

  add(diagnostic: SplitDiagnostic): void {
    if (this.full) this.more++;
    else this.kept.push(diagnostic);
  }
}

const SHAPE_MESSAGE = /^(?:regions\[(\d+)\]\.?)?([A-Za-z]+)?: /;

/** Regions whose shape is checked at a time: a record's messages are made a slice of regions at a time. */
const REGION_SLICE = 1000;

/** checkImageRecord's messages of the record, in its order, made a slice of its regions at a time. */
function* shapeMessages(value: unknown): Generator<string[]> {
  const regions = typeof value === 'object' && value !== null ? (value as { regions?: unknown }).regions : undefined;
  if (!Array.isArray(regions) || regions.length <= REGION_SLICE) {
    yield checkImageRecord(value);
    return;
  }
  // The record's own fields (regions is its shape's last property, so their messages come first) …
  yield checkImageRecord({ ...(value as object), regions: [] });
  // … then each slice's region messages, numbered as in the whole array.
  for (let start = 0; start < regions.length; start += REGION_SLICE) {
    const messages = checkImageRecord({ ...(value as object), regions: regions.slice(start, start + REGION_SLICE) });
    yield messages.filter((m) => m.startsWith('regions[')).map((m) => m.replace(/^regions\[(\d+)\]/, (_, i: string) => `regions[${Number(i) + start}]`));
  }
}

function shapeDiagnostics(record: SplitRecord, sink: DiagnosticSink): void {
  for (const messages of shapeMessages(record.value)) {
    for (let i = 0; i < messages.length; i++) {
      if (sink.full) {
        sink.more += messages.length - i;
        break;
      }
      addShapeDiagnostic(record, messages[i], sink);
    }
  }
}

function addShapeDiagnostic(record: SplitRecord, message: string, sink: DiagnosticSink): void {
  const m = SHAPE_MESSAGE.exec(message);
  const regionIndex = m?.[1] === undefined ? undefined : Number(m[1]);
  const region = regionIndex === undefined ? undefined : record.regions[regionIndex];
  const key = m?.[2];
  const fields = region ? region.fields : record.fields;
  const field = key ? fields[key] : undefined;
  const missing = message.endsWith('got nothing');
  sink.add({
    line: record.line,
    range: field ? field.value : (region ?? record).range,
    severity: 'error',
    message,
    code: missing ? 'missing-field' : 'wrong-type',
    region: regionIndex,
  });
}

/** The problem of a line that is not JSON. */
export function syntaxDiagnostic(error: SplitSyntaxError): SplitDiagnostic {
  return { line: error.line, range: error.range, severity: 'error', message: error.message, code: error.tooLong ? 'line-too-long' : 'malformed-json' };
}

function classKey(object: string, defect: string): string {
  return `${object}\0${defect}`;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

class RecordChecker {
  constructor(
    readonly record: SplitRecord,
    readonly inputs: SplitDiagnosticInputs,
    readonly descriptions: Map<string, string> | undefined,
    readonly confine: Confine | undefined,
    readonly sink: DiagnosticSink,
  ) {}

  add(range: Range, code: DiagnosticCode, message: string, region?: number): void {
    if (this.sink.full) this.sink.more++;
    else this.sink.add({ line: this.record.line, range, severity: 'error', message, code, region });
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

/** What the checks of one file share: its inputs, its descriptions by class, its confinement. */
export interface RecordCheckContext {
  inputs: SplitDiagnosticInputs;
  descriptions: Map<string, string> | undefined;
  confine: Confine | undefined;
}

export function recordCheckContext(inputs: SplitDiagnosticInputs = {}): RecordCheckContext {
  return {
    inputs,
    descriptions: descriptionMap(inputs.descriptions),
    confine: inputs.confine ?? (inputs.root === undefined ? undefined : confinement(inputs.root)),
  };
}

/** Adds the problems of one record to `sink`. */
export function diagnoseRecord(record: SplitRecord, context: RecordCheckContext, sink: DiagnosticSink): void {
  shapeDiagnostics(record, sink);
  if (typeof record.value !== 'object' || record.value === null || Array.isArray(record.value)) return;
  const c = new RecordChecker(record, context.inputs, context.descriptions, context.confine, sink);
  c.image();
  for (const region of record.regions) c.region(region);
}

/** The problems of one record. */
export function recordDiagnostics(record: SplitRecord, inputs: SplitDiagnosticInputs = {}): SplitDiagnostic[] {
  const sink = new DiagnosticSink();
  diagnoseRecord(record, recordCheckContext(inputs), sink);
  return sink.kept;
}

/** Every problem of a parsed split file, in line order (the first `limit` of them, and a count of the rest, in `sink`). */
export function splitFileDiagnostics(parsed: ParsedSplitFile, inputs: SplitDiagnosticInputs = {}, sink = new DiagnosticSink()): SplitDiagnostic[] {
  const context = recordCheckContext(inputs);
  for (const item of inLineOrder(parsed)) {
    if (isSyntaxError(item)) sink.add(syntaxDiagnostic(item));
    else diagnoseRecord(item, context, sink);
  }
  return sink.kept;
}
