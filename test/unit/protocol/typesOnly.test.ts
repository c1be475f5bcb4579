// server/rpc/protocol/ is what the extension and the webviews import from the server: it must
// hold nothing that runs besides vscode-jsonrpc's message types, and every module it reaches must
// be types only.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import * as esbuild from 'esbuild';
import ts from 'typescript';
import * as protocol from '../../../server/rpc/protocol';

const ROOT = join(__dirname, '..', '..', '..');
const PROTOCOL_DIR = join(ROOT, 'server', 'rpc', 'protocol');
const PROTOCOL = join(PROTOCOL_DIR, 'index.ts');
/** The protocol's own modules, one per domain. */
const PROTOCOL_FILES = readdirSync(PROTOCOL_DIR).filter((name) => name.endsWith('.ts')).map((name) => join(PROTOCOL_DIR, name));
const inProtocol = (file: string): boolean => dirname(file) === PROTOCOL_DIR;

function source(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);
}

/** Statements that produce JavaScript, as "file:line: text". */
function runtimeStatements(file: ts.SourceFile): string[] {
  const found: string[] = [];
  for (const statement of file.statements) {
    if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) continue;
    if (ts.isImportDeclaration(statement) && statement.importClause?.isTypeOnly) continue;
    if (ts.isExportDeclaration(statement) && statement.isTypeOnly) continue;
    if (hasModifier(statement, ts.SyntaxKind.DeclareKeyword)) continue;
    const { line } = file.getLineAndCharacterOfPosition(statement.getStart());
    found.push(`${relative(ROOT, file.fileName)}:${line + 1}: ${statement.getText().split('\n')[0]}`);
  }
  return found;
}

/** Relative modules a file imports or re-exports (type-only ones included). */
function relativeImports(file: ts.SourceFile): string[] {
  const specifiers: string[] = [];
  for (const statement of file.statements) {
    const spec = (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) ? statement.moduleSpecifier : undefined;
    if (spec && ts.isStringLiteral(spec) && spec.text.startsWith('.')) specifiers.push(resolve(dirname(file.fileName), `${spec.text}.ts`));
  }
  return specifiers;
}

/** Every non-relative module a file imports at run time (not `import type`). */
function runtimePackages(file: ts.SourceFile): string[] {
  return file.statements
    .filter((s): s is ts.ImportDeclaration => ts.isImportDeclaration(s) && !s.importClause?.isTypeOnly)
    .map((s) => (s.moduleSpecifier as ts.StringLiteral).text);
}

test('protocol/ imports only vscode-jsonrpc at run time, and only types-only modules of the engine', () => {
  const tops = PROTOCOL_FILES.map(source);
  assert.deepEqual([...new Set(tops.flatMap(runtimePackages).filter((name) => !name.startsWith('.')))], ['vscode-jsonrpc']);
  const seen = new Set<string>();
  const queue = tops.flatMap(relativeImports).filter((file) => !inProtocol(file));
  const problems: string[] = [];
  while (queue.length > 0) {
    const file = queue.shift() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const parsed = source(file);
    problems.push(...runtimeStatements(parsed));
    queue.push(...relativeImports(parsed));
  }
  assert.ok(seen.size >= 5, `expected the record, event and stats modules among ${[...seen].join(', ')}`);
  assert.deepEqual(problems, [], 'modules protocol/ reaches hold code');
});

test('protocol/ bundles to nothing but vscode-jsonrpc message types and constants', async () => {
  const out = await esbuild.build({
    entryPoints: [PROTOCOL],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    external: ['vscode-jsonrpc'],
    logLevel: 'silent',
  });
  const code = out.outputFiles[0].text;
  const imports = [...code.matchAll(/from\s+"([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual([...new Set(imports)], ['vscode-jsonrpc']);
  // No module of the engine was pulled in: esbuild names each bundled file in a comment.
  const files = [...code.matchAll(/^\/\/ (\S+\.ts)$/gm)].map((m) => m[1]);
  assert.deepEqual(files.filter((file) => !file.startsWith('server/rpc/protocol/')), []);
  assert.ok(files.includes('server/rpc/protocol/index.ts'), files.join(', '));
  for (const banned of ['require(', 'node:', 'process.', 'vscode"']) assert.ok(!code.includes(banned), `bundle mentions ${banned}`);
});

test('REQUEST_METHODS lists every request type protocol/ declares', () => {
  const requests = Object.entries(protocol)
    .filter(([, value]) => value instanceof Object && 'method' in value && 'numberOfParams' in value && value.constructor.name.startsWith('RequestType'))
    .map(([, value]) => (value as { method: string }).method)
    .filter((method) => method !== protocol.ShutdownRequest.method);
  assert.ok(requests.length >= 13, `found ${requests.join(', ')}`);
  assert.deepEqual([...protocol.REQUEST_METHODS].sort(), requests.sort());
  for (const method of ['anomalyLens/jobs', 'anomalyLens/cancelJob', 'anomalyLens/createSample', 'anomalyLens/validate', 'anomalyLens/evaluate', 'anomalyLens/export', 'anomalyLens/importWeights']) {
    assert.ok(protocol.REQUEST_METHODS.includes(method), method);
  }
});
