// Document links (the files a split file or bundle.json names) with their paths confined to the
// dataset or bundle folder as the engine confines them (confinement.ts), and Go to Definition
// from a region's description to its entry in dataset.json (linkRanges.ts).
import { type Confine, confinement } from './confinement';
import { bundleLinksTo, splitFileLinksTo, type PathLink } from './linkRanges';
import type { ParsedSplitFile } from './parseSplitFile';

export { descriptionDefinition, descriptionEntryRange } from './linkRanges';
export type { PathLink };

function targets(confine: Confine): (path: string) => string | undefined {
  return (path) => {
    const answer = confine(path);
    return 'target' in answer ? answer.target : undefined;
  };
}

/** Every image and mask path of a split file that stays inside the dataset root. */
export function splitFileLinks(parsed: ParsedSplitFile, root: string, confine: Confine = confinement(root)): PathLink[] {
  return splitFileLinksTo(parsed, targets(confine));
}

/** The files a bundle.json names (encoders, text embeddings, tokenizer merges), inside the bundle folder. */
export function bundleLinks(text: string, bundleDir: string): PathLink[] {
  return bundleLinksTo(text, targets(confinement(bundleDir)));
}
