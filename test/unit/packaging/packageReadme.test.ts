// The README the VSIX carries: VS Code's extension page shows only https: and data: images and
// nothing from the extension's folder, so each screenshot the repository's README shows by a
// relative path is inlined, byte for byte; the docs/ pages it links are files the package carries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { packagedReadme } from '../../../scripts/packageReadme.mjs';
import { relativeLinks } from '../../e2e/vsix/contents';

const ROOT = resolve(__dirname, '..', '..', '..');
const PNG = readFileSync(join(ROOT, 'docs', 'images', 'vscode-report.png'));

test("the repository's README: every screenshot inlined as the PNG's bytes, only the docs pages left as links", () => {
  const original = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const images = relativeLinks(original).filter((t) => t.endsWith('.png'));
  assert.ok(images.length >= 9, images.join(', '));
  const { text, files } = packagedReadme(ROOT);
  assert.deepEqual(relativeLinks(text), files);
  assert.ok(files.length > 0 && files.every((f) => /^docs\/[\w-]+\.md$/.test(f)), files.join(', '));
  const inlined = [...text.matchAll(/data:image\/png;base64,([A-Za-z0-9+/=]+)/g)].map((m) => Buffer.from(m[1], 'base64'));
  assert.equal(inlined.length, images.length);
  images.forEach((image, k) => assert.ok(inlined.some((data) => data.equals(readFileSync(join(ROOT, image)))), `${image} (${k})`));
  // Nothing else changes.
  assert.equal(text.replace(/data:image\/png;base64,[A-Za-z0-9+/=]+/g, 'IMG'), original.replace(new RegExp(images.map((i) => i.replace(/[.]/g, '\\.')).join('|'), 'g'), 'IMG'));
});

function readmeIn(markdown: string): string {
  const root = mkdtempSync(join(tmpdir(), 'al-readme-'));
  mkdirSync(join(root, 'docs', 'images'), { recursive: true });
  writeFileSync(join(root, 'docs', 'images', 'shot.png'), PNG);
  writeFileSync(join(root, 'docs', 'guide.md'), '# Guide\n');
  writeFileSync(join(root, 'README.md'), markdown);
  return root;
}

test('HTML images and reference definitions are inlined too; links within the page, absolute URLs and code stay', () => {
  const root = readmeIn([
    '# Title',
    '<img src="docs/images/shot.png" alt="shot">',
    '![by reference][shot]',
    '[Guide](docs/guide.md#part "the guide") and [below](#title) and [site](https://example.com/x.png)',
    'Code: `![not](docs/images/missing.png)`',
    '```',
    '![not either](docs/images/missing.png)',
    '```',
    '',
    '[shot]: docs/images/shot.png',
    '',
  ].join('\n'));
  const { text, files } = packagedReadme(root);
  assert.deepEqual(files, ['docs/guide.md']);
  assert.equal([...text.matchAll(/data:image\/png;base64,/g)].length, 2);
  assert.match(text, /<img src="data:image\/png;base64,[^"]+" alt="shot">/);
  assert.match(text, /^\[shot\]: data:image\/png;base64,\S+$/m);
  assert.match(text, /\[Guide\]\(docs\/guide\.md#part "the guide"\) and \[below\]\(#title\) and \[site\]\(https:\/\/example\.com\/x\.png\)/);
  assert.equal((text.match(/docs\/images\/missing\.png/g) ?? []).length, 2);
});

test('a relative link to no file, or to an SVG, is refused naming it', () => {
  assert.throws(() => packagedReadme(readmeIn('See ![gone](docs/images/gone.png).\n')), /README\.md links docs\/images\/gone\.png, which is no file of the repository/);
  assert.throws(() => packagedReadme(readmeIn('[up](../outside.md)\n')), /README\.md links \.\.\/outside\.md, which is no file of the repository/);
  const root = readmeIn('![icon](docs/images/icon.svg)\n');
  writeFileSync(join(root, 'docs', 'images', 'icon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  assert.throws(() => packagedReadme(root), /README\.md shows docs\/images\/icon\.svg: .*use a PNG/);
});
