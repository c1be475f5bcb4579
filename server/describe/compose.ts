// A description for a defect name nobody wrote one for: the readable name joined to the
// object with the preposition its head word takes ("glue strip on tile", "bent lead of
// transistor", "pit in casting", "dented can").
import { nameWords, readableDefect } from './names';

/** Parts of an object: "<defect> of <object>". */
const PART_NOUNS = new Set([
  'insulation', 'lead', 'leads', 'wire', 'wires', 'pin', 'pins', 'case', 'casing', 'head', 'neck',
  'tooth', 'teeth', 'border', 'edge', 'edges', 'corner', 'corners', 'cap', 'lid', 'label', 'side',
  'top', 'bottom', 'tip', 'rim', 'shape', 'packaging', 'handle', 'bristles', 'strands', 'coating',
]);

/** Openings and breaks: "<defect> in <object>". */
const IN_NOUNS = new Set([
  'crack', 'cracks', 'hole', 'holes', 'cut', 'cuts', 'dent', 'dents', 'tear', 'tears', 'gap', 'split',
  'break', 'bubble', 'bubbles', 'chip', 'chips', 'fold', 'pit', 'pits', 'void', 'voids', 'puncture',
  'notch', 'fracture', 'crease', 'inclusion', 'pore', 'pores', 'wrinkle', 'wrinkles',
]);

/** One-word states of the whole object: "<state> <object>". */
const STATES = new Set(['bent', 'broken', 'burnt', 'torn', 'worn', 'loose', 'open', 'misshapen', 'crooked', 'warped']);

function isState(word: string): boolean {
  return STATES.has(word) || (word.length > 4 && word.endsWith('ed'));
}

function mentions(words: readonly string[], objectWords: readonly string[]): boolean {
  const head = objectWords[objectWords.length - 1];
  return head !== undefined && words.some((w) => w === head || w === `${head}s`);
}

/** "<defect> <preposition> <object>" from a defect name and the readable object name. */
export function composeDescription(object: string, defect: string): string {
  if (nameWords(defect).length === 0) return `defect on ${object}`;
  const words = readableDefect(defect).split(' ');
  const text = words.join(' ');
  if (mentions(words, nameWords(object))) return text;
  if (words.length === 1 && isState(words[0])) return `${text} ${object}`;
  const head = words[words.length - 1];
  if (words[0] === 'missing' || PART_NOUNS.has(head)) return `${text} of ${object}`;
  if (IN_NOUNS.has(head)) return `${text} in ${object}`;
  return `${text} on ${object}`;
}
