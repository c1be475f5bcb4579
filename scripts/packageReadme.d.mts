/** README.md of `root` as the VSIX carries it (see packageReadme.mjs). */
export function packagedReadme(root: string, readme?: string): { text: string; files: string[] };
