// Variants of a JSON document for comparing two validators: every key deleted, every value
// replaced by values of other types and edge values, an unknown key added to every object, and
// array items removed or duplicated. Arrays are walked through their first item only.
export interface Variant {
  what: string;
  doc: unknown;
}

const REPLACEMENTS: unknown[] = [null, '', 'x', 0, -1, 1, 1.5, 600, true, [], {}, [1, 2, 3]];

type Path = (string | number)[];

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

function at(doc: unknown, path: Path): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], doc);
}

function edit(doc: unknown, path: Path, change: (parent: Record<string | number, unknown>, key: string | number) => void): unknown {
  const copy = clone(doc);
  change(at(copy, path.slice(0, -1)) as Record<string | number, unknown>, path[path.length - 1]);
  return copy;
}

function paths(value: unknown, prefix: Path, skip: (path: Path) => boolean, out: Path[]): Path[] {
  if (Array.isArray(value)) {
    if (value.length > 0) {
      out.push([...prefix, 0]);
      paths(value[0], [...prefix, 0], skip, out);
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, v] of Object.entries(value)) {
      const p = [...prefix, key];
      out.push(p);
      if (!skip(p)) paths(v, p, skip, out);
    }
  }
  return out;
}

/** The variants of `doc`; `skip` names subtrees not to descend into (left free by both validators). */
export function mutations(doc: unknown, skip: (path: Path) => boolean = () => false): Variant[] {
  const out: Variant[] = [{ what: 'unchanged', doc: clone(doc) }];
  const show = (p: Path): string => p.join('.') || '(root)';
  for (const p of [[] as Path, ...paths(doc, [], skip, [])]) {
    const value = p.length ? at(doc, p) : doc;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const copy = clone(doc);
      (p.length ? (at(copy, p) as Record<string, unknown>) : (copy as Record<string, unknown>)).zzUnknownKey = 1;
      out.push({ what: `${show(p)}: unknown key added`, doc: copy });
    }
    if (Array.isArray(value)) {
      out.push({ what: `${show(p)}: emptied`, doc: p.length ? edit(doc, p, (o, k) => (o[k] = [])) : [] });
      if (value.length > 0) {
        out.push({ what: `${show(p)}: first item removed`, doc: edit(doc, p, (o, k) => (o[k] = (o[k] as unknown[]).slice(1))) });
        out.push({ what: `${show(p)}: first item doubled`, doc: edit(doc, p, (o, k) => (o[k] = [(o[k] as unknown[])[0], ...(o[k] as unknown[])])) });
      }
    }
    if (p.length === 0) continue;
    if (typeof p[p.length - 1] === 'string') out.push({ what: `${show(p)}: deleted`, doc: edit(doc, p, (o, k) => delete o[k]) });
    for (const r of REPLACEMENTS) {
      out.push({ what: `${show(p)} = ${JSON.stringify(r)}`, doc: edit(doc, p, (o, k) => (o[k] = clone(r))) });
    }
  }
  return out;
}
