// What a VSIX must and must not hold, read from its zip listing: the product, its licence, only
// the target's native binaries, every file its README links or shows and every image its
// walkthrough shows, and no pickle the product never reads.
import { spawnSync } from 'node:child_process';
import { posix } from 'node:path';
import { marked, type Tokens } from 'marked';

export function vsixFiles(vsix: string): string[] {
  const r = spawnSync('unzip', ['-Z1', vsix], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`unzip -Z1 ${vsix}: ${r.stderr}`);
  return r.stdout.split('\n').filter(Boolean);
}

/** One file of the VSIX, as text. */
export function vsixText(vsix: string, entry: string): string {
  const r = spawnSync('unzip', ['-p', vsix, entry], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`unzip -p ${vsix} ${entry}: ${r.stderr}`);
  return r.stdout;
}

/**
 * The relative targets a Markdown text links or shows, as a Markdown reader finds them (links,
 * images, reference definitions, src and href in HTML), without their #fragment or ?query;
 * absolute URLs (https:, mailto:, command: ...) and links within the page (#...) are not files.
 */
export function relativeLinks(markdown: string): string[] {
  const tokens = marked.lexer(markdown);
  const targets = Object.values(tokens.links ?? {}).map((l) => l.href);
  marked.walkTokens(tokens, (token) => {
    if (token.type === 'link' || token.type === 'image') targets.push((token as Tokens.Link | Tokens.Image).href);
    else if (token.type === 'html') for (const m of (token as Tokens.HTML).text.matchAll(/\b(?:src|href)\s*=\s*["']([^"']+)["']/gi)) targets.push(m[1]);
  });
  const files = targets
    .filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t) && !t.startsWith('#') && !t.startsWith('//'))
    .map((t) => decodeURIComponent(t.replace(/[#?].*$/, '')))
    .filter((t) => t !== '');
  return [...new Set(files)].sort();
}

/**
 * Problems with the VSIX's README: a relative link or image that names no file of the package,
 * and a file of docs/ that the README does not use.
 */
export function readmeProblems(files: readonly string[], read: (entry: string) => string): string[] {
  const readme = files.find((f) => /^extension\/readme\.md$/i.test(f));
  if (!readme) return ['no extension/README.md'];
  const have = new Set(files);
  const base = posix.dirname(readme);
  const linked = new Set(relativeLinks(read(readme)).map((target) => posix.normalize(posix.join(base, target))));
  return [
    ...[...linked].filter((entry) => !have.has(entry)).map((entry) => `${readme} links ${entry.slice(base.length + 1)}, which the package does not hold`),
    ...files.filter((f) => f.startsWith(`${base}/docs/`) && !linked.has(f)).map((f) => `${f} is a docs file the README does not use`),
  ];
}

/** The walkthrough's images that the package's package.json names and the package does not hold. */
export function walkthroughProblems(files: readonly string[], read: (entry: string) => string): string[] {
  const pkg = JSON.parse(read('extension/package.json')) as { contributes?: { walkthroughs?: { steps: { id: string; media: Record<string, unknown> }[] }[] } };
  const have = new Set(files);
  const steps = (pkg.contributes?.walkthroughs ?? []).flatMap((w) => w.steps);
  if (steps.length === 0) return ['package.json declares no walkthrough'];
  return steps.flatMap((step) =>
    ['image', 'svg', 'markdown']
      .map((kind) => step.media[kind])
      .filter((media): media is string => typeof media === 'string')
      .filter((media) => !have.has(`extension/${media}`))
      .map((media) => `the walkthrough's step ${step.id} shows ${media}, which the package does not hold`),
  );
}

const REQUIRED = [
  'extension/package.json',
  // The licence file (vsce names it LICENSE.txt whatever its name in the repository).
  'extension/LICENSE.txt',
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
  'extension/dist/webviews/maskEditor.js',
  'extension/dist/webviews/maskEditor.css',
  'extension/media/icon.svg',
  'extension/media/default-model/bundle.json',
  // Train Model's "continue from default model (embedded)" starts from these weights.
  'extension/media/default-model/weights.pt',
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
  [/^extension\/(server|extension|webviews|language|test|scripts|bench|out|\.cache|\.ci|\.git|test-results)\//, 'a source, test or tooling folder'],
  [/\.map$/, 'a source map'],
  [/\.d\.[cm]?ts$|\.ts$/, 'a TypeScript source or declaration'],
  [/__pycache__|\.pyc$|\.pytest_cache/, 'a Python cache'],
  [/node_modules\/onnxruntime-node\/script\//, "onnxruntime-node's install script"],
  [/\.vsix$/, 'another VSIX'],
  // The whole-image variant is only the evaluation baseline: nothing trains from it.
  [/^extension\/media\/default-model-whole-image\/weights\.pt$/, 'PyTorch weights (a pickle) that nothing in the product reads'],
  [/\.(pth|pkl|pickle|ckpt)$|(?<!^extension\/media\/default-model\/weights)\.pt$/, 'a pickle that nothing in the product reads'],
];

/** Throws naming what is missing or should not be there. */
export function checkVsixContents(vsix: string, ortPlatform: string, sharpPackages: string[]): void {
  const files = vsixFiles(vsix);
  const have = new Set(files);
  const problems: string[] = [];
  for (const file of REQUIRED) if (!have.has(file)) problems.push(`missing ${file}`);
  for (const file of files) {
    const forbidden = FORBIDDEN.find(([pattern]) => pattern.test(file));
    if (forbidden) problems.push(`${file} is ${forbidden[1]}`);
  }
  problems.push(...readmeProblems(files, (entry) => vsixText(vsix, entry)));
  problems.push(...walkthroughProblems(files, (entry) => vsixText(vsix, entry)));

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
