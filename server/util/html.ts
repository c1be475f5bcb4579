// @pure: text made safe inside HTML, for the engine's reports and the extension's webview pages.
/** Text made safe inside HTML, in an element or an attribute (`&`, `<`, `>` and both quotes). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}
