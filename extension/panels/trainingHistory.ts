// The train events this window has seen, per job, so that a dashboard opened (or shown again)
// while a job runs draws the whole run, not only what arrives after it opened; and how they join
// the run's history file, which holds every run's course however the window came to it.
import { basename, resolve } from 'node:path';
import type { JobInfo, TrainEvent } from '../../server/rpc/protocol';
import type { DashboardSubject } from '../../webviews/training/messages';

/** Per job; a job's steps come a few a second at most, so this bounds a day-long run's memory. */
const MAX_EVENTS_PER_JOB = 50_000;
const MAX_JOBS = 20;

const seen = new Map<string, TrainEvent[]>();

export function recordEvent(jobId: string, event: TrainEvent): void {
  let events = seen.get(jobId);
  if (!events) {
    events = [];
    seen.set(jobId, events);
    if (seen.size > MAX_JOBS) seen.delete(seen.keys().next().value as string);
  }
  if (event.type === 'prepare' && events.length && events[events.length - 1].type === 'prepare') events[events.length - 1] = event;
  else if (events.length < MAX_EVENTS_PER_JOB || event.type !== 'step') events.push(event);
}

export function sessionEvents(jobId: string): TrainEvent[] {
  return [...(seen.get(jobId) ?? [])];
}

export function runTitle(subject: DashboardSubject, job?: JobInfo): string {
  const name = subject.runFolder ? basename(subject.runFolder) : (job?.title ?? subject.jobId ?? 'run');
  return `Training: ${name}`;
}

export function samePath(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && resolve(a) === resolve(b);
}

/**
 * The job a dashboard shows: a training job that is queued or running on its run folder (a
 * resumed run is a new job), else the job it named, else the newest training job of the folder.
 */
export function pickJob(jobs: readonly JobInfo[], subject: DashboardSubject): JobInfo | undefined {
  const ofFolder = jobs
    .filter((j) => j.kind === 'train' && samePath(j.output, subject.runFolder))
    .sort((a, b) => b.queuedAt.localeCompare(a.queuedAt));
  return (
    ofFolder.find((j) => j.state === 'queued' || j.state === 'running') ??
    jobs.find((j) => j.id === subject.jobId) ??
    ofFolder[0]
  );
}

/** What the dashboard opened with (a job id or a run folder) as a subject, given the job list. */
export function subjectOf(jobs: readonly JobInfo[], jobIdOrRunFolder: string): DashboardSubject {
  const byId = jobs.find((j) => j.id === jobIdOrRunFolder);
  if (byId) return { jobId: byId.id, runFolder: byId.output };
  const job = pickJob(jobs, { runFolder: jobIdOrRunFolder });
  return { jobId: job?.id, runFolder: resolve(jobIdOrRunFolder) };
}

/** An event as the trainer reported it, without the time the history file adds. */
function eventKey(event: TrainEvent): string {
  const { time: _time, ...rest } = event as TrainEvent & { time?: unknown };
  return JSON.stringify(rest);
}

/**
 * The run's history file (`stored`) followed by what this window saw of its job (`live`) that the
 * file did not hold yet when it was read. The trainer writes an event to the file before it
 * reports it, so the file holds every live event but those that came after the reading, and those
 * it never records (reading the images, warnings, a failure the server reports); live step lines
 * are a thinned subset of the file's. The live events after the last one the file holds are added.
 */
export function mergeHistory(stored: readonly TrainEvent[], live: readonly TrainEvent[]): TrainEvent[] {
  if (stored.length === 0) return [...live];
  const onDisk = new Set(stored.map(eventKey));
  let last = -1;
  for (let i = live.length - 1; i >= 0; i--) {
    if (onDisk.has(eventKey(live[i]))) {
      last = i;
      break;
    }
  }
  return [...stored, ...live.slice(last + 1)];
}
