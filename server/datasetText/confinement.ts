// Where the paths of one dataset folder lead, each worked out once: a split file names the same
// images and masks on many lines, and its diagnostics and links both ask.
import { errorMessage } from '../util/errors';
import { resolveInside } from '../util/paths';

export type Confinement = { target: string } | { error: string };

export type Confine = (path: string) => Confinement;

/** Answers remembered at most; a file naming more distinct paths starts over. */
const REMEMBERED = 50_000;

/** resolveInside against `root`, remembered per path. */
export function confinement(root: string): Confine {
  const seen = new Map<string, Confinement>();
  return (path) => {
    let answer = seen.get(path);
    if (!answer) {
      if (seen.size >= REMEMBERED) seen.clear();
      try {
        answer = { target: resolveInside(root, path) };
      } catch (err) {
        answer = { error: errorMessage(err) };
      }
      seen.set(path, answer);
    }
    return answer;
  };
}
