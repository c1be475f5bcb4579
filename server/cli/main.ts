#!/usr/bin/env node
// The `anomaly-lens` command line: one program over the engine in server/.
// Exit codes (README "Exit codes"): 0 done, 1 the job ran and found problems, 2 user error,
// 70 internal error, 130 interrupted.
import { Command, CommanderError } from 'commander';
import { UserError, errorMessage } from '../util/errors';
import { TOOL_VERSION } from '../util/version';
import { commands } from './commands';

export const EXIT_USER_ERROR = 2;
export const EXIT_INTERNAL_ERROR = 70;

/** Set to make every command fail with an internal error (for the tests of the error contract). */
const INTERNAL_ERROR_HOOK = 'ANOMALY_LENS_TEST_INTERNAL_ERROR';

/** A usage error from commander, tagged with the command it came from. */
interface TaggedCommanderError extends CommanderError {
  command?: string;
}

export function createProgram(): Command {
  const program = new Command('anomaly-lens')
    .description('Describe designated anomaly regions; build, train and evaluate region-level AlphaCLIP models.')
    .version(TOOL_VERSION)
    .option('--debug', 'print the stack trace of an internal error (also ANOMALY_LENS_DEBUG=1)')
    // Errors are printed by main() as one line; help asked for goes to stdout as usual.
    .configureOutput({ outputError: () => undefined, writeErr: () => undefined })
    .exitOverride();
  for (const register of commands) register(program);
  for (const command of program.commands) {
    command.exitOverride((err: TaggedCommanderError) => {
      err.command = command.name();
      throw err;
    });
  }
  program.hook('preAction', () => {
    if (process.env[INTERNAL_ERROR_HOOK]) throw new Error(`${INTERNAL_ERROR_HOOK} is set`);
  });
  return program;
}

/** Commander's message as one line: the option named by its long flag, no "error:" prefix. */
export function usageErrorLine(err: TaggedCommanderError): string {
  const who = err.command ? `anomaly-lens ${err.command}` : 'anomaly-lens';
  if (err.code === 'commander.help') return `${who}: a command is required; see anomaly-lens --help`;
  let text = err.message.replace(/^error:\s*/, '').replace(/\s*\n\s*/g, ' ').trim();
  const invalid = /^option '([^']*)' argument '(.*)' is invalid\.\s*(.*)$/.exec(text);
  if (invalid) {
    const flag = /--[\w-]+/.exec(invalid[1])?.[0] ?? invalid[1];
    text = `${flag}: invalid value ${JSON.stringify(invalid[2])}: ${invalid[3].replace(/\.$/, '')}`;
  }
  return `${who}: ${text}`;
}

function wantsDebug(argv: readonly string[]): boolean {
  const env = process.env.ANOMALY_LENS_DEBUG;
  return argv.slice(2).includes('--debug') || (env !== undefined && env !== '' && env !== '0');
}

export async function main(argv = process.argv): Promise<number> {
  const program = createProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      const quiet = ['commander.helpDisplayed', 'commander.version'].includes(err.code) || (err.code === 'commander.help' && err.exitCode === 0);
      if (quiet) return 0;
      process.stderr.write(`${usageErrorLine(err)}\n`);
      return EXIT_USER_ERROR;
    }
    if (err instanceof UserError) {
      process.stderr.write(`anomaly-lens: ${err.message.replace(/\s*\n\s*/g, ' ')}\n`);
      return EXIT_USER_ERROR;
    }
    process.stderr.write(`anomaly-lens: internal error: ${errorMessage(err).replace(/\s*\n\s*/g, ' ')}${wantsDebug(argv) ? '' : ' (run with --debug for the stack trace)'}\n`);
    if (wantsDebug(argv)) process.stderr.write(`${err instanceof Error && err.stack ? err.stack : String(err)}\n`);
    return EXIT_INTERNAL_ERROR;
  }
}

if (require.main === module) {
  main().then((code) => {
    process.exitCode = code;
  });
}
