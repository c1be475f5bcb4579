// The mask editor's channel to its host: requests typed by MaskEditorRequests, and the host's
// events, handed to the handler the page sets (hostEvents.ts).
import { connect } from '../channel';
import type { MaskEditorEvent, MaskEditorRequests } from './messages';
import type { WebviewState } from './settings';

let handler: (event: MaskEditorEvent) => void = () => undefined;

export const channel = connect<MaskEditorRequests, MaskEditorEvent, WebviewState>((event) => handler(event));

export function onHostEvent(handle: (event: MaskEditorEvent) => void): void {
  handler = handle;
}
