// Which room may import which, and the check of an import graph against it.  docs/architecture.md
// shows the same table; the test checks that the two agree.
import type { ImportEdge, SourceModule } from './importGraph';

/** The folders whose .ts files make up the product. */
export const SOURCE_FOLDERS = ['server', 'extension', 'language', 'webviews'] as const;

/**
 * The engine's rooms, lowest first: a room imports only the rooms of the layers below it (its own
 * files freely), never one beside it: `editor` and `datasetText` do not import each other, nor
 * do the two entry points on top, `rpc` and `cli`.
 */
export const ENGINE_LAYERS: readonly (readonly string[])[] = [
  ['server/util'],
  ['server/masks'],
  ['server/image'],
  ['server/describe'],
  ['server/dataset'],
  ['server/model'],
  ['server/detect'],
  ['server/eval'],
  ['server/sample'],
  ['server/editor', 'server/datasetText'],
  ['server/jobs'],
  ['server/rpc', 'server/cli'],
];

/** The rooms that run in VS Code or a webview: they reach `server/` only through pure modules and types. */
export const FRONT_ROOMS: Readonly<Record<string, readonly string[]>> = {
  extension: ['language', 'webviews'],
  language: [],
  webviews: [],
};

/** `server/` as a front room's table entry: its pure modules, and anything through `import type`. */
export const SERVER = 'server';

/** Each room with the rooms it may import (its own files are always allowed). */
export function mayImportTable(): Map<string, string[]> {
  const table = new Map<string, string[]>();
  ENGINE_LAYERS.forEach((layer, i) => {
    const below = ENGINE_LAYERS.slice(0, i).flat();
    for (const room of layer) table.set(room, below);
  });
  for (const [room, others] of Object.entries(FRONT_ROOMS)) table.set(room, [...others, SERVER]);
  return table;
}

/** The npm packages a pure module may import at run time: the protocol's message-type constants. */
export const PURE_PACKAGES: readonly string[] = ['vscode-jsonrpc'];

/** Files outside the source folders that a source file may import: the product's manifest (its version). */
export const OUTSIDE_FILES: readonly string[] = ['package.json'];

/** The rooms that may import `vscode`. */
export const VSCODE_ROOMS: readonly string[] = ['extension', 'language'];

/** A file's room: `server/<folder>` for the engine, else its top folder; undefined outside the sources. */
export function roomOf(file: string): string | undefined {
  const parts = file.split('/');
  if (!(SOURCE_FOLDERS as readonly string[]).includes(parts[0])) return undefined;
  if (parts[0] !== 'server') return parts[0];
  return parts.length > 2 ? `server/${parts[1]}` : 'server (top folder)';
}

export interface Violation {
  /** file:line → target */
  where: string;
  rule: string;
}

function violation(edge: ImportEdge, rule: string): Violation {
  return { where: `${edge.from}:${edge.line} → ${edge.to ?? edge.specifier}${edge.typeOnly ? ' (type)' : ''}`, rule };
}

/** Every import of the graph that breaks a rule, in file order. */
export function checkGraph(modules: readonly SourceModule[]): Violation[] {
  const table = mayImportTable();
  const pureFiles = new Set(modules.filter((m) => m.pure).map((m) => m.file));
  const isPure = (file: string): boolean => pureFiles.has(file) || file.endsWith('.json');
  const out: Violation[] = [];
  for (const module of modules) {
    const from = roomOf(module.file);
    if (!from) continue;
    const allowed = table.get(from);
    if (!allowed) {
      out.push({ where: module.file, rule: `${from} is a room the table does not place` });
      continue;
    }
    const front = from in FRONT_ROOMS;
    for (const edge of module.imports) {
      if (edge.kind === 'package') {
        if (edge.specifier === 'vscode' && !VSCODE_ROOMS.includes(from)) out.push(violation(edge, `only ${VSCODE_ROOMS.join(' and ')} import vscode`));
        else if (module.pure && !edge.typeOnly && !PURE_PACKAGES.includes(edge.specifier)) out.push(violation(edge, 'a pure module imports no npm package at run time'));
        continue;
      }
      if (edge.kind === 'builtin') {
        if (edge.typeOnly) continue;
        if (module.pure) out.push(violation(edge, 'a pure module imports no Node built-in'));
        else if (from === 'webviews') out.push(violation(edge, 'webviews run in the browser: no Node built-in'));
        continue;
      }
      if (!edge.to) {
        out.push(violation(edge, 'the import names no file'));
        continue;
      }
      if (module.pure && !edge.typeOnly && !isPure(edge.to)) out.push(violation(edge, 'a pure module imports only pure modules (or types)'));
      const to = roomOf(edge.to);
      if (!to) {
        if (!OUTSIDE_FILES.includes(edge.to)) out.push(violation(edge, `the import leaves the source folders (of the files outside them only ${OUTSIDE_FILES.join(', ')} may be imported)`));
        continue;
      }
      if (to === from) continue;
      if (front && to.startsWith('server')) {
        if (!edge.typeOnly && !isPure(edge.to)) out.push(violation(edge, `${from} imports from server/ only pure modules, or types`));
        continue;
      }
      if (!allowed.includes(to)) {
        const why = front ? `it may import ${allowed.join(', ')}` : 'an engine room imports only the rooms of the layers below it';
        out.push(violation(edge, `${from} may not import ${to}: ${why}`));
      }
    }
  }
  return out;
}
