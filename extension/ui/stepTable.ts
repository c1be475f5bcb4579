// A guided flow as a table of steps, and the walk through it: which steps are asked given the
// answers so far, forward and Back (an answer is kept when its step is asked again), each step's
// proposed answer (what was answered, else what was remembered, else the step's own default) and
// "step k of n". No `vscode`: extension/ui/multiStepInput.ts shows the steps.

/** A choice of a quick pick; `value` is what the step's answer becomes. */
export interface Choice<T> {
  label: string;
  description?: string;
  detail?: string;
  value: T;
}

/** A row of a review step: what a parameter is, and the step that changes it. */
export interface ReviewRow<A> {
  label: string;
  description: string;
  step: keyof A & string;
}

/** How a step asks. */
export type Ask<A> =
  | { kind: 'pick'; choices: Choice<unknown>[]; placeholder?: string }
  | ({ kind: 'number'; emptyMeans?: string } & NumberRule)
  /** An input box for a folder or file path. */
  | { kind: 'path'; prompt?: string }
  /** A list of folders, each added with the folder dialog and removed with its row's button. */
  | { kind: 'folders'; addLabel: string; continueLabel: string; dialogTitle: string; openLabel: string; describe?: (folder: string) => Promise<string> }
  /** A file: one of the candidates, `none` (when given), or one chosen with the file dialog. */
  | { kind: 'file'; candidates: Choice<string>[]; none?: string; dialogTitle: string; filters: Record<string, string[]> }
  /** What the flow will do, with a row per parameter that goes back to its step. */
  | { kind: 'review'; acceptLabel: string; acceptDetail?: string; rows: ReviewRow<A>[] };

/** A number a step accepts: at least `min` (above it with `above`), an integer or any; with `optional`, an empty box answers undefined. */
export interface NumberRule {
  min: number;
  above?: boolean;
  integer: boolean;
  optional?: boolean;
}

export interface Step<A> {
  id: keyof A & string;
  /** What the step asks, as the title shows it. */
  title: string;
  ask: (answers: Partial<A>) => Ask<A>;
  /** Whether the step is asked, given the answers so far (unanswered ones are undefined). Default: always. */
  applies?: (answers: Partial<A>) => boolean;
  /** The answer proposed when nothing was answered or remembered. */
  proposed?: (answers: Partial<A>) => unknown;
}

export interface StepPosition {
  step: number;
  of: number;
}

/** "<flow> — <step title> (step k of n)"; a flow of one step shows no count. */
export function stepTitle(flow: string, title: string, at: StepPosition): string {
  return at.of > 1 ? `${flow} — ${title} (step ${at.step} of ${at.of})` : `${flow} — ${title}`;
}

function has<A>(answers: Partial<A>, id: keyof A): boolean {
  return Object.prototype.hasOwnProperty.call(answers, id);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export class StepWalk<A extends object> {
  private readonly answered: Partial<A> = {};
  private readonly given: Partial<A>;
  private readonly remembered: Partial<A>;
  /** The steps answered on the way to the current one, in order: Back returns to the last. */
  private trail: (keyof A & string)[] = [];
  private at: (keyof A & string) | undefined;
  /** What each step proposed when it was answered: an answer that only took the proposal is proposed afresh. */
  private readonly proposedThen = new Map<keyof A, unknown>();
  private lastProposal: { id: keyof A; value: unknown } | undefined;

  constructor(
    private readonly steps: readonly Step<A>[],
    options: { given?: Partial<A>; remembered?: Partial<A> } = {},
  ) {
    this.given = { ...(options.given ?? {}) };
    this.remembered = { ...(options.remembered ?? {}) };
    this.at = this.nextAfter(-1);
  }

  /** The answers so far: the given ones and those of the steps answered. */
  get answers(): Partial<A> {
    return { ...this.answered, ...this.given };
  }

  /** The steps asked, given the answers so far (the remembered ones for steps not answered yet): those that apply and were not given. */
  asked(): Step<A>[] {
    const assumed = this.assumed();
    return this.steps.filter((s) => !has(this.given, s.id) && (s.applies?.(assumed) ?? true));
  }

  /** The step to ask now; undefined when the walk is done. */
  current(): Step<A> | undefined {
    return this.steps.find((s) => s.id === this.at);
  }

  position(): StepPosition {
    const asked = this.asked().map((s) => s.id);
    return { step: this.at === undefined ? asked.length : asked.indexOf(this.at) + 1, of: asked.length };
  }

  /** The current step's proposal: its answer when it was answered with something else than proposed, else a fresh one. */
  async proposal(): Promise<unknown> {
    const step = this.current();
    if (!step) return undefined;
    const fresh = has(this.remembered, step.id) ? this.remembered[step.id] : await step.proposed?.(this.answers);
    const value = has(this.answered, step.id) && !same(this.answered[step.id], this.proposedThen.get(step.id)) ? this.answered[step.id] : fresh;
    this.lastProposal = { id: step.id, value: fresh };
    return value;
  }

  /** Answers the current step and moves to the next one that applies. */
  answer(value: unknown): void {
    const id = this.at;
    if (id === undefined) throw new Error('the walk is done');
    (this.answered as Record<string, unknown>)[id] = value;
    if (this.lastProposal?.id === id) this.proposedThen.set(id, this.lastProposal.value);
    else this.proposedThen.delete(id);
    this.trail.push(id);
    this.at = this.nextAfter(this.steps.findIndex((s) => s.id === id));
  }

  /** Returns to the step answered last (its answer kept); false on the first step. */
  back(): boolean {
    const previous = this.trail.pop();
    if (previous === undefined) return false;
    this.at = previous;
    return true;
  }

  /** Goes to the step `id` as if every step asked before it had been answered as it is. */
  jump(id: keyof A & string): void {
    const asked = this.asked().map((s) => s.id);
    const index = asked.indexOf(id);
    if (index < 0) throw new Error(`the step ${id} is not asked`);
    this.trail = asked.slice(0, index);
    this.at = id;
  }

  /** Answers each step asked before `id` with its proposal, then goes to `id` (a quick path's review). */
  async proposeUntil(id: keyof A & string): Promise<void> {
    while (this.at !== undefined && this.at !== id) this.answer(await this.proposal());
    if (this.at !== id) throw new Error(`the step ${id} is not asked`);
  }

  /** The answers of the steps that apply (an answer left behind by a changed earlier answer is dropped). */
  result(): Partial<A> {
    const asked = new Set(this.asked().map((s) => s.id));
    const out: Partial<A> = { ...this.given };
    for (const s of this.steps) if (asked.has(s.id) && has(this.answered, s.id)) (out as Record<string, unknown>)[s.id] = this.answered[s.id];
    return out;
  }

  private nextAfter(index: number): (keyof A & string) | undefined {
    const asked = new Set(this.asked());
    return this.steps.slice(index + 1).find((s) => asked.has(s))?.id;
  }

  private assumed(): Partial<A> {
    return { ...this.remembered, ...this.answered, ...this.given };
  }
}

/** Why a number typed into a step is refused; undefined when it is accepted. */
export function numberProblem(text: string, rule: NumberRule): string | undefined {
  const t = text.trim();
  if (t === '' && rule.optional) return undefined;
  const n = Number(t);
  if (t !== '' && Number.isFinite(n) && (!rule.integer || Number.isInteger(n)) && (rule.above ? n > rule.min : n >= rule.min)) return undefined;
  const what = `${rule.integer ? 'an integer' : 'a number'} ${rule.above ? 'above' : 'of at least'} ${rule.min}`;
  return rule.optional ? `${what}, or empty` : what;
}

/** The number typed (undefined for an empty optional box). */
export function parseNumber(text: string): number | undefined {
  return text.trim() === '' ? undefined : Number(text.trim());
}
