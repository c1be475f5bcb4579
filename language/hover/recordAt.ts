// The record (and region) under a position of a split file, from that one line: a hover or a
// definition parses one line, never the whole file.
import { scanJson } from '../../server/datasetText/jsonScanner';
import { SplitRecord } from '../../server/datasetText/parseSplitFile';

export interface RecordRegion {
  mask: string;
  defect?: string;
  description?: string;
  area?: number;
  bbox?: number[];
}

/** What a hover shows of a record, from its text alone. */
export interface RecordFacts {
  line: number;
  image: string;
  object?: string;
  defect?: string;
  width?: number;
  height?: number;
  regions: RecordRegion[];
  /** The region whose object holds the position. */
  region?: number;
  /** Characters of that region's object on the line: [start, end). */
  regionSpan?: [number, number];
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/** The record on `line` whose text is `text`, with the region under `character`, or undefined when the line is no record. */
export function recordAt(line: number, text: string, character: number): RecordFacts | undefined {
  const { node } = scanJson(text);
  if (!node || node.kind !== 'object') return undefined;
  const record = new SplitRecord(line, node);
  const value = record.value as Record<string, unknown>;
  const image = str(value.image);
  if (!image) return undefined;
  const regions: RecordRegion[] = [];
  let under: number | undefined;
  let span: [number, number] | undefined;
  for (const region of record.regions) {
    const r = (region.node.value ?? {}) as Record<string, unknown>;
    regions.push({
      mask: str(r.mask) ?? '',
      defect: str(r.defect),
      description: str(r.description),
      area: num(r.area),
      bbox: Array.isArray(r.bbox) && r.bbox.every((n) => typeof n === 'number') ? (r.bbox as number[]) : undefined,
    });
    if (character >= region.range.start.character && character < region.range.end.character) {
      under = region.index;
      span = [region.range.start.character, region.range.end.character];
    }
  }
  return {
    line,
    image,
    object: str(value.object),
    defect: str(value.defect),
    width: num(value.width),
    height: num(value.height),
    regions,
    ...(under !== undefined && span ? { region: under, regionSpan: span } : {}),
  };
}
