// The mask editor's speed, measured in Debian's Chromium on the editor's own drawing code:
//  - a stroke drawn with the mouse on a 1024x1024 mask, pointer event to the frame showing it (p50, p95), redrawn per dirty rectangle
//    as the editor does, against a naive full redraw per event measured in the same run;
//  - opening a 4000x4000 image with its regions (decode, model, overlay);
//  - panning it: long tasks (over 50 ms) while it moves;
//  - Describe on a region sent inline to the child server, warm, end to end.
//   npm run bench:editor
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import sharp from 'sharp';
import { ServerClient } from '../extension/client/client';
import { DescribeRegionsRequest } from '../server/rpc/protocol';
import { encodePixels } from '../server/editor/labelsCodec';

const ROOT = join(__dirname, '..');

async function browserNumbers(): Promise<{ incremental: { p50: number; p95: number; work95: number }; full: { p50: number; p95: number; work95: number }; open: number; pan: { longTasks: number; longest: number } }> {
  const built = await esbuild.build({ entryPoints: [join(__dirname, 'editor', 'page.ts')], bundle: true, write: false, format: 'iife', platform: 'browser', target: 'es2022' });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 1100 } });
    await page.setContent('<!DOCTYPE html><html><body></body></html>');
    await page.addScriptTag({ content: built.outputFiles[0].text });
    // Expressions as strings: tsx's transform would add helpers to a function the page does not have.
    const run = <T>(expression: string) => page.evaluate(expression) as Promise<T>;
    const drawn = async (mode: string) => {
      await run(`window.bench.installStroke("${mode}", 1024, 12)`);
      await page.mouse.move(100, 500);
      await page.mouse.down();
      for (let k = 1; k <= 240; k++) await page.mouse.move(100 + k * 3.5, 500 + Math.sin(k / 9) * 300);
      await page.mouse.up();
      await page.waitForTimeout(100);
      return run<{ p50: number; p95: number; work95: number }>('window.strokeResult()');
    };
    await drawn('incremental'); // warm-up
    const incremental = await drawn('incremental');
    const full = await drawn('full');
    const openMs = await run<number>('window.bench.open(4000, 6)');
    const panned = await run<{ longTasks: number; longest: number }>('window.bench.pan(120)');
    return { incremental, full, open: openMs, pan: panned };
  } finally {
    await browser.close();
  }
}

async function describeWarm(): Promise<{ cold: number; warm: number[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'al-bench-editor-'));
  const client = new ServerClient({ serverScript: join(ROOT, 'dist', 'server.js'), cwd: ROOT });
  try {
    const size = 512;
    const image = join(dir, 'image.png');
    const px = Buffer.alloc(size * size * 3);
    for (let i = 0; i < size * size; i++) px.set([(i * 13) % 256, 120, (i >> 9) % 256], i * 3);
    await sharp(px, { raw: { width: size, height: size, channels: 3 } }).png().toFile(image);
    const region: number[] = [];
    for (let y = 200; y < 260; y++) for (let x = 150; x < 230; x++) region.push(y * size + x);
    const pixels = encodePixels(Uint32Array.from(region));
    const ask = async () => {
      const t0 = performance.now();
      await client.request(DescribeRegionsRequest, { image, pixels: [pixels], topK: 3 });
      return performance.now() - t0;
    };
    const cold = await ask();
    const warm: number[] = [];
    for (let k = 0; k < 10; k++) warm.push(await ask());
    return { cold, warm };
  } finally {
    await client.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const b = await browserNumbers();
  const d = await describeWarm();
  const warm = [...d.warm].sort((x, y) => x - y);
  const f = (n: number) => n.toFixed(1).padStart(7);
  console.log('mask editor, Chromium (headless), 1024x1024 mask, 240 pointer moves, brush 12 px');
  console.log('                          event→frame p50   p95   work p95 (ms)');
  console.log(`  dirty-rectangle redraw  ${f(b.incremental.p50)} ${f(b.incremental.p95)} ${f(b.incremental.work95)}`);
  console.log(`  full redraw (naive)     ${f(b.full.p50)} ${f(b.full.p95)} ${f(b.full.work95)}`);
  console.log(`  naive / editor: work p95 ${(b.full.work95 / b.incremental.work95).toFixed(1)}x, event→frame p95 ${(b.full.p95 / b.incremental.p95).toFixed(1)}x`);
  console.log(`open a 4000x4000 image with 6 regions: ${b.open.toFixed(0)} ms`);
  console.log(`pan it for 120 frames: ${b.pan.longTasks} long task(s) over 50 ms (longest ${b.pan.longest.toFixed(0)} ms)`);
  console.log(`describe a region sent inline (default bundle, 512x512 image): cold ${d.cold.toFixed(0)} ms, warm median ${warm[5].toFixed(1)} ms, worst ${warm[warm.length - 1].toFixed(1)} ms`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
