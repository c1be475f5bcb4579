import assert from 'node:assert/strict';
import { test } from 'node:test';
import { numberProblem, parseNumber, stepTitle, StepWalk, type Step } from '../../../extension/ui/stepTable';

interface Answers {
  source: string;
  mode: 'dbscan' | 'cc8';
  eps: number;
  name: string;
}

const STEPS: Step<Answers>[] = [
  { id: 'source', title: 'source', ask: () => ({ kind: 'path' }) },
  { id: 'mode', title: 'mode', ask: () => ({ kind: 'pick', choices: [] }), proposed: () => 'dbscan' },
  { id: 'eps', title: 'eps', applies: (a) => (a.mode ?? 'dbscan') === 'dbscan', ask: () => ({ kind: 'number', min: 0, integer: false }), proposed: () => 1.5 },
  { id: 'name', title: 'name', ask: () => ({ kind: 'path' }), proposed: async (a) => `${a.source}-${a.mode}` },
];

async function step<A extends object>(walk: StepWalk<A>, value?: unknown): Promise<void> {
  const proposal = await walk.proposal();
  walk.answer(value === undefined ? proposal : value);
}

test('the walk asks the steps that apply in order and counts them as "step k of n"', async () => {
  const walk = new StepWalk(STEPS);
  assert.equal(walk.current()?.id, 'source');
  assert.deepEqual(walk.position(), { step: 1, of: 4 });
  await step(walk, 'mvtec');
  await step(walk, 'cc8');
  // eps no longer applies: the next step is the last of three.
  assert.equal(walk.current()?.id, 'name');
  assert.deepEqual(walk.position(), { step: 3, of: 3 });
  assert.equal(await walk.proposal(), 'mvtec-cc8');
  await step(walk);
  assert.equal(walk.current(), undefined);
  assert.deepEqual(walk.result(), { source: 'mvtec', mode: 'cc8', name: 'mvtec-cc8' });
  assert.equal(stepTitle('Anomaly Lens: Build Dataset', 'mode', { step: 2, of: 3 }), 'Anomaly Lens: Build Dataset — mode (step 2 of 3)');
  assert.equal(stepTitle('Anomaly Lens: Export', 'run', { step: 1, of: 1 }), 'Anomaly Lens: Export — run');
});

test('Back returns to the step before with its answer kept; a changed answer changes the steps after it', async () => {
  const walk = new StepWalk(STEPS);
  await step(walk, 'mvtec');
  await step(walk, 'dbscan');
  await step(walk, 4);
  assert.equal(walk.current()?.id, 'name');
  assert.ok(walk.back());
  assert.equal(walk.current()?.id, 'eps');
  assert.equal(await walk.proposal(), 4, 'the answer typed is kept');
  assert.ok(walk.back());
  assert.equal(walk.current()?.id, 'mode');
  assert.equal(await walk.proposal(), 'dbscan');
  await step(walk, 'cc8');
  assert.equal(walk.current()?.id, 'name');
  await step(walk);
  // eps was answered, but no longer applies: it is left out.
  assert.deepEqual(walk.result(), { source: 'mvtec', mode: 'cc8', name: 'mvtec-cc8' });
  assert.ok(walk.back() && walk.back() && walk.back());
  assert.equal(walk.current()?.id, 'source');
  assert.equal(walk.back(), false, 'the first step has no step before it');
});

test('a proposal that was only accepted is proposed afresh after Back; one typed in is kept', async () => {
  const walk = new StepWalk(STEPS);
  await step(walk, 'mvtec');
  await step(walk, 'dbscan');
  await step(walk);
  await step(walk); // name: accepted 'mvtec-dbscan'
  walk.back(); // name
  walk.back(); // eps
  walk.back(); // mode
  await step(walk, 'cc8');
  assert.equal(walk.current()?.id, 'name');
  assert.equal(await walk.proposal(), 'mvtec-cc8', 'the name follows the new mode');
  await step(walk, 'mine');
  walk.back();
  assert.equal(await walk.proposal(), 'mine');
});

test('remembered answers are the proposals, and decide which steps count; given answers are not asked', async () => {
  const walk = new StepWalk(STEPS, { remembered: { mode: 'cc8', eps: 3 }, given: { source: 'visa' } });
  assert.equal(walk.current()?.id, 'mode');
  // With cc8 remembered, eps is not counted.
  assert.deepEqual(walk.position(), { step: 1, of: 2 });
  assert.equal(await walk.proposal(), 'cc8');
  await step(walk, 'dbscan');
  assert.equal(walk.current()?.id, 'eps');
  assert.deepEqual(walk.position(), { step: 2, of: 3 });
  assert.equal(await walk.proposal(), 3);
  await step(walk);
  await step(walk);
  assert.deepEqual(walk.result(), { source: 'visa', mode: 'dbscan', eps: 3, name: 'visa-dbscan' });
});

test('a review goes back to the step of a parameter; the quick path answers every step before it with its proposal', async () => {
  const steps: Step<Answers & { review: true }>[] = [...(STEPS as Step<Answers & { review: true }>[]), { id: 'review', title: 'review', ask: () => ({ kind: 'review', acceptLabel: 'Build', rows: [] }) }];
  const walk = new StepWalk(steps, { remembered: { source: 'sample' } });
  await walk.proposeUntil('review');
  assert.equal(walk.current()?.id, 'review');
  assert.deepEqual(walk.position(), { step: 5, of: 5 });
  assert.deepEqual(walk.answers, { source: 'sample', mode: 'dbscan', eps: 1.5, name: 'sample-dbscan' });
  walk.jump('mode');
  assert.deepEqual(walk.position(), { step: 2, of: 5 });
  await step(walk, 'cc8');
  assert.equal(walk.current()?.id, 'name');
  assert.equal(await walk.proposal(), 'sample-cc8');
  await step(walk);
  assert.equal(walk.current()?.id, 'review');
  assert.ok(walk.back());
  assert.equal(walk.current()?.id, 'name');
});

test('numbers: bounds, integers, an empty optional box', () => {
  assert.equal(numberProblem('1.5', { min: 0, above: true, integer: false }), undefined);
  assert.equal(numberProblem('0', { min: 0, above: true, integer: false }), 'a number above 0');
  assert.equal(numberProblem('abc', { min: 1, integer: true }), 'an integer of at least 1');
  assert.equal(numberProblem('2.5', { min: 1, integer: true }), 'an integer of at least 1');
  assert.equal(numberProblem('', { min: 1, integer: true }), 'an integer of at least 1');
  assert.equal(numberProblem(' ', { min: 0, integer: true, optional: true }), undefined);
  assert.equal(numberProblem('-1', { min: 0, integer: true, optional: true }), 'an integer of at least 0, or empty');
  assert.equal(parseNumber(' 12 '), 12);
  assert.equal(parseNumber(''), undefined);
});
