// The bundle's two ONNX encoders in onnxruntime-node: opened, checked against bundle.json,
// and run in batches. Outputs are L2-normalised rows.
import * as ort from 'onnxruntime-node';
import { UserError, errorMessage } from '../util/errors';
import type { LoadedBundle } from './bundle';
import { l2NormaliseRows } from './embeddings';

export interface EncoderOptions {
  /** onnxruntime execution providers, in order of preference (default: CPU). */
  executionProviders?: ort.InferenceSession.SessionOptions['executionProviders'];
  /** Threads inside one operator (default: onnxruntime's choice). */
  intraOpNumThreads?: number;
  /** Rows per encoder run (default 16). */
  batchSize?: number;
}

/** One preprocessed image: image [3,S,S] and alpha [1,S,S], as preprocess.ts makes them. */
export interface ImageInput {
  image: Float32Array;
  alpha: Float32Array;
}

type Dim = number | string;

function describeShape(shape: readonly Dim[]): string {
  return `[${shape.map((d) => (typeof d === 'number' ? d : d || '?')).join(',')}]`;
}

function tensorMeta(session: ort.InferenceSession, name: string): ort.InferenceSession.TensorValueMetadata | undefined {
  const meta = session.inputMetadata.find((m) => m.name === name) ?? session.outputMetadata.find((m) => m.name === name);
  return meta && meta.isTensor ? meta : undefined;
}

/**
 * Compares declared dims with the expected ones (the batch axis is not checked). Returns false
 * when some dim is symbolic or unknown, so only a run can tell.
 */
function checkDims(file: string, what: string, shape: readonly Dim[] | undefined, expected: readonly number[]): boolean {
  if (!shape || shape.length === 0) return false;
  if (shape.length !== expected.length) {
    throw new UserError(`${what} has shape ${describeShape(shape)}; expected [N,${expected.slice(1).join(',')}]`, file);
  }
  let known = true;
  for (let i = 1; i < expected.length; i++) {
    if (typeof shape[i] !== 'number') known = false;
    else if (shape[i] !== expected[i]) throw new UserError(`${what} has shape ${describeShape(shape)}; expected [N,${expected.slice(1).join(',')}]`, file);
  }
  return known;
}

function outputName(session: ort.InferenceSession, file: string): string {
  if (session.outputNames.includes('embedding')) return 'embedding';
  if (session.outputNames.length === 1) return session.outputNames[0];
  throw new UserError(`has outputs ${session.outputNames.join(', ')}; expected one output (named "embedding")`, file);
}

function requireInputs(session: ort.InferenceSession, file: string, required: readonly string[], optional: readonly string[] = []): void {
  const missing = required.filter((n) => !session.inputNames.includes(n));
  const extra = session.inputNames.filter((n) => !required.includes(n) && !optional.includes(n));
  if (missing.length || extra.length) {
    throw new UserError(`has inputs ${session.inputNames.join(', ') || '(none)'}; expected ${[...required, ...optional.map((o) => `${o} (optional)`)].join(', ')}`, file);
  }
}

/**
 * onnxruntime-node (1.2x+) writes a telemetry database and device id under
 * ~/.cache/Microsoft/DeveloperTools/ when its environment starts, unless ORT_DISABLE_TELEMETRY
 * is set; the native library reads it when the first session is created.  A value the user
 * set is left as it is.
 */
export function disableOnnxTelemetry(): void {
  if (process.env.ORT_DISABLE_TELEMETRY === undefined) process.env.ORT_DISABLE_TELEMETRY = '1';
}

async function createSession(file: string, options: EncoderOptions): Promise<ort.InferenceSession> {
  disableOnnxTelemetry();
  try {
    const sessionOptions: ort.InferenceSession.SessionOptions = {
      executionProviders: options.executionProviders ?? ['cpu'],
      graphOptimizationLevel: 'all',
      // Failures are reported as errors naming the file; keep onnxruntime's own log quiet.
      logSeverityLevel: 4,
    };
    if (options.intraOpNumThreads !== undefined) sessionOptions.intraOpNumThreads = options.intraOpNumThreads;
    return await ort.InferenceSession.create(file, sessionOptions);
  } catch (err) {
    throw new UserError(`is not a model onnxruntime can load: ${errorMessage(err)}`, file);
  }
}

/** The message of an error without the file name a UserError puts in front. */
function cause(err: unknown): string {
  if (err instanceof UserError && err.file && err.message.startsWith(`${err.file}: `)) return err.message.slice(err.file.length + 2);
  return errorMessage(err);
}

/** What both encoders share: the open session, its file, output name and sizes. */
interface SessionParts {
  session: ort.InferenceSession;
  file: string;
  output: string;
  dim: number;
  batchSize: number;
}

/** Opens a session and builds an encoder on it; the session is released when building fails. */
async function withSession<T>(file: string, options: EncoderOptions, build: (session: ort.InferenceSession) => Promise<T>): Promise<T> {
  const session = await createSession(file, options);
  try {
    return await build(session);
  } catch (err) {
    await session.release();
    throw err;
  }
}

/** A run with batch 1, for models whose metadata leaves shapes open. */
async function dryRun(file: string, what: string, run: () => Promise<unknown>): Promise<void> {
  await run().catch((err: unknown) => {
    throw new UserError(`does not take ${what} as bundle.json says: ${cause(err)}`, file);
  });
}

abstract class Encoder {
  protected readonly session: ort.InferenceSession;
  readonly file: string;
  protected readonly output: string;
  readonly dim: number;
  protected readonly batchSize: number;

  protected constructor(parts: SessionParts) {
    ({ session: this.session, file: this.file, output: this.output, dim: this.dim, batchSize: this.batchSize } = parts);
  }

  /** Runs items in batches; feeds builds one batch's inputs. */
  protected async inBatches<T>(items: readonly T[], feeds: (batch: readonly T[], offset: number) => Record<string, ort.Tensor>): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let start = 0; start < items.length; start += this.batchSize) {
      const batch = items.slice(start, start + this.batchSize);
      out.push(...(await this.runBatch(feeds(batch, start), batch.length)));
    }
    return out;
  }

  protected async runBatch(feeds: Record<string, ort.Tensor>, rows: number): Promise<Float32Array[]> {
    let result: ort.InferenceSession.ReturnType;
    try {
      result = await this.session.run(feeds);
    } catch (err) {
      throw new UserError(`failed to run: ${errorMessage(err)}`, this.file);
    }
    const out = result[this.output];
    if (out.dims.length !== 2 || out.dims[0] !== rows || out.dims[1] !== this.dim || out.type !== 'float32') {
      throw new UserError(`returned ${out.type} ${describeShape(out.dims)}; expected float32 [${rows},${this.dim}]`, this.file);
    }
    return l2NormaliseRows(out.data as Float32Array, rows, this.dim);
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

/** Rows of token ids as an [n, L] tensor, zero-padded. */
function tokenTensor(rows: readonly (readonly number[])[], L: number, type: 'int64' | 'int32'): ort.Tensor {
  if (type === 'int32') {
    const ids = new Int32Array(rows.length * L);
    rows.forEach((row, i) => ids.set(row, i * L));
    return new ort.Tensor('int32', ids, [rows.length, L]);
  }
  const ids = new BigInt64Array(rows.length * L);
  rows.forEach((row, i) => row.forEach((id, j) => (ids[i * L + j] = BigInt(id))));
  return new ort.Tensor('int64', ids, [rows.length, L]);
}

export class OnnxImageEncoder extends Encoder {
  private constructor(
    parts: SessionParts,
    readonly size: number,
    private readonly feedsAlpha: boolean,
  ) {
    super(parts);
  }

  static async open(bundle: LoadedBundle, options: EncoderOptions = {}): Promise<OnnxImageEncoder> {
    const file = bundle.imageEncoderFile;
    const { imageSize: S, embedDim: D, alpha } = bundle.manifest;
    return withSession(file, options, async (session) => {
      requireInputs(session, file, alpha ? ['image', 'alpha'] : ['image'], alpha ? [] : ['alpha']);
      const feedsAlpha = session.inputNames.includes('alpha');
      const output = outputName(session, file);
      let known = checkDims(file, 'input "image"', tensorMeta(session, 'image')?.shape, [1, 3, S, S]);
      if (feedsAlpha) known = checkDims(file, 'input "alpha"', tensorMeta(session, 'alpha')?.shape, [1, 1, S, S]) && known;
      known = checkDims(file, `output "${output}"`, tensorMeta(session, output)?.shape, [1, D]) && known;
      const encoder = new OnnxImageEncoder({ session, file, output, dim: D, batchSize: options.batchSize ?? 16 }, S, feedsAlpha);
      if (!known) {
        const blank = { image: new Float32Array(3 * S * S), alpha: new Float32Array(S * S) };
        await dryRun(file, `image [N,3,${S},${S}] and alpha [N,1,${S},${S}] to [N,${D}]`, () => encoder.embed([blank]));
      }
      return encoder;
    });
  }

  /** L2-normalised embeddings, one per input, run in batches. */
  embed(inputs: readonly ImageInput[]): Promise<Float32Array[]> {
    const S = this.size;
    const plane = S * S;
    return this.inBatches(inputs, (batch, offset) => {
      const n = batch.length;
      const image = new Float32Array(n * 3 * plane);
      const alpha = new Float32Array(n * plane);
      batch.forEach((input, i) => {
        if (input.image.length !== 3 * plane || input.alpha.length !== plane) {
          throw new RangeError(`image input ${offset + i} has ${input.image.length}+${input.alpha.length} values; expected ${3 * plane}+${plane} (size ${S})`);
        }
        image.set(input.image, i * 3 * plane);
        alpha.set(input.alpha, i * plane);
      });
      const feeds: Record<string, ort.Tensor> = { image: new ort.Tensor('float32', image, [n, 3, S, S]) };
      if (this.feedsAlpha) feeds.alpha = new ort.Tensor('float32', alpha, [n, 1, S, S]);
      return feeds;
    });
  }
}

export class OnnxTextEncoder extends Encoder {
  private constructor(
    parts: SessionParts,
    readonly contextLength: number,
    private readonly idType: 'int64' | 'int32',
  ) {
    super(parts);
  }

  static async open(bundle: LoadedBundle, options: EncoderOptions = {}): Promise<OnnxTextEncoder> {
    const file = bundle.textEncoderFile;
    const { contextLength: L, embedDim: D } = bundle.manifest;
    return withSession(file, options, async (session) => {
      requireInputs(session, file, ['input_ids']);
      const meta = tensorMeta(session, 'input_ids');
      if (meta && meta.type !== 'int64' && meta.type !== 'int32') throw new UserError(`input "input_ids" is ${meta.type}; expected int64`, file);
      const idType = meta?.type === 'int32' ? 'int32' : 'int64';
      const output = outputName(session, file);
      let known = checkDims(file, 'input "input_ids"', meta?.shape, [1, L]);
      known = checkDims(file, `output "${output}"`, tensorMeta(session, output)?.shape, [1, D]) && known;
      const encoder = new OnnxTextEncoder({ session, file, output, dim: D, batchSize: options.batchSize ?? 16 }, L, idType);
      if (!known) {
        await dryRun(file, `input_ids [N,${L}] to [N,${D}]`, () => encoder.embed([[bundle.tokenizer.startId, bundle.tokenizer.endId]]));
      }
      return encoder;
    });
  }

  /** L2-normalised embeddings of token id rows (each padded with 0 to the context length). */
  embed(rows: readonly (readonly number[])[]): Promise<Float32Array[]> {
    const L = this.contextLength;
    return this.inBatches(rows, (batch, offset) => {
      batch.forEach((row, i) => {
        if (row.length > L) throw new RangeError(`token row ${offset + i} has ${row.length} ids; the context is ${L}`);
      });
      return { input_ids: tokenTensor(batch, L, this.idType) };
    });
  }
}
