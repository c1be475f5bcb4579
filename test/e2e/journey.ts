// A new user in an empty workspace, from the command palette only: each step is what a person
// would do next, checked by what the workbench shows and what lands on disk. Screenshots go to
// out/e2e/screenshots/journey-*.png.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT, type Check, type SessionContext } from './harness';
import { accept, answer, back, chooseFolder, focusedRow, inputHolds, notification, pick, quickInputRow, runCommand, waitForText, webviewFrame } from './palette';

const LONG = 120_000;

async function waitForPath(file: string, timeout = LONG): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`waited ${timeout} ms for ${file}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function sidebar(page: Page) {
  return page.locator('.part.sidebar');
}

/** Opens the Anomaly Lens container and waits until one of its rows (label and description) matches `row`. */
async function viewShows(page: Page, row: RegExp, timeout = 30_000): Promise<void> {
  await runCommand(page, 'View: Show Anomaly Lens');
  const deadline = Date.now() + timeout;
  for (;;) {
    const rows = await sidebar(page).locator('.monaco-list-row').allInnerTexts();
    if (rows.some((text) => row.test(text.replace(/\s+/g, ' ')))) return;
    if (Date.now() > deadline) throw new Error(`no row matching ${row} among: ${rows.map((t) => t.replace(/\s+/g, ' ')).join(' | ')}`);
    await page.waitForTimeout(250);
  }
}

const openView: Check = {
  name: 'the palette opens the Anomaly Lens view of an empty workspace',
  run: async (page, session) => {
    // The extension under development is registered once its contributions show.
    await page.locator('.part.activitybar .action-item a[aria-label^="Anomaly Lens"]').first().waitFor({ timeout: 60_000 });
    await runCommand(page, 'View: Show Anomaly Lens');
    await waitForText(sidebar(page), /datasets/i);
    await session.screenshot('journey-empty-workspace');
  },
};

const createSample: Check = {
  name: 'Create Sample Dataset writes the sample into the folder typed in',
  run: async (page, session) => {
    await runCommand(page, 'Anomaly Lens: Create Sample Dataset');
    await answer(page, join(session.workspace, 'sample'), { asked: /folder of the sample dataset \(step 1 of 2\)/i });
    // The default scale: the sample the default model was measured on.
    await pick(page, /^1×.*default/, { asked: /size of the sample \(step 2 of 2\)/i });
    await notification(page, /sample written to/i, LONG);
    for (const sub of ['synthetic', 'mvtec']) if (!existsSync(join(session.workspace, 'sample', sub))) throw new Error(`no sample/${sub}`);
  },
};

const sampleBuildReview: Check = {
  name: "Create Sample's Build Dataset button shows the parameters the build will use; Escape builds nothing",
  run: async (page, session) => {
    const toast = await notification(page, /sample written to/i);
    if (await toast.isVisible()) await toast.locator('.monaco-button', { hasText: /^Build Dataset$/ }).first().click();
    else {
      await runCommand(page, 'Notifications: Show Notifications');
      const item = page.locator('.notifications-center .notification-list-item', { hasText: /sample written to/i }).first();
      await item.click();
      await item.locator('.monaco-button', { hasText: /^Build Dataset$/ }).first().click();
    }
    await focusedRow(page, /Build/, { asked: /build with these parameters \(step 7 of 7\)/ });
    for (const row of [/Sources\s*synthetic, mvtec/, /Regions\s*dbscan, eps 1\.5, minPts 1/, /Descriptions\s*builtin/, /Output folder\s*datasets\/synthetic\+mvtec-regions-dbscan/]) await quickInputRow(page, row);
    await session.screenshot('journey-sample-build-review');
    await page.keyboard.press('Escape');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 15_000 });
    if (existsSync(join(session.workspace, 'datasets'))) throw new Error('datasets/ was written after Escape');
  },
};

const buildSample: Check = {
  name: 'Build Dataset builds the sample from the two sources added in the guided steps: Enter goes on, each step says "step k of n", Back keeps the answer',
  run: async (page, session) => {
    await runCommand(page, 'Anomaly Lens: Build Dataset');
    for (const source of ['synthetic', 'mvtec']) {
      await pick(page, /Add a source folder/, { asked: /sources \(step 1 of 6\)/ });
      await chooseFolder(page, join(session.workspace, 'sample', source), /Add Source/);
      // Back in the list of sources, with the folder's detected layout.
      await quickInputRow(page, new RegExp(`${source}.*layout`, 'i'));
    }
    // Enter after adding a source goes on with every source added.
    await page.keyboard.press('Enter');
    await pick(page, /^dbscan/, { asked: /how masks split into regions \(step 2 of 6\)/ });
    await answer(page, '2', { asked: /eps.*\(step 3 of 6\)/ });
    // Back returns to the step before with its answer, and to the one before that.
    await back(page, { asked: /minPts \(step 4 of 6\)/ });
    await inputHolds(page, '2', { asked: /eps.*\(step 3 of 6\)/ });
    await back(page);
    await focusedRow(page, /^dbscan/, { asked: /how masks split into regions \(step 2 of 6\)/ });
    await page.keyboard.press('Enter');
    await answer(page, '1.5', { asked: /eps.*\(step 3 of 6\)/ });
    await accept(page, { asked: /minPts \(step 4 of 6\)/ });
    await pick(page, /^builtin/, { asked: /descriptions \(step 5 of 6\)/ });
    // The proposed folder says what the dataset holds.
    await inputHolds(page, join(session.workspace, 'datasets', 'synthetic+mvtec-regions-dbscan'), { asked: /output folder of the dataset \(step 6 of 6\)/ });
    await answer(page, join(session.workspace, 'datasets', 'sample'));
    const manifest = join(session.workspace, 'datasets', 'sample', 'dataset.json');
    await waitForPath(manifest);
    const roots = (JSON.parse(readFileSync(manifest, 'utf8')) as { sources: { root: string }[] }).sources.map((s) => s.root).sort();
    const wanted = ['mvtec', 'synthetic'].map((s) => join(session.workspace, 'sample', s));
    if (JSON.stringify(roots) !== JSON.stringify(wanted)) throw new Error(`the dataset was built from ${roots.join(', ')}, not ${wanted.join(', ')}`);
    await viewShows(page, /^datasets\/sample\s*\d+ images/);
    await session.screenshot('journey-dataset-built');
  },
};

const buildRemembers: Check = {
  name: 'Build Dataset proposes the last build\'s sources and parameters; Escape leaves without building',
  run: async (page, session) => {
    await runCommand(page, 'Anomaly Lens: Build Dataset');
    for (const source of ['synthetic', 'mvtec']) await quickInputRow(page, new RegExp(`${source}.*layout`, 'i'));
    await focusedRow(page, /Continue with these sources/, { asked: /sources \(step 1 of 6\)/ });
    await session.screenshot('journey-build-remembered');
    await page.keyboard.press('Enter');
    await focusedRow(page, /^dbscan/, { asked: /how masks split into regions \(step 2 of 6\)/ });
    await page.keyboard.press('Enter');
    await inputHolds(page, '1.5', { asked: /eps.*\(step 3 of 6\)/ });
    await page.keyboard.press('Enter');
    await inputHolds(page, '1', { asked: /minPts \(step 4 of 6\)/ });
    await page.keyboard.press('Enter');
    await focusedRow(page, /^builtin/, { asked: /descriptions \(step 5 of 6\)/ });
    await page.keyboard.press('Enter');
    await inputHolds(page, join(session.workspace, 'datasets', 'synthetic+mvtec-regions-dbscan'), { asked: /output folder of the dataset \(step 6 of 6\)/ });
    await page.keyboard.press('Escape');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 15_000 });
    const datasets = readdirSync(join(session.workspace, 'datasets'));
    if (datasets.join() !== 'sample') throw new Error(`datasets/ holds ${datasets.join(', ')}`);
  },
};

function reportTotal(report: unknown): number {
  const value = (report as { metrics?: { total?: { model?: { rate?: number } } } }).metrics?.total?.model?.rate;
  if (typeof value !== 'number') throw new Error('no metrics.total.model.rate in report.json');
  return value;
}

const evaluateDefault: Check = {
  name: 'Evaluate the default model on the test split opens the report with its totals and its reliability diagram',
  run: async (page, session) => {
    await runCommand(page, 'Anomaly Lens: Evaluate');
    await pick(page, /^test/, { asked: /split \(step 1 of 4\)/i });
    await pick(page, /default/i, { asked: /model bundle \(step 2 of 4\)/i });
    await pick(page, /no baseline/i, { asked: /baseline.*\(step 3 of 4\)/i });
    await pick(page, /^all/, { asked: /candidate descriptions \(step 4 of 4\)/i });
    const reports = join(session.workspace, 'reports');
    await waitForPath(reports);
    const deadline = Date.now() + LONG;
    let file = '';
    while (!file) {
      const found = readdirSync(reports).map((d) => join(reports, d, 'report.json')).find(existsSync);
      if (found) file = found;
      else if (Date.now() > deadline) throw new Error(`no report.json in ${reports}`);
      else await new Promise((r) => setTimeout(r, 250));
    }
    const json = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    const total = reportTotal(json);
    const shown = (100 * total).toFixed(2);
    const frame = await webviewFrame(page, async (f) => (await f.locator('body').innerText()).includes(shown), 30_000);
    await session.screenshot('journey-report');
    // The calibration section: the reliability diagram with the temperature, a bar per filled bin with its regions.
    const calibration = (json as { metrics: { calibration?: { model: { after?: { temperature: number; bins: { count: number }[] } } } } }).metrics.calibration?.model.after;
    if (!calibration) throw new Error('report.json has no calibration of the model with a temperature');
    const counts = calibration.bins.map((b) => b.count).filter((n) => n > 0);
    const diagram = frame.locator('#reliability-after');
    await diagram.scrollIntoViewIfNeeded({ timeout: 15_000 });
    const drawn = await diagram.locator('svg rect.bar').evaluateAll((bars) => bars.map((b) => Number(b.getAttribute('data-count'))));
    if (drawn.join() !== counts.join()) throw new Error(`the reliability diagram draws ${drawn.join()} regions per bin; report.json has ${counts.join()}`);
    const caption = await diagram.locator('figcaption').innerText();
    if (!caption.includes(calibration.temperature.toFixed(3))) throw new Error(`the diagram's caption "${caption}" does not name the temperature ${calibration.temperature.toFixed(3)}`);
    await session.screenshot('journey-report-reliability');
  },
};

/** The dashboard of `run`: a chart of it that has drawn at least one point. */
async function dashboardWithPoints(page: Page, run: string, timeout = LONG): Promise<void> {
  await webviewFrame(
    page,
    async (frame) => {
      // The heading's first text holds the run's name; its phase badge follows.
      const heading = await frame.evaluate(() => document.querySelector('h1')?.firstChild?.textContent ?? '');
      if (heading.trim() !== `Training: ${run}`) return false;
      const counts = await frame.locator('section[id^="chart-"]').evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.points ?? 0)));
      return counts.some((n) => n > 0);
    },
    timeout,
  );
}

async function trainTiny(page: Page, epochs: string): Promise<void> {
  await runCommand(page, 'Anomaly Lens: Train Model');
  await pick(page, /^tiny/, { asked: /base model.*\(step 1 of 6\)/i });
  await answer(page, epochs, { asked: /epochs \(step 2 of 6\)/i });
  await accept(page, { asked: /batch size \(step 3 of 6\)/i });
  await accept(page, { asked: /LoRA rank.*\(step 4 of 6\)/i });
  await pick(page, /^cpu/, { asked: /device \(step 5 of 6\)/i });
  await accept(page, { asked: /run folder \(step 6 of 6\)/i });
}

const trainOneEpoch: Check = {
  name: 'Train Model trains the tiny model one epoch: the dashboard draws its curves and the run is listed in Runs',
  run: async (page, session) => {
    await trainTiny(page, '1');
    await dashboardWithPoints(page, 'sample-tiny');
    await waitForPath(join(session.workspace, 'runs', 'sample-tiny', 'bundle', 'bundle.json'));
    await dashboardWithPoints(page, 'sample-tiny', 10_000);
    await session.screenshot('journey-training-dashboard');
    await viewShows(page, /^runs\/sample-tiny\s*finished/);
  },
};

const trainAndCancel: Check = {
  name: 'a second training started from the palette is cancelled with Cancel Job while it trains: listed as cancelled, with a checkpoint to resume from',
  run: async (page, session) => {
    await trainTiny(page, '20');
    // Cancelled while it trains: the trainer stops at a checkpoint, so the run can resume.
    await dashboardWithPoints(page, 'sample-tiny-2');
    await runCommand(page, 'Anomaly Lens: Cancel Job');
    await pick(page, /Train tiny/i, { asked: /cancel a job/i });
    await viewShows(page, /^runs\/sample-tiny-2\s*cancelled/, LONG);
    await waitForPath(join(session.workspace, 'runs', 'sample-tiny-2', 'last.pt'), 10_000);
    await session.screenshot('journey-runs');
  },
};

/** The Runs view's row whose label and description match `row` (there must be exactly one). */
async function runsRow(page: Page, row: RegExp, timeout = 30_000) {
  await viewShows(page, row, timeout);
  const rows = sidebar(page).locator('.monaco-list-row');
  const texts = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
  const found = texts.flatMap((t, i) => (row.test(t) ? [i] : []));
  if (found.length !== 1) throw new Error(`${found.length} rows match ${row}: ${texts.join(' | ')}`);
  return rows.nth(found[0]);
}

/** Right-clicks a row and runs `command` from its context menu, as a keyboard user does. */
async function contextCommand(page: Page, row: import('playwright-core').Locator, command: string): Promise<void> {
  await row.click({ button: 'right' });
  const item = page.locator('.context-view .action-item', { hasText: command }).first();
  await item.waitFor({ timeout: 15_000 });
  await item.hover();
  await page.keyboard.press('Enter');
}

/** The labels of the editor tabs, and the active one's. */
async function tabs(page: Page): Promise<{ all: string[]; active: string }> {
  const all = (await page.locator('.tabs-container .tab .label-name').allInnerTexts()).map((t) => t.trim());
  const active = (await page.locator('.tabs-container .tab.active .label-name').first().innerText().catch(() => '')).trim();
  return { all, active };
}

async function waitUntil(what: string, ready: () => Promise<boolean>, timeout = 30_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`waited ${timeout} ms for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const finishNotice: Check = {
  name: 'a finished training says so, with Evaluate, Open Dashboard and Export; Open Dashboard and the Runs view show its one dashboard',
  run: async (page) => {
    const text = /training of runs\/sample-tiny finished: best validation accuracy \d+\.\d%/;
    let item = await notification(page, text, LONG);
    if (!(await item.isVisible())) {
      await runCommand(page, 'Notifications: Show Notifications');
      item = page.locator('.notifications-center .notification-list-item', { hasText: text }).first();
      await item.click();
    }
    const buttons = (await item.locator('.monaco-button').allInnerTexts()).map((b) => b.trim());
    for (const wanted of ['Evaluate', 'Open Dashboard', 'Export']) if (!buttons.includes(wanted)) throw new Error(`the notice offers ${buttons.join(', ')}: no ${wanted}`);
    // Another editor in front, then the run's dashboard: the one tab comes back, from the notice and from the Runs view.
    await showTab(page, /^Report: /);
    await item.locator('.monaco-button', { hasText: /^Open Dashboard$/ }).first().click();
    await waitUntil('the dashboard of sample-tiny in front', async () => (await tabs(page)).active === 'Training: sample-tiny');
    await showTab(page, /^Report: /);
    await (await runsRow(page, /^runs\/sample-tiny\s*finished/)).click();
    await waitUntil('the dashboard of sample-tiny in front', async () => (await tabs(page)).active === 'Training: sample-tiny');
    const open = (await tabs(page)).all.filter((t) => t === 'Training: sample-tiny');
    if (open.length !== 1) throw new Error(`${open.length} dashboards of sample-tiny are open`);
    await dashboardWithPoints(page, 'sample-tiny', 30_000);
  },
};

/** The dashboard frame of `run` once `ready` holds of it. */
function dashboardOf(page: Page, run: string, ready: (frame: import('playwright-core').Frame) => Promise<boolean>, timeout = LONG) {
  return webviewFrame(
    page,
    async (frame) => (await frame.evaluate(() => document.querySelector('h1')?.firstChild?.textContent ?? '')).trim() === `Training: ${run}` && (await ready(frame)),
    timeout,
  );
}

const phase = (frame: import('playwright-core').Frame) => frame.locator('#phase').innerText();
const cancelOffered = async (frame: import('playwright-core').Frame) => (await frame.locator('#cancel').getAttribute('disabled')) === null;

const resumeCancelled: Check = {
  name: 'the cancelled run resumed from the Runs view is listed once, running, with Cancel in the view and on its dashboard; cancelled again, it is listed once after Refresh',
  run: async (page, session) => {
    await contextCommand(page, await runsRow(page, /^runs\/sample-tiny-2\s*cancelled/), 'Resume Training');
    const running = await runsRow(page, /^runs\/sample-tiny-2\s*(queued|running)/, LONG);
    await running.hover();
    await running.locator('.action-label[aria-label^="Cancel Job"]').first().waitFor({ timeout: 15_000 });
    // The dashboard follows the resumed job: Cancel is offered from the start, through its training.
    await dashboardOf(page, 'sample-tiny-2', async (f) => /^(queued|preparing data|training)$/.test(await phase(f)) && (await cancelOffered(f)));
    const frame = await dashboardOf(page, 'sample-tiny-2', async (f) => (await phase(f)) === 'training' && (await cancelOffered(f)));
    await session.screenshot('journey-resumed');
    await frame.locator('#cancel').click();
    await runsRow(page, /^runs\/sample-tiny-2\s*cancelled/, LONG);
    await runCommand(page, 'Anomaly Lens: Refresh Runs');
    await runsRow(page, /^runs\/sample-tiny-2\s*cancelled/);
    if ((await page.locator('.notification-toast', { hasText: /already registered/ }).count()) > 0) throw new Error('the Runs view failed: an element already registered');
  },
};

/** Expands the Explorer down a path of folders, then right-clicks the file and runs `command`. */
async function explorerPath(page: Page, parts: string[], command: string): Promise<void> {
  await runCommand(page, 'View: Show Explorer');
  const tree = page.locator('.explorer-folders-view');
  for (const part of parts.slice(0, -1)) {
    const row = tree.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${part}$`) }) }).first();
    await row.waitFor({ timeout: 15_000 });
    if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
  }
  const file = tree.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${parts[parts.length - 1].replace('.', '\\.')}$`) }) }).first();
  await file.waitFor({ timeout: 15_000 });
  await file.click({ button: 'right' });
  const item = page.locator('.context-view .action-item', { hasText: command }).first();
  await item.waitFor({ timeout: 15_000 });
  // The menu acts on the highlighted item with Enter, as a keyboard user does.
  await item.hover();
  await page.keyboard.press('Enter');
}

const describeFromExplorer: Check = {
  name: "Describe Region from an image's Explorer context menu shows, in a panel, the image with its regions numbered beside each region's top descriptions",
  run: async (page, session) => {
    const image = 'sample/mvtec/plate/test/combined/000.png';
    const expected = JSON.parse(
      execFileSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'describe', '--json', image, '--region-of', image.replace('/test/', '/ground_truth/').replace('.png', '_mask.png')], { cwd: session.workspace, encoding: 'utf8' }),
    ) as { regions: { ranking: { text: string }[] }[] };
    await explorerPath(page, image.split('/'), 'Describe Region');
    // The result stays open in a panel: the image with its regions outlined and numbered, each region beside its answers.
    const frame = await webviewFrame(page, async (f) => (await f.locator('body[data-ready="true"] section.region').count()) > 0, 60_000);
    const cards = frame.locator('section.region');
    if ((await cards.count()) !== expected.regions.length) throw new Error(`the panel lists ${await cards.count()} regions, the command line ${expected.regions.length}`);
    const best = await cards.first().locator('li.answer .text').first().innerText();
    if (best !== expected.regions[0].ranking[0].text) throw new Error(`region 1's answer is "${best}", the command line's "${expected.regions[0].ranking[0].text}"`);
    await frame.waitForFunction(() => ((document.querySelector('figure.picture img') as HTMLImageElement | null)?.naturalWidth ?? 0) > 0, undefined, { timeout: 15_000 });
    await session.screenshot('journey-describe-region');
  },
};

/** Shows the editor tab whose label matches, so that its webview loads. */
async function showTab(page: Page, label: RegExp): Promise<void> {
  await page.locator('.tabs-container .tab', { hasText: label }).first().click();
}

/** Makes a panel's webview save `body` as if its host had sent it (a webview is not trusted with paths). */
async function feedWebview(page: Page, shows: (frame: import('playwright-core').Frame) => Promise<boolean>, body: unknown): Promise<void> {
  const frame = await webviewFrame(page, shows, 30_000);
  await frame.evaluate((b) => window.dispatchEvent(new MessageEvent('message', { data: { type: 'event', body: b } })), body);
}

/** Every file below `dir` with its size, to tell whether anything was written there. */
function listing(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out.push(`${join(d, e.name)} ${readFileSync(join(d, e.name)).length}`);
    }
  };
  walk(dir);
  return out.sort();
}

const hostileState: Check = {
  name: 'after a window reload, panels whose webview state names folders outside the workspace are not restored, and no Python runs there',
  run: async (page, session) => {
    // A resumable run and a report outside the workspace, the report naming a dataset outside too.
    const outside = join(session.home, 'outside');
    mkdirSync(outside, { recursive: true });
    const run = join(outside, 'outside-run');
    cpSync(join(session.workspace, 'runs', 'sample-tiny-2'), run, { recursive: true });
    const reportDir = join(outside, 'outside-report');
    const [reportName] = readdirSync(join(session.workspace, 'reports'));
    cpSync(join(session.workspace, 'reports', reportName), reportDir, { recursive: true });
    cpSync(join(session.workspace, 'datasets', 'sample'), join(outside, 'dataset'), { recursive: true });
    const report = JSON.parse(readFileSync(join(reportDir, 'report.json'), 'utf8')) as { inputs: { dataset: { dir: string } } };
    report.inputs.dataset.dir = join(outside, 'dataset');
    writeFileSync(join(reportDir, 'report.json'), JSON.stringify(report));
    const before = listing(outside);

    await showTab(page, /^Report: /);
    await feedWebview(page, async (f) => (await f.locator('h1', { hasText: 'Evaluation report' }).count()) > 0, {
      kind: 'report',
      report: { folder: reportDir, report },
      pictures: {},
    });
    await showTab(page, /Training: sample-tiny-2/);
    // Once the host has replayed the run (its subject, job and history): nothing of it comes later to overwrite what is fed.
    await feedWebview(page, async (f) => (await f.locator('#root[data-replayed="true"]').count()) > 0 && (await f.evaluate(() => document.querySelector('h1')?.firstChild?.textContent ?? '')).trim() === 'Training: sample-tiny-2', {
      kind: 'subject',
      subject: { runFolder: run },
      title: 'Training: outside-run',
    });
    // The webview drew what it saved: its state holds the outside folder.
    await webviewFrame(page, async (f) => (await f.locator('h1', { hasText: 'Training: outside-run' }).count()) > 0);
    // As a person reloads: the workbench saves its editors' state (the webviews' too) first.
    const reloaded = page.waitForEvent('load', { timeout: 60_000 });
    await runCommand(page, 'Developer: Reload Window');
    await reloaded;
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });

    // Either the dashboard is refused with a warning, or it comes back on the outside folder.
    const warning = page.locator('.notification-toast, .notifications-center .notification-list-item', {
      hasText: /training dashboard of .*outside-run was not restored: the folder lies outside the workspace folders/,
    });
    const deadline = Date.now() + 60_000;
    for (;;) {
      if ((await warning.count()) > 0) break;
      const frames = page.frames().filter((f) => f.url().includes('webview'));
      let restored: import('playwright-core').Frame | undefined;
      for (const f of frames) if ((await f.locator('h1', { hasText: 'Training: outside-run' }).count().catch(() => 0)) > 0) restored = f;
      if (restored) {
        // Restored on the outside folder: its Resume starts Python there.
        await restored.locator('#resume').click();
        const until = Date.now() + 60_000;
        while (Date.now() < until && listing(outside).join('\n') === before.join('\n')) await page.waitForTimeout(500);
        const changed = listing(outside).join('\n') !== before.join('\n');
        throw new Error(`the dashboard was restored on ${run} from its webview state; its Resume ${changed ? 'trained there' : 'was offered'}`);
      }
      if (Date.now() > deadline) throw new Error('after the reload, neither the warning nor the dashboard showed');
      await page.waitForTimeout(250);
    }
    await showTab(page, /^Report: /);
    await notification(page, /report of .*outside-report was not restored: the folder lies outside the workspace folders/, 30_000);
    await session.screenshot('journey-hostile-state-refused');
    if (listing(outside).join('\n') !== before.join('\n')) throw new Error(`files changed in ${outside}`);
  },
};

const dashboardAfterReload: Check = {
  name: "after a window reload, a finished run's dashboard opened from the Runs view draws its whole course from the run's history, phase finished; the resumed run is listed once",
  run: async (page, session) => {
    await runCommand(page, 'View: Close All Editors');
    await runsRow(page, /^runs\/sample-tiny-2\s*(cancelled|stopped)/, 60_000);
    const history = readFileSync(join(session.workspace, 'runs', 'sample-tiny', 'history.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string });
    const steps = history.filter((e) => e.type === 'step').length;
    const evals = history.filter((e) => e.type === 'eval').length;
    if (steps === 0 || evals === 0) throw new Error(`runs/sample-tiny/history.jsonl holds ${steps} steps and ${evals} validations`);
    await (await runsRow(page, /^runs\/sample-tiny\s*finished/)).click();
    const frame = await dashboardOf(page, 'sample-tiny', async (f) => (await f.locator('#root[data-replayed="true"]').count()) > 0 && (await f.locator('#chart-loss').getAttribute('data-points')) === String(steps), 60_000);
    if ((await phase(frame)) !== 'finished') throw new Error(`the phase shown is ${await phase(frame)}`);
    if ((await frame.locator('#chart-accuracy').getAttribute('data-points')) !== String(evals)) throw new Error('the validations are not all drawn');
    if ((await frame.locator('#step').innerText()) !== `${steps} / ${steps}`) throw new Error(`the step shown is ${await frame.locator('#step').innerText()}`);
    await session.screenshot('journey-dashboard-after-reload');
  },
};

const compareRuns: Check = {
  name: 'two runs selected in the Runs view: Compare Runs draws both curves on one chart each and their final metrics side by side',
  run: async (page, session) => {
    // A click opens the finished run's dashboard; once it is in front, Ctrl-click adds the other run to the selection.
    await (await runsRow(page, /^runs\/sample-tiny\s*finished/)).click();
    await waitUntil('the dashboard of sample-tiny in front', async () => (await tabs(page)).active === 'Training: sample-tiny');
    const finished = await runsRow(page, /^runs\/sample-tiny\s*finished/);
    const cancelled = await runsRow(page, /^runs\/sample-tiny-2\s*(cancelled|stopped)/);
    if ((await finished.getAttribute('aria-selected')) !== 'true') await finished.click();
    await cancelled.click({ modifiers: ['Control'] });
    await waitUntil('both runs selected in the Runs view', async () => (await finished.getAttribute('aria-selected')) === 'true' && (await cancelled.getAttribute('aria-selected')) === 'true', 15_000);
    await contextCommand(page, cancelled, 'Compare Runs');
    // A run cancelled before its first validation has a loss curve and no accuracy curve.
    const validated = ['sample-tiny', 'sample-tiny-2'].filter((run) =>
      readFileSync(join(session.workspace, 'runs', run, 'history.jsonl'), 'utf8').split('\n').some((l) => l.trim() !== '' && (JSON.parse(l) as { type: string }).type === 'eval'),
    ).length;
    if (validated === 0) throw new Error('neither run has validated');
    const frame = await webviewFrame(
      page,
      async (f) =>
        (await f.locator('#chart-loss[data-series="2"]').count()) > 0 &&
        (await f.locator(`#chart-accuracy[data-series="${validated}"]`).count()) > 0 &&
        (await f.locator('#runs-table tbody tr').count()) === 2,
      60_000,
    );
    const names = await frame.locator('#runs-table tbody tr td:first-child').allInnerTexts();
    if (names.map((n) => n.trim()).sort().join() !== 'runs/sample-tiny,runs/sample-tiny-2') throw new Error(`the table compares ${names.join(', ')}`);
    const statuses = await frame.locator('#runs-table tbody tr td:nth-child(2)').allInnerTexts();
    if (statuses.map((s) => s.trim()).sort().join() !== 'finished,stopped') throw new Error(`the statuses are ${statuses.join(', ')}`);
    await session.screenshot('runs-compare');
  },
};

export const JOURNEY: Check[] = [openView, createSample, sampleBuildReview, buildSample, buildRemembers, evaluateDefault, trainOneEpoch, finishNotice, trainAndCancel, resumeCancelled, describeFromExplorer, hostileState, dashboardAfterReload, compareRuns];

export const JOURNEY_STEPS = { openView, createSample, sampleBuildReview, buildSample, buildRemembers, evaluateDefault, trainOneEpoch, finishNotice, trainAndCancel, resumeCancelled, describeFromExplorer, hostileState, dashboardAfterReload, compareRuns };
export type { SessionContext };
