// The trainer's option table (server/jobs/options.ts) against the Python trainer's argument
// parser and TrainConfig defaults, and the CLI's `train --help` against the table: one table,
// checked on both sides.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { TRAIN_OPTIONS, trainOptionArgs } from '../../../server/jobs/options';
import { REPO_ROOT, TORCH_PYTHON } from './fixtures';

interface PythonOption {
  flags: string[];
  dest: string;
  choices: string[] | null;
}

/** The trainer's `train` options and TrainConfig's defaults, read by Python itself. */
function trainerSide(): { options: PythonOption[]; defaults: Record<string, unknown> } {
  const code = [
    'import argparse, dataclasses, json',
    'from anomaly_lens.__main__ import _train_parser',
    'from anomaly_lens.train import TrainConfig',
    'parser = argparse.ArgumentParser(); sub = parser.add_subparsers(dest="command")',
    '_train_parser(sub)',
    'train = sub.choices["train"]',
    'options = [{"flags": a.option_strings, "dest": a.dest, "choices": list(a.choices) if a.choices else None} for a in train._actions if a.option_strings and a.dest != "help"]',
    'defaults = {f.name: f.default for f in dataclasses.fields(TrainConfig) if f.default is not dataclasses.MISSING}',
    'print(json.dumps({"options": options, "defaults": defaults}))',
  ].join('\n');
  const r = spawnSync(TORCH_PYTHON, ['-c', code], { encoding: 'utf8', env: { ...process.env, PYTHONPATH: join(REPO_ROOT, 'server', 'trainer') } });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

const snake = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Options the CLI fills in from the run itself, not from the table. */
const RUN_FILES = new Set(['dataset', 'tokens', 'merges', 'out', 'init']);

describe('the trainer option table', () => {
  const { options, defaults } = trainerSide();

  it('names every option of the Python trainer with the same flag, destination and choices', () => {
    const byDest = new Map<string, PythonOption[]>();
    for (const o of options) byDest.set(o.dest, [...(byDest.get(o.dest) ?? []), o]);
    const tableDests = TRAIN_OPTIONS.map((o) => snake(o.key));
    assert.deepEqual([...byDest.keys()].filter((d) => !RUN_FILES.has(d)).sort(), [...tableDests].sort());
    for (const spec of TRAIN_OPTIONS) {
      const python = byDest.get(snake(spec.key)) ?? [];
      const flags = python.flatMap((o) => o.flags);
      const wanted = spec.kind === 'boolean' && spec.default === true ? spec.flag.replace(/^--/, '--no-') : spec.flag;
      assert.ok(flags.includes(wanted), `${spec.key}: ${wanted} not among ${flags.join(', ')}`);
      if (spec.choices) assert.deepEqual(python.find((o) => o.choices)?.choices, [...spec.choices], spec.key);
    }
  });

  it('states the defaults TrainConfig applies', () => {
    for (const spec of TRAIN_OPTIONS) {
      const name = snake(spec.key);
      if (spec.default === undefined) assert.ok(defaults[name] === null || !(name in defaults), `${spec.key}: the table states no default, TrainConfig has ${defaults[name]}`);
      else assert.equal(defaults[name], spec.default, spec.key);
    }
  });

  it('becomes the trainer arguments of the options given only', () => {
    assert.deepEqual(trainOptionArgs({ epochs: 2, alpha: false, export: true, gradCheckpointing: true, device: 'cpu' }), ['--epochs', '2', '--no-alpha', '--device', 'cpu', '--grad-checkpointing']);
    assert.deepEqual(trainOptionArgs({}), []);
  });

  it('is what `anomaly-lens train --help` offers', () => {
    const r = spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'cli.js'), 'train', '--help'], { encoding: 'utf8', env: { ...process.env, COLUMNS: '400' } });
    assert.equal(r.status, 0, r.stderr);
    const help = r.stdout.replace(/\s+/g, ' ');
    for (const spec of TRAIN_OPTIONS) {
      const flag = spec.kind === 'boolean' && spec.default === true ? spec.flag.replace(/^--/, '--no-') : spec.flag;
      assert.match(help, new RegExp(`${flag}\\b`), flag);
      if (spec.default !== undefined && spec.kind !== 'boolean') assert.match(help, new RegExp(`${flag}\\b(?:(?! --[a-z]).)*\\(default ${String(spec.default).replace('.', '\\.')}\\)`), `${flag} default`);
    }
  });
});
