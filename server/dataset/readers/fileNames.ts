// File names as the file system stores them (bytes): names that are not valid UTF-8 cannot be
// written into a manifest, and reading them as strings would name a file that does not exist.

const strict = new TextDecoder('utf-8', { fatal: true });

/** The name as text, or undefined when its bytes are not valid UTF-8. */
export function decodeFileName(bytes: Uint8Array): string | undefined {
  try {
    return strict.decode(bytes);
  } catch {
    return undefined;
  }
}

/** Length of the UTF-8 sequence a lead byte starts (1 for bytes that cannot start one). */
function sequenceLength(lead: number): number {
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  if (lead >= 0xe0) return lead <= 0xef ? 3 : 1;
  if (lead >= 0xc2) return 2;
  return 1;
}

/** The name with every byte that is not part of a valid UTF-8 sequence written as `\xNN`. */
export function escapeFileName(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const n = sequenceLength(bytes[i]);
    const text = i + n <= bytes.length ? decodeFileName(bytes.subarray(i, i + n)) : undefined;
    if (text !== undefined && (n > 1 || bytes[i] < 0x80)) {
      out += text === '\\' ? '\\\\' : text;
      i += n;
    } else {
      out += `\\x${bytes[i].toString(16).toUpperCase().padStart(2, '0')}`;
      i += 1;
    }
  }
  return out;
}
