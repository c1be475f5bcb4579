// A validator for the subset of JSON Schema draft-07 that server/util/jsonShape.ts generates
// (type, const, enum, minLength, pattern, minimum, maximum, exclusiveMinimum, items (one schema or a tuple),
// minItems, maxItems, properties, required, additionalProperties as a schema, oneOf). Returns
// the paths that fail; refuses any keyword it does not know so the subset cannot grow unnoticed.
type Schema = Record<string, unknown>;

const KNOWN = new Set([
  '$schema', 'title', 'description', 'type', 'const', 'enum', 'minLength', 'pattern', 'minimum', 'maximum',
  'exclusiveMinimum', 'items', 'minItems', 'maxItems', 'properties', 'required', 'additionalProperties', 'oneOf',
]);

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function hasType(v: unknown, type: string): boolean {
  if (type === 'integer') return Number.isInteger(v);
  return typeOf(v) === type;
}

export function validate(schema: Schema, value: unknown, path = '$'): string[] {
  for (const key of Object.keys(schema)) if (!KNOWN.has(key)) throw new Error(`unsupported schema keyword ${key} at ${path}`);
  const errors: string[] = [];
  const fail = (why: string): string[] => [...errors, `${path}: ${why}`];
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!types.some((t) => hasType(value, t))) return fail(`expected ${types.join('|')}`);
  }
  if ('const' in schema && value !== schema.const) return fail(`expected ${JSON.stringify(schema.const)}`);
  if (schema.enum && !(schema.enum as unknown[]).includes(value)) return fail('not in enum');
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < (schema.minLength as number)) return fail('too short');
    if (schema.pattern !== undefined && !new RegExp(schema.pattern as string, 'u').test(value)) return fail('pattern');
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < (schema.minimum as number)) return fail('below minimum');
    if (schema.maximum !== undefined && value > (schema.maximum as number)) return fail('above maximum');
    if (schema.exclusiveMinimum !== undefined && value <= (schema.exclusiveMinimum as number)) return fail('not above exclusiveMinimum');
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < (schema.minItems as number)) return fail('too few items');
    if (schema.maxItems !== undefined && value.length > (schema.maxItems as number)) return fail('too many items');
    if (Array.isArray(schema.items)) {
      (schema.items as Schema[]).forEach((s, i) => {
        if (i < value.length) errors.push(...validate(s, value[i], `${path}[${i}]`));
      });
    } else if (schema.items) {
      value.forEach((v, i) => errors.push(...validate(schema.items as Schema, v, `${path}[${i}]`)));
    }
  }
  if (typeOf(value) === 'object') {
    const obj = value as Record<string, unknown>;
    for (const key of (schema.required as string[] | undefined) ?? []) if (!(key in obj)) errors.push(`${path}.${key}: missing`);
    const properties = (schema.properties as Record<string, Schema> | undefined) ?? {};
    for (const [key, v] of Object.entries(obj)) {
      if (key in properties) errors.push(...validate(properties[key], v, `${path}.${key}`));
      else if (typeof schema.additionalProperties === 'object') errors.push(...validate(schema.additionalProperties as Schema, v, `${path}.${key}`));
      else if (schema.additionalProperties === false) errors.push(`${path}.${key}: not allowed`);
    }
  }
  if (schema.oneOf) {
    const matching = (schema.oneOf as Schema[]).filter((s) => validate(s, value, path).length === 0).length;
    if (matching !== 1) errors.push(`${path}: matches ${matching} of oneOf`);
  }
  return errors;
}
