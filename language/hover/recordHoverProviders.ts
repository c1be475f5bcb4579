// Hovers over a split file's records.  Two providers, so VS Code shows each part as it arrives:
// the thumbnail with the record's facts (quick), and the predictions (the model may need a
// moment on a cold start), which VS Code shows above the thumbnail once they arrive, so that
// they are read first without scrolling.  Both requests are cancelled when the hover closes.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { errorMessage } from '../../server/util/errors';
import { PredictRecordRequest, PreviewRecordRequest, type RecordThumbnail } from '../../server/rpc/protocol';
import { confinedPath } from '../confinedPath';
import type { ServerRequests } from '../serverRequests';
import { datasetRoot } from '../splitFiles';
import { type HoverLinks, commandUri, escapeMarkdown, predictionsMarkdown, recordMarkdown } from './hoverMarkdown';
import { type RecordFacts, recordAt } from './recordAt';

export const DESCRIBE_WITH_COMMAND = 'anomalyLens.describeRecordWith';
const OPEN_MASK_EDITOR_COMMAND = 'anomalyLens.openMaskEditor';

/** The model the hovers predict with: a folder, or undefined for the embedded default. */
export interface HoverModel {
  bundle(): string | undefined;
  name(): string;
  /** The confidence below which an answer is uncertain, from the settings; undefined: the bundle's own. */
  uncertainBelow?(): number | undefined;
}

function hoverRange(document: vscode.TextDocument, facts: RecordFacts): vscode.Range {
  return facts.regionSpan ? new vscode.Range(facts.line, facts.regionSpan[0], facts.line, facts.regionSpan[1]) : document.lineAt(facts.line).range;
}

function factsAt(document: vscode.TextDocument, position: vscode.Position): RecordFacts | undefined {
  const line = document.lineAt(position.line);
  // A hover over a huge line (not a record the build writes) is not worth parsing.
  if (line.text.length > 1_000_000) return undefined;
  return recordAt(position.line, line.text, position.character);
}

function markdown(text: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(text);
  md.isTrusted = { enabledCommands: [OPEN_MASK_EDITOR_COMMAND, DESCRIBE_WITH_COMMAND] };
  return md;
}

function imagePath(document: vscode.TextDocument, facts: RecordFacts): string | undefined {
  return confinedPath(datasetRoot(document), facts.image);
}

function links(document: vscode.TextDocument, facts: RecordFacts, thumbnail?: RecordThumbnail): HoverLinks {
  const image = thumbnail?.image;
  return {
    ...(image ? { maskEditor: commandUri(OPEN_MASK_EDITOR_COMMAND, { image, ...(facts.region !== undefined ? { region: facts.region } : {}) }) } : {}),
    ...(image ? { image: vscode.Uri.file(image).toString() } : {}),
    masks: facts.regions.map((_, i) => {
      const mask = thumbnail?.masks[i];
      return mask ? vscode.Uri.file(mask).toString() : undefined;
    }),
    describeWith: commandUri(DESCRIBE_WITH_COMMAND, document.uri.toString(), facts.line, ...(facts.region !== undefined ? [facts.region] : [])),
  };
}

function requestFiles(document: vscode.TextDocument, facts: RecordFacts) {
  return { file: document.fileName, image: facts.image, masks: facts.regions.map((r) => r.mask) };
}

export class RecordPreviewHoverProvider implements vscode.HoverProvider {
  constructor(private readonly client: () => ServerRequests) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const facts = factsAt(document, position);
    if (!facts) return undefined;
    let thumbnail: RecordThumbnail | undefined;
    let problem: string | undefined;
    try {
      thumbnail = await this.client().request(
        PreviewRecordRequest,
        { ...requestFiles(document, facts), ...(facts.region !== undefined ? { focus: facts.region } : {}) },
        { token, timeoutMs: 15_000 },
      );
    } catch (err) {
      problem = errorMessage(err);
    }
    if (token.isCancellationRequested) return undefined;
    return new vscode.Hover(markdown(recordMarkdown(facts, thumbnail, links(document, facts, thumbnail), problem)), hoverRange(document, facts));
  }
}

export class RecordPredictionHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly client: () => ServerRequests,
    private readonly model: HoverModel,
  ) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const facts = factsAt(document, position);
    if (!facts || facts.regions.length === 0 || !imagePath(document, facts)) return undefined;
    const bundle = this.model.bundle();
    try {
      const predictions = await this.client().request(
        PredictRecordRequest,
        { ...requestFiles(document, facts), ...(bundle ? { bundle } : {}), ...(facts.region !== undefined ? { only: facts.region } : {}) },
        { token, timeoutMs: 60_000 },
      );
      if (token.isCancellationRequested) return undefined;
      const threshold = this.model.uncertainBelow?.();
      return new vscode.Hover(markdown(predictionsMarkdown(facts, predictions, this.model.name(), links(document, facts), threshold)), hoverRange(document, facts));
    } catch (err) {
      if (token.isCancellationRequested) return undefined;
      return new vscode.Hover(markdown(`*No prediction: ${escapeMarkdown(errorMessage(err))}*`), hoverRange(document, facts));
    }
  }
}

export function bundleName(folder: string | undefined): string {
  return folder ? path.basename(folder) : 'the embedded default model';
}

/**
 * Registers both hovers. Of the hovers for the same documents VS Code shows first the one of the
 * provider registered last, whichever answers first: the predictions are registered last.
 */
export function registerRecordHovers(selector: vscode.DocumentSelector, client: () => ServerRequests, model: HoverModel): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.languages.registerHoverProvider(selector, new RecordPreviewHoverProvider(client)),
    vscode.languages.registerHoverProvider(selector, new RecordPredictionHoverProvider(client, model)),
  );
}
