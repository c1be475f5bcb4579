// The mask editor in a real VS Code, as a curator uses it: an MVTec test image reopened with
// "Anomaly Lens Mask Editor", a region drawn, undone and redone with VS Code's keys, saved (the
// written mask is compared pixel by pixel with what the editor shows), described by the default
// model and seen in a dark, a high-contrast and a light colour theme; then the Review view of a
// built dataset, whose first disagreement opens the editor on it with the model's answer beside
// the regions, which keeps its queue across a window reload, takes the model's description while
// the editor is open, and a change on disk under unsaved edits.
import type { Check } from '../harness';
import { describeRegion, drawUndoRedoSave, hiddenSaveRevertReload, newRegionOnTile, reopenWith } from './drawing';
import { conflictAsked, reviewKeptAcrossReload, reviewQueue, reviewWhileOpen } from './review';
import { themeFollowed } from './theme';

export { prepareMaskEditorWorkspace } from './workspace';

export const MASK_EDITOR_CHECKS: Check[] = [reopenWith, drawUndoRedoSave, describeRegion, themeFollowed, hiddenSaveRevertReload, reviewQueue, reviewKeptAcrossReload, reviewWhileOpen, conflictAsked, newRegionOnTile];
