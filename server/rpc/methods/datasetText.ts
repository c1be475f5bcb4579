// The split-file language requests: lint (in a worker thread, opening the hovers' model
// meanwhile), and a record's hover thumbnail and predictions.
import { RecordHover } from '../../datasetText/recordHover';
import { SplitFileLinter } from '../../datasetText/splitFileLinter';
import { defaultBundleDir } from '../../model/defaultBundle';
import { Params, nonNegativeInteger, positiveInteger } from '../params';
import type { PredictorCache } from '../predictors';
import {
  LintSplitFileRequest,
  PredictRecordRequest,
  PreviewRecordRequest,
  type LintSplitFileParams,
  type PredictRecordParams,
  type PreviewRecordParams,
  type RecordFilesParams,
} from '../protocol';

function recordFiles(p: Params): RecordFilesParams {
  return { file: p.string('file'), image: p.string('image'), masks: p.optionalStrings('masks') ?? [] };
}

export function checkLintParams(raw: unknown): LintSplitFileParams {
  const p = Params.of(LintSplitFileRequest.method, raw);
  const text = (raw as { text?: unknown }).text;
  const hoverModel = p.optionalObject('hoverModel');
  return {
    file: p.string('file'),
    // Text of any length, empty included: only its type is checked.
    ...(typeof text === 'string' ? { text } : text === undefined ? {} : { text: p.string('text') }),
    ...(hoverModel ? { hoverModel: { bundle: hoverModel.optionalString('bundle') } } : {}),
  };
}

export function checkPreviewParams(raw: unknown): PreviewRecordParams {
  const p = Params.of(PreviewRecordRequest.method, raw);
  return {
    ...recordFiles(p),
    focus: p.optionalNumber('focus', nonNegativeInteger, 'a region index'),
    maxSize: p.optionalNumber('maxSize', (n) => positiveInteger(n) && n <= 1024, 'an integer from 1 to 1024'),
  };
}

export function checkPredictParams(raw: unknown): PredictRecordParams {
  const p = Params.of(PredictRecordRequest.method, raw);
  return {
    ...recordFiles(p),
    bundle: p.optionalString('bundle'),
    topK: p.optionalNumber('topK', positiveInteger, 'an integer of at least 1'),
    only: p.optionalNumber('only', nonNegativeInteger, 'a region index'),
  };
}

export class LanguageMethods {
  readonly linter = new SplitFileLinter();
  readonly hover: RecordHover;

  constructor(private readonly predictors: PredictorCache) {
    this.hover = new RecordHover((bundle) => predictors.get(bundle));
  }

  lint(params: LintSplitFileParams, signal: AbortSignal) {
    if (params.hoverModel) this.openModel(params.hoverModel.bundle);
    return this.linter.lint({ file: params.file, ...(params.text !== undefined ? { text: params.text } : {}) }, signal);
  }

  /** Starts opening a model the hovers will want; one that cannot open is not kept, and the hover's own request says why. */
  private openModel(bundle: string | undefined): void {
    try {
      this.predictors.get(bundle ?? defaultBundleDir()).catch(() => undefined);
    } catch {
      // No default model installed: the hover says so.
    }
  }

  preview(params: PreviewRecordParams) {
    return this.hover.thumbnail(params, { focus: params.focus, maxSize: params.maxSize });
  }

  predict(params: PredictRecordParams, signal: AbortSignal) {
    return this.hover.predict(params, params.bundle ?? defaultBundleDir(), { topK: params.topK, only: params.only, signal });
  }
}
