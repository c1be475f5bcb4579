// Runs the test suites: node:test over test/**/*.test.ts (through tsx), the trainer's
// Python tests, and the real-VS-Code tests.  node scripts/test.mjs [unit|trainer|e2e]...
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const wanted = process.argv.slice(2);
const suites = wanted.length ? wanted : ['unit', 'trainer', 'e2e'];

function findTests(dir, pattern) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...findTests(full, pattern));
    else if (pattern.test(name)) out.push(relative(root, full));
  }
  return out.sort();
}

function run(cmd, args, env = {}) {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

let failed = 0;
if (run('node', ['scripts/build.mjs']) !== 0) process.exit(1);
for (const suite of suites) {
  if (suite === 'unit') {
    const files = findTests(join(root, 'test', 'unit'), /\.test\.ts$/);
    failed += run('node', ['--import', 'tsx', '--test', '--test-concurrency=2', ...files]) ? 1 : 0;
  } else if (suite === 'trainer') {
    failed += run('node', ['scripts/run-trainer-tests.mjs']) ? 1 : 0;
  } else if (suite === 'e2e') {
    failed += run('node', ['--import', 'tsx', 'test/e2e/run.ts']) ? 1 : 0;
  } else {
    console.error(`unknown suite ${suite}`);
    failed += 1;
  }
}
process.exit(failed ? 1 : 0);
