// What the mask editor keeps across reloads with vscode.setState: the tool and its settings.
import { channel } from './hostChannel';
import type { Tool } from './tools/toolbox';

export interface WebviewState {
  tool: Tool;
  brush: number;
  tolerance: number;
  opacity: number;
  describeWhileDrawing: boolean;
}

export const ui: WebviewState = { tool: 'brush', brush: 9, tolerance: 24, opacity: 0.45, describeWhileDrawing: false, ...channel.vscode.getState() };

export function remember(): void {
  channel.vscode.setState(ui);
}
