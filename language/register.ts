// Dataset files as a language: diagnostics, quick fixes, links, Go to Definition, code lenses and
// hover previews for split files, and links for bundle.json.
import * as vscode from 'vscode';
import { DescriptionDefinitionProvider } from './descriptionDefinition';
import { DESCRIBE_WITH_COMMAND, type HoverModel, bundleName, registerRecordHovers } from './hover/recordHoverProviders';
import { BundleLinkProvider, SplitFileLinkProvider } from './linkProviders';
import { LintController } from './lintController';
import { QuickFixProvider } from './quickFixProvider';
import { describeRecord, openRecordInMaskEditor } from './recordCommands';
import { DESCRIBE_RECORD_COMMAND, OPEN_RECORD_COMMAND, RecordCodeLensProvider } from './recordCodeLens';
import type { ServerRequests } from './serverRequests';
import { SPLIT_FILE_SELECTOR } from './splitFiles';

export interface LanguageServices {
  /** The child server's client (started on first use). */
  client: () => ServerRequests;
  log: (message: string) => void;
  /** The model chosen in the settings (a folder), or undefined for the embedded default. */
  defaultBundle: () => string | undefined;
  /** The setting anomalyLens.uncertainBelow; undefined: each bundle's own threshold. */
  uncertainBelow?: () => number | undefined;
  /** Asks for a model: { folder } (undefined folder = the embedded default), or undefined when dismissed. */
  pickBundle: () => Promise<{ folder?: string } | undefined>;
  /** Opens an image in the mask editor. */
  openMaskEditor: (image: string) => Promise<void>;
}

export function registerLanguageFeatures(services: LanguageServices): vscode.Disposable {
  // "Describe with another model" holds for this window until the setting changes.
  let chosen: { folder?: string } | undefined;
  const model: HoverModel = {
    bundle: () => (chosen ? chosen.folder : services.defaultBundle()),
    name: () => bundleName(chosen ? chosen.folder : services.defaultBundle()),
    uncertainBelow: () => services.uncertainBelow?.(),
  };
  // The checks themselves run no model, so in Restricted Mode the model waits for the first hover.
  const hoverModel = () => {
    if (!vscode.workspace.isTrusted) return undefined;
    const bundle = model.bundle();
    return bundle ? { bundle } : {};
  };
  const lint = new LintController(services.client, services.log, hoverModel);
  const bundleSelector: vscode.DocumentFilter = { scheme: 'file', pattern: '**/bundle.json' };
  return vscode.Disposable.from(
    lint,
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('anomalyLens.defaultBundle')) chosen = undefined;
    }),
    vscode.languages.registerCodeActionsProvider(SPLIT_FILE_SELECTOR, new QuickFixProvider(lint), { providedCodeActionKinds: QuickFixProvider.kinds }),
    vscode.languages.registerDocumentLinkProvider(SPLIT_FILE_SELECTOR, new SplitFileLinkProvider(lint)),
    vscode.languages.registerDocumentLinkProvider(bundleSelector, new BundleLinkProvider()),
    vscode.languages.registerDefinitionProvider(SPLIT_FILE_SELECTOR, new DescriptionDefinitionProvider()),
    vscode.languages.registerCodeLensProvider(SPLIT_FILE_SELECTOR, new RecordCodeLensProvider(lint)),
    registerRecordHovers(SPLIT_FILE_SELECTOR, services.client, model),
    vscode.commands.registerCommand(DESCRIBE_RECORD_COMMAND, describeRecord),
    vscode.commands.registerCommand(OPEN_RECORD_COMMAND, (uri: unknown, line: unknown) => openRecordInMaskEditor(services.openMaskEditor, uri, line)),
    vscode.commands.registerCommand(DESCRIBE_WITH_COMMAND, async (uri: unknown, line: unknown, region?: unknown) => {
      const picked = await services.pickBundle();
      if (!picked) return;
      chosen = picked;
      await describeRecord(uri, line, region);
    }),
  );
}
