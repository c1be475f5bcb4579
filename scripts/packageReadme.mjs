// The README as the VSIX carries it. VS Code's extension page shows only https: and data:
// images (its page loads nothing from the extension's folder), so offline it shows only data:
// ones: each image README.md names by a relative path is inlined as a data: URI. Every other
// relative link (the docs/ pages) names a file the package then carries.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const IMAGE_TYPES = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp' };

/** Link targets with their place in the text: inline links and images, reference definitions, HTML src and href. */
function targetsOf(text) {
  // Code is not Markdown: blank it out (same length, same lines) before looking for links.
  const masked = text.replace(/^(```|~~~)[\s\S]*?^\1|`[^`\n]*`/gm, (code) => code.replace(/[^\n]/g, ' '));
  const patterns = [
    /\]\(\s*<?(?<target>[^)\s>]+)>?(?:\s+["'(][^)]*)?\)/dg,
    /^\s{0,3}\[[^\]]+\]:\s*<?(?<target>\S+?)>?(?:\s|$)/dgm,
    /\b(?:src|href)\s*=\s*["'](?<target>[^"']+)["']/dgi,
  ];
  return patterns.flatMap((pattern) => [...masked.matchAll(pattern)].map((m) => ({ target: m.groups.target, at: m.indices.groups.target[0] })));
}

/**
 * README.md of `root` as the package carries it: `text` with its relative images inlined, and
 * `files`, the repository files (relative, with /) its other relative links name. A relative
 * link to no file of the repository, or to an SVG image, is an error naming it.
 */
export function packagedReadme(root, readme = join(root, 'README.md')) {
  const text = readFileSync(readme, 'utf8');
  const name = relative(root, readme);
  const files = new Set();
  const replacements = [];
  const seen = new Set();
  for (const { target, at } of targetsOf(text)) {
    if (seen.has(at)) continue;
    seen.add(at);
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#') || target.startsWith('//')) continue;
    const path = decodeURIComponent(target.replace(/[#?].*$/, ''));
    if (path === '') continue;
    const file = relative(root, resolve(dirname(readme), path)).split(sep).join('/');
    if (file.startsWith('..') || !existsSync(join(root, file)) || !statSync(join(root, file)).isFile()) {
      throw new Error(`${name} links ${target}, which is no file of the repository`);
    }
    const extension = file.slice(file.lastIndexOf('.')).toLowerCase();
    if (extension === '.svg') throw new Error(`${name} shows ${target}: VS Code's extension page shows no SVG data image; use a PNG`);
    const type = IMAGE_TYPES[extension];
    if (type) replacements.push({ at, length: target.length, by: `data:${type};base64,${readFileSync(join(root, file)).toString('base64')}` });
    else files.add(file);
  }
  let packaged = text;
  for (const r of replacements.sort((a, b) => b.at - a.at)) packaged = packaged.slice(0, r.at) + r.by + packaged.slice(r.at + r.length);
  return { text: packaged, files: [...files].sort() };
}
