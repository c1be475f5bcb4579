// The describer: curated overrides first, then an OpenAI-compatible LLM (mode 'llm') or the
// built-in table (mode 'builtin').
import type { DescriptionEntry } from './types';
import { UserError, type Problem } from '../util/errors';
import { builtinDescription } from './builtin';
import { fallbackProblem } from './fallback';
import { createLimiter } from './limiter';
import { createLlmDescriber, type LlmDescriber } from './llm/describer';
import { resolveLlmConfig, type LlmOptions } from './llm/config';
import { loadOverrides } from './overrides';

export interface DescriberOptions {
  mode: 'builtin' | 'llm';
  /** Curated overrides file (JSON), applied over either mode. */
  overrides?: string;
  llm?: LlmOptions;
}

/** A description the source itself gives a class (a COCO category's name), and the file that gives it. */
export interface GivenDescription {
  text: string;
  file: string;
}

export interface Describer {
  /**
   * A readable description of `defect` on `object`; `exampleImage` is shown to an LLM; `given`,
   * the source's own description, is taken unless a curated override applies.
   */
  describe(object: string, defect: string, exampleImage?: string, given?: GivenDescription): Promise<DescriptionEntry>;
}

export interface DescribeRequest {
  object: string;
  defect: string;
  exampleImage?: string;
}

export interface ClassDescriber extends Describer {
  /**
   * Describes many classes (duplicates once); a class the LLM cannot describe gets the
   * built-in description and a problem (a warning when the deadline or a long Retry-After
   * cut it short). Entries keep the order of first appearance.
   */
  describeAll(classes: readonly DescribeRequest[], options?: { concurrency?: number }): Promise<{ entries: DescriptionEntry[]; problems: Problem[] }>;
  /** Warnings met so far (e.g. an LLM answer that could not be cached). */
  problems(): Problem[];
  /** LLM requests sent and answers taken from the cache (zeros in mode 'builtin'). */
  stats(): { requests: number; cacheHits: number };
}

function builtinEntry(object: string, defect: string): DescriptionEntry {
  return { object, defect, text: builtinDescription(object, defect).text, provenance: { kind: 'builtin' } };
}

/**
 * A describer for a build. Reads the overrides file and the LLM settings at once, so a
 * malformed file or a missing API key is a UserError before any work starts.
 */
export function createDescriber(options: DescriberOptions): ClassDescriber {
  if (options.mode !== 'builtin' && options.mode !== 'llm') throw new UserError(`unknown description mode "${String(options.mode)}" (builtin or llm)`);
  const overrides = options.overrides ? loadOverrides(options.overrides) : undefined;
  const llm: LlmDescriber | undefined = options.mode === 'llm' ? createLlmDescriber(resolveLlmConfig(options.llm)) : undefined;

  async function describe(object: string, defect: string, exampleImage?: string, given?: GivenDescription): Promise<DescriptionEntry> {
    const curated = overrides?.lookup(object, defect);
    if (curated !== undefined && overrides) return { object, defect, text: curated, provenance: { kind: 'curated', file: overrides.file } };
    if (given) return { object, defect, text: given.text, provenance: { kind: 'curated', file: given.file } };
    if (llm) {
      const { text, provenance } = await llm.describe(object, defect, exampleImage);
      return { object, defect, text, provenance };
    }
    return builtinEntry(object, defect);
  }

  return {
    describe,
    async describeAll(classes, { concurrency = 8 } = {}) {
      const unique = new Map<string, DescribeRequest>();
      for (const c of classes) {
        const key = `${c.object}\0${c.defect}`;
        if (!unique.has(key)) unique.set(key, c);
      }
      const limiter = createLimiter(Math.max(1, concurrency));
      const warningsBefore = llm?.problems.length ?? 0;
      const problems: Problem[] = [];
      const entries = await Promise.all(
        [...unique.values()].map((c) =>
          limiter.run(async () => {
            try {
              return await describe(c.object, c.defect, c.exampleImage);
            } catch (err) {
              problems.push(fallbackProblem(c.object, c.defect, c.exampleImage, err));
              return builtinEntry(c.object, c.defect);
            }
          }),
        ),
      );
      return { entries, problems: [...(llm?.problems.slice(warningsBefore) ?? []), ...problems] };
    },
    problems: () => [...(llm?.problems ?? [])],
    stats: () => ({ ...(llm?.stats ?? { requests: 0, cacheHits: 0 }) }),
  };
}
