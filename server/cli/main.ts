#!/usr/bin/env node
// The `anomaly-lens` command line: one program over the engine in server/.
import { Command, CommanderError } from 'commander';
import { UserError, errorMessage } from '../util/errors';
import { commands } from './commands';

export function createProgram(): Command {
  const program = new Command('anomaly-lens')
    .description('Describe designated anomaly regions; build, train and evaluate region-level AlphaCLIP models.')
    .version(process.env.ANOMALY_LENS_VERSION ?? '0.1.0')
    .showHelpAfterError()
    .exitOverride();
  for (const register of commands) register(program);
  return program;
}

export async function main(argv = process.argv): Promise<number> {
  const program = createProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    if (err instanceof UserError) {
      process.stderr.write(`anomaly-lens: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`anomaly-lens: internal error: ${errorMessage(err)}\n`);
    if (err instanceof Error && err.stack && process.env.ANOMALY_LENS_DEBUG) process.stderr.write(`${err.stack}\n`);
    return 1;
  }
}

if (require.main === module) {
  main().then((code) => {
    process.exitCode = code;
  });
}
