import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { BUILD_DEFAULTS } from '../../../server/jobs/options';
import { DEFAULT_SETTINGS, SECTION, SETTING_KEYS, deviceChoice, readSettings, serverEnvironment } from '../../../extension/settings/settings';

const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, { default: unknown; scope?: string }> } };
  capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
};
const properties = pkg.contributes.configuration.properties;

test("package.json declares every setting the reader reads, with the reader's defaults", () => {
  const flat: Record<string, unknown> = {
    nodePath: DEFAULT_SETTINGS.nodePath,
    pythonPath: DEFAULT_SETTINGS.pythonPath,
    device: DEFAULT_SETTINGS.device,
    defaultBundle: DEFAULT_SETTINGS.defaultBundle,
    uncertainBelow: DEFAULT_SETTINGS.uncertainBelow,
    mode: DEFAULT_SETTINGS.regions.mode,
    eps: DEFAULT_SETTINGS.regions.eps,
    minPts: DEFAULT_SETTINGS.regions.minPts,
    minArea: DEFAULT_SETTINGS.regions.minArea,
    describeProvider: DEFAULT_SETTINGS.describeProvider,
    llmModel: DEFAULT_SETTINGS.llm.model,
    llmBaseUrl: DEFAULT_SETTINGS.llm.baseUrl,
  };
  for (const [name, key] of Object.entries(SETTING_KEYS)) {
    const declared = properties[`${SECTION}.${key}`];
    assert.ok(declared, `${SECTION}.${key} is declared`);
    assert.deepEqual(declared.default, flat[name], `${SECTION}.${key}`);
  }
});

test("the region-splitting and description defaults are the engine's build defaults", () => {
  assert.equal(properties['anomalyLens.regions.mode'].default, BUILD_DEFAULTS.mode);
  assert.equal(properties['anomalyLens.regions.eps'].default, BUILD_DEFAULTS.eps);
  assert.equal(properties['anomalyLens.regions.minPts'].default, BUILD_DEFAULTS.minPts);
  assert.equal(properties['anomalyLens.regions.minArea'].default, BUILD_DEFAULTS.minArea);
  assert.equal(properties['anomalyLens.describe.provider'].default, BUILD_DEFAULTS.describe);
});

test('executables are machine settings and restricted in untrusted workspaces', () => {
  assert.equal(properties['anomalyLens.pythonPath'].scope, 'machine');
  assert.equal(properties['anomalyLens.nodePath'].scope, 'machine');
  const restricted = pkg.capabilities.untrustedWorkspaces.restrictedConfigurations;
  for (const key of ['anomalyLens.pythonPath', 'anomalyLens.nodePath', 'anomalyLens.llm.baseUrl']) assert.ok(restricted.includes(key), key);
  // No setting could hold the API key.
  assert.deepEqual(Object.keys(properties).filter((k) => /key|secret|token/i.test(k)), []);
});

test('readSettings takes values of the right kind and the default for anything else', () => {
  const values: Record<string, unknown> = {
    pythonPath: ' /opt/py/bin/python ',
    device: 'cuda:1',
    'regions.mode': 'cc4',
    'regions.eps': 2.5,
    'regions.minPts': 3,
    'regions.minArea': 4,
    'describe.provider': 'llm',
    'llm.model': 'gpt-x',
    uncertainBelow: 0.8,
  };
  const s = readSettings((k) => values[k]);
  assert.equal(s.uncertainBelow, 0.8);
  assert.equal(s.pythonPath, '/opt/py/bin/python');
  assert.equal(s.device, 'cuda:1');
  assert.deepEqual(s.regions, { mode: 'cc4', eps: 2.5, minPts: 3, minArea: 4 });
  assert.equal(s.describeProvider, 'llm');
  assert.equal(s.llm.model, 'gpt-x');

  const bad: Record<string, unknown> = { device: 'gpu', 'regions.mode': 'x', 'regions.eps': -1, 'regions.minPts': 1.5, 'regions.minArea': -2, 'describe.provider': 'other', nodePath: 7, uncertainBelow: 1.5 };
  assert.deepEqual(readSettings((k) => bad[k]), DEFAULT_SETTINGS);
});

test('the device setting becomes the trainer device and the GPU the server sees', () => {
  assert.deepEqual(deviceChoice('auto'), { device: 'auto' });
  assert.deepEqual(deviceChoice('cpu'), { device: 'cpu' });
  assert.deepEqual(deviceChoice('cuda'), { device: 'cuda' });
  assert.deepEqual(deviceChoice('cuda:3'), { device: 'cuda', visibleGpu: '3' });
});

test('a trusted workspace passes interpreter, LLM settings and key to the server', () => {
  const settings = { ...DEFAULT_SETTINGS, device: 'cuda:2', llm: { model: 'm', baseUrl: 'https://llm.example/v1' } };
  const env = serverEnvironment({ settings, trusted: true, python: '/py', apiKey: 'sk-secret', stateDir: '/state' });
  assert.deepEqual(env, {
    ANOMALY_LENS_STATE_DIR: '/state',
    ANOMALY_LENS_PYTHON: '/py',
    ANOMALY_LENS_LLM_API_KEY: 'sk-secret',
    ANOMALY_LENS_LLM_BASE_URL: 'https://llm.example/v1',
    ANOMALY_LENS_LLM_MODEL: 'm',
    CUDA_VISIBLE_DEVICES: '2',
  });
});

test('Restricted Mode gives the server no interpreter and no key, and blanks inherited keys', () => {
  const settings = { ...DEFAULT_SETTINGS, llm: { model: 'm', baseUrl: 'https://llm.example/v1' } };
  const env = serverEnvironment({ settings, trusted: false, python: '/py', apiKey: 'sk-secret', stateDir: '/state' });
  assert.equal(env.ANOMALY_LENS_PYTHON, undefined);
  assert.equal(env.ANOMALY_LENS_LLM_BASE_URL, undefined);
  assert.equal(env.ANOMALY_LENS_LLM_API_KEY, '');
  assert.equal(env.OPENAI_API_KEY, '');
  assert.ok(!Object.values(env).includes('sk-secret'));
});
