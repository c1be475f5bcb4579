// Dataset folder names (snake, kebab, camel case, digits) as readable words, and the keys
// that match one name however it is spelled.

/** Words of a name: `metal_nut`, `metal-nut`, `MetalNut`, `metal nut` -> ["metal", "nut"]. */
export function nameWords(name: string): string[] {
  return name
    .normalize('NFKC')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([A-Za-z])(\d)/g, '$1 $2')
    .replace(/(\d)([A-Za-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}']+/u)
    .filter((w) => w !== '');
}

/** British spellings the built-in table writes the American way. */
const SPELLING: Record<string, string> = { colour: 'color', colours: 'colors', grey: 'gray', discolour: 'discolor', discoloured: 'discolored', particals: 'particles' };

function spell(words: readonly string[]): string[] {
  return words.map((w) => SPELLING[w] ?? w);
}

/** One key per class name however it is written: lower case, words joined by `_`, digits kept. */
export function nameKey(name: string): string {
  return spell(nameWords(name)).join('_');
}

/**
 * Leading words that name a dataset or toolkit rather than the object ("otx_hazelnut",
 * "MVTec-bottle"); dropped from object names when a name remains.
 */
const SOURCE_PREFIX = /^(?:mvtec(?:[\s_-]?3d(?:[\s_-]?ad)?)?|visa|otx|mpdd|btad)[\s_-]+(?=\S)/i;

function withoutPrefix(object: string): string {
  let rest = object.trim();
  while (SOURCE_PREFIX.test(rest) && nameWords(rest.replace(SOURCE_PREFIX, '')).length > 0) rest = rest.replace(SOURCE_PREFIX, '');
  return rest;
}

/** Keys an object name may be known by: as written, then without a source prefix. */
export function objectKeys(object: string): string[] {
  const key = nameKey(object);
  const bare = nameKey(withoutPrefix(object));
  return bare === key ? [key] : [key, bare];
}

/** Object words without a source prefix or instance digits ("macaroni1" -> macaroni). */
export function objectWords(object: string): string[] {
  const words = spell(nameWords(withoutPrefix(object)));
  const named = words.filter((w) => !/^\d+$/.test(w));
  return named.length > 0 ? named : words;
}

/** Object words written out: abbreviations and run-together names of common objects. */
const OBJECT_WORDS: Record<string, string> = {
  pcb: 'printed circuit board',
  pcba: 'printed circuit board',
  chewinggum: 'chewing gum',
  metalnut: 'metal nut',
};

/** The readable object name: `metal_nut` -> "metal nut", `pcb4` -> "printed circuit board". */
export function readableObject(object: string): string {
  const text = objectWords(object)
    .map((w) => OBJECT_WORDS[w] ?? w)
    .join(' ');
  return text !== '' ? text : object.trim() !== '' ? object.trim() : 'object';
}

/** The readable defect name: `cut_inner_insulation` -> "cut inner insulation" (digits kept: "type 2"). */
export function readableDefect(defect: string): string {
  const text = spell(nameWords(defect)).join(' ');
  return text !== '' ? text : defect.trim() !== '' ? defect.trim() : 'defect';
}
