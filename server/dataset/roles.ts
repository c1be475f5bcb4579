// Which splits a source feeds.  Synthetic (AnomalyDiffusion) data trains and validates,
// real anomaly datasets test (paper §3.2); a `SOURCE:role` suffix overrides that.
import { existsSync } from 'node:fs';
import { SOURCE_KINDS } from './readers/layouts';
import type { SourceKind, SourceRole, SourceSpec, Split } from './types';

export type { SourceRole, SourceSpec } from './types';

export const SOURCE_ROLES: readonly SourceRole[] = ['train+val', 'train', 'val', 'test'];
export { SOURCE_KINDS };

function isRole(token: string): token is SourceRole {
  return (SOURCE_ROLES as readonly string[]).includes(token);
}

function isKind(token: string): token is SourceKind {
  return (SOURCE_KINDS as readonly string[]).includes(token);
}

/**
 * Parses `PATH[:KIND][:ROLE]` (in any order after the path), e.g. `data/ad:train+val`,
 * `data/mvtec:test`, `data/x:generic:test`.  A path that exists as written is never split.
 */
export function parseSourceSpec(text: string, exists: (path: string) => boolean = existsSync): SourceSpec {
  const spec: SourceSpec = { root: text };
  if (exists(text)) return spec;
  let rest = text;
  for (;;) {
    const colon = rest.lastIndexOf(':');
    if (colon <= 0) break;
    const token = rest.slice(colon + 1);
    if (isRole(token) && spec.role === undefined) spec.role = token;
    else if (isKind(token) && spec.kind === undefined) spec.kind = token;
    else break;
    rest = rest.slice(0, colon);
  }
  spec.root = rest;
  return spec;
}

/** Synthetic anomalies feed train/val; every real dataset feeds test. */
export function defaultRole(kind: SourceKind): SourceRole {
  return kind === 'anomalydiffusion' ? 'train+val' : 'test';
}

export function roleSplits(role: SourceRole): Split[] {
  return role === 'train+val' ? ['train', 'val'] : [role];
}
