import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { buildArguments, nodeRuntime } from '../../../extension/build/cliInvocation';

test('inside Electron the host binary runs as Node through ELECTRON_RUN_AS_NODE', () => {
  assert.deepEqual(nodeRuntime(undefined, '/opt/vscode/code', '34.5.1'), { command: '/opt/vscode/code', env: { ELECTRON_RUN_AS_NODE: '1' } });
});

test('under a Node host (code-server, remote) the host binary is used as it is', () => {
  assert.deepEqual(nodeRuntime('', '/usr/bin/node', undefined), { command: '/usr/bin/node', env: {} });
});

test('a configured runtime wins, trimmed', () => {
  assert.deepEqual(nodeRuntime('  /usr/local/bin/node ', '/opt/vscode/code', '34.5.1'), { command: '/usr/local/bin/node', env: {} });
});

test('the runtime chosen for this Node process starts a script with the build arguments', () => {
  const runtime = nodeRuntime(undefined, process.execPath, process.versions.electron);
  const args = buildArguments('-e', 'src dir', '/out dir');
  assert.deepEqual(args, ['-e', 'build', 'src dir', '--out', '/out dir']);
  // `node -e <code> …rest`: the rest reach the script unchanged (spaces included).
  const r = spawnSync(runtime.command, ['-e', 'process.stdout.write(JSON.stringify(process.argv.slice(1)))', ...args.slice(1)], {
    env: { ...process.env, ...runtime.env },
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), ['build', 'src dir', '--out', '/out dir']);
});
