// The shape every description takes, whatever wrote it: one line of plain words, short
// enough for CLIP's 77-token context.

/** Longest description kept; CLIP's context holds 75 tokens of roughly 4 characters each. */
export const MAX_DESCRIPTION_CHARS = 200;

/** Collapses white space and cuts at a word boundary to at most `max` characters. */
export function tidyDescription(text: string, max = MAX_DESCRIPTION_CHARS): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max + 1);
  const space = cut.lastIndexOf(' ');
  return (space > 0 ? cut.slice(0, space) : flat.slice(0, max)).replace(/[\s,;:.-]+$/, '');
}

/** Fills `{o}` (and `{object}`, `{defect}`) of a phrase. */
export function fillPhrase(phrase: string, values: { object: string; defect?: string }): string {
  return phrase.replace(/\{(o|object|defect)\}/g, (_, name: string) => (name === 'defect' ? (values.defect ?? '') : values.object));
}
