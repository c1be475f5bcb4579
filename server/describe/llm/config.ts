// Where the LLM rewriter sends its requests and with which key: options first, then the
// environment. The key is read from the environment only.
import { UserError } from '../../util/errors';
import { collectSecrets } from './secrets';

export const DEFAULT_MODEL = 'gpt-4o';
export const DEFAULT_AZURE_API_VERSION = '2024-10-21';

export const ENV = {
  apiKey: 'ANOMALY_LENS_LLM_API_KEY',
  baseURL: 'ANOMALY_LENS_LLM_BASE_URL',
  model: 'ANOMALY_LENS_LLM_MODEL',
  provider: 'ANOMALY_LENS_LLM_PROVIDER',
  openaiKey: 'OPENAI_API_KEY',
  openaiBaseURL: 'OPENAI_BASE_URL',
  azureKey: 'AZURE_OPENAI_API_KEY',
  azureEndpoint: 'AZURE_OPENAI_ENDPOINT',
  azureApiVersion: 'OPENAI_API_VERSION',
  timeout: 'ANOMALY_LENS_LLM_TIMEOUT',
  retries: 'ANOMALY_LENS_LLM_RETRIES',
  deadline: 'ANOMALY_LENS_LLM_DEADLINE',
} as const;

/** Defaults of the time limits: per request, retries after the first attempt, whole description step. */
export const LLM_DEFAULTS = {
  timeoutSeconds: 60,
  retries: 5,
  deadlineSeconds: 600,
  /** The longest wait between two attempts; a longer Retry-After is not waited for. */
  retryMaxSeconds: 30,
} as const;

export type LlmProvider = 'openai' | 'azure';

export interface LlmOptions {
  /** Model (for Azure: the deployment name); default $ANOMALY_LENS_LLM_MODEL or gpt-4o. */
  model?: string;
  /** An OpenAI-compatible endpoint, e.g. http://localhost:8000/v1; default from the environment, else OpenAI. */
  baseURL?: string;
  /** Folder of cached answers (JSON files); without one answers are kept for this process only. */
  cacheDir?: string;
  /** 'azure' speaks Azure OpenAI's deployment API; default: azure for *.azure.com endpoints. */
  provider?: LlmProvider;
  /** Azure OpenAI API version; default $OPENAI_API_VERSION or 2024-10-21. */
  apiVersion?: string;
  /** Requests in flight at once (default 4). */
  concurrency?: number;
  /** Retries of a request after 429, 5xx, a timeout or a network error (default $ANOMALY_LENS_LLM_RETRIES or 5). */
  maxRetries?: number;
  /** First retry delay; it doubles with each retry, with jitter (default 1000 ms). */
  retryBaseMs?: number;
  /**
   * Longest delay between two attempts (default 30000 ms, never more than the timeout); a
   * server asking in Retry-After for a longer wait is not retried.
   */
  retryMaxMs?: number;
  /** Time allowed for one request (default $ANOMALY_LENS_LLM_TIMEOUT seconds, or 60 s). */
  timeoutMs?: number;
  /**
   * Time allowed for all the descriptions of a run, counted from its first request (default
   * $ANOMALY_LENS_LLM_DEADLINE seconds, or 600 s); classes not described by then get the
   * built-in description with a warning.
   */
  deadlineMs?: number;
  /** Example images are scaled down to fit this many pixels per side (default 512). */
  maxImageSide?: number;
  /** An instruction to use instead of the paper's (it follows the object and class names). */
  instruction?: string;
  /** Sampling temperature; not sent unless given (some models accept only their default). */
  temperature?: number;
  /** Variables to read instead of process.env. */
  env?: Readonly<Record<string, string | undefined>>;
}

export interface LlmConfig {
  provider: LlmProvider;
  model: string;
  /** The endpoint requests go to; undefined = OpenAI's. */
  baseURL?: string;
  apiKey: string;
  apiVersion: string;
  concurrency: number;
  maxRetries: number;
  retryBaseMs: number;
  retryMaxMs: number;
  timeoutMs: number;
  deadlineMs: number;
  maxImageSide: number;
  temperature?: number;
  instruction?: string;
  cacheDir?: string;
  /** Every API key this process holds (the one in use among them): scrubbed from answers and errors. */
  secrets: string[];
}

function firstSet(...values: (string | undefined)[]): string | undefined {
  return values.map((v) => v?.trim()).find((v): v is string => v !== undefined && v !== '');
}

const AZURE_HOST = /\.(openai\.azure\.com|cognitiveservices\.azure\.com|services\.ai\.azure\.com)$/i;

function checkURL(value: string, source: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UserError(`${source} is not a URL: ${JSON.stringify(redactURL(value))}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UserError(`${source} must be an http(s) URL, got ${url.protocol}`);
  if (url.username !== '' || url.password !== '') {
    throw new UserError(
      `${source} must not hold credentials (user:password@ in ${JSON.stringify(redactURL(value))}); give the key in ${ENV.apiKey} instead`,
    );
  }
  return url;
}

/** A URL safe to record: no user name, password, query or fragment. */
export function redactURL(value: string): string {
  try {
    const url = new URL(value);
    url.username = '';
    url.password = '';
    url.search = '';
    url.hash = '';
    return url.toString().replace(/\/$/, '');
  } catch {
    return value.replace(/\/\/[^/@]*@/, '//').replace(/[?#].*$/, '');
  }
}

function positive(name: string, value: number | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < min) throw new UserError(`llm.${name} must be a number >= ${min}, got ${value}`);
  return value;
}

interface Limit {
  /** What the user sets: the flag and the variable. */
  names: string;
  option: number | undefined;
  variable: string | undefined;
  fallback: number;
  /** Scale from the user's unit (seconds) to the setting's (milliseconds). */
  scale: number;
  integer: boolean;
  min: number;
  max: number;
}

/** A time or count limit from an option (in the setting's unit) or a variable (in the user's unit). */
function limit({ names, option, variable, fallback, scale, integer, min, max }: Limit): number {
  const raw = option !== undefined ? option / scale : variable?.trim() ? Number(variable.trim()) : undefined;
  if (raw === undefined) return fallback * scale;
  const kind = integer ? 'a whole number' : 'a number';
  if (!Number.isFinite(raw) || (integer && !Number.isInteger(raw)) || raw < min || raw > max) {
    throw new UserError(`${names} must be ${kind} from ${min} to ${max}, got ${option !== undefined ? raw : JSON.stringify(variable)}`);
  }
  return raw * scale;
}

/** The LLM settings; a UserError names the variables to set when no key is found. */
export function resolveLlmConfig(options: LlmOptions = {}): LlmConfig {
  const env = options.env ?? process.env;
  const urlSetting = [
    { source: 'the LLM base URL', value: options.baseURL },
    { source: ENV.baseURL, value: env[ENV.baseURL] },
    { source: ENV.openaiBaseURL, value: env[ENV.openaiBaseURL] },
    { source: ENV.azureEndpoint, value: env[ENV.azureEndpoint] },
  ].find((s) => firstSet(s.value) !== undefined);
  const baseURL = firstSet(urlSetting?.value);
  const url = urlSetting && baseURL !== undefined ? checkURL(baseURL, urlSetting.source) : undefined;

  const providerSetting = options.provider ?? firstSet(env[ENV.provider]);
  if (providerSetting !== undefined && providerSetting !== 'openai' && providerSetting !== 'azure') {
    throw new UserError(`unknown LLM provider "${providerSetting}" (${ENV.provider} is openai or azure)`);
  }
  const provider: LlmProvider = providerSetting ?? (url && AZURE_HOST.test(url.hostname) ? 'azure' : 'openai');
  if (provider === 'azure' && baseURL === undefined) {
    throw new UserError(`Azure OpenAI needs an endpoint: set ${ENV.azureEndpoint} or ${ENV.baseURL} (or pass --llm-base-url)`);
  }

  const keyNames = provider === 'azure' ? [ENV.apiKey, ENV.azureKey] : [ENV.apiKey, ENV.openaiKey];
  const apiKey = firstSet(...keyNames.map((name) => env[name]));
  if (apiKey === undefined) {
    throw new UserError(
      `describing with an LLM needs an API key: set ${keyNames.join(' or ')} in the environment` +
        ' (for a local server without authentication any non-empty value will do)',
    );
  }

  const timeoutMs = limit({
    names: `the LLM request timeout (--llm-timeout, ${ENV.timeout}, in seconds)`,
    option: options.timeoutMs,
    variable: env[ENV.timeout],
    fallback: LLM_DEFAULTS.timeoutSeconds,
    scale: 1000,
    integer: false,
    min: 0.001,
    max: 3600,
  });
  const maxRetries = limit({
    names: `the LLM retries (--llm-retries, ${ENV.retries})`,
    option: options.maxRetries,
    variable: env[ENV.retries],
    fallback: LLM_DEFAULTS.retries,
    scale: 1,
    integer: true,
    min: 0,
    max: 20,
  });
  const deadlineMs = limit({
    names: `the LLM deadline (--llm-deadline, ${ENV.deadline}, in seconds)`,
    option: options.deadlineMs,
    variable: env[ENV.deadline],
    fallback: LLM_DEFAULTS.deadlineSeconds,
    scale: 1000,
    integer: false,
    min: 0.001,
    max: 7 * 24 * 3600,
  });

  const temperature = options.temperature;
  if (temperature !== undefined && !(Number.isFinite(temperature) && temperature >= 0 && temperature <= 2)) {
    throw new UserError(`llm.temperature must lie in [0, 2], got ${temperature}`);
  }
  return {
    provider,
    model: firstSet(options.model, env[ENV.model]) ?? DEFAULT_MODEL,
    ...(baseURL !== undefined ? { baseURL } : {}),
    apiKey,
    apiVersion: firstSet(options.apiVersion, env[ENV.azureApiVersion]) ?? DEFAULT_AZURE_API_VERSION,
    concurrency: Math.floor(positive('concurrency', options.concurrency, 4)),
    maxRetries,
    retryBaseMs: positive('retryBaseMs', options.retryBaseMs, 1000, 0),
    retryMaxMs: Math.min(positive('retryMaxMs', options.retryMaxMs, LLM_DEFAULTS.retryMaxSeconds * 1000, 0), timeoutMs),
    timeoutMs,
    deadlineMs,
    maxImageSide: Math.floor(positive('maxImageSide', options.maxImageSide, 512, 16)),
    ...(temperature !== undefined ? { temperature } : {}),
    ...(firstSet(options.instruction) !== undefined ? { instruction: firstSet(options.instruction) } : {}),
    ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}),
    secrets: collectSecrets(options.env && options.env !== process.env ? [options.env, process.env] : [process.env], [apiKey]),
  };
}
