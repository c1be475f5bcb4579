// Answers of the model kept as one JSON file per request (named by the hash of model,
// prompt and inputs), written atomically; never holds the key or request headers.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeJsonAtomic } from '../../util/atomicWrite';

export interface CachedAnswer {
  key: string;
  model: string;
  promptHash: string;
  object: string;
  defect: string;
  /** SHA-256 of the example image's bytes, null without one. */
  image: string | null;
  /** The model's answer as it came. */
  answer: string;
  createdAt: string;
}

function isCachedAnswer(value: unknown, key: string): value is CachedAnswer {
  const v = value as Partial<CachedAnswer> | null;
  return typeof v === 'object' && v !== null && v.key === key && typeof v.answer === 'string' && typeof v.model === 'string';
}

export class AnswerCache {
  private readonly memory = new Map<string, CachedAnswer>();

  /** Without a folder answers live for this process only. */
  constructor(readonly dir?: string) {}

  private file(key: string): string | undefined {
    return this.dir === undefined ? undefined : join(this.dir, `${key}.json`);
  }

  /** The cached answer; a missing, unreadable or foreign file is a miss. */
  async get(key: string): Promise<CachedAnswer | undefined> {
    const hit = this.memory.get(key);
    if (hit) return hit;
    const file = this.file(key);
    if (file === undefined) return undefined;
    try {
      const value: unknown = JSON.parse(await readFile(file, 'utf8'));
      if (!isCachedAnswer(value, key)) return undefined;
      this.memory.set(key, value);
      return value;
    } catch {
      return undefined;
    }
  }

  async put(entry: CachedAnswer): Promise<void> {
    this.memory.set(entry.key, entry);
    const file = this.file(entry.key);
    if (file !== undefined) await writeJsonAtomic(file, entry);
  }
}
