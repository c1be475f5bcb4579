import assert from 'node:assert/strict';
import { test } from 'node:test';
import { trainDefault } from '../../../server/jobs/options';
import { buildReview, buildSteps, datasetName, rememberedOf, type BuildContext } from '../../../extension/build/buildSteps';
import { evaluateSteps } from '../../../extension/evaluate/evaluateSteps';
import { exportSteps } from '../../../extension/train/exportSteps';
import { choicesOf, rememberedAnswers, trainSteps, type TrainContext } from '../../../extension/train/trainSteps';
import { addFolders, folderRows, removeFolder, rowGoesOn } from '../../../extension/ui/folderList';
import { StepWalk, type Step } from '../../../extension/ui/stepTable';
import { importSteps } from '../../../extension/weights/importSteps';
import { sampleSteps } from '../../../extension/sample/sampleSteps';
import { SAMPLE_DEFAULTS } from '../../../server/sample/defaults';
import { DEFAULT_SETTINGS } from '../../../extension/settings/settings';

const taken = new Set(['/ws/datasets/mvtec-regions-dbscan']);
async function freshFolder(parent: string, base: string): Promise<string> {
  for (let n = 1; ; n++) {
    const p = `${parent}/${n === 1 ? base : `${base}-${n}`}`;
    if (!taken.has(p)) return p;
  }
}

function buildContext(review = false): BuildContext {
  return { settings: DEFAULT_SETTINGS, datasetsFolder: '/ws/datasets', freshFolder, describeSource: async () => 'layout: MVTec AD', shown: (p) => p.replace('/ws/', ''), review };
}

async function answerAll<A extends object>(walk: StepWalk<A>, answers: Partial<Record<keyof A, unknown>>): Promise<string[]> {
  const asked: string[] = [];
  for (let step = walk.current(); step; step = walk.current()) {
    asked.push(`${step.id} ${walk.position().step}/${walk.position().of}`);
    const proposal = await walk.proposal();
    walk.answer(step.id in answers ? answers[step.id as keyof A] : proposal);
  }
  return asked;
}

test('a list of sources: once a folder is added, Enter goes on with it (it is removed only with its button)', () => {
  assert.deepEqual(folderRows([]), { rows: [{ kind: 'add' }], active: 0 });
  const added = addFolders([], ['/ws/sample/synthetic']);
  const { rows, active } = folderRows(added);
  assert.deepEqual(rows, [{ kind: 'folder', folder: '/ws/sample/synthetic' }, { kind: 'add' }, { kind: 'done' }]);
  assert.deepEqual(rows[active], { kind: 'done' }, 'Enter accepts Continue, not the folder just added');
  assert.ok(rowGoesOn(rows[0]), 'accepting a folder row goes on, keeping it');
  assert.ok(!rowGoesOn({ kind: 'add' }));
  assert.deepEqual(addFolders(added, ['/ws/sample/synthetic', '/ws/sample/mvtec']), ['/ws/sample/synthetic', '/ws/sample/mvtec']);
  assert.deepEqual(removeFolder(['/a', '/b'], '/a'), ['/b']);
});

test('Build Dataset: sources, split, descriptions, then the output named for what it holds; DBSCAN asks eps and minPts', async () => {
  const walk = new StepWalk(buildSteps(buildContext()));
  const asked = await answerAll(walk, { sources: ['/data/mvtec'] });
  assert.deepEqual(asked, ['sources 1/6', 'mode 2/6', 'eps 3/6', 'minPts 4/6', 'describe 5/6', 'out 6/6']);
  assert.deepEqual(walk.result(), { sources: ['/data/mvtec'], mode: 'dbscan', eps: 1.5, minPts: 1, describe: 'builtin', out: '/ws/datasets/mvtec-regions-dbscan-2' });

  const cc = new StepWalk(buildSteps(buildContext()));
  assert.deepEqual(await answerAll(cc, { sources: ['/ws/sample/synthetic', '/ws/sample/mvtec'], mode: 'cc8', describe: 'llm' }), ['sources 1/6', 'mode 2/6', 'describe 3/4', 'out 4/4']);
  assert.equal(cc.result().out, '/ws/datasets/synthetic+mvtec-regions-cc8-llm');
  assert.equal(datasetName(['/a/x', '/b/y', '/c/z', '/d/w'], { mode: 'cc4', describe: 'builtin' }), 'x+y+2-more-regions-cc4');
});

test('Build Dataset remembers its sources and parameters and proposes them next time', async () => {
  const first = new StepWalk(buildSteps(buildContext()));
  await answerAll(first, { sources: ['/data/visa'], mode: 'dbscan', eps: 4, minPts: 3, describe: 'llm' });
  const remembered = rememberedOf(first.result());
  assert.deepEqual(remembered, { sources: ['/data/visa'], mode: 'dbscan', eps: 4, minPts: 3, describe: 'llm' });
  const next = new StepWalk(buildSteps(buildContext()), { remembered });
  const proposals: unknown[] = [];
  for (let step = next.current(); step; step = next.current()) {
    const p = await next.proposal();
    proposals.push(p);
    next.answer(p);
  }
  assert.deepEqual(proposals, [['/data/visa'], 'dbscan', 4, 3, 'llm', '/ws/datasets/visa-regions-dbscan-llm']);
});

test("Build Dataset's quick path shows the parameters it uses and goes back to a parameter's step", async () => {
  const ctx = buildContext(true);
  const walk = new StepWalk(buildSteps(ctx), { remembered: { sources: ['/ws/sample/synthetic', '/ws/sample/mvtec'] } });
  await walk.proposeUntil('review');
  assert.deepEqual(walk.position(), { step: 7, of: 7 });
  const ask = walk.current()?.ask(walk.answers);
  assert.equal(ask?.kind, 'review');
  assert.deepEqual(ask?.kind === 'review' && ask.rows, [
    { label: 'Sources', description: 'synthetic, mvtec', step: 'sources' },
    { label: 'Regions', description: 'dbscan, eps 1.5, minPts 1', step: 'mode' },
    { label: 'Descriptions', description: 'builtin', step: 'describe' },
    { label: 'Output folder', description: 'datasets/synthetic+mvtec-regions-dbscan', step: 'out' },
  ]);
  walk.jump('mode');
  walk.answer('cc4');
  assert.equal(walk.current()?.id, 'describe');
  walk.answer(await walk.proposal());
  assert.equal(await walk.proposal(), '/ws/datasets/synthetic+mvtec-regions-cc4');
  walk.answer(await walk.proposal());
  assert.equal(walk.current()?.id, 'review');
  assert.deepEqual(buildReview(walk.answers, ctx)[1], { label: 'Regions', description: 'cc4', step: 'mode' });
  assert.deepEqual(walk.position(), { step: 5, of: 5 });
});

function trainContext(datasets: string[]): TrainContext {
  return {
    datasets: datasets.map((d) => ({ label: d, value: d })),
    bundles: [{ name: 'models/clip', description: 'ViT-B/16 224px', folder: '/ws/models/clip' }],
    device: 'cpu',
    runsFolder: () => '/ws/runs',
    freshFolder,
  };
}

test("Train Model: the dataset is asked only when there are several; epochs and batch propose the trainer's defaults", async () => {
  const one = new StepWalk(trainSteps(trainContext(['/ws/datasets/sample'])), { given: { dataset: '/ws/datasets/sample' } });
  assert.deepEqual(await answerAll(one, {}), ['start 1/6', 'epochs 2/6', 'batch 3/6', 'loraRank 4/6', 'device 5/6', 'out 6/6']);
  assert.deepEqual(one.result(), { dataset: '/ws/datasets/sample', start: { base: 'tiny' }, epochs: trainDefault('epochs'), batch: trainDefault('batch'), loraRank: undefined, device: 'cpu', out: '/ws/runs/sample-tiny' });

  const two = new StepWalk(trainSteps(trainContext(['/ws/a', '/ws/b'])), { remembered: rememberedAnswers({ dataset: '/ws/b', init: '/ws/models/clip', epochs: 2, loraRank: 0, device: 'cuda' }) });
  const proposals: unknown[] = [];
  for (let step = two.current(); step; step = two.current()) {
    const p = await two.proposal();
    proposals.push(`${step.id} ${two.position().step}/${two.position().of} ${JSON.stringify(p)}`);
    two.answer(p);
  }
  assert.deepEqual(proposals, [
    'dataset 1/7 "/ws/b"',
    'start 2/7 {"init":"/ws/models/clip"}',
    'epochs 3/7 2',
    `batch 4/7 ${trainDefault('batch')}`,
    'loraRank 5/7 0',
    'device 6/7 "cuda"',
    'out 7/7 "/ws/runs/b-continued"',
  ]);
  assert.deepEqual(choicesOf(two.result()), { dataset: '/ws/b', base: undefined, init: '/ws/models/clip', epochs: 2, batch: trainDefault('batch'), loraRank: 0, device: 'cuda' });
});

test('Evaluate: split, bundle (unless started on one), baseline and candidates, remembered', async () => {
  const ctx = { datasets: [{ label: 'a', value: '/ws/a' }], bundles: [{ name: 'default model (embedded)', description: '', folder: '/ext/model', embedded: true }], defaultBundle: '' };
  const walk = new StepWalk(evaluateSteps(ctx), { given: { dataset: '/ws/a' } });
  assert.deepEqual(await answerAll(walk, {}), ['split 1/4', 'bundle 2/4', 'baseline 3/4', 'candidates 4/4']);
  assert.deepEqual(walk.result(), { dataset: '/ws/a', split: 'test', bundle: '', baseline: '', candidates: 'all' });
  const fromModel = new StepWalk(evaluateSteps(ctx), { given: { dataset: '/ws/a', bundle: '/ws/m' }, remembered: { split: 'val', baseline: '/ext/model' } });
  assert.deepEqual(await answerAll(fromModel, {}), ['split 1/3', 'baseline 2/3', 'candidates 3/3']);
  assert.deepEqual(fromModel.result(), { dataset: '/ws/a', bundle: '/ws/m', split: 'val', baseline: '/ext/model', candidates: 'all' });
});

test('Import Pretrained Weights: CLIP, AlphaCLIP or none, vocabulary, then a bundle folder named after the CLIP file', async () => {
  const walk = new StepWalk(importSteps({ found: { clip: ['/ws/w/ViT-B-16.pt'], alpha: [], vocab: ['/ws/w/bpe.txt.gz'] }, modelsFolder: '/ws/models', freshFolder, shown: (p) => p }));
  assert.deepEqual(await answerAll(walk, { clip: '/ws/w/ViT-B-16.pt', alpha: undefined, vocab: '/ws/w/bpe.txt.gz' }), ['clip 1/4', 'alpha 2/4', 'vocab 3/4', 'out 4/4']);
  assert.deepEqual(walk.result(), { clip: '/ws/w/ViT-B-16.pt', alpha: undefined, vocab: '/ws/w/bpe.txt.gz', out: '/ws/models/ViT-B-16' });
});

test('Export Checkpoint offers "best" only for a run that has validated', () => {
  const steps = exportSteps([
    { folder: '/ws/runs/a', name: 'a', status: 'finished', hasBest: true },
    { folder: '/ws/runs/b', name: 'b', status: 'stopped', hasBest: false },
  ]);
  const checkpoint = steps.find((s) => s.id === 'checkpoint') as Step<{ run: string; checkpoint: string }>;
  const labels = (run: string) => {
    const ask = checkpoint.ask({ run });
    return ask.kind === 'pick' ? ask.choices.map((c) => c.label) : [];
  };
  assert.deepEqual(labels('/ws/runs/a'), ['best', 'last']);
  assert.deepEqual(labels('/ws/runs/b'), ['last']);
  assert.equal(checkpoint.proposed?.({ run: '/ws/runs/b' }), 'last');
});

test('Create Sample Dataset: the folder, then the scale with the default proposed', async () => {
  const walk = new StepWalk(sampleSteps({ root: '/ws', freshFolder }));
  assert.deepEqual(await answerAll(walk, {}), ['out 1/2', 'scale 2/2']);
  assert.deepEqual(walk.result(), { out: '/ws/sample', scale: SAMPLE_DEFAULTS.scale });
  const scaled = new StepWalk(sampleSteps({ root: '/ws', freshFolder }), { given: { scale: 0.1 } });
  assert.deepEqual(await answerAll(scaled, {}), ['out 1/1']);
});
