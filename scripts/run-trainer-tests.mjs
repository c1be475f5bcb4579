// Runs the Python trainer's tests (test/trainer, pytest) with a Python that has PyTorch:
// $ANOMALY_LENS_PYTHON, then /usr/bin/python3, then python3 on PATH. Fails, never skips, when
// none has torch or pytest. Extra arguments go to pytest:  node scripts/run-trainer-tests.mjs -k export
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function probe(python) {
  const r = spawnSync(python, ['-c', 'import torch, pytest; print(torch.__version__)'], { encoding: 'utf8' });
  if (r.error) return { ok: false, why: r.error.code === 'ENOENT' ? 'not found' : r.error.message };
  if (r.status !== 0) {
    const last = (r.stderr || '').trim().split('\n').pop() || `exit status ${r.status}`;
    return { ok: false, why: last };
  }
  return { ok: true, torch: r.stdout.trim() };
}

const candidates = [process.env.ANOMALY_LENS_PYTHON, '/usr/bin/python3', 'python3'].filter(Boolean);
const rejected = [];
let chosen;
for (const python of candidates) {
  const result = probe(python);
  if (result.ok) {
    chosen = { python, torch: result.torch };
    break;
  }
  rejected.push(`  ${python}: ${result.why}`);
}

if (!chosen) {
  console.error(
    [
      'trainer tests: no Python with both PyTorch and pytest was found. Tried:',
      ...rejected,
      'Install them (Debian: apt-get install python3-torch python3-pytest) or point ANOMALY_LENS_PYTHON at a Python that has them.',
    ].join('\n'),
  );
  process.exit(1);
}

console.log(`trainer tests: ${chosen.python} (torch ${chosen.torch})`);
const r = spawnSync(chosen.python, ['-m', 'pytest', 'test/trainer', '-q', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NODE: process.execPath },
});
if (r.error) throw r.error;
process.exit(r.status ?? 1);
