// Retries of a request after rate limiting, server errors, timeouts and network errors:
// exponential backoff with jitter, or the server's Retry-After when it says more. No wait is
// longer than the policy's cap: a server that asks for more (a 429 with "Retry-After: 3600")
// is not retried, since waiting the cap and asking again would only meet the same answer.
import { setTimeout as sleep } from 'node:timers/promises';
import { APIConnectionError, APIError } from 'openai';
import { errorMessage } from '../../util/errors';

export interface RetryPolicy {
  maxRetries: number;
  baseMs: number;
  maxMs: number;
  /** Stops the waits between attempts (the attempt itself watches it too). */
  signal?: AbortSignal;
}

/** Statuses worth another try: timeout, conflict, rate limit, server errors. */
function retryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** The wait a response asks for (Retry-After in seconds or as a date, or retry-after-ms). */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = Number(headers.get('retry-after-ms') ?? NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Whether an error is worth retrying, and how long the server asked to wait. */
export function retryAdvice(err: unknown): { retry: boolean; afterMs?: number } {
  if (err instanceof APIConnectionError) return { retry: true };
  if (err instanceof APIError && typeof err.status === 'number') {
    if (!retryableStatus(err.status)) return { retry: false };
    const afterMs = retryAfterMs(err.headers);
    return afterMs === undefined ? { retry: true } : { retry: true, afterMs };
  }
  return { retry: false };
}

/** The delay before retry number `attempt` (0-based): base·2^attempt with ±25 % jitter, at least Retry-After. */
export function backoffMs(attempt: number, policy: RetryPolicy, afterMs?: number, random = Math.random): number {
  const exponential = policy.baseMs * 2 ** attempt * (0.75 + 0.5 * random());
  return Math.min(policy.maxMs, Math.max(exponential, afterMs ?? 0));
}

/** A server that asked to wait longer than the policy allows. */
export class RetryAfterTooLong extends Error {
  constructor(
    cause: unknown,
    readonly afterMs: number,
    readonly maxMs: number,
  ) {
    super(`${errorMessage(cause)}; the server asks to wait ${seconds(afterMs)} (Retry-After), more than the ${seconds(maxMs)} a retry may wait`);
    this.name = 'RetryAfterTooLong';
  }
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(ms < 10_000 ? 1 : 0))} s`;
}

export class RetriesExhausted extends Error {
  constructor(
    message: string,
    readonly attempts: number,
    readonly lastError: unknown,
  ) {
    super(message);
    this.name = 'RetriesExhausted';
  }
}

/** Runs `fn` until it succeeds, fails for good, or the retries are spent. */
export async function withRetry<T>(fn: () => Promise<T>, policy: RetryPolicy): Promise<{ value: T; attempts: number }> {
  for (let attempt = 0; ; attempt++) {
    try {
      return { value: await fn(), attempts: attempt + 1 };
    } catch (err) {
      const advice = retryAdvice(err);
      if (advice.retry && advice.afterMs !== undefined && advice.afterMs > policy.maxMs) {
        throw new RetriesExhausted('not retried', attempt + 1, new RetryAfterTooLong(err, advice.afterMs, policy.maxMs));
      }
      if (!advice.retry || attempt >= policy.maxRetries || policy.signal?.aborted) {
        throw new RetriesExhausted(advice.retry ? `gave up after ${attempt + 1} attempts` : 'not retried', attempt + 1, err);
      }
      await sleep(backoffMs(attempt, policy, advice.afterMs), undefined, policy.signal ? { signal: policy.signal } : undefined);
    }
  }
}
