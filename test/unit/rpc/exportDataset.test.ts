// anomalyLens/exportDataset on the built server: a job of its own kind and title, which writes
// the export and refuses bad parameters and an output inside the dataset.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { BuildDatasetRequest, ErrorCodes, ExportDatasetRequest, JobsRequest } from '../../../server/rpc/protocol';
import { writeCvatExport } from '../readers/annotationExports';
import { ensureBuilt, newClient, serverError, userError } from './fixtures';

before(ensureBuilt);

describe('anomalyLens/exportDataset', () => {
  it('exports a dataset built from a CVAT export as COCO, as a job, and refuses what it cannot do', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'al-rpc-export-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    await writeCvatExport(join(dir, 'cvat'));
    const client = newClient(t, { env: { ANOMALY_LENS_STATE_DIR: join(dir, 'state') } });
    const dataset = join(dir, 'dataset');
    const built = await client.request(BuildDatasetRequest, { sources: [{ root: join(dir, 'cvat') }], out: dataset, workers: 0 }, { timeoutMs: 0 });
    assert.equal(built.cancelled, false);

    const out = join(dir, 'coco');
    const result = await client.request(ExportDatasetRequest, { dataset, format: 'coco', out, jobId: 'export' }, { timeoutMs: 0 });
    assert.deepEqual([result.images, result.regions, result.categories, result.problems], [1, 2, 2, []]);
    const coco = JSON.parse(readFileSync(join(out, 'annotations.json'), 'utf8')) as { categories: { name: string; defect: string }[] };
    assert.deepEqual(coco.categories.map((c) => c.defect).sort(), ['scratch', 'stain']);
    const job = (await client.request(JobsRequest, undefined)).find((j) => j.id === 'export');
    assert.equal(job?.kind, 'exportDataset');
    assert.equal(job?.state, 'finished');
    assert.equal(job?.title, `Export ${dataset} as COCO to ${out}`);

    await assert.rejects(client.request(ExportDatasetRequest, { dataset, format: 'yolo' as never, out: join(dir, 'yolo') }), serverError(ErrorCodes.InvalidParams, /format.*one of coco, anomalib/));
    await assert.rejects(client.request(ExportDatasetRequest, { dataset, format: 'anomalib', out: join(dataset, 'inside') }), userError(/is inside the dataset/));
    assert.ok(!existsSync(join(dataset, 'inside')));
  });
});
