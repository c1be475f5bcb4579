// The image file the active editor tab shows: in VS Code's image preview, or in the mask editor.
import * as vscode from 'vscode';

/** VS Code's own image preview. */
export const IMAGE_PREVIEW_VIEW_TYPE = 'imagePreview.previewEditor';

/** The active tab when it shows a file in a custom editor of one of `viewTypes`. */
export function activeImageTab(viewTypes: readonly string[]): { tab: vscode.Tab; uri: vscode.Uri } | undefined {
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
  const input = tab?.input;
  return tab && input instanceof vscode.TabInputCustom && viewTypes.includes(input.viewType) && input.uri.scheme === 'file' ? { tab, uri: input.uri } : undefined;
}

/** The file of the active tab when it is a custom editor of one of `viewTypes`. */
export function activeImage(viewTypes: readonly string[]): vscode.Uri | undefined {
  return activeImageTab(viewTypes)?.uri;
}
