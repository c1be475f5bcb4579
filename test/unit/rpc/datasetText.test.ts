// The split-file language requests through the real child server on a real built sample
// dataset: lint (in the server's worker thread, on the text sent), record thumbnails and
// record predictions with the embedded default model.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { CancellationTokenSource } from 'vscode-jsonrpc';
import { regionColour } from '../../../server/masks/regionColour';
import { applyLineEdits } from '../../../server/datasetText/quickFixes';
import type { DiagnosticCode, LintedDiagnostic, RegionPrediction } from '../../../server/datasetText/types';
import { LintSplitFileRequest, PingRequest, PredictRecordRequest, PreviewRecordRequest } from '../../../server/rpc/protocol';
import { CLI_SCRIPT, ensureBuilt, newClient } from './fixtures';

interface Region {
  mask: string;
  bbox: number[];
  area: number;
  description: string;
}
interface ImageRecord {
  image: string;
  width: number;
  height: number;
  regions: Region[];
}

let dir = '';
let dataset = '';
let file = '';
let text = '';
let lines: string[] = [];
let records: ImageRecord[] = [];
let descriptions: string[] = [];

function cli(...args: string[]): void {
  const r = spawnSync(process.execPath, [CLI_SCRIPT, ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

/** A mask PNG of `width` x `height` with the rectangle [x, y, w, h] set. */
async function writeMask(path: string, width: number, height: number, [x, y, w, h]: number[]): Promise<void> {
  const pixels = Buffer.alloc(width * height);
  for (let yy = y; yy < y + h; yy++) pixels.fill(255, yy * width + x, yy * width + x + w);
  await sharp(pixels, { raw: { width, height, channels: 1 } }).png().toFile(path);
}

before(async () => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'al-rpc-language-'));
  cli('sample', join(dir, 'sample'), '--scale', '0.05');
  dataset = join(dir, 'dataset');
  cli('build', join(dir, 'sample', 'mvtec'), '--out', dataset);
  file = join(dataset, 'test.jsonl');
  text = readFileSync(file, 'utf8');
  lines = text.split('\n');
  assert.equal(lines.pop(), '', 'the split file ends with a newline');
  records = lines.map((l) => JSON.parse(l) as ImageRecord);
  // Edits below rewrite records with JSON.stringify and rely on it giving back the line.
  assert.deepEqual(records.map((r) => JSON.stringify(r)), lines);
  assert.ok(records.length >= 9, `${records.length} records`);
  descriptions = (JSON.parse(readFileSync(join(dataset, 'dataset.json'), 'utf8')) as { descriptions: { text: string }[] }).descriptions.map((d) => d.text);
});
after(() => rmSync(dir, { recursive: true, force: true }));

function edited(line: number, change: (r: ImageRecord) => void): string {
  const record = structuredClone(records[line]);
  change(record);
  return JSON.stringify(record);
}

function codesByLine(diagnostics: readonly LintedDiagnostic[]): Map<number, DiagnosticCode[]> {
  const out = new Map<number, DiagnosticCode[]>();
  for (const d of diagnostics) out.set(d.line, [...(out.get(d.line) ?? []), d.code]);
  return out;
}

describe('anomalyLens/lintSplitFile', () => {
  it('finds nothing wrong in the split file the build wrote, and links every image and mask', async (t) => {
    const client = newClient(t);
    const lint = await client.request(LintSplitFileRequest, { file, text });
    assert.deepEqual(lint.diagnostics, []);
    assert.equal(lint.more, 0);
    assert.deepEqual(lint.records, lines.map((_, i) => i));
    const expected = records.flatMap((r, line) => [r.image, ...r.regions.map((g) => g.mask)].map((path) => [line, path]));
    assert.deepEqual(lint.links.map(([line, start, end]) => [line, JSON.parse(lines[line].slice(start, end))]), expected);
    for (const [line, start, end] of lint.links) assert.match(lines[line].slice(start, end), /^"[^"]+"$/);
  });

  it('checks the text sent against the files on disk, offers fixes that undo the edits, and leaves the file alone', async (t) => {
    const client = newClient(t);
    const before = readFileSync(file);
    await writeMask(join(dataset, 'masks', 'small.png'), 64, 64, [4, 4, 8, 8]);
    const twoRegions = records.findIndex((r) => r.regions.length >= 2);
    assert.ok(twoRegions >= 0);
    const others = [...lines.keys()].filter((i) => i !== twoRegions);
    const [bboxLine, areaLine, escapeLine, brokenLine, describedLine, sizeLine, folderLine, cleanLine] = others;
    const edits = new Map<number, string>([
      [bboxLine, edited(bboxLine, (r) => (r.regions[0].bbox = [0, 0, 1, 1]))],
      [areaLine, edited(areaLine, (r) => (r.regions[0].area += 5))],
      [twoRegions, edited(twoRegions, (r) => (r.regions[1].mask = 'masks/missing.png'))],
      [escapeLine, edited(escapeLine, (r) => (r.regions[0].mask = '../outside.png'))],
      [brokenLine, lines[brokenLine].slice(0, Math.floor(lines[brokenLine].length / 2))],
      [describedLine, edited(describedLine, (r) => (r.regions[0].description = 'a blue elephant'))],
      [sizeLine, edited(sizeLine, (r) => (r.regions[0].mask = 'masks/small.png'))],
      [folderLine, edited(folderLine, (r) => (r.regions[0].mask = 'masks/test'))],
    ]);
    const sent = lines.map((l, i) => edits.get(i) ?? l);
    const lint = await client.request(LintSplitFileRequest, { file, text: sent.join('\n') + '\n' });

    const codes = codesByLine(lint.diagnostics);
    assert.deepEqual(codes.get(bboxLine), ['bbox-mismatch']);
    assert.deepEqual(codes.get(areaLine), ['area-mismatch']);
    assert.deepEqual(codes.get(twoRegions), ['mask-missing']);
    assert.deepEqual(codes.get(escapeLine), ['path-escapes']);
    assert.deepEqual(codes.get(brokenLine), ['malformed-json']);
    assert.deepEqual(codes.get(describedLine), ['description-differs']);
    assert.ok(codes.get(sizeLine)?.includes('mask-size'), String(codes.get(sizeLine)));
    assert.deepEqual(codes.get(folderLine), ['file-unreadable']);
    assert.equal(codes.get(cleanLine), undefined);
    assert.deepEqual(lint.records, lines.map((_, i) => i).filter((i) => i !== brokenLine));
    assert.ok(!lint.links.some(([line, start, end]) => line === escapeLine && sent[line].slice(start, end) === '"../outside.png"'));

    const find = (line: number, code: DiagnosticCode) => lint.diagnostics.find((d) => d.line === line && d.code === code) as LintedDiagnostic;
    const sizeProblem = find(sizeLine, 'mask-size');
    assert.match(sizeProblem.message, /masks\/small\.png is 64x64/);
    assert.match(find(folderLine, 'file-unreadable').message, /masks\/test is a directory/);
    assert.match(find(escapeLine, 'path-escapes').message, /\.\.\/outside\.png/);
    assert.match(find(describedLine, 'description-differs').message, /a blue elephant/);
    const range = find(describedLine, 'description-differs').range;
    assert.equal(sent[describedLine].slice(range.start.character, range.end.character), '"a blue elephant"');

    for (const [line, code] of [[bboxLine, 'bbox-mismatch'], [areaLine, 'area-mismatch']] as const) {
      const fixes = find(line, code).fixes ?? [];
      assert.deepEqual(fixes.map((f) => f.edits.length).sort(), [1, 2], `${code}: ${fixes.map((f) => f.title)}`);
      for (const fix of fixes) {
        assert.ok(fix.edits.every((e) => e.range.start.line === line && e.range.end.line === line));
        assert.equal(applyLineEdits(sent[line], fix.edits), lines[line], fix.title);
      }
    }
    const [drop] = find(twoRegions, 'mask-missing').fixes ?? [];
    assert.match(drop.title, /^Drop region 1\b/);
    const dropped = JSON.parse(applyLineEdits(sent[twoRegions], drop.edits)) as ImageRecord;
    assert.deepEqual(dropped.regions, records[twoRegions].regions.slice(0, 1));
    assert.deepEqual(readFileSync(file), before);

    // A split file that exists only in the editor is linted against the files beside it.
    const unsaved = await client.request(LintSplitFileRequest, { file: join(dataset, 'unsaved.jsonl'), text: sent[bboxLine] });
    assert.deepEqual(unsaved.diagnostics.map((d) => [d.line, d.code]), [[0, 'bbox-mismatch']]);
  });

  it('answers a ping sent while a 100,000-line file is linted before the lint', async (t) => {
    // Its answer is not waited for (a full lint of this size takes seconds): the server is killed soon after.
    const client = newClient(t, { shutdownTimeoutMs: 100 });
    await client.request(PingRequest);
    const big = Array.from({ length: 100_000 }, (_, i) => lines[i % lines.length]).join('\n');
    const settled: string[] = [];
    void client.request(LintSplitFileRequest, { file, text: big }, { timeoutMs: 0 }).then(
      () => settled.push('lint'),
      (err: unknown) => settled.push(`lint failed: ${String(err)}`),
    );
    await client.request(PingRequest);
    settled.push('ping');
    assert.deepEqual(settled, ['ping']);
  });

  it('lints a 10,000-line file in the worker while pings are answered', async (t) => {
    const client = newClient(t);
    const text = Array.from({ length: 10_000 }, (_, i) => lines[i % lines.length]);
    text[4_321] = text[4_321].slice(0, 30);
    const settled: string[] = [];
    const first = client.request(LintSplitFileRequest, { file, text: text.join('\n') }, { timeoutMs: 0 }).finally(() => settled.push('first'));
    const cancel = new CancellationTokenSource();
    const second = client
      .request(LintSplitFileRequest, { file, text: lines[0] }, { timeoutMs: 0, token: cancel.token })
      .then(
        () => 'answered',
        (err: unknown) => String(err),
      )
      .finally(() => settled.push('second'));
    await client.request(PingRequest);
    assert.deepEqual(settled, []);
    cancel.cancel();

    const lint = await first;
    assert.equal(lint.records.length, 9_999);
    assert.deepEqual(lint.diagnostics.map((d) => [d.line, d.code]), [[4_321, 'malformed-json']]);
    assert.equal(lint.links.length, text.reduce((n, _, i) => (i === 4_321 ? n : n + 1 + records[i % records.length].regions.length), 0));
    const outcome = await second;
    assert.deepEqual(settled, ['second', 'first'], 'the cancelled lint, waiting behind the first, is dropped at once');
    assert.match(outcome, /cancelled/);
  });
});

describe('anomalyLens/previewRecord', () => {
  it('renders the record as a small PNG, and one region alone in its colour', async (t) => {
    const client = newClient(t);
    const record = records[0];
    const files = { file, image: record.image, masks: record.regions.map((r) => r.mask) };
    const whole = await client.request(PreviewRecordRequest, files);
    assert.equal(whole.image, join(dataset, record.image));
    assert.deepEqual(whole.masks, files.masks.map((m) => join(dataset, m)));
    const decode = async (url: string) => {
      const prefix = 'data:image/png;base64,';
      assert.ok(url.startsWith(prefix));
      const png = Buffer.from(url.slice(prefix.length), 'base64');
      const meta = await sharp(png).metadata();
      assert.equal(meta.format, 'png');
      const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      return { data, width: info.width, height: info.height };
    };
    const picture = await decode(whole.thumbnail);
    assert.deepEqual([picture.width, picture.height], [whole.width, whole.height]);
    assert.ok(Math.max(picture.width, picture.height) <= 256);

    const focused = await client.request(PreviewRecordRequest, { ...files, focus: 0 });
    const zoomed = await decode(focused.thumbnail);
    assert.ok(Math.max(zoomed.width, zoomed.height) <= 256);
    assert.notDeepEqual(zoomed.data, picture.data);
    const [r, g, b] = regionColour(1);
    let coloured = 0;
    for (let i = 0; i < zoomed.data.length; i += 3) if (zoomed.data[i] === r && zoomed.data[i + 1] === g && zoomed.data[i + 2] === b) coloured++;
    assert.ok(coloured > 0, `no pixel of region 1's colour ${[r, g, b]}`);

    const small = await client.request(PreviewRecordRequest, { ...files, maxSize: 32 });
    assert.equal(Math.max(small.width, small.height), 32);

    await assert.rejects(client.request(PreviewRecordRequest, { ...files, image: 'images/missing.png' }), /images\/missing\.png/);
    await assert.rejects(client.request(PreviewRecordRequest, { ...files, image: '../sample/outside.png' }), /escapes the dataset root/);
  });
});

describe('anomalyLens/predictRecord', () => {
  function assertRanking(prediction: RegionPrediction | null, what: string): { text: string; probability: number }[] {
    assert.ok(prediction && 'ranking' in prediction, `${what}: ${JSON.stringify(prediction)}`);
    const { ranking } = prediction;
    assert.equal(ranking.length, 3, what);
    for (const [k, { text: t, probability: p }] of ranking.entries()) {
      assert.ok(descriptions.includes(t), `${what}: "${t}" is not a dataset.json description`);
      assert.ok(p > 0 && p <= 1, `${what}: probability ${p}`);
      if (k > 0) assert.ok(p <= ranking[k - 1].probability, `${what}: not in descending order`);
    }
    return ranking;
  }

  it('ranks each region against the dataset descriptions, keeps the answers while the files keep their stamps', async (t) => {
    const client = newClient(t);
    const record = records.find((r) => r.regions.length >= 2) as ImageRecord;
    // A mask of its own that this test rewrites; its time stamp is set so that it can be kept.
    const probe = join(dataset, 'masks', 'probe.png');
    copyFileSync(join(dataset, record.regions[1].mask), probe);
    utimesSync(probe, 1_000_000_000, 1_000_000_000);
    const files = { file, image: record.image, masks: [record.regions[0].mask, 'masks/probe.png'] };

    const first = await client.request(PredictRecordRequest, files, { timeoutMs: 0 });
    assert.equal(first.regions.length, 2);
    first.regions.forEach((r, i) => assertRanking(r, `region ${i}`));
    assert.deepEqual(await client.request(PredictRecordRequest, files), first);

    const only = await client.request(PredictRecordRequest, { ...files, only: 1 });
    assert.deepEqual(only.regions, [null, first.regions[1]]);

    const missing = await client.request(PredictRecordRequest, { ...files, masks: [files.masks[0], 'masks/missing.png'] });
    assert.deepEqual(missing.regions[0], first.regions[0]);
    assert.match((missing.regions[1] as { error: string }).error, /masks\/missing\.png/);

    // Garbage of the same size with the same time stamp: the kept answer is given, nothing is decoded.
    const size = readFileSync(probe).length;
    writeFileSync(probe, Buffer.alloc(size, 7));
    utimesSync(probe, 1_000_000_000, 1_000_000_000);
    assert.deepEqual(await client.request(PredictRecordRequest, files), first);

    // A new stamp: the mask is read again, and its garbage is that region's error.
    utimesSync(probe, 1_000_000_001, 1_000_000_001);
    const garbage = await client.request(PredictRecordRequest, files);
    assert.deepEqual(garbage.regions[0], first.regions[0]);
    assert.ok(garbage.regions[1] && 'error' in garbage.regions[1], JSON.stringify(garbage.regions[1]));

    // Two regions not seen before, one of them unreadable: the other still gets its ranking.
    const fresh = join(dataset, 'masks', 'fresh.png');
    copyFileSync(join(dataset, record.regions[0].mask), fresh);
    utimesSync(probe, 1_000_000_002, 1_000_000_002);
    const mixed = await client.request(PredictRecordRequest, { ...files, masks: ['masks/fresh.png', 'masks/probe.png'] });
    assert.deepEqual(assertRanking(mixed.regions[0], 'the readable region'), assertRanking(first.regions[0], 'region 0'));
    assert.ok(mixed.regions[1] && 'error' in mixed.regions[1], JSON.stringify(mixed.regions[1]));

    // Another real region in the rewritten mask: a new ranking for it.
    const { width, height } = record;
    await writeMask(probe, width, height, [0, 0, width, Math.floor(height / 2)]);
    const moved = await client.request(PredictRecordRequest, files);
    assert.deepEqual(moved.regions[0], first.regions[0]);
    const ranking = assertRanking(moved.regions[1], 'the rewritten region');
    assert.notDeepEqual(ranking, assertRanking(first.regions[1], 'region 1'));
  });
});
