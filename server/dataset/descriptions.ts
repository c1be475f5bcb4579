// One description per (object, defect) class, asked for as soon as the class is known and
// at most a few at a time (an LLM may be behind the describer).
import { fallbackProblem, type Describer, type GivenDescription } from '../describe';
import type { Problem } from '../util/errors';
import type { DescriptionEntry } from './format';

export function classKey(object: string, defect: string): string {
  return `${object}\0${defect}`;
}

export class DescriptionBook {
  private readonly requests = new Map<string, Promise<DescriptionEntry>>();
  private readonly problems: Problem[] = [];
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly describer: Describer,
    /** Used for a class whose description fails (e.g. the LLM is unreachable). */
    private readonly fallback: () => Describer,
    private readonly concurrency = 4,
  ) {}

  /** Starts describing the class unless it already is; `given` is the source's own description of it. */
  request(object: string, defect: string, exampleImage?: string, given?: GivenDescription): void {
    const key = classKey(object, defect);
    if (!this.requests.has(key)) this.requests.set(key, this.describe(object, defect, exampleImage, given));
  }

  private async describe(object: string, defect: string, exampleImage?: string, given?: GivenDescription): Promise<DescriptionEntry> {
    if (this.active >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return { ...(await this.describer.describe(object, defect, exampleImage, given)), object, defect };
    } catch (err) {
      this.problems.push(fallbackProblem(object, defect, exampleImage, err));
      return { ...(await this.fallback().describe(object, defect, exampleImage)), object, defect };
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }

  /** Every requested description (sorted by object, defect) and the problems met. */
  async settle(): Promise<{ entries: DescriptionEntry[]; problems: Problem[] }> {
    const entries = await Promise.all(this.requests.values());
    entries.sort((a, b) => a.object.localeCompare(b.object) || a.defect.localeCompare(b.defect));
    return { entries, problems: [...this.problems] };
  }
}
