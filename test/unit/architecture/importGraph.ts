// The import graph of the TypeScript sources, read with the compiler's parser: every static
// import and re-export, `import x = require()`, dynamic `import()`, `require()` and `import('…')`
// types, each with its line and whether it brings in types only.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

export interface ImportEdge {
  /** The importing file, relative to the repository root, with `/` separators. */
  from: string;
  line: number;
  specifier: string;
  /** The imported file (relative to the root) for a relative specifier that resolves. */
  to?: string;
  kind: 'relative' | 'builtin' | 'package';
  /** `import type`, `export type`, every named binding marked `type`, or an `import('…')` type. */
  typeOnly: boolean;
}

export interface SourceModule {
  file: string;
  /** The first line starts `// @pure`. */
  pure: boolean;
  imports: ImportEdge[];
}

const BUILTINS = new Set(builtinModules);

export function isBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || BUILTINS.has(specifier) || BUILTINS.has(specifier.split('/')[0]);
}

export function isPureMarked(text: string): boolean {
  return /^\/\/ @pure\b/.test(text);
}

function importClauseIsTypeOnly(clause: ts.ImportClause | undefined): boolean {
  if (!clause) return false; // `import './x'` runs the module
  if (clause.isTypeOnly) return true;
  if (clause.name) return false;
  const bindings = clause.namedBindings;
  return !!bindings && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly);
}

function exportIsTypeOnly(node: ts.ExportDeclaration): boolean {
  if (node.isTypeOnly) return true;
  const clause = node.exportClause;
  return !!clause && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly);
}

/** The specifiers a file's text imports, with their lines, in source order. */
export function parseImports(fileName: string, text: string): { specifier: string; line: number; typeOnly: boolean }[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: { specifier: string; line: number; typeOnly: boolean }[] = [];
  const add = (node: ts.Node, literal: ts.Expression | undefined, typeOnly: boolean): void => {
    if (!literal || !ts.isStringLiteralLike(literal)) return;
    const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
    found.push({ specifier: literal.text, line: line + 1, typeOnly });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) add(node, node.moduleSpecifier, importClauseIsTypeOnly(node.importClause));
    else if (ts.isExportDeclaration(node)) add(node, node.moduleSpecifier, exportIsTypeOnly(node));
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) add(node, node.moduleReference.expression, node.isTypeOnly);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node, node.argument.literal, true);
    else if (ts.isCallExpression(node)) {
      const isDynamicImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      if ((isDynamicImport || isRequire) && node.arguments.length >= 1) add(node, node.arguments[0], false);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const CANDIDATES = ['', '.ts', '.tsx', '.d.ts', '/index.ts', '/index.tsx'];

/** The file a relative specifier names, as the bundler and the type checker find it. */
export function resolveRelative(root: string, fromFile: string, specifier: string): string | undefined {
  const base = resolve(root, dirname(fromFile), specifier);
  const bases = /\.js$/.test(base) ? [base.replace(/\.js$/, ''), base] : [base];
  for (const b of bases) {
    for (const suffix of CANDIDATES) {
      const full = b + suffix;
      if (existsSync(full) && statSync(full).isFile()) return relative(root, full).split(sep).join('/');
    }
  }
  return undefined;
}

/** One file's module: its imports, each classified and resolved. */
export function readModule(root: string, file: string, text = readFileSync(join(root, file), 'utf8')): SourceModule {
  const imports = parseImports(file, text).map(({ specifier, line, typeOnly }): ImportEdge => {
    if (specifier.startsWith('.')) return { from: file, line, specifier, typeOnly, kind: 'relative', to: resolveRelative(root, file, specifier) };
    return { from: file, line, specifier, typeOnly, kind: isBuiltin(specifier) ? 'builtin' : 'package' };
  });
  return { file, pure: isPureMarked(text), imports };
}

/** Every .ts file under the given folders (relative to root), `/`-separated, sorted. */
export function sourceFiles(root: string, folders: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(join(root, dir))) {
      const rel = `${dir}/${name}`;
      if (name === 'node_modules') continue;
      if (statSync(join(root, rel)).isDirectory()) walk(rel);
      else if (name.endsWith('.ts')) out.push(rel);
    }
  };
  for (const folder of folders) if (existsSync(join(root, folder))) walk(folder);
  return out.sort();
}
