// The extension's settings (package.json "contributes.configuration", section anomalyLens),
// read into one typed object with every value checked; no `vscode` import, so the reading and
// the environment the server gets are unit-tested.
import { BUILD_DEFAULTS, SPLIT_DEFAULTS, SPLIT_MODES } from '../../server/jobs/options';
import type { SplitMode } from '../../server/masks/types';

export const SECTION = 'anomalyLens';

export type DescribeProvider = 'builtin' | 'llm';

export interface Settings {
  nodePath: string;
  /** The Python interpreter with PyTorch; empty = the Python extension's, else the server's search. */
  pythonPath: string;
  /** 'auto', 'cpu', 'cuda' or 'cuda:N'. */
  device: string;
  /** A model bundle folder; empty = the embedded default model. */
  defaultBundle: string;
  /** Answers less probable than this are shown as uncertain; null = each bundle's calibrated threshold. */
  uncertainBelow: number | null;
  regions: { mode: SplitMode; eps: number; minPts: number; minArea: number };
  describeProvider: DescribeProvider;
  llm: { model: string; baseUrl: string };
}

/** The defaults package.json declares (the engine's; a unit test checks package.json against them). */
export const DEFAULT_SETTINGS: Settings = {
  nodePath: '',
  pythonPath: '',
  device: 'auto',
  defaultBundle: '',
  uncertainBelow: null,
  regions: { ...SPLIT_DEFAULTS },
  describeProvider: BUILD_DEFAULTS.describe,
  llm: { model: '', baseUrl: '' },
};

/** Setting keys below the section, as package.json names them. */
export const SETTING_KEYS = {
  nodePath: 'nodePath',
  pythonPath: 'pythonPath',
  device: 'device',
  defaultBundle: 'defaultBundle',
  uncertainBelow: 'uncertainBelow',
  mode: 'regions.mode',
  eps: 'regions.eps',
  minPts: 'regions.minPts',
  minArea: 'regions.minArea',
  describeProvider: 'describe.provider',
  llmModel: 'llm.model',
  llmBaseUrl: 'llm.baseUrl',
} as const;

const MODES: readonly SplitMode[] = SPLIT_MODES;
export const DEVICE_PATTERN = /^(auto|cpu|cuda(:\d+)?)$/;

function str(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value.trim() : fallback;
}

function num(value: unknown, fallback: number, ok: (n: number) => boolean): number {
  return typeof value === 'number' && Number.isFinite(value) && ok(value) ? value : fallback;
}

/** The settings from a getter of `anomalyLens.<key>`; a value of the wrong kind takes its default. */
export function readSettings(get: (key: string) => unknown): Settings {
  const d = DEFAULT_SETTINGS;
  const device = str(get(SETTING_KEYS.device), d.device);
  const mode = get(SETTING_KEYS.mode);
  const provider = get(SETTING_KEYS.describeProvider);
  const uncertainBelow = get(SETTING_KEYS.uncertainBelow);
  return {
    nodePath: str(get(SETTING_KEYS.nodePath), d.nodePath),
    pythonPath: str(get(SETTING_KEYS.pythonPath), d.pythonPath),
    device: DEVICE_PATTERN.test(device) ? device : d.device,
    defaultBundle: str(get(SETTING_KEYS.defaultBundle), d.defaultBundle),
    uncertainBelow: typeof uncertainBelow === 'number' && uncertainBelow >= 0 && uncertainBelow <= 1 ? uncertainBelow : d.uncertainBelow,
    regions: {
      mode: MODES.includes(mode as SplitMode) ? (mode as SplitMode) : d.regions.mode,
      eps: num(get(SETTING_KEYS.eps), d.regions.eps, (n) => n > 0),
      minPts: num(get(SETTING_KEYS.minPts), d.regions.minPts, (n) => Number.isInteger(n) && n >= 1),
      minArea: num(get(SETTING_KEYS.minArea), d.regions.minArea, (n) => Number.isInteger(n) && n >= 0),
    },
    describeProvider: provider === 'llm' ? 'llm' : 'builtin',
    llm: { model: str(get(SETTING_KEYS.llmModel), d.llm.model), baseUrl: str(get(SETTING_KEYS.llmBaseUrl), d.llm.baseUrl) },
  };
}

/** The trainer's --device and the GPU the server's processes may see, from the device setting. */
export function deviceChoice(device: string): { device: 'auto' | 'cpu' | 'cuda'; visibleGpu?: string } {
  const m = /^cuda:(\d+)$/.exec(device);
  if (m) return { device: 'cuda', visibleGpu: m[1] };
  return { device: device === 'cpu' || device === 'cuda' ? device : 'auto' };
}

export interface ServerEnvironmentInput {
  settings: Settings;
  trusted: boolean;
  /** The interpreter chosen (setting or Python extension); undefined = none chosen. */
  python?: string;
  /** From SecretStorage. */
  apiKey?: string;
  stateDir: string;
}

/** Environment variables through which the server reads an LLM key from its parent's environment. */
const INHERITED_KEYS = ['ANOMALY_LENS_LLM_API_KEY', 'OPENAI_API_KEY', 'AZURE_OPENAI_API_KEY'];

/**
 * What the extension adds to the server's environment. Untrusted: no interpreter and no LLM key
 * (the ones inherited are blanked too), so nothing the server does can reach Python or an LLM.
 */
export function serverEnvironment(input: ServerEnvironmentInput): Record<string, string> {
  const env: Record<string, string> = { ANOMALY_LENS_STATE_DIR: input.stateDir };
  if (!input.trusted) {
    for (const key of INHERITED_KEYS) env[key] = '';
    return env;
  }
  if (input.python) env.ANOMALY_LENS_PYTHON = input.python;
  if (input.apiKey) env.ANOMALY_LENS_LLM_API_KEY = input.apiKey;
  if (input.settings.llm.baseUrl) env.ANOMALY_LENS_LLM_BASE_URL = input.settings.llm.baseUrl;
  if (input.settings.llm.model) env.ANOMALY_LENS_LLM_MODEL = input.settings.llm.model;
  const { visibleGpu } = deviceChoice(input.settings.device);
  if (visibleGpu !== undefined) env.CUDA_VISIBLE_DEVICES = visibleGpu;
  return env;
}
