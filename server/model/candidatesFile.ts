// Candidate descriptions given by the user: a file with one description per line, or a JSON
// array of strings.
import { readFileSync } from 'node:fs';
import { UserError, errorMessage } from '../util/errors';

export interface CandidateList {
  texts: string[];
  /** Non-fatal findings (duplicates dropped). */
  warnings: string[];
}

/** Trims, drops blank entries and duplicates (keeping the first); an empty result is an error. */
export function candidateList(entries: readonly string[], source: string): CandidateList {
  const texts: string[] = [];
  const seen = new Set<string>();
  const duplicates: string[] = [];
  for (const entry of entries) {
    const text = entry.trim();
    if (text === '') continue;
    if (seen.has(text)) duplicates.push(text);
    else {
      seen.add(text);
      texts.push(text);
    }
  }
  if (texts.length === 0) throw new UserError('holds no candidate descriptions', source);
  const warnings = duplicates.length
    ? [`${source}: ${duplicates.length} duplicate description(s) ignored: ${[...new Set(duplicates)].map((d) => JSON.stringify(d)).join(', ')}`]
    : [];
  return { texts, warnings };
}

/** Parses the text of a candidates file: a JSON array of strings, or one description per line. */
export function parseCandidates(text: string, file: string): CandidateList {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trimStart().startsWith('[')) {
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch (err) {
      throw new UserError(`starts like a JSON array but is not valid JSON: ${errorMessage(err)}`, file);
    }
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new UserError('must be a JSON array of strings', file);
    return candidateList(value, file);
  }
  return candidateList(body.split(/\r?\n/), file);
}

export function readCandidatesFile(file: string): CandidateList {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UserError(`cannot read the candidates file: ${errorMessage(err)}`, file);
  }
  return parseCandidates(text, file);
}
