import type { Command } from 'commander';
import { ClipTokenizer, CLIP_MERGE_COUNT, CONTEXT_LENGTH } from '../../model/tokenizer';
import { integerAtLeast } from '../options';

interface TokenizeOptions {
  vocab: string;
  json?: boolean;
  context: number;
  maxMerges: number;
}

const positiveInteger = integerAtLeast;

function readable(tokenizer: ClipTokenizer, text: string, ids: number[], inputIds: number[]): string {
  const tokens = ids.map((id) => tokenizer.token(id) ?? '?');
  let last = inputIds.length;
  while (last > 0 && inputIds[last - 1] === 0) last--;
  const padding = inputIds.length - last;
  return [
    JSON.stringify(text),
    `  tokens:    ${tokens.join(' ')}`,
    `  ids:       ${ids.join(' ')}`,
    `  input_ids: ${inputIds.slice(0, last).join(' ')}${padding ? ` (+${padding} × 0)` : ''}`,
  ].join('\n');
}

export function register(program: Command): void {
  program
    .command('tokenize')
    .description('Token ids of texts with a CLIP byte-level BPE vocabulary (a merges file, .txt.gz or plain).')
    .argument('<text...>', 'texts to tokenise')
    .requiredOption('--vocab <file>', 'the merges file (e.g. a bundle\'s tokenizer/merges.txt.gz)')
    .option('--json', 'one JSON object {text, ids, input_ids} per line')
    .option('--context <n>', 'context length of input_ids', positiveInteger(2), CONTEXT_LENGTH)
    .option('--max-merges <n>', 'read at most this many merges', positiveInteger(0), CLIP_MERGE_COUNT)
    .action((texts: string[], options: TokenizeOptions) => {
      const tokenizer = ClipTokenizer.fromFile(options.vocab, { maxMerges: options.maxMerges });
      const out: string[] = [];
      for (const text of texts) {
        const { ids, inputIds, truncated } = tokenizer.encodeForModel(text, options.context);
        if (truncated) {
          process.stderr.write(`anomaly-lens: warning: ${JSON.stringify(text)} has ${ids.length} tokens, cut to fit a context of ${options.context}\n`);
        }
        out.push(options.json ? JSON.stringify({ text, ids, input_ids: inputIds }) : readable(tokenizer, text, ids, inputIds));
      }
      process.stdout.write(`${out.join('\n')}\n`);
    });
}
