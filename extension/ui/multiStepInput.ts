// The quick inputs of a guided flow, one step after the other: each step's quick pick or input
// box carries its title ("step k of n") and, after the first step, the Back button; Back and
// Escape end the step's promise with BACK or CANCEL. A step stays on screen, disabled, until the
// next one shows, so a flow does not flicker between its steps.
import * as vscode from 'vscode';

export const BACK = Symbol('back');
export const CANCEL = Symbol('cancel');

/** A quick pick's item button pressed (e.g. a row's Remove). */
export class ItemButtonPress<I> {
  constructor(
    readonly item: I,
    readonly button: vscode.QuickInputButton,
  ) {}
}

export interface PickOptions<I extends vscode.QuickPickItem> {
  title: string;
  items: I[];
  /** The row Enter accepts. */
  active?: I;
  placeholder?: string;
  back: boolean;
}

export interface InputOptions {
  title: string;
  value: string;
  valueSelection?: [number, number];
  prompt?: string;
  placeholder?: string;
  /** Why the text is refused, or undefined. */
  validate: (text: string) => string | undefined;
  back: boolean;
}

interface Settle<T> {
  resolve: (value: T) => void;
}

export class MultiStepInput {
  private current: vscode.QuickInput | undefined;

  pick<I extends vscode.QuickPickItem>(options: PickOptions<I>): Promise<I | ItemButtonPress<I>> {
    const pick = vscode.window.createQuickPick<I>();
    pick.title = options.title;
    pick.placeholder = options.placeholder;
    pick.matchOnDescription = true;
    pick.matchOnDetail = true;
    pick.items = options.items;
    if (options.active) pick.activeItems = [options.active];
    return this.show(pick, options.back, (settle) => [
      pick.onDidAccept(() => {
        const item = pick.selectedItems[0] ?? pick.activeItems[0];
        if (item) settle.resolve(item);
      }),
      pick.onDidTriggerItemButton((e) => settle.resolve(new ItemButtonPress(e.item, e.button))),
    ]);
  }

  input(options: InputOptions): Promise<string> {
    const box = vscode.window.createInputBox();
    box.title = options.title;
    box.value = options.value;
    if (options.valueSelection) box.valueSelection = options.valueSelection;
    box.prompt = options.prompt;
    box.placeholder = options.placeholder;
    return this.show(box, options.back, (settle) => [
      box.onDidChangeValue((text) => (box.validationMessage = options.validate(text))),
      box.onDidAccept(() => {
        const problem = options.validate(box.value);
        box.validationMessage = problem;
        if (!problem) settle.resolve(box.value);
      }),
    ]);
  }

  /** Closes the step on screen: before a dialog of VS Code's own, and when the flow ends. */
  close(): void {
    this.current?.dispose();
    this.current = undefined;
  }

  private show<T>(input: vscode.QuickPick<vscode.QuickPickItem> | vscode.InputBox, back: boolean, listen: (settle: Settle<T>) => vscode.Disposable[]): Promise<T> {
    input.ignoreFocusOut = true;
    input.buttons = back ? [vscode.QuickInputButtons.Back] : [];
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const disposables: vscode.Disposable[] = [];
      const settle = (finish: () => void) => {
        if (settled) return;
        settled = true;
        for (const d of disposables) d.dispose();
        input.enabled = false;
        input.busy = true;
        finish();
      };
      disposables.push(
        input.onDidTriggerButton((button) => {
          if (button === vscode.QuickInputButtons.Back) settle(() => reject(BACK));
        }),
        input.onDidHide(() => settle(() => reject(CANCEL))),
        ...listen({ resolve: (value) => settle(() => resolve(value)) }),
      );
      const previous = this.current;
      this.current = input;
      input.show();
      previous?.dispose();
    });
  }
}
