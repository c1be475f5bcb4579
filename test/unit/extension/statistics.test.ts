import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { COMPUTING_NOTE, renderStatisticsMarkdown } from '../../../extension/statistics/markdown';
import { partialStatistics } from '../../../server/jobs/stats';
import { FIXTURE_DATASETS, countsOf, manifestOf, writeDataset } from '../../e2e/fixture';

const screws = FIXTURE_DATASETS[0];

/** The cells of the Markdown table rows that start with `first`. */
function rows(markdown: string, first: string): string[][] {
  return markdown
    .split('\n')
    .filter((l) => l.startsWith(`| ${first} |`))
    .map((l) => l.slice(2, -2).split(' | '));
}

test('the split table holds the manifest counts and their total', () => {
  const md = renderStatisticsMarkdown('datasets/screws', manifestOf(screws));
  assert.match(md, /^# Dataset statistics: datasets\/screws\n/);
  for (const split of ['train', 'val', 'test'] as const) {
    const c = countsOf(screws.records[split]);
    assert.deepEqual(rows(md, split), [[split, String(c.images), String(c.regions)]]);
  }
  const all = countsOf([...screws.records.train, ...screws.records.val, ...screws.records.test]);
  assert.deepEqual(rows(md, '**all**'), [['**all**', String(all.images), String(all.regions)]]);
  assert.ok(!md.includes('Table 1'), 'no record tables without the split files');
  assert.match(md, /\| eps \| 1\.5 \|/);
  assert.match(md, /Built 2025-01-01T00:00:00\.000Z by anomaly-lens 0\.1\.0 from mvtec `\/data\/source`\./);
});

test("with the split files it adds the builder's tables and lists unreadable lines", async (t) => {
  const workspace = mkdtempSync(join(tmpdir(), 'al-statistics-'));
  t.after(() => rmSync(workspace, { recursive: true, force: true }));
  writeDataset(workspace, screws);
  appendFileSync(join(workspace, screws.folder, 'test.jsonl'), 'broken');
  // What anomalyLens/datasetStats answers with `partial` (test/unit/rpc/datasetStats.test.ts).
  const md = renderStatisticsMarkdown('screws', manifestOf(screws), await partialStatistics(join(workspace, screws.folder)));
  assert.ok(md.includes('## Images per object (Table 1)'), md);
  const count = (split: 'train' | 'val' | 'test') => String(screws.records[split].filter((r) => r.object === 'screw').length);
  assert.deepEqual(rows(md, 'screw').filter((r) => r.length === 4 && /^\d+$/.test(r[1])), [['screw', count('train'), count('val'), count('test')]]);
  assert.ok(md.includes(`- \`test.jsonl\` line ${screws.records.test.length + 1}: not valid JSON`), md);
});

test('table cells escape pipes and line breaks of descriptions', () => {
  const manifest = manifestOf(screws);
  manifest.descriptions[0] = { ...manifest.descriptions[0], text: 'bent | twisted\nlead' };
  const md = renderStatisticsMarkdown('screws', manifest);
  assert.ok(md.includes('bent \\| twisted lead'), md);
});

test("while the server computes the tables, dataset.json's part is shown with a note; a failure says why", () => {
  const computing = renderStatisticsMarkdown('screws', manifestOf(screws), { computing: true });
  const all = countsOf([...screws.records.train, ...screws.records.val, ...screws.records.test]);
  assert.deepEqual(rows(computing, '**all**'), [['**all**', String(all.images), String(all.regions)]]);
  assert.ok(computing.includes(COMPUTING_NOTE));
  assert.match(computing, /## Descriptions/);
  const failed = renderStatisticsMarkdown('screws', manifestOf(screws), { failed: 'test.jsonl: no such file\nat line 2' });
  assert.match(failed, /\*The tables of the split files could not be computed: test\.jsonl: no such file at line 2\*/);
  assert.ok(!failed.includes(COMPUTING_NOTE));
});
