// Built-in descriptions: the known datasets' classes first, then the shared vocabulary, then
// a description composed from the names; never empty.
import { KNOWN_OBJECTS } from './catalog';
import { composeDescription } from './compose';
import { nameKey, objectKeys, readableDefect, readableObject } from './names';
import { fillPhrase, tidyDescription } from './text';
import { vocabularyPhrase } from './vocabulary';

export type BuiltinSource = 'catalog' | 'vocabulary' | 'composed';

export interface BuiltinText {
  text: string;
  /** Where the wording came from: a phrase for this class, the shared vocabulary, or the names. */
  source: BuiltinSource;
}

/** object key -> defect key -> phrase */
const CATALOG = new Map<string, Map<string, string>>();
for (const known of KNOWN_OBJECTS) {
  const phrases = new Map<string, string>();
  for (const [defect, phrase] of Object.entries(known.phrases)) phrases.set(nameKey(defect), phrase);
  CATALOG.set(nameKey(known.object), phrases);
}

function catalogPhrase(object: string, defect: string): string | undefined {
  const key = nameKey(defect);
  for (const objectKey of objectKeys(object)) {
    const phrase = CATALOG.get(objectKey)?.get(key);
    if (phrase !== undefined) return phrase;
  }
  return undefined;
}

/** The built-in description of `defect` on `object`. */
export function builtinDescription(object: string, defect: string): BuiltinText {
  const readable = readableObject(object);
  const fill = (phrase: string): string => tidyDescription(fillPhrase(phrase, { object: readable, defect: readableDefect(defect) }));
  const known = catalogPhrase(object, defect);
  if (known !== undefined) return { text: fill(known), source: 'catalog' };
  const common = vocabularyPhrase(defect);
  if (common !== undefined) return { text: fill(common), source: 'vocabulary' };
  return { text: tidyDescription(composeDescription(readable, defect)), source: 'composed' };
}
