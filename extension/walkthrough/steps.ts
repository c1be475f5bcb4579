// The "Get started with Anomaly Lens" walkthrough (package.json contributes.walkthroughs): the
// context keys its steps tick off on, each set once the workspace reaches the step's state, and
// when the walkthrough is offered unasked. No `vscode`.

export const WALKTHROUGH_ID = 'gettingStarted';

/** The context key of each state a step waits for. */
export const PROGRESS_KEYS = {
  /** A complete sample (its sample.json) lies in the workspace. */
  sample: 'anomalyLens.hasSample',
  /** A built dataset (dataset.json) lies in the workspace. */
  dataset: 'anomalyLens.hasDataset',
  /** A dataset's statistics were opened in this window (Show Dataset Statistics, or a build's stats.md). */
  statistics: 'anomalyLens.statisticsShown',
  /** An image is open in the mask editor, or was in this window. */
  maskEditor: 'anomalyLens.maskEditorOpened',
  /** An evaluation report (report.json) lies in the workspace. */
  report: 'anomalyLens.hasReport',
  /** A training run in the workspace finished with its bundle. */
  trained: 'anomalyLens.hasTrainedModel',
} as const;

export type ProgressState = keyof typeof PROGRESS_KEYS;

/** What the workspace holds of the walkthrough's states, as found on disk. */
export type WorkspaceFinds = Record<'sample' | 'dataset' | 'report' | 'trained', boolean>;

export interface OfferInputs {
  /** The walkthrough was offered before (in any window). */
  offeredBefore: boolean;
  trusted: boolean;
  /** A folder is open: the walkthrough's first step writes into it. */
  folderOpen: boolean;
  /** VS Code's setting workbench.welcomePage.walkthroughs.openOnInstall. */
  openOnInstall: boolean;
  found: WorkspaceFinds;
}

/**
 * Whether to offer the walkthrough by itself: once (VS Code opens an extension's walkthrough when
 * it is installed from the Marketplace, not from a VSIX on the command line), and only where it
 * helps: a trusted folder holding nothing of Anomaly Lens yet, for someone who has not turned
 * walkthroughs on install off.
 */
export function offersWalkthrough(i: OfferInputs): boolean {
  return !i.offeredBefore && i.trusted && i.folderOpen && i.openOnInstall && !Object.values(i.found).some(Boolean);
}
