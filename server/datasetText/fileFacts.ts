// Facts about the files a split file names (present, size; for region masks the foreground's
// area and box), for its diagnostics and quick fixes.  Kept per file while its size and time
// stamp stay the same, so typing in a split file decodes each mask once.
import { promises as fs } from 'node:fs';
import sharp from 'sharp';
import { regionFacts } from '../dataset/validate';
import { checkPixelLimit } from '../image/pixelLimit';
import { specialFileKind } from '../image/regularFile';
import { mapLimit } from '../dataset/concurrency';
import { errorMessage } from '../util/errors';
import { resolveInsideReal } from '../util/paths';
import type { ParsedSplitFile } from './parseSplitFile';
import type { FileFacts } from './types';

type Kind = 'image' | 'mask';

interface Entry {
  stamp: string;
  facts: Promise<FileFacts>;
}

const MISSING: FileFacts = { exists: false };

async function headerSize(file: string): Promise<{ width?: number; height?: number }> {
  const meta = await sharp(file).metadata();
  return { width: meta.width, height: meta.height };
}

async function maskFacts(file: string): Promise<FileFacts> {
  const { width, height } = await headerSize(file);
  checkPixelLimit(file, width ?? 0, height ?? 0);
  const { data, info } = await sharp(file).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  const facts = regionFacts(data, info.width, info.height);
  return { exists: true, width: facts.width, height: facts.height, area: facts.area, ...(facts.bbox ? { bbox: facts.bbox } : {}) };
}

async function imageFacts(file: string): Promise<FileFacts> {
  return { exists: true, ...(await headerSize(file)) };
}

export class FileFactsCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly limit = 20_000) {}

  /** Facts of `file` (absolute); a file that cannot be decoded exists, with the problem. */
  async get(file: string, kind: Kind): Promise<FileFacts> {
    let stats;
    try {
      stats = await fs.stat(file);
    } catch {
      return MISSING;
    }
    const special = specialFileKind(stats);
    if (special) return { exists: true, problem: `is ${special}, not a regular file` };
    const key = `${kind}:${file}`;
    const stamp = `${stats.size}:${stats.mtimeMs}`;
    const cached = this.entries.get(key);
    if (cached && cached.stamp === stamp) return cached.facts;
    const facts = (kind === 'mask' ? maskFacts(file) : imageFacts(file)).catch((err: unknown): FileFacts => ({ exists: true, problem: `cannot be read: ${errorMessage(err)}` }));
    if (this.entries.size >= this.limit) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { stamp, facts });
    return facts;
  }
}

/** The paths a parsed split file names, as written, with what each is. */
function namedFiles(parsed: ParsedSplitFile): Map<string, Kind> {
  const files = new Map<string, Kind>();
  for (const record of parsed.records) {
    const image = record.fields.image?.node.value;
    if (typeof image === 'string' && image !== '') files.set(image, 'image');
    for (const region of record.regions) {
      const mask = region.fields.mask?.node.value;
      if (typeof mask === 'string' && mask !== '' && !files.has(mask)) files.set(mask, 'mask');
    }
  }
  return files;
}

/**
 * Facts of every file the split file names, by the path as written.  Paths that leave the root
 * (lexically or through a link) get no facts: the diagnostics report them, nothing is read.
 */
export async function gatherFileFacts(root: string, parsed: ParsedSplitFile, cache: FileFactsCache, concurrency = 4): Promise<Map<string, FileFacts>> {
  const named = [...namedFiles(parsed)];
  const facts = new Map<string, FileFacts>();
  await mapLimit(named, concurrency, async ([path, kind]) => {
    let file: string;
    try {
      file = resolveInsideReal(root, path);
    } catch {
      return;
    }
    facts.set(path, await cache.get(file, kind));
  });
  return facts;
}
