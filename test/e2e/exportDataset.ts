// Export Dataset… from the palette, as a curator who leaves with a dataset for another trainer:
// the dataset, the format and the folder asked in turn, a notification saying what was written,
// and COCO annotations on disk for every region of the dataset.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Check } from './harness';
import { answer, notification, pick, runCommand } from './palette';

export const EXPORT_DATASET_CHECK: Check = {
  name: 'Export Dataset… from the palette writes the built dataset as COCO in two steps and says what it wrote',
  run: async (page, session) => {
    const dataset = join(session.workspace, 'datasets', 'built');
    const out = join(session.workspace, 'exports', 'built-coco');
    await runCommand(page, 'View: Close All Editors');
    await runCommand(page, 'Anomaly Lens: Export Dataset…');
    await pick(page, 'datasets/built', { asked: /choose a dataset/ });
    await pick(page, 'COCO', { asked: /format \(1\/2\)/ });
    await answer(page, out, { asked: /folder to write \(2\/2\)/ });
    const toast = await notification(page, /exported as COCO to .*\(\d+ images, \d+ regions, \d+ categories\)/, 120_000);
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
