// Export Dataset… from the palette, as a curator who leaves with a dataset for another trainer:
// the dataset, the format and the folder asked in turn, a notification saying what was written,
// and COCO annotations on disk for every region of the dataset.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Check } from './harness';
import { answer, back, inputHolds, notification, pick, runCommand } from './palette';

export const EXPORT_DATASET_CHECK: Check = {
  name: 'Export Dataset… from the palette writes the built dataset as COCO: each step says "step k of 3", Back keeps the format, the folder proposed is beside the dataset; the notification says what it wrote',
  run: async (page, session) => {
    const dataset = join(session.workspace, 'datasets', 'built');
    const out = join(session.workspace, 'exports', 'built-coco');
    await runCommand(page, 'View: Close All Editors');
    await runCommand(page, 'Anomaly Lens: Export Dataset…');
    await pick(page, 'datasets/built', { asked: /Export Dataset — dataset \(step 1 of 3\)/ });
    await pick(page, 'COCO', { asked: /format \(step 2 of 3\)/ });
    // The folder proposed is a fresh one beside the dataset; Back returns to the format with COCO kept.
    await inputHolds(page, /datasets[\\/]built-coco$/, { asked: /folder to write \(step 3 of 3\)/ });
    await back(page, { asked: /folder to write \(step 3 of 3\)/ });
    await pick(page, 'COCO', { asked: /format \(step 2 of 3\)/ });
    await answer(page, out, { asked: /folder to write \(step 3 of 3\)/ });
    const toast = await notification(page, /exported datasets\/built as COCO to exports\/built-coco \(\d+ images, \d+ regions, \d+ categories\)/, 120_000);
    await session.screenshot('workspace-export-dataset');
    const said = /\((\d+) images, (\d+) regions/.exec(await toast.innerText());
    const records = readFileSync(join(dataset, 'test.jsonl'), 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as { regions: unknown[] });
    const regions = records.reduce((n, r) => n + r.regions.length, 0);
    if (Number(said?.[1]) !== records.length || Number(said?.[2]) !== regions) throw new Error(`the notification says ${said?.[0]}; the dataset has ${records.length} images and ${regions} regions`);
    const file = join(out, 'annotations.json');
    if (!existsSync(file)) throw new Error(`${file} was not written`);
    const coco = JSON.parse(readFileSync(file, 'utf8')) as { annotations: unknown[] };
    if (coco.annotations.length !== regions) throw new Error(`annotations.json holds ${coco.annotations.length} annotations, the dataset ${regions} regions`);
  },
};
