// Packages the extension as a platform-specific VSIX with @vscode/vsce.
//   node scripts/package.mjs [--target linux-x64] [--out FILE] [--no-build]
// The VSIX carries dist/ (bundles, webviews, Python trainer), media/ (icon, default models,
// walkthrough images), LICENSE, its README with the screenshots inlined
// (scripts/packageReadme.mjs) and the docs/ pages it links, and the two native runtime
// dependencies esbuild leaves external, onnxruntime-node and sharp, with only the target's
// native binaries: every other platform's are left out. Nothing is downloaded: sharp's binaries
// for another platform must already be in node_modules.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packagedReadme } from './packageReadme.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/**
 * For each VS Code target: the onnxruntime-node binary folder (bin/napi-v6/<platform>/<arch>)
 * and the sharp packages (@img/sharp-<platform>, @img/sharp-libvips-<platform>).
 * onnxruntime-node 1.30 ships no binaries for darwin-x64, linux-armhf or Alpine.
 */
export const TARGETS = {
  'linux-x64': { ort: 'linux/x64', sharp: ['sharp-linux-x64', 'sharp-libvips-linux-x64'] },
  'linux-arm64': { ort: 'linux/arm64', sharp: ['sharp-linux-arm64', 'sharp-libvips-linux-arm64'] },
  'darwin-arm64': { ort: 'darwin/arm64', sharp: ['sharp-darwin-arm64', 'sharp-libvips-darwin-arm64'] },
  'win32-x64': { ort: 'win32/x64', sharp: ['sharp-win32-x64'] },
  'win32-arm64': { ort: 'win32/arm64', sharp: ['sharp-win32-arm64'] },
};

function parseArgs(argv) {
  const args = { target: 'linux-x64', out: undefined, build: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--target') args.target = argv[++i];
    else if (a === '--out') args.out = argv[++i];
    else if (a === '--no-build') args.build = false;
    else throw new Error(`unknown argument ${a}`);
  }
  return args;
}

function fail(message) {
  console.error(`package: ${message}`);
  process.exit(2);
}

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.error) throw r.error;
  if (r.status !== 0) fail(`${cmd} ${args.join(' ')} exited with ${r.status}`);
}

function sharpVersionOf(name) {
  const deps = JSON.parse(readFileSync(join(root, 'node_modules', 'sharp', 'package.json'), 'utf8')).optionalDependencies ?? {};
  return deps[`@img/${name}`];
}

/**
 * The .vscodeignore rules plus the files the packaged README links (`readmeFiles`) and the
 * target's native binaries (everything else in node_modules stays out). The README itself is
 * the packaged one, given to vsce apart.
 */
export function ignoreRulesFor(target, readmeFiles = []) {
  const spec = TARGETS[target];
  const base = readFileSync(join(root, '.vscodeignore'), 'utf8');
  const lines = [
    '',
    '# The packaged README instead of this one, and the files it links',
    'README.md',
    ...readmeFiles.map((file) => `!${file}`),
    '',
    `# Native binaries of ${target} only`,
    `!node_modules/onnxruntime-node/bin/napi-v6/${spec.ort}/*`,
    ...spec.sharp.flatMap((name) => [`!node_modules/@img/${name}/package.json`, `!node_modules/@img/${name}/*.cjs`, `!node_modules/@img/${name}/LICENSE`, `!node_modules/@img/${name}/*.json`, `!node_modules/@img/${name}/lib/*`]),
  ];
  return `${base.trimEnd()}\n${lines.join('\n')}\n`;
}

function sizeOf(file) {
  const bytes = statSync(file).size;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB (${bytes} bytes)`;
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const spec = TARGETS[args.target];
  if (!spec) fail(`--target ${args.target}: one of ${Object.keys(TARGETS).join(', ')}`);
  const ortDir = join(root, 'node_modules', 'onnxruntime-node', 'bin', 'napi-v6', spec.ort);
  if (!existsSync(join(ortDir, 'onnxruntime_binding.node'))) fail(`${relative(root, ortDir)}: no onnxruntime-node binary for ${args.target}`);
  const missing = spec.sharp.filter((name) => !existsSync(join(root, 'node_modules', '@img', name, 'package.json')));
  if (missing.length) {
    const wanted = missing.map((name) => `@img/${name}@${sharpVersionOf(name)}`).join(' ');
    const [os, cpu] = args.target.split('-');
    fail(`sharp's binaries for ${args.target} are not installed; add them with:\n  npm install --no-save --os=${os} --cpu=${cpu} ${wanted}`);
  }

  if (args.build) run(process.execPath, [join(root, 'scripts', 'build.mjs')]);
  for (const file of ['extension.js', 'cli.js', 'server.js']) {
    if (!existsSync(join(root, 'dist', file))) fail(`dist/${file} is missing; run: npm run build`);
  }

  const out = resolve(args.out ?? join(root, 'out', `${pkg.name}-${pkg.version}-${args.target}.vsix`));
  mkdirSync(dirname(out), { recursive: true });
  const ignoreFile = join(root, '.cache', 'package', `${args.target}.vscodeignore`);
  mkdirSync(dirname(ignoreFile), { recursive: true });
  let readme;
  try {
    readme = packagedReadme(root);
  } catch (err) {
    fail(err.message);
  }
  const readmeFile = join(root, '.cache', 'package', 'README.md');
  writeFileSync(readmeFile, readme.text);
  writeFileSync(ignoreFile, ignoreRulesFor(args.target, readme.files));

  const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  run(process.execPath, [
    vsce, 'package',
    '--target', args.target,
    '--out', out,
    '--ignoreFile', ignoreFile,
    '--readme-path', relative(root, readmeFile).split(sep).join('/'),
    // The README's links to the files the package carries stay relative (vsce would point them
    // at the repository).
    '--no-rewrite-relative-links',
  ], { ONNXRUNTIME_NODE_INSTALL: 'skip' });
  console.log(`${relative(process.cwd(), out) || out}: ${sizeOf(out)}, target ${args.target}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
