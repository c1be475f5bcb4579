import type { Command } from 'commander';
import { register as tokenize } from './tokenize';
import { register as build } from './build';
import { register as stats } from './stats';
import { register as validate } from './validate';
import { register as exportDataset } from './exportDataset';
import { register as sample } from './sample';
import { register as train } from './train';
import { register as exportBundle } from './export';
import { register as importWeights } from './importWeights';
import { register as describe } from './describe';
import { register as evaluate } from './eval';
import { register as demo } from './demo';
import { register as descriptions } from './descriptions';
import { register as split } from './split';
import { register as fitDetector } from './fitDetector';
import { register as detect } from './detect';

/** Each command module adds one subcommand to the program. */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [tokenize, build, stats, validate, exportDataset, sample, describe, fitDetector, detect, evaluate, split, train, exportBundle, importWeights, descriptions, demo];
