// Open model bundles, one Predictor per bundle folder, kept between requests (opening one
// loads two ONNX sessions). A bundle whose bundle.json changed on disk is opened afresh.
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BUNDLE_MANIFEST, Predictor, type PredictorOptions } from '../model';
import { errorMessage } from '../util/errors';

interface Entry {
  stamp: number;
  predictor: Promise<Predictor>;
}

function manifestStamp(dir: string): number {
  try {
    return statSync(join(dir, BUNDLE_MANIFEST)).mtimeMs;
  } catch {
    return -1;
  }
}

export class PredictorCache {
  private readonly open = new Map<string, Entry>();

  constructor(
    private readonly options: PredictorOptions = {},
    private readonly log: (message: string) => void = () => {},
  ) {}

  /** The bundle folders open (or opening). */
  folders(): string[] {
    return [...this.open.keys()];
  }

  async get(bundleDir: string): Promise<Predictor> {
    const dir = resolve(bundleDir);
    const stamp = manifestStamp(dir);
    const cached = this.open.get(dir);
    if (cached && cached.stamp === stamp) return cached.predictor;
    if (cached) {
      this.open.delete(dir);
      this.release(dir, cached);
    }
    const predictor = Predictor.open(dir, this.options);
    const entry = { stamp, predictor };
    this.open.set(dir, entry);
    // A bundle that fails to open is not kept: the next request tries again.
    predictor.catch(() => {
      if (this.open.get(dir) === entry) this.open.delete(dir);
    });
    return predictor;
  }

  private release(dir: string, entry: Entry): Promise<void> {
    return entry.predictor.then(
      (p) => p.close(),
      () => undefined,
    ).catch((err: unknown) => this.log(`closing the model ${dir} failed: ${errorMessage(err)}`));
  }

  async closeAll(): Promise<void> {
    const entries = [...this.open];
    this.open.clear();
    await Promise.all(entries.map(([dir, entry]) => this.release(dir, entry)));
  }
}
