// Runs the Python trainer as a child process and turns its stdout into typed progress events.
import { spawn } from 'node:child_process';
import { UserError } from '../util/errors';
import { LineSplitter } from './jsonLines';
import { pythonPathWithTrainer } from './trainerPackage';
import { parseTrainEvent, type DoneEvent, type ErrorEvent, type StoppedEvent, type TrainEvent } from './trainProgress';

export interface TrainerRunOptions {
  python: string;
  /** Arguments after `-m anomaly_lens`: a subcommand and its options. */
  args: readonly string[];
  /** More than 1: one process per GPU under torchrun (`python -m torch.distributed.run`). */
  processes?: number;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  onEvent?: (event: TrainEvent) => void;
  /** The trainer's log output (stderr), as it comes. */
  onStderr?: (text: string) => void;
  /** Aborting asks the trainer to stop (SIGTERM: it finishes the step and checkpoints), then kills it. */
  signal?: AbortSignal;
  /** Milliseconds between SIGTERM and SIGKILL (default 60 s: a large checkpoint takes a while). */
  killAfterMs?: number;
}

export type TrainerOutcome = { kind: 'done'; event: DoneEvent; events: TrainEvent[] } | { kind: 'stopped'; event: StoppedEvent; events: TrainEvent[] };

/** The trainer ended without finishing: it failed, or was killed. */
export class TrainerError extends Error {
  constructor(
    message: string,
    readonly code: number | null,
    readonly signal: NodeJS.Signals | null,
  ) {
    super(message);
    this.name = 'TrainerError';
  }
}

const STDERR_TAIL = 8192;

/** The command line that starts the trainer. */
export function trainerCommand(python: string, args: readonly string[], processes = 1): string[] {
  if (processes <= 1) return [python, '-m', 'anomaly_lens', ...args];
  // --redirects/--tee 2 keep torchrun's own handling off stdout (the protocol) and avoid the
  // values 0 and 3, which torch 1.13's launcher cannot parse on Python 3.11.
  return [python, '-m', 'torch.distributed.run', '--standalone', '--nproc_per_node', String(processes),
    '--redirects', '2', '--tee', '2', '-m', 'anomaly_lens', ...args];
}

/**
 * Runs the trainer to its end. Resolves with the final `done` or `stopped` event; rejects with a
 * UserError when the trainer reports bad input (exit 2), a TrainerError otherwise (crash,
 * killed, no final event). Malformed stdout lines reach onEvent as `error` events of kind
 * 'protocol' and do not end the run.
 */
export function runTrainer(options: TrainerRunOptions): Promise<TrainerOutcome> {
  const [command, ...args] = trainerCommand(options.python, options.args, options.processes);
  const baseEnv = options.env ?? process.env;
  // ANOMALY_LENS_EVENTS: this side reads the error events, so the trainer does not print them a second time.
  const env = { ...baseEnv, PYTHONPATH: pythonPathWithTrainer(baseEnv.PYTHONPATH), PYTHONUNBUFFERED: '1', ANOMALY_LENS_EVENTS: '1' };
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const events: TrainEvent[] = [];
    const lines = new LineSplitter();
    let stderrTail = '';
    let killTimer: NodeJS.Timeout | undefined;
    let spawnError: Error | undefined;

    const handle = (line: string): void => {
      const event = parseTrainEvent(line);
      events.push(event);
      options.onEvent?.(event);
    };
    child.stdout.on('data', (chunk: Buffer) => lines.push(chunk).forEach(handle));
    child.stderr.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      stderrTail = (stderrTail + text).slice(-STDERR_TAIL);
      options.onStderr?.(text);
    });

    const abort = (): void => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 60_000);
      killTimer.unref();
    };
    if (options.signal?.aborted) abort();
    else options.signal?.addEventListener('abort', abort, { once: true });

    child.on('error', (err) => {
      spawnError = err;
    });
    child.on('close', (code, signal) => {
      if (killTimer) clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', abort);
      lines.end().forEach(handle);
      if (spawnError) {
        reject(new UserError(`cannot start ${command}: ${spawnError.message}`));
        return;
      }
      const final = [...events].reverse().find((e) => e.type === 'done' || e.type === 'stopped');
      // Under torchrun a stopped run may end with a non-zero status from the launcher.
      if (final?.type === 'stopped') return resolve({ kind: 'stopped', event: final, events });
      if (final?.type === 'done' && code === 0) return resolve({ kind: 'done', event: final, events });
      const error = [...events].reverse().find((e): e is ErrorEvent => e.type === 'error' && e.kind !== 'protocol');
      const lastLog = stderrTail.trim().split('\n').slice(-5).join('\n');
      if (code === 2) {
        reject(new UserError(error?.message ?? (lastLog || 'the trainer rejected its input (exit status 2)')));
        return;
      }
      const how = signal ? `was killed by ${signal}` : `exited with status ${code}`;
      const why = error ? `: ${error.message}` : lastLog ? `:\n${lastLog}` : '';
      reject(new TrainerError(`the trainer ${how}${why}`, code, signal));
    });
  });
}
