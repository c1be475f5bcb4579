// A model's answer as a description: the first line of text, without quotes, labels,
// markdown or a final period, lower-cased at the start, cut to the length limit.
import { MAX_DESCRIPTION_CHARS, tidyDescription } from '../text';

const QUOTES = `"'\`“”‘’«»*_`;
const LABEL = /^(output|description|answer|anomaly description)\s*:\s*/i;

function stripQuotes(text: string): string {
  let out = text.trim();
  for (;;) {
    const first = out[0];
    const last = out[out.length - 1];
    if (out.length >= 1 && first !== undefined && QUOTES.includes(first)) out = out.slice(1).trim();
    else if (out.length >= 1 && last !== undefined && QUOTES.includes(last)) out = out.slice(0, -1).trim();
    else return out;
  }
}

/** The description in an answer; '' when there is none. */
export function sanitizeAnswer(answer: string, max = MAX_DESCRIPTION_CHARS): string {
  const line =
    answer
      .split(/\r?\n/)
      .map((l) => l.trim())
      .find((l) => l !== '' && !/^```/.test(l)) ?? '';
  let text = stripQuotes(line.replace(/^(#+|[-*•]|\d+[.)])\s+/, ''));
  for (let previous = ''; previous !== text; ) {
    previous = text;
    text = stripQuotes(text.replace(LABEL, ''));
  }
  text = text.replace(/[.!]+$/, '').trim();
  if (/^[A-Z][a-z]/.test(text)) text = text[0].toLowerCase() + text.slice(1);
  return tidyDescription(text, max);
}
