// The secrets this process holds (API keys), and their removal from any text that came back
// from an LLM endpoint before it is stored or printed: an endpoint may echo the request,
// Authorization header included.

/** Variables that may hold an API key, whichever one the LLM settings use. */
export const KEY_VARIABLES = ['ANOMALY_LENS_LLM_API_KEY', 'OPENAI_API_KEY', 'AZURE_OPENAI_API_KEY'] as const;

/**
 * Values shorter than this are placeholders, not secrets ("x", "none", "EMPTY" for a local
 * server without authentication): scrubbing them would mangle ordinary words.
 */
export const MIN_SECRET_LENGTH = 8;

export const REDACTED = '[redacted]';

/** The secrets in the key variables of each environment, plus any given otherwise; longest first. */
export function collectSecrets(environments: readonly Readonly<Record<string, string | undefined>>[], extra: readonly (string | undefined)[] = []): string[] {
  const values = [...environments.flatMap((env) => KEY_VARIABLES.map((name) => env[name])), ...extra];
  const secrets = new Set<string>();
  for (const value of values) {
    const trimmed = value?.trim();
    if (trimmed !== undefined && trimmed.length >= MIN_SECRET_LENGTH) secrets.add(trimmed);
  }
  return [...secrets].sort((a, b) => b.length - a.length);
}

// A credential in an echoed header, whatever its value: "Bearer <token>", "api-key: <token>".
// A token is at least 8 characters with a digit, "-" or "_" in it, so that the English word
// "bearer" before an ordinary word is left alone.
const TOKEN = String.raw`(?=[A-Za-z0-9._~+/=-]*[0-9_-])[A-Za-z0-9._~+/=-]{8,}`;
const BEARER = new RegExp(String.raw`\b(bearer)(\s+|%20|\+)${TOKEN}`, 'gi');
const KEY_HEADER = new RegExp(String.raw`\b((?:x-)?api-key)(["']?\s*[:=]\s*["']?)${TOKEN}`, 'gi');

/** `text` with every secret, and every credential token whatever its value, replaced by [redacted]. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= MIN_SECRET_LENGTH) out = out.split(secret).join(REDACTED);
    // The key as it appears inside a JSON or URL-encoded echo.
    const encoded = [JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)].filter((e) => e !== secret);
    for (const form of encoded) out = out.split(form).join(REDACTED);
  }
  out = out.replace(BEARER, (_, scheme: string, space: string) => `${scheme}${space}${REDACTED}`);
  out = out.replace(KEY_HEADER, (_, name: string, separator: string) => `${name}${separator}${REDACTED}`);
  return out;
}

/** Whether `text` holds a secret or a credential token (the test of what may be stored). */
export function holdsSecret(text: string, secrets: readonly string[]): boolean {
  return scrubSecrets(text, secrets) !== text;
}
