import type { Command } from 'commander';
import { register as tokenize } from './tokenize';

/** Each command module adds one subcommand to the program. */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [tokenize];
