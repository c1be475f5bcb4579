// The editor's buttons and number fields: VS Code's own (@vscode-elements), which take their
// colours from the theme's --vscode-* variables.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { VscodeButton } from '@vscode-elements/elements/dist/vscode-button/vscode-button.js';
import type { VscodeTextfield } from '@vscode-elements/elements/dist/vscode-textfield/vscode-textfield.js';
import { el } from '../channel';

/** A secondary button (the active tool alone is a primary one). */
export function actionButton(className: string, text: string, title: string, run: () => void): VscodeButton {
  const b = el('vscode-button', className, text);
  b.secondary = true;
  b.title = title;
  b.addEventListener('click', run);
  return b;
}

/** A number field with its label before it (the label names the field for screen readers too). */
export function numberField(id: string, label: string, options: { min: number; max?: number; step?: number; value: number }): { label: HTMLElement; field: VscodeTextfield } {
  const field = el('vscode-textfield', 'number');
  field.id = id;
  field.type = 'number';
  field.min = options.min;
  if (options.max !== undefined) field.max = options.max;
  if (options.step !== undefined) field.step = options.step;
  field.value = String(options.value);
  const name = el('vscode-label', undefined, label);
  name.htmlFor = id;
  return { label: name, field };
}
