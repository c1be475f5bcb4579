// Everything a training run needs before the trainer starts: the dataset's descriptions as token
// ids (the trainer never tokenises) and the tokenizer's merges, written into the run folder.
import { mkdir } from 'node:fs/promises';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { distinctTexts } from '../dataset/descriptionEntries';
import { readManifest as readDatasetManifest } from '../dataset/manifest';
import { loadBundle } from '../model/bundle';
import { ClipTokenizer, learnMerges, readMergesFile, writeMergesFile, writeTokenFile } from '../model/tokenizer';
import { UserError, errorMessage } from '../util/errors';
import { isInside } from '../util/paths';

/** Byte tokens (256, and 256 with an end-of-word mark) and the start and end tokens. */
const FIXED_TOKENS = 512 + 2;
export const RUN_TOKENS = 'tokens.json';
export const RUN_MERGES = join('tokenizer', 'merges.txt.gz');
export const RUN_INFO = 'run.json';
/** Merges learnt from the descriptions for a model trained from random weights (fewer when the texts run out of pairs). */
export const DEFAULT_LEARNED_MERGES = 1000;

export interface TokenizerChoice {
  /** Where the vocabulary comes from, for messages. */
  from: string;
  /** A merges file to copy; absent when merges are learnt from the descriptions. */
  mergesFile?: string;
  /** The vocabulary the starting weights were trained with; undefined = whatever the file holds. */
  vocabSize?: number;
}

export interface PreparedRun {
  run: string;
  dataset: string;
  tokens: string;
  merges: string;
  descriptions: string[];
  vocabSize: number;
  tokenizerFrom: string;
  /** True when the run folder already holds a run: its token file and merges are kept. */
  resuming: boolean;
  /** Descriptions cut to the context length. */
  truncated: string[];
}

export interface PrepareRunOptions {
  dataset: string;
  run: string;
  /** --init: a bundle folder, a run folder or one of its checkpoints, or a weights file. */
  init?: string;
  /** --vocab: a merges file to use instead of the one --init implies (or of learning one). */
  vocab?: string;
  learnedMerges?: number;
}

function readJson(file: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new UserError(`cannot read: ${errorMessage(err)}`, file);
  }
}

/** The run folder an --init path belongs to: the folder itself, or the folder above a checkpoint. */
function runFolderOf(path: string): string | undefined {
  const candidates = statSync(path).isDirectory() ? [path] : [dirname(path), dirname(dirname(path))];
  return candidates.find((dir) => existsSync(join(dir, RUN_INFO)));
}

/** The tokenizer that goes with starting weights: a bundle's own, or the one a run was trained with. */
export function tokenizerOfInit(init: string, vocab?: string): TokenizerChoice {
  const path = resolve(init);
  if (!existsSync(path)) throw new UserError('no such file or folder (given as --init)', path);
  if (vocab) return { from: vocab, mergesFile: resolve(vocab) };
  if (statSync(path).isDirectory() && existsSync(join(path, 'bundle.json'))) {
    const bundle = loadBundle(path);
    return { from: `the bundle ${path}`, mergesFile: join(bundle.dir, bundle.manifest.tokenizer.merges), vocabSize: bundle.tokenizer.vocabSize };
  }
  const run = runFolderOf(path);
  if (run) {
    const info = readJson(join(run, RUN_INFO));
    const tokenizer = info.tokenizer as { merges?: string; vocabSize?: number } | undefined;
    if (!tokenizer?.merges || typeof tokenizer.vocabSize !== 'number') {
      throw new UserError('has no tokenizer (merges, vocabSize)', join(run, RUN_INFO));
    }
    return { from: `the run ${run}`, mergesFile: resolve(run, tokenizer.merges), vocabSize: tokenizer.vocabSize };
  }
  throw new UserError(
    'is neither a model bundle nor a training run, so its vocabulary is unknown: give the merges file it was trained with as --vocab (for OpenAI CLIP weights: bpe_simple_vocab_16e6.txt.gz)',
    path,
  );
}

function tokenizerFrom(choice: TokenizerChoice): ClipTokenizer {
  const file = choice.mergesFile as string;
  const maxMerges = choice.vocabSize !== undefined ? choice.vocabSize - FIXED_TOKENS : undefined;
  const tokenizer = ClipTokenizer.fromFile(file, maxMerges !== undefined ? { maxMerges } : {});
  if (choice.vocabSize !== undefined && tokenizer.vocabSize !== choice.vocabSize) {
    throw new UserError(`holds ${tokenizer.mergeCount} merges, a vocabulary of ${tokenizer.vocabSize}; ${choice.from} was trained with ${choice.vocabSize}`, file);
  }
  return tokenizer;
}

/** The distinct description texts of a dataset, in dataset.json's order. */
export async function datasetDescriptions(dataset: string): Promise<string[]> {
  const manifest = await readDatasetManifest(dataset);
  const texts = distinctTexts(manifest.descriptions);
  if (texts.length === 0) throw new UserError('lists no descriptions: nothing to train on', join(dataset, 'dataset.json'));
  return texts;
}

/**
 * Writes RUN/tokens.json and RUN/tokenizer/merges.txt.gz for a new run: the descriptions
 * tokenised with the starting weights' vocabulary (--init), a given one (--vocab), or, for a
 * model trained from random weights, a small vocabulary learnt from the descriptions. A run
 * folder that already holds a run keeps its files (the trainer checks they still match).
 */
export async function prepareRun(options: PrepareRunOptions): Promise<PreparedRun> {
  const dataset = resolve(options.dataset);
  const run = resolve(options.run);
  if (isInside(dataset, run)) throw new UserError(`the run folder ${run} lies inside the dataset; choose a folder outside it`);
  const descriptions = await datasetDescriptions(dataset);
  const tokens = join(run, RUN_TOKENS);
  const merges = join(run, RUN_MERGES);
  const resuming = existsSync(join(run, RUN_INFO)) && existsSync(tokens) && existsSync(merges);
  if (resuming) {
    const file = readJson(tokens) as { tokenizer?: { vocabSize?: number } };
    return { run, dataset, tokens, merges, descriptions, vocabSize: file.tokenizer?.vocabSize ?? 0, tokenizerFrom: `the run ${run}`, resuming, truncated: [] };
  }
  await mkdir(dirname(merges), { recursive: true });
  let tokenizer: ClipTokenizer;
  let from: string;
  if (options.init || options.vocab) {
    const choice = options.init ? tokenizerOfInit(options.init, options.vocab) : { from: resolve(options.vocab as string), mergesFile: resolve(options.vocab as string) };
    tokenizer = tokenizerFrom(choice);
    from = choice.from;
    // Exactly the merges the vocabulary uses, gzip-compressed as bundles carry them.
    await writeMergesFile(merges, readMergesFile(choice.mergesFile as string, tokenizer.mergeCount));
  } else {
    const learnt = learnMerges(descriptions, options.learnedMerges ?? DEFAULT_LEARNED_MERGES);
    await writeMergesFile(merges, learnt);
    tokenizer = new ClipTokenizer(learnt);
    from = `${learnt.length} merges learnt from the dataset's descriptions`;
  }
  const result = await writeTokenFile(descriptions, tokenizer, tokens);
  return { run, dataset, tokens, merges, descriptions, vocabSize: tokenizer.vocabSize, tokenizerFrom: from, resuming, truncated: result.truncated };
}
