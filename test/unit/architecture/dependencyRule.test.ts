// The dependency rule over the real import graph: each room imports only the rooms the table
// allows, pure modules stay pure, and the VS Code rooms and the webviews reach server/ only
// through pure modules or types.  docs/architecture.md shows the same table.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { checkGraph, mayImportTable, SOURCE_FOLDERS, type Violation } from './dependencyRule';
import { parseImports, readModule, sourceFiles, type SourceModule } from './importGraph';

const ROOT = join(__dirname, '..', '..', '..');

function realGraph(): SourceModule[] {
  return sourceFiles(ROOT, SOURCE_FOLDERS).map((file) => readModule(ROOT, file));
}

const show = (violations: readonly Violation[]): string[] => violations.map((v) => `${v.where}: ${v.rule}`);

test('every import of server/, extension/, language/ and webviews/ keeps the dependency rule', () => {
  const graph = realGraph();
  assert.ok(graph.length > 300, `read ${graph.length} files`);
  assert.ok(graph.some((m) => m.pure), 'no module is marked // @pure');
  const violations = show(checkGraph(graph));
  assert.deepEqual(violations, [], `imports that break the rule (docs/architecture.md):\n${violations.join('\n')}`);
});

test('a deliberately wrong import in the real tree fails, naming the import and the rule', () => {
  const wrong = [
    readModule(ROOT, 'server/dataset/wrongImport.ts', "import { createProgress } from '../cli/progress';\n"),
    readModule(ROOT, 'extension/wrongImport.ts', "import type { DatasetManifest } from '../server/dataset/format';\nimport { readManifest } from '../server/dataset/manifest';\n"),
  ];
  assert.deepEqual(show(checkGraph([...realGraph(), ...wrong]).filter((v) => v.where.includes('wrongImport'))), [
    'server/dataset/wrongImport.ts:1 → server/cli/progress.ts: server/dataset may not import server/cli: an engine room imports only the rooms of the layers below it',
    'extension/wrongImport.ts:2 → server/dataset/manifest.ts: extension imports from server/ only pure modules, or types',
  ]);
});

test('every kind of import and every rule, on a small tree of files', () => {
  const root = mkdtempSync(join(tmpdir(), 'al-dependency-rule-'));
  try {
    const files: Record<string, string> = {
      'server/util/errors.ts': '// @pure: errors\nexport class UserError extends Error {}\n',
      'server/util/files.ts': "import { readFileSync } from 'node:fs';\nexport const read = readFileSync;\n",
      'server/util/shape.ts': [
        '// @pure: shapes',
        "import { UserError } from './errors';",
        "import { read } from './files';",
        "import type { Stats } from 'node:fs';",
        "import { join } from 'node:path';",
        "import sharp from 'sharp';",
        "import { RequestType } from 'vscode-jsonrpc';",
        'export type S = Stats | UserError | typeof read | typeof join | typeof sharp | typeof RequestType;',
      ].join('\n'),
      'server/masks/split.ts': "export * from '../image/read';\nexport type { Kind } from '../dataset/kinds';\n",
      'server/image/read.ts': "export const lazy = () => import('../model/predictor');\n",
      'server/dataset/kinds.ts': "export type Kind = 'a';\nconst m = require('../jobs/run');\nimport x = require('../rpc/main');\n",
      'server/model/predictor.ts': "import * as vscode from 'vscode';\nexport const p = vscode;\nexport type T = import('../cli/main').Options;\n",
      'server/jobs/run.ts': "import { main } from '../rpc/main';\nimport { missing } from './missing';\n",
      'server/rpc/main.ts': "import type { Options } from '../cli/main';\nexport const main = 1;\n",
      'server/cli/main.ts': "import { main } from '../rpc/main';\nimport { run } from '../../test/helper';\nexport interface Options { a: number }\n",
      'server/extra/thing.ts': 'export {};\n',
      'extension/a.ts': [
        "import { UserError } from '../server/util/errors';",
        "import type { S } from '../server/util/shape';",
        "import { read } from '../server/util/files';",
        "import { type Kind, type Other } from '../server/dataset/kinds';",
        "import '../webviews/panel';",
        "import * as vscode from 'vscode';",
      ].join('\n'),
      'language/b.ts': "import { x } from '../extension/a';\n",
      'webviews/panel.ts': "import { join } from 'node:path';\nimport type { Kind } from '../server/dataset/kinds';\n",
      'test/helper.ts': 'export const run = 1;\n',
    };
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(join(root, dirname(file)), { recursive: true });
      writeFileSync(join(root, file), text);
    }
    const graph = sourceFiles(root, SOURCE_FOLDERS).map((file) => readModule(root, file));
    assert.deepEqual(show(checkGraph(graph)), [
      'extension/a.ts:3 → server/util/files.ts: extension imports from server/ only pure modules, or types',
      'language/b.ts:1 → extension/a.ts: language may not import extension: it may import server',
      'server/cli/main.ts:1 → server/rpc/main.ts: server/cli may not import server/rpc: an engine room imports only the rooms of the layers below it',
      'server/cli/main.ts:2 → test/helper.ts: the import leaves the source folders (of the files outside them only package.json may be imported)',
      'server/dataset/kinds.ts:2 → server/jobs/run.ts: server/dataset may not import server/jobs: an engine room imports only the rooms of the layers below it',
      'server/dataset/kinds.ts:3 → server/rpc/main.ts: server/dataset may not import server/rpc: an engine room imports only the rooms of the layers below it',
      'server/extra/thing.ts: server/extra is a room the table does not place',
      'server/image/read.ts:1 → server/model/predictor.ts: server/image may not import server/model: an engine room imports only the rooms of the layers below it',
      'server/jobs/run.ts:1 → server/rpc/main.ts: server/jobs may not import server/rpc: an engine room imports only the rooms of the layers below it',
      'server/jobs/run.ts:2 → ./missing: the import names no file',
      'server/masks/split.ts:1 → server/image/read.ts: server/masks may not import server/image: an engine room imports only the rooms of the layers below it',
      'server/masks/split.ts:2 → server/dataset/kinds.ts (type): server/masks may not import server/dataset: an engine room imports only the rooms of the layers below it',
      'server/model/predictor.ts:1 → vscode: only extension and language import vscode',
      'server/model/predictor.ts:3 → server/cli/main.ts (type): server/model may not import server/cli: an engine room imports only the rooms of the layers below it',
      'server/rpc/main.ts:1 → server/cli/main.ts (type): server/rpc may not import server/cli: an engine room imports only the rooms of the layers below it',
      'server/util/shape.ts:3 → server/util/files.ts: a pure module imports only pure modules (or types)',
      'server/util/shape.ts:5 → node:path: a pure module imports no Node built-in',
      'server/util/shape.ts:6 → sharp: a pure module imports no npm package at run time',
      'webviews/panel.ts:1 → node:path: webviews run in the browser: no Node built-in',
    ]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('the parser sees static, re-exported, dynamic, required and type imports, and which bring types only', () => {
  const text = [
    "import a from './a';",
    "import type { B } from './b';",
    "import { type C, type D } from './c';",
    "import { type E, F } from './e';",
    "import './side';",
    "export * from './star';",
    "export type { G } from './g';",
    "export { type H } from './h';",
    'const i = () => import("./i");',
    "const j = require('./j');",
    "import k = require('./k');",
    "type L = import('./l').L;",
    'const m = `./m`;',
  ].join('\n');
  assert.deepEqual(
    parseImports('x.ts', text).map(({ specifier, line, typeOnly }) => `${line} ${specifier}${typeOnly ? ' type' : ''}`),
    ['1 ./a', '2 ./b type', '3 ./c type', '4 ./e', '5 ./side', '6 ./star', '7 ./g type', '8 ./h type', '9 ./i', '10 ./j', '11 ./k', '12 ./l type'],
  );
});

test("docs/architecture.md's table of which room may import which is the test's", () => {
  const doc = readFileSync(join(ROOT, 'docs', 'architecture.md'), 'utf8').split('\n');
  const header = doc.findIndex((line) => /^\| Room \| May import \|/.test(line));
  assert.ok(header >= 0, 'docs/architecture.md has no "| Room | May import |" table');
  const documented = new Map<string, string[]>();
  for (const line of doc.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    const [room, allowed] = line.split('|').slice(1, 3).map((cell) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1].replace(/\/$/, '')));
    documented.set(room[0], allowed.sort());
  }
  const expected = new Map([...mayImportTable()].map(([room, allowed]) => [room, [...allowed].sort()]));
  assert.deepEqual(documented, expected);
});
