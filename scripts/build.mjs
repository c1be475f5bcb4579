// Bundles every entry point of the product with esbuild.
// node scripts/build.mjs [--watch] [--minify]
import * as esbuild from 'esbuild';
import { rmSync, mkdirSync, cpSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');
const minify = process.argv.includes('--minify');
const outdir = join(root, 'dist');

// Native or runtime-resolved packages stay outside the bundle.
const nodeExternal = ['vscode', 'onnxruntime-node', 'sharp', 'density-clustering'];

const nodeEntries = {
  cli: 'server/cli/main.ts',
  server: 'server/rpc/main.ts',
  'build-worker': 'server/dataset/buildWorker.ts',
  'sample-worker': 'server/sample/worker.ts',
  'lint-worker': 'server/datasetText/lintWorker.ts',
  extension: 'extension/extension.ts',
};
const webEntries = {
  'webviews/maskEditor': 'webviews/maskEditor/main.ts',
  'webviews/report': 'webviews/report/main.ts',
  'webviews/training': 'webviews/training/main.ts',
  'webviews/compare': 'webviews/compare/main.ts',
  'webviews/describe': 'webviews/describe/main.ts',
};

const common = { bundle: true, sourcemap: true, minify, logLevel: 'warning', absWorkingDir: root };

const builds = [
  {
    ...common,
    entryPoints: nodeEntries,
    outdir,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: nodeExternal,
    banner: { js: '' },
  },
  {
    ...common,
    entryPoints: webEntries,
    outdir,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
  },
];

if (!watch) rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });

// The Python trainer ships beside the bundles: server/jobs finds it at dist/trainer.
cpSync(join(root, 'server', 'trainer', 'anomaly_lens'), join(outdir, 'trainer', 'anomaly_lens'), {
  recursive: true,
  filter: (src) => !src.includes('__pycache__') && !src.endsWith('.pyc'),
});

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
  console.log('watching…');
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
