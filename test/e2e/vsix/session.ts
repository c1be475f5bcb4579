// The installed-VSIX session: `npm run package` builds the linux-x64 VSIX, its contents are
// checked, code-server installs it with --install-extension into an empty extensions folder,
// and an extension-host module (vsix/index.ts, loaded beside an empty driver extension, since
// the extension under test must not be loaded from the repository) checks that the installed
// copy activates and describes a region with its embedded default bundle; the extension's page
// shows its README with every screenshot, offline.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SessionSpec } from '../harness';
import { ROOT } from '../harness';
import { runCommand, webviewFrame } from '../palette';
import { checkVsixContents, relativeLinks } from './contents';
import { EXPECTED_FILE, SAMPLE_IMAGE, SAMPLE_MASK } from './paths';

function run(args: string[], cwd = ROOT): string {
  const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' } });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

export function vsixSession(entry: string): SessionSpec {
  let vsix = '';
  let packaged = '';
  return {
    name: 'vsix',
    entry,
    prepare: (workspace, home) => {
      vsix = join(home, 'anomaly-lens-linux-x64.vsix');
      packaged = run([join(ROOT, 'scripts', 'package.mjs'), '--no-build', '--target', 'linux-x64', '--out', vsix]);
      const cli = join(ROOT, 'dist', 'cli.js');
      run([cli, 'sample', 'sample', '--scale', '0.05', '--seed', '1'], workspace);
      // What the repository's build answers for the same region, to compare with the installed copy.
      writeFileSync(join(workspace, EXPECTED_FILE), run([cli, 'describe', '--json', SAMPLE_IMAGE, '--region-of', SAMPLE_MASK, '--top', '3'], workspace));
    },
    install: () => [vsix],
    extensionDevelopmentPath: join(ROOT, 'test', 'e2e', 'vsix', 'driver'),
    hostTests: join(ROOT, 'test', 'e2e', 'vsix', 'index.ts'),
    checks: [
      {
        name: 'npm run package prints the size of a linux-x64 VSIX that holds the product and only linux-x64 native binaries',
        run: async () => {
          const size = statSync(vsix).size;
          const printed = /: ([\d.]+) MB \((\d+) bytes\), target linux-x64/.exec(packaged);
          if (!printed || Number(printed[2]) !== size) throw new Error(`the script printed no matching size (${size} bytes):\n${packaged}`);
          checkVsixContents(vsix, 'linux/x64', ['sharp-linux-x64', 'sharp-libvips-linux-x64']);
        },
      },
      {
        name: "the installed extension's page shows its README with every screenshot, offline",
        run: async (page, session) => {
          // The repository's README names the screenshots; the package may carry them another way.
          const images = relativeLinks(readFileSync(join(ROOT, 'README.md'), 'utf8')).filter((t) => /\.(png|jpe?g|gif|webp|svg)$/i.test(t));
          if (images.length === 0) throw new Error('the README shows no image');
          await runCommand(page, 'Extensions: Show Enabled Extensions');
          const row = page.locator('.part.sidebar .extension-list-item', { hasText: 'Anomaly Lens' }).first();
          await row.waitFor({ timeout: 60_000 });
          await row.click();
          const frame = await webviewFrame(page, async (f) => (await f.locator('h1, h2').count()) > 0 && (await f.locator('img').count()) > 0, 60_000);
          const shown = () =>
            frame.evaluate(`[...document.images].map((img) => ({ alt: img.alt, src: img.getAttribute('src').slice(0, 60), width: img.complete ? img.naturalWidth : -1 }))`) as Promise<{ alt: string; src: string; width: number }[]>;
          // Each image is loaded or has failed (complete) before it is counted.
          const deadline = Date.now() + 60_000;
          let seen = await shown();
          while (seen.some((i) => i.width < 0) && Date.now() < deadline) {
            await page.waitForTimeout(250);
            seen = await shown();
          }
          await session.screenshot('vsix-extension-page');
          const broken = seen.filter((i) => i.width <= 0);
          if (seen.length < images.length || broken.length > 0) {
            throw new Error(`the extension's page shows ${seen.length - broken.length} of the README's ${images.length} screenshots; broken: ${broken.map((i) => `"${i.alt}" (${i.src})`).join(', ') || 'none'}`);
          }
        },
      },
    ],
    timeoutMs: 240_000,
  };
}
