// What a VSIX must and must not hold, read from its zip listing.
import { spawnSync } from 'node:child_process';

export function vsixFiles(vsix: string): string[] {
  const r = spawnSync('unzip', ['-Z1', vsix], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`unzip -Z1 ${vsix}: ${r.stderr}`);
  return r.stdout.split('\n').filter(Boolean);
}

const REQUIRED = [
  'extension/package.json',
  'extension/dist/extension.js',
  'extension/dist/cli.js',
  'extension/dist/server.js',
  'extension/dist/build-worker.js',
  'extension/dist/sample-worker.js',
  'extension/dist/trainer/anomaly_lens/__main__.py',
  'extension/dist/trainer/anomaly_lens/train.py',
  'extension/dist/webviews/report.js',
  'extension/dist/webviews/report.css',
  'extension/dist/webviews/training.js',
  'extension/dist/webviews/training.css',
  'extension/dist/webviews/mask-editor.js',
  'extension/dist/webviews/mask-editor.css',
  'extension/media/icon.svg',
  'extension/media/default-model/bundle.json',
  'extension/media/default-model/image_encoder.onnx',
  'extension/media/default-model/text_encoder.onnx',
  'extension/media/default-model-whole-image/bundle.json',
  'extension/node_modules/onnxruntime-node/package.json',
  'extension/node_modules/onnxruntime-node/dist/index.js',
  'extension/node_modules/onnxruntime-common/dist/cjs/index.js',
  'extension/node_modules/sharp/dist/index.cjs',
  'extension/node_modules/@img/colour/index.cjs',
  'extension/node_modules/detect-libc/lib/detect-libc.js',
  'extension/node_modules/semver/index.js',
];

/** Paths that must never ship: sources, tests, tooling, caches, maps, install scripts. */
const FORBIDDEN: [RegExp, string][] = [
  [/^extension\/(server|extension|webviews|language|test|scripts|bench|docs|out|\.cache|\.ci|\.git|test-results)\//, 'a source, test or tooling folder'],
  [/\.map$/, 'a source map'],
  [/\.d\.[cm]?ts$|\.ts$/, 'a TypeScript source or declaration'],
  [/__pycache__|\.pyc$|\.pytest_cache/, 'a Python cache'],
  [/node_modules\/onnxruntime-node\/script\//, "onnxruntime-node's install script"],
  [/\.vsix$/, 'another VSIX'],
];

/** Throws naming what is missing or should not be there. */
export function checkVsixContents(vsix: string, ortPlatform: string, sharpPackages: string[]): void {
  const files = vsixFiles(vsix);
  const have = new Set(files);
  const problems: string[] = [];
  for (const file of REQUIRED) if (!have.has(file)) problems.push(`missing ${file}`);
  for (const file of files) for (const [pattern, what] of FORBIDDEN) if (pattern.test(file)) problems.push(`${file} is ${what}`);

  const ortBin = 'extension/node_modules/onnxruntime-node/bin/napi-v6/';
  const ortPlatforms = new Set(files.filter((f) => f.startsWith(ortBin)).map((f) => f.slice(ortBin.length).split('/').slice(0, 2).join('/')));
  if (!have.has(`${ortBin}${ortPlatform}/onnxruntime_binding.node`)) problems.push(`missing the onnxruntime-node binding for ${ortPlatform}`);
  for (const p of ortPlatforms) if (p !== ortPlatform) problems.push(`onnxruntime-node binaries of another platform: ${p}`);

  const img = 'extension/node_modules/@img/';
  const sharpPlatforms = new Set(files.filter((f) => f.startsWith(`${img}sharp-`)).map((f) => f.slice(img.length).split('/')[0]));
  for (const name of sharpPackages) if (!sharpPlatforms.has(name)) problems.push(`missing @img/${name}`);
  for (const name of sharpPlatforms) if (!sharpPackages.includes(name)) problems.push(`sharp binaries of another platform: @img/${name}`);
  if (!files.some((f) => f.startsWith(`${img}${sharpPackages[0]}/`) && f.endsWith('.node'))) problems.push(`no native sharp module in @img/${sharpPackages[0]}`);

  if (problems.length) throw new Error(`${vsix}:\n  ${problems.join('\n  ')}`);
}
