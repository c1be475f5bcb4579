// The training dashboard: live curves, position, ETA, device, cancel and resume.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import type { JobInfo } from '../../server/rpc/protocol';
import type { TrainEvent } from '../../server/jobs/trainProgressTypes';
import { connect, el } from '../channel';
import { type Chart, createChart } from './charts';
import type { DashboardEvent, DashboardRequests, DashboardState, DashboardSubject } from './messages';
import { type RunModel, applyEvent, deviceText, keptEvents, phaseText, positionText, replaceHistory, runFromEvents } from './runModel';
import './style.css';

let run: RunModel = runFromEvents([]);
let job: JobInfo | undefined;
let subject: DashboardSubject = {};
let title = 'Training';
let busy = false;
/** The host has replayed the run since this page loaded: the job (if any) and the whole history. */
let replayed = false;

const channel = connect<DashboardRequests, DashboardEvent, DashboardState>(onEvent);

// --- layout --------------------------------------------------------------------------------
const root = document.getElementById('root') ?? document.body;
const header = el('header');
const heading = el('h1', undefined, title);
const badge = el('vscode-badge', 'phase');
badge.id = 'phase';
heading.append(' ', badge);
const actions = el('div', 'actions');
const cancelButton = el('vscode-button', undefined, 'Cancel');
cancelButton.id = 'cancel';
const resumeButton = el('vscode-button', undefined, 'Resume');
resumeButton.id = 'resume';
resumeButton.setAttribute('secondary', '');
actions.append(cancelButton, resumeButton);
header.append(heading, actions);

const facts = el('dl', 'facts');
const factValues: Record<string, HTMLElement> = {};
for (const [key, label] of [
  ['epoch', 'Epoch'],
  ['step', 'Step'],
  ['eta', 'ETA'],
  ['speed', 'Speed'],
  ['device', 'Device'],
  ['best', 'Best validation accuracy'],
] as const) {
  const dd = el('dd', undefined, '—');
  dd.id = key;
  factValues[key] = dd;
  facts.append(el('dt', undefined, label), dd);
}
const notice = el('p', 'notice');
notice.id = 'notice';
const messages = el('ul', 'messages');
messages.id = 'messages';
const charts = el('div', 'charts');
root.append(header, facts, notice, charts, messages);

const percentFormat = (v: number) => `${+(v * 100).toFixed(1)} %`;
const chart: Record<'loss' | 'lr' | 'speed' | 'accuracy', Chart> = {
  loss: createChart(charts, { id: 'loss', title: 'Training loss', colour: ['--vscode-charts-blue', '#3794ff'] }),
  lr: createChart(charts, { id: 'lr', title: 'Learning rate', colour: ['--vscode-charts-purple', '#b180d7'], format: (v) => v.toExponential(1) }),
  speed: createChart(charts, { id: 'speed', title: 'Samples per second', colour: ['--vscode-charts-orange', '#d18616'] }),
  accuracy: createChart(charts, { id: 'accuracy', title: 'Validation accuracy', colour: ['--vscode-charts-green', '#89d185'], format: percentFormat }),
};

// --- rendering -----------------------------------------------------------------------------
function canCancel(): boolean {
  return job !== undefined && (job.state === 'queued' || job.state === 'running');
}

function canResume(): boolean {
  if (!subject.runFolder || canCancel()) return false;
  if (job && job.state === 'finished' && run.phase === 'done') return false;
  return run.phase === 'stopped' || (run.checkpoint !== null && run.phase !== 'done') || job?.state === 'cancelled' || job?.state === 'failed';
}

function render(): void {
  root.dataset.replayed = String(replayed);
  heading.firstChild!.textContent = title;
  document.title = title;
  badge.textContent = phaseText(run, job, replayed);
  const position = positionText(run);
  factValues.epoch.textContent = position.epoch;
  factValues.step.textContent = position.step;
  factValues.eta.textContent = job?.state === 'cancelled' ? '—' : position.eta;
  factValues.speed.textContent = position.speed;
  factValues.device.textContent = deviceText(run.start);
  factValues.best.textContent = position.best;
  notice.textContent =
    run.phase === 'preparing' && run.prepare
      ? `Preparing ${run.prepare.split} samples: ${run.prepare.done} / ${run.prepare.total}`
      : job?.error
        ? job.error.message
        : '';
  cancelButton.toggleAttribute('disabled', busy || !canCancel());
  resumeButton.toggleAttribute('disabled', busy || !canResume());
  messages.replaceChildren(...run.messages.slice(-20).map((m) => el('li', m.level, m.text)));

  const c = run.curves;
  chart.loss.set(c.step, c.loss);
  chart.lr.set(c.step, c.lr);
  chart.speed.set(c.step, c.samplesPerS);
  chart.accuracy.set(c.evalStep, c.valAccuracy);
}

let renderQueued = false;
function scheduleRender(): void {
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(() => {
    renderQueued = false;
    render();
  });
}

let saveTimer: ReturnType<typeof setTimeout> | undefined;
function save(): void {
  // Streaming steps arrive a few times a second: the state is written at most once a second.
  if (saveTimer) return;
  saveTimer = setTimeout(() => {
    saveTimer = undefined;
    saveNow();
  }, 1000);
}

function saveNow(): void {
  channel.vscode.setState({ subject, title, events: keptEvents(run.events), job });
}

function onEvent(message: DashboardEvent): void {
  switch (message.kind) {
    case 'subject':
      subject = message.subject;
      title = message.title;
      // The job of the new subject, if it has one, follows.
      job = undefined;
      saveNow();
      break;
    case 'job':
      job = message.job;
      if (job.lastEvent && job.state === 'running') applyEvent(run, job.lastEvent);
      save();
      break;
    case 'trainEvent':
      applyEvent(run, message.event);
      save();
      break;
    case 'history':
      run = replaceHistory(run, message.events);
      replayed = true;
      saveNow();
      break;
  }
  scheduleRender();
}

async function ask(kind: 'cancel' | 'resume'): Promise<void> {
  busy = true;
  render();
  try {
    await channel.request(kind);
  } catch (err) {
    run.messages.push({ level: 'error', text: (err as Error).message });
  } finally {
    busy = false;
    render();
  }
}

cancelButton.addEventListener('click', () => canCancel() && !busy && void ask('cancel'));
resumeButton.addEventListener('click', () => canResume() && !busy && void ask('resume'));

// --- start: draw what the state kept at once, then ask the host for the rest ----------------
const saved = channel.vscode.getState();
if (saved) {
  subject = saved.subject ?? {};
  title = saved.title ?? title;
  job = saved.job;
  run = runFromEvents((saved.events ?? []) as TrainEvent[]);
}
render();
void channel.request('ready').catch(() => undefined);
