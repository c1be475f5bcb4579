// Shape checks of request parameters: a wrong shape is a JSON-RPC InvalidParams error naming
// the method and the field.
import { ResponseError } from 'vscode-jsonrpc';
import { ErrorCodes, type JobParams } from './protocol';

export class Params {
  private constructor(
    private readonly method: string,
    private readonly value: Record<string, unknown>,
  ) {}

  static of(method: string, params: unknown): Params {
    if (typeof params !== 'object' || params === null || Array.isArray(params)) {
      throw new ResponseError(ErrorCodes.InvalidParams, `${method}: parameters must be an object`);
    }
    return new Params(method, params as Record<string, unknown>);
  }

  private invalid(key: string, expected: string): ResponseError<void> {
    return new ResponseError(ErrorCodes.InvalidParams, `${this.method}: ${key} must be ${expected}, not ${JSON.stringify(this.value[key])}`);
  }

  string(key: string): string {
    const v = this.value[key];
    if (typeof v !== 'string' || v === '') throw this.invalid(key, 'a non-empty string');
    return v;
  }

  optionalString(key: string): string | undefined {
    return this.value[key] === undefined ? undefined : this.string(key);
  }

  /** What every long request takes besides its own parameters: its job's id and progress token. */
  jobParams(): JobParams {
    return { jobId: this.optionalString('jobId'), progressToken: this.optionalString('progressToken') };
  }

  optionalNumber(key: string, check: (n: number) => boolean = Number.isFinite, expected = 'a number'): number | undefined {
    const v = this.value[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v) || !check(v)) throw this.invalid(key, expected);
    return v;
  }

  optionalBoolean(key: string): boolean | undefined {
    const v = this.value[key];
    if (v !== undefined && typeof v !== 'boolean') throw this.invalid(key, 'true or false');
    return v as boolean | undefined;
  }

  optionalOneOf<T extends string>(key: string, choices: readonly T[]): T | undefined {
    const v = this.value[key];
    if (v !== undefined && !choices.includes(v as T)) throw this.invalid(key, `one of ${choices.join(', ')}`);
    return v as T | undefined;
  }

  optionalStrings(key: string): string[] | undefined {
    const v = this.value[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) throw this.invalid(key, 'a list of strings');
    return v as string[];
  }

  /** A nested object, checked the same way. */
  optionalObject(key: string): Params | undefined {
    const v = this.value[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw this.invalid(key, 'an object');
    return new Params(`${this.method}: ${key}`, v as Record<string, unknown>);
  }

  /** A list of objects, each checked the same way. */
  objects(key: string): Params[] {
    const v = this.value[key];
    if (!Array.isArray(v) || v.length === 0) throw this.invalid(key, 'a non-empty list');
    return v.map((item, i) => Params.of(`${this.method}: ${key}[${i}]`, item));
  }
}

export const positive = (n: number): boolean => n > 0;
export const nonNegative = (n: number): boolean => n >= 0;
export const positiveInteger = (n: number): boolean => Number.isInteger(n) && n >= 1;
export const nonNegativeInteger = (n: number): boolean => Number.isInteger(n) && n >= 0;
