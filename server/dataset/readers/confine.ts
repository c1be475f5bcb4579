// Source files reached through symbolic links: a link may point anywhere inside the source
// folder, but a file whose real path lies outside it is refused (as rsync --safe-links does),
// so that a build never copies files from elsewhere on the machine into a dataset.
import { realPlace } from '../../util/paths';
import type { SourceSample } from '../types';
import type { ProblemLog } from './problems';

/** The samples whose image and mask really lie inside `root`; each link leading out is reported once. */
export function confineSamples(root: string, samples: readonly SourceSample[], problems: ProblemLog): SourceSample[] {
  const outside = new Map<string, { target: string; files: number }>();
  const kept = samples.filter((sample) => {
    for (const file of [sample.image, ...(sample.mask !== undefined ? [sample.mask] : []), ...(sample.drawn ? [sample.drawn.file] : [])]) {
      const place = realPlace(root, file);
      if (place.kind === 'unresolvable') {
        problems.warning(file, `cannot follow its symbolic links (${place.reason}); ignored`);
        return false;
      }
      if (place.kind !== 'outside') continue;
      const seen = outside.get(place.link);
      if (seen) seen.files++;
      else outside.set(place.link, { target: place.target, files: 1 });
      return false;
    }
    return true;
  });
  for (const [link, { target, files }] of outside) {
    const what = files === 1 ? 'the image or mask reached through it is' : `${files} images or masks reached through it are`;
    problems.warning(link, `symbolic link leads outside the source folder (to ${target}); ${what} ignored`, target);
  }
  return kept;
}
