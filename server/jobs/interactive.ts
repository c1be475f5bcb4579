// Running the trainer from a terminal command: Ctrl-C / SIGTERM ask the trainer for a clean
// stop, its logs go to stderr, and with --json its events go to stdout as is.
import type { TrainEvent } from './trainProgressTypes';

export interface TerminalHooks {
  hooks: { signal: AbortSignal; onEvent(event: TrainEvent): void; onLog(text: string): void };
  /** Stops listening for the signals. */
  dispose(): void;
}

/** The hooks a job running the trainer takes from a terminal command; signals to this process stop it cleanly. */
export function terminalTrainerHooks(options: { json?: boolean; onEvent?: (event: TrainEvent) => void } = {}): TerminalHooks {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) return;
    process.stderr.write(`\nanomaly-lens: ${signal}: the trainer stops after its current step and writes a checkpoint…\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    hooks: {
      signal: controller.signal,
      onLog: (text) => process.stderr.write(text),
      onEvent: (event) => {
        // Warnings need no printing here: the trainer logs them on stderr too.
        if (options.json) process.stdout.write(`${JSON.stringify(event)}\n`);
        else if (event.type === 'error' && event.kind === 'protocol') process.stderr.write(`anomaly-lens: ${event.message}\n`);
        options.onEvent?.(event);
      },
    },
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
