// Curated descriptions: a JSON file that wins over the built-in table and the LLM.
//
// Either a map from "object/defect" to the description:
//
//   {
//     "cable/cut_inner_insulation": "cut inner insulation of cable",
//     "*/scratch": "scratch on the {object}",
//     "pcb4/*": "{defect} on the circuit board",
//     "$comment": "keys starting with $ are ignored"
//   }
//
// or a list: { "descriptions": [{ "object": "cable", "defect": "cut_inner_insulation", "text": "…" }] }.
//
// Names match however they are spelled (`metal_nut`, `metal-nut`, `Metal Nut`); `*` stands for
// any object or any defect. The most specific entry wins: object/defect, then */defect, then
// object/*, then */*. In the text, {object} and {defect} are replaced by the readable names.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError, errorMessage } from '../util/errors';
import { nameKey, objectKeys, readableDefect, readableObject } from './names';
import { MAX_DESCRIPTION_CHARS, fillPhrase } from './text';

export const WILDCARD = '*';

export interface OverrideEntry {
  object: string;
  defect: string;
  text: string;
}

export interface Overrides {
  /** Absolute path of the file. */
  file: string;
  entries: readonly OverrideEntry[];
  /** The curated description of a class, with placeholders filled; undefined when none applies. */
  lookup(object: string, defect: string): string | undefined;
}

function entryKey(object: string, defect: string): string {
  return `${object === WILDCARD ? WILDCARD : nameKey(object)}/${defect === WILDCARD ? WILDCARD : nameKey(defect)}`;
}

function checkText(label: string, text: unknown, issues: string[]): text is string {
  if (typeof text !== 'string' || text.trim() === '') {
    issues.push(`${label}: the description must be a non-empty string`);
    return false;
  }
  const unknown = [...text.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]).filter((n) => n !== 'object' && n !== 'defect');
  if (unknown.length > 0) issues.push(`${label}: unknown placeholder {${unknown[0]}} (use {object} or {defect})`);
  if (/[\r\n]/.test(text)) issues.push(`${label}: the description must be one line`);
  if (text.trim().length > MAX_DESCRIPTION_CHARS) issues.push(`${label}: the description is longer than ${MAX_DESCRIPTION_CHARS} characters`);
  return true;
}

function checkName(label: string, what: string, name: unknown, issues: string[]): name is string {
  if (typeof name !== 'string' || name.trim() === '') {
    issues.push(`${label}: "${what}" must be a non-empty string`);
    return false;
  }
  if (name !== WILDCARD && nameKey(name) === '') {
    issues.push(`${label}: "${what}" has no letters or digits`);
    return false;
  }
  return true;
}

function entriesOfMap(json: Record<string, unknown>, issues: string[]): OverrideEntry[] {
  const entries: OverrideEntry[] = [];
  for (const [key, text] of Object.entries(json)) {
    if (key.startsWith('$')) continue;
    const label = `"${key}"`;
    const slash = key.indexOf('/');
    if (slash <= 0 || slash === key.length - 1) {
      issues.push(`${label}: keys are "object/defect" (or "*/defect", "object/*")`);
      continue;
    }
    const object = key.slice(0, slash).trim();
    const defect = key.slice(slash + 1).trim();
    if (checkName(label, 'object', object, issues) && checkName(label, 'defect', defect, issues) && checkText(label, text, issues)) {
      entries.push({ object, defect, text: text.trim() });
    }
  }
  return entries;
}

function entriesOfList(list: unknown[], issues: string[]): OverrideEntry[] {
  const entries: OverrideEntry[] = [];
  list.forEach((item, i) => {
    const label = `descriptions[${i}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      issues.push(`${label}: expected { "object", "defect", "text" }`);
      return;
    }
    const { object, defect, text } = item as Record<string, unknown>;
    if (checkName(label, 'object', object, issues) && checkName(label, 'defect', defect, issues) && checkText(label, text, issues)) {
      entries.push({ object: object.trim(), defect: defect.trim(), text: text.trim() });
    }
  });
  return entries;
}

/** The entries of a parsed overrides file, or the list of what is wrong with it. */
export function parseOverrides(json: unknown): { entries: OverrideEntry[]; issues: string[] } {
  const issues: string[] = [];
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { entries: [], issues: ['expected a JSON object: { "object/defect": "description" } or { "descriptions": [...] }'] };
  }
  const record = json as Record<string, unknown>;
  const list = record.descriptions;
  let entries: OverrideEntry[];
  if (list !== undefined) {
    if (!Array.isArray(list)) return { entries: [], issues: ['"descriptions" must be a list of { "object", "defect", "text" }'] };
    const others = Object.keys(record).filter((k) => k !== 'descriptions' && !k.startsWith('$'));
    if (others.length > 0) issues.push(`unexpected key "${others[0]}" beside "descriptions"`);
    entries = entriesOfList(list, issues);
  } else {
    entries = entriesOfMap(record, issues);
  }
  const seen = new Map<string, OverrideEntry>();
  for (const entry of entries) {
    const key = entryKey(entry.object, entry.defect);
    const before = seen.get(key);
    if (before) issues.push(`"${before.object}/${before.defect}" and "${entry.object}/${entry.defect}" name the same class`);
    else seen.set(key, entry);
  }
  return { entries, issues };
}

/** Overrides from entries already checked; `file` is what provenance names. */
export function createOverrides(file: string, entries: readonly OverrideEntry[]): Overrides {
  const byKey = new Map(entries.map((e) => [entryKey(e.object, e.defect), e.text]));
  return {
    file,
    entries,
    lookup(object, defect) {
      const defectKey = nameKey(defect);
      const objects = objectKeys(object);
      const candidates = [
        ...objects.map((o) => `${o}/${defectKey}`),
        `${WILDCARD}/${defectKey}`,
        ...objects.map((o) => `${o}/${WILDCARD}`),
        `${WILDCARD}/${WILDCARD}`,
      ];
      for (const key of candidates) {
        const text = byKey.get(key);
        if (text !== undefined) return fillPhrase(text, { object: readableObject(object), defect: readableDefect(defect) }).replace(/\s+/g, ' ').trim();
      }
      return undefined;
    },
  };
}

/** Reads and checks an overrides file; anything wrong is a UserError naming the file. */
export function loadOverrides(file: string): Overrides {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UserError(`cannot read the overrides file: ${errorMessage(err)}`, path);
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new UserError(`the overrides file is not valid JSON: ${errorMessage(err)}`, path);
  }
  const { entries, issues } = parseOverrides(json);
  if (issues.length > 0) {
    const shown = issues.slice(0, 5).join('; ');
    const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : '';
    throw new UserError(`malformed overrides: ${shown}${more}`, path);
  }
  return createOverrides(path, entries);
}
