// Walks a table of steps with the multi-step input: each step asked the way its table row says,
// with its proposal ready to accept, Back to the step before (its answer kept), Escape to cancel.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { addFolders, folderRows, removeFolder, rowGoesOn, type FolderRow } from './folderList';
import { BACK, CANCEL, ItemButtonPress, MultiStepInput } from './multiStepInput';
import { numberProblem, parseNumber, stepTitle, type Ask, type Choice, type StepWalk } from './stepTable';

interface Shown {
  title: string;
  back: boolean;
}

/** A review row chosen: the walk goes to that step. */
class Jump {
  constructor(readonly step: string) {}
}

/** The answers of the steps that apply, or undefined when the user cancelled. */
export async function runSteps<A extends object>(flow: string, walk: StepWalk<A>): Promise<Partial<A> | undefined> {
  const input = new MultiStepInput();
  try {
    for (let step = walk.current(); step; step = walk.current()) {
      const at = walk.position();
      const shown = { title: stepTitle(flow, step.title, at), back: at.step > 1 };
      try {
        const answer = await askStep(input, step.ask(walk.answers), await walk.proposal(), shown);
        if (answer instanceof Jump) walk.jump(answer.step as keyof A & string);
        else walk.answer(answer);
      } catch (err) {
        if (err !== BACK || !walk.back()) throw err;
      }
    }
    return walk.result();
  } catch (err) {
    if (err === CANCEL) return undefined;
    throw err;
  } finally {
    input.close();
  }
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

async function askStep<A>(input: MultiStepInput, ask: Ask<A>, proposal: unknown, shown: Shown): Promise<unknown> {
  switch (ask.kind) {
    case 'pick': {
      const items = ask.choices.map((c) => ({ label: c.label, description: c.description, detail: c.detail, value: c.value }));
      const got = await input.pick({ ...shown, items, active: items.find((i) => same(i.value, proposal)), placeholder: ask.placeholder });
      return got instanceof ItemButtonPress ? got.item.value : got.value;
    }
    case 'number': {
      const text = await input.input({
        ...shown,
        value: typeof proposal === 'number' ? String(proposal) : '',
        placeholder: ask.emptyMeans ? `empty: ${ask.emptyMeans}` : undefined,
        validate: (t) => numberProblem(t, ask),
      });
      return parseNumber(text);
    }
    case 'path': {
      const value = typeof proposal === 'string' ? proposal : '';
      const text = await input.input({
        ...shown,
        value,
        valueSelection: [value.length - path.basename(value).length, value.length],
        prompt: ask.prompt,
        validate: (t) => (t.trim() ? undefined : 'Enter a path.'),
      });
      return text.trim();
    }
    case 'folders':
      return askFolders(input, ask, Array.isArray(proposal) ? (proposal as string[]) : [], shown);
    case 'file':
      return askFile(input, ask, proposal, shown);
    case 'review': {
      type Row = vscode.QuickPickItem & { step?: string };
      const accept: Row = { label: `$(check) ${ask.acceptLabel}`, detail: ask.acceptDetail };
      const rows: Row[] = ask.rows.map((r) => ({ label: `$(edit) ${r.label}`, description: r.description, step: r.step }));
      const got = await input.pick<Row>({ ...shown, items: [accept, ...rows], active: accept, placeholder: 'Enter to go on; choose a row to change it' });
      const row = got instanceof ItemButtonPress ? got.item : got;
      return row.step ? new Jump(row.step) : true;
    }
  }
}

const REMOVE: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('close'), tooltip: 'Remove this source' };

async function askFolders(input: MultiStepInput, ask: Extract<Ask<unknown>, { kind: 'folders' }>, initial: string[], shown: Shown): Promise<string[]> {
  type Row = vscode.QuickPickItem & { row: FolderRow };
  const described = new Map<string, string>();
  const describe = async (folder: string) => {
    if (!described.has(folder)) described.set(folder, ask.describe ? await ask.describe(folder) : '');
    return described.get(folder) as string;
  };
  let folders = initial;
  for (;;) {
    const { rows, active } = folderRows(folders);
    const items: Row[] = await Promise.all(
      rows.map(async (row): Promise<Row> => {
        if (row.kind === 'folder') return { label: `$(folder) ${path.basename(row.folder)}`, description: await describe(row.folder), detail: row.folder, buttons: [REMOVE], row };
        if (row.kind === 'add') return { label: `$(add) ${ask.addLabel}`, row };
        return { label: `$(check) ${ask.continueLabel}`, row };
      }),
    );
    const got = await input.pick<Row>({ ...shown, items, active: items[active] });
    if (got instanceof ItemButtonPress) {
      if (got.item.row.kind === 'folder') folders = removeFolder(folders, got.item.row.folder);
      continue;
    }
    if (rowGoesOn(got.row)) return folders;
    input.close();
    const chosen = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: true, title: ask.dialogTitle, openLabel: ask.openLabel });
    folders = addFolders(folders, (chosen ?? []).map((u) => u.fsPath));
  }
}

async function askFile(input: MultiStepInput, ask: Extract<Ask<unknown>, { kind: 'file' }>, proposal: unknown, shown: Shown): Promise<string | undefined> {
  type Row = vscode.QuickPickItem & { file?: string; none?: boolean; browse?: boolean };
  const known = new Set(ask.candidates.map((c) => c.value));
  const extra: Choice<string>[] = typeof proposal === 'string' && !known.has(proposal) ? [{ label: path.basename(proposal), detail: proposal, value: proposal }] : [];
  for (;;) {
    const items: Row[] = [
      ...[...extra, ...ask.candidates].map((c) => ({ label: `$(file) ${c.label}`, description: c.description, detail: c.detail ?? c.value, file: c.value })),
      ...(ask.none ? [{ label: `$(circle-slash) ${ask.none}`, none: true }] : []),
      { label: '$(folder-opened) Browse…', browse: true },
    ];
    const active = items.find((i) => (proposal === undefined ? i.none : i.file === proposal)) ?? items[0];
    const got = await input.pick<Row>({ ...shown, items, active });
    const row = got instanceof ItemButtonPress ? got.item : got;
    if (row.none) return undefined;
    if (row.file) return row.file;
    input.close();
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const chosen = await vscode.window.showOpenDialog({ title: ask.dialogTitle, canSelectFiles: true, canSelectFolders: false, canSelectMany: false, filters: ask.filters, defaultUri: folder });
    if (chosen?.[0]) return chosen[0].fsPath;
  }
}
