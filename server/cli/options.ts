// Parsers for option values shared by the commands. A bad value throws commander's
// InvalidArgumentError; main.ts turns it into one line naming the option, exit 2.
import { availableParallelism } from 'node:os';
import { InvalidArgumentError } from 'commander';

function parsed(value: string): number {
  return value.trim() === '' ? Number.NaN : Number(value);
}

/** Any finite number. */
export function finiteNumber(value: string): number {
  const n = parsed(value);
  if (!Number.isFinite(n)) throw new InvalidArgumentError('expected a number.');
  return n;
}

/** A finite number above 0. */
export function positiveNumber(value: string): number {
  const n = parsed(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a number above 0.');
  return n;
}

/** A finite number of at least 0. */
export function nonNegativeNumber(value: string): number {
  const n = parsed(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number of at least 0.');
  return n;
}

/** A number in [min, max]. */
export function numberIn(min: number, max: number, { minExclusive = false } = {}): (value: string) => number {
  return (value) => {
    const n = parsed(value);
    if (!Number.isFinite(n) || n > max || (minExclusive ? n <= min : n < min)) {
      throw new InvalidArgumentError(`expected a number ${minExclusive ? 'above' : 'from'} ${min} ${minExclusive ? 'and at most' : 'to'} ${max}.`);
    }
    return n;
  };
}

/** An integer of at least `min` (and at most `max` when given). */
export function integerAtLeast(min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const n = parsed(value);
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(max === Number.MAX_SAFE_INTEGER ? `expected an integer of at least ${min}.` : `expected an integer from ${min} to ${max}.`);
    }
    return n;
  };
}

/** Any safe integer. */
export function integer(value: string): number {
  const n = parsed(value);
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError('expected an integer.');
  return n;
}

export const positiveInteger = integerAtLeast(1);
export const nonNegativeInteger = integerAtLeast(0);

/** The most worker threads or processes a command starts: twice the cores. */
export function maxWorkers(cores = availableParallelism()): number {
  return Math.max(1, cores) * 2;
}

/**
 * --workers: an integer of at least 1; more than twice the cores is clamped with a warning
 * (more threads than that only add memory and context switches).
 */
export function workersOption(warn: (message: string) => void = (m) => process.stderr.write(`anomaly-lens: warning: ${m}\n`), cores = availableParallelism()) {
  const parse = integerAtLeast(1);
  return (value: string): number => {
    const n = parse(value);
    const max = maxWorkers(cores);
    if (n <= max) return n;
    warn(`--workers ${n} is more than twice the ${cores} core(s): using ${max}`);
    return max;
  };
}

/** Collects a repeatable option into a list. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
