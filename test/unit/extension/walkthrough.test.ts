// The "Get started with Anomaly Lens" walkthrough as package.json declares it, against the
// extension: every step has its button, an image the package carries, and a completion event the
// extension sets; and the walkthrough is offered by itself only once, in a folder of nothing of ours.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { offersWalkthrough, PROGRESS_KEYS, WALKTHROUGH_ID, type OfferInputs } from '../../../extension/walkthrough/steps';

const ROOT = join(__dirname, '..', '..', '..');
interface Step {
  id: string;
  title: string;
  description: string;
  media: { svg?: string; image?: string; altText?: string };
  completionEvents: string[];
}
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  publisher: string;
  contributes: { commands: { command: string }[]; walkthroughs: { id: string; title: string; steps: Step[] }[]; viewsWelcome: { view: string; contents: string }[] };
};
const declared = new Set(pkg.contributes.commands.map((c) => c.command));
const [walkthrough] = pkg.contributes.walkthroughs;

test('the walkthrough goes from the sample to a description, in the order a new user takes', () => {
  assert.equal(walkthrough.id, WALKTHROUGH_ID);
  assert.equal(walkthrough.title, 'Get started with Anomaly Lens');
  assert.deepEqual(
    walkthrough.steps.map((s) => s.id),
    ['createSample', 'buildDataset', 'statistics', 'maskEditor', 'evaluate', 'train', 'describe'],
  );
});

test('every step has a button running a declared command, an image the package carries and alt text', () => {
  for (const step of walkthrough.steps) {
    const buttons = [...step.description.matchAll(/^\[[^\]]+\]\(command:(?:toSide:)?([\w.]+)\)$/gm)].map((m) => m[1]);
    assert.equal(buttons.length, 1, `${step.id}: one button on a line of its own`);
    assert.ok(declared.has(buttons[0]), `${step.id}: ${buttons[0]} is declared`);
    const media = step.media.svg ?? step.media.image ?? '';
    assert.ok(media.startsWith('media/walkthrough/'), `${step.id}: media in media/walkthrough/`);
    assert.ok(existsSync(join(ROOT, media)), media);
    assert.ok(statSync(join(ROOT, media)).size < 16 * 1024, `${media} stays small`);
    assert.ok((step.media.altText ?? '').length > 10, `${step.id}: alt text`);
  }
});

test("each step ticks off on the state it leads to: a context key the extension sets, or the command of a step that leaves no state", () => {
  const keys = new Set<string>(Object.values(PROGRESS_KEYS));
  const events = walkthrough.steps.map((s) => s.completionEvents);
  for (const [i, list] of events.entries()) {
    assert.equal(list.length, 1, walkthrough.steps[i].id);
    const [kind, value] = [list[0].slice(0, list[0].indexOf(':')), list[0].slice(list[0].indexOf(':') + 1)];
    if (kind === 'onContext') assert.ok(keys.has(value), `${value} is one of PROGRESS_KEYS`);
    else assert.ok(kind === 'onCommand' && declared.has(value), list[0]);
  }
  // Every key the extension sets ticks a step.
  assert.deepEqual([...keys].sort(), events.flat().filter((e) => e.startsWith('onContext:')).map((e) => e.slice('onContext:'.length)).sort());
});

test("the Datasets view's welcome keeps its buttons and links the walkthrough", () => {
  const welcome = pkg.contributes.viewsWelcome.find((w) => w.view === 'anomalyLens.datasets')?.contents ?? '';
  assert.match(welcome, /^\[Create Sample Dataset\]\(command:anomalyLens\.createSample\)$/m);
  assert.match(welcome, /^\[Build Dataset\]\(command:anomalyLens\.buildDataset\)$/m);
  const link = /\(command:workbench\.action\.openWalkthrough\?([^)]+)\)/.exec(welcome);
  assert.ok(link, 'a link that opens the walkthrough');
  assert.equal(JSON.parse(decodeURIComponent(link[1])), `${pkg.publisher}.${pkg.name}#${WALKTHROUGH_ID}`);
});

test('the walkthrough is offered once, unasked, in a trusted folder with nothing of Anomaly Lens, unless walkthroughs on install are turned off', () => {
  const nothing = { sample: false, dataset: false, report: false, trained: false };
  const fresh: OfferInputs = { offeredBefore: false, trusted: true, folderOpen: true, openOnInstall: true, found: nothing };
  assert.equal(offersWalkthrough(fresh), true);
  assert.equal(offersWalkthrough({ ...fresh, offeredBefore: true }), false, 'once');
  assert.equal(offersWalkthrough({ ...fresh, trusted: false }), false, 'its steps cannot run in Restricted Mode');
  assert.equal(offersWalkthrough({ ...fresh, folderOpen: false }), false, 'no folder to write the sample into');
  assert.equal(offersWalkthrough({ ...fresh, openOnInstall: false }), false, "the user's setting");
  for (const key of Object.keys(nothing)) assert.equal(offersWalkthrough({ ...fresh, found: { ...nothing, [key]: true } }), false, `a workspace with a ${key}`);
});
