// Running the trainer from a terminal command: the Python is found, Ctrl-C / SIGTERM ask the
// trainer for a clean stop, its logs go to stderr, and with --json its events go to stdout as is.
import { findPython, type PythonInfo } from './findPython';
import { runTrainer, type TrainerOutcome, type TrainerRunOptions } from './runner';
import type { TrainEvent } from './trainProgress';

export interface InteractiveRunOptions extends Pick<TrainerRunOptions, 'args' | 'processes' | 'env'> {
  /** --python, else ANOMALY_LENS_PYTHON, else the usual candidates. */
  python?: string | PythonInfo;
  /** Print every event as one JSON line on stdout. */
  json?: boolean;
  onEvent?: (event: TrainEvent) => void;
}

/** Runs a trainer subcommand until it finishes or stops; signals to this process stop it cleanly. */
export async function runTrainerInteractive(options: InteractiveRunOptions): Promise<TrainerOutcome> {
  const python = typeof options.python === 'object' ? options.python : await findPython(options.python);
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) return;
    process.stderr.write(`\nanomaly-lens: ${signal}: the trainer stops after its current step and writes a checkpoint…\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await runTrainer({
      python: python.executable,
      args: options.args,
      processes: options.processes,
      env: options.env,
      signal: controller.signal,
      onStderr: (text) => process.stderr.write(text),
      onEvent: (event) => {
        // Warnings need no printing here: the trainer logs them on stderr too.
        if (options.json) process.stdout.write(`${JSON.stringify(event)}\n`);
        else if (event.type === 'error' && event.kind === 'protocol') process.stderr.write(`anomaly-lens: ${event.message}\n`);
        options.onEvent?.(event);
      },
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
