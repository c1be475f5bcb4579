// @pure: JSON shapes as data, and their checks.
// A small declarative description of a JSON document's shape. The engine checks documents against
// it (shapeFailures, checkShape) and a JSON Schema (draft-07) is generated from it for editors, so
// each rule of the tables that use it (dataset/manifestShape.ts, model/bundleShape.ts) is declared
// once; a unit test feeds real and mutated documents to both and asserts they agree.

interface Common {
  description?: string;
  /**
   * What a valid value is, as error messages word it ("a relative path"). Not part of the schema.
   * A failure anywhere inside a node is reported once, at the nearest node (itself or one
   * enclosing it) that has this; a failure with none around it is reported where it occurs.
   */
  expected?: string;
}

export type Shape = Common &
  (
    | { type: 'string'; minLength?: number; enum?: readonly string[]; pattern?: string; nullable?: boolean }
    | { type: 'integer'; minimum?: number }
    | { type: 'number'; exclusiveMinimum?: number; minimum?: number; maximum?: number }
    | { type: 'boolean' }
    | { type: 'const'; value: string | number }
    | { type: 'array'; items: Shape | readonly Shape[]; minItems?: number; maxItems?: number; nullable?: boolean }
    | {
        type: 'object';
        properties: Readonly<Record<string, Shape>>;
        required: readonly string[];
        /** The shape of every value of a map-like object (keys chosen by the data). */
        values?: Shape;
      }
    | { type: 'oneOf'; options: readonly Shape[] }
    /** Documented for completion but not checked: any value is accepted. */
    | { type: 'any' }
  );

export type JsonSchema = Record<string, unknown>;

/** The JSON Schema (draft-07) of a shape. */
export function toJsonSchema(shape: Shape): JsonSchema {
  const out: JsonSchema = {};
  if (shape.description) out.description = shape.description;
  switch (shape.type) {
    case 'string':
      out.type = shape.nullable ? ['string', 'null'] : 'string';
      if (shape.minLength !== undefined) out.minLength = shape.minLength;
      if (shape.enum) out.enum = [...shape.enum];
      if (shape.pattern) out.pattern = shape.pattern;
      break;
    case 'integer':
      out.type = 'integer';
      if (shape.minimum !== undefined) out.minimum = shape.minimum;
      break;
    case 'number':
      out.type = 'number';
      if (shape.exclusiveMinimum !== undefined) out.exclusiveMinimum = shape.exclusiveMinimum;
      if (shape.minimum !== undefined) out.minimum = shape.minimum;
      if (shape.maximum !== undefined) out.maximum = shape.maximum;
      break;
    case 'boolean':
      out.type = 'boolean';
      break;
    case 'const':
      out.const = shape.value;
      break;
    case 'array':
      out.type = shape.nullable ? ['array', 'null'] : 'array';
      out.items = Array.isArray(shape.items) ? shape.items.map(toJsonSchema) : toJsonSchema(shape.items as Shape);
      if (shape.minItems !== undefined) out.minItems = shape.minItems;
      if (shape.maxItems !== undefined) out.maxItems = shape.maxItems;
      break;
    case 'object':
      out.type = 'object';
      out.properties = Object.fromEntries(Object.entries(shape.properties).map(([k, v]) => [k, toJsonSchema(v)]));
      if (shape.required.length > 0) out.required = [...shape.required];
      if (shape.values) out.additionalProperties = toJsonSchema(shape.values);
      break;
    case 'oneOf':
      out.oneOf = shape.options.map(toJsonSchema);
      break;
    case 'any':
      break;
  }
  return out;
}

/**
 * A whole schema file: the root shape with the draft-07 marker and a title.  With `appliesTo`,
 * the shape is checked only in documents that match it: files named like ours (dataset.json,
 * bundle.json) that other tools wrote are left alone.
 */
export function schemaDocument(title: string, shape: Shape, appliesTo?: JsonSchema): JsonSchema {
  const head = { $schema: 'http://json-schema.org/draft-07/schema#', title };
  if (!appliesTo) return { ...head, ...toJsonSchema(shape) };
  return { ...head, ...(shape.description ? { description: shape.description } : {}), if: appliesTo, then: toJsonSchema(shape) };
}

/** A rule of a shape; `missing` is a required property's absence (a property set to undefined counts as absent). */
export type ShapeRule = 'missing' | 'type' | 'const' | 'enum' | 'minLength' | 'pattern' | 'minimum' | 'maximum' | 'exclusiveMinimum' | 'minItems' | 'maxItems' | 'oneOf';

export type ShapePath = readonly (string | number)[];

export interface ShapeFailure {
  /** Where the failure is reported (see Shape's `expected`): keys and array indexes from the root. */
  path: ShapePath;
  /** The shape at that place and the value found there (undefined when absent). */
  shape: Shape;
  value: unknown;
  /** The rule broken, by that value or by one inside it. */
  rule: ShapeRule;
}

interface Compiled {
  shape: Shape;
  /** The first of the node's own rules the value breaks, looking at nothing inside it. */
  own(value: unknown): ShapeRule | undefined;
  /** Whether the value and everything inside it keep the rules. */
  accepts(value: unknown): boolean;
  /**
   * Visits the places inside a value that keeps the node's own rules (absent required properties
   * included, as undefined) until `visit` returns false; returns false when it did.
   */
  inside(value: unknown, visit: Visit): boolean;
}

type Visit = (key: string | number, node: Compiled, child: unknown) => boolean;

type Json = Record<string, unknown>;
type Rules = (v: unknown) => ShapeRule | undefined;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const hasOwn = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);
const nothingInside: Compiled['inside'] = () => true;
const childAccepted: Visit = (_key, node, child) => node.accepts(child);

function withMissing(rules: Rules): Rules {
  return (v) => (v === undefined ? 'missing' : rules(v));
}

/** Own rules are checked in the order written; only the first broken one is named. */
function leafRules(shape: Shape, options: readonly Compiled[]): Rules {
  switch (shape.type) {
    case 'string': {
      const { minLength = 0, nullable } = shape;
      const allowed = shape.enum ? new Set<string>(shape.enum) : undefined;
      const pattern = shape.pattern === undefined ? undefined : new RegExp(shape.pattern, 'u');
      return (v) => {
        if (v === null && nullable) return undefined;
        if (typeof v !== 'string') return 'type';
        if (v.length < minLength) return 'minLength';
        if (allowed && !allowed.has(v)) return 'enum';
        if (pattern && !pattern.test(v)) return 'pattern';
        return undefined;
      };
    }
    case 'integer': {
      const minimum = shape.minimum ?? -Infinity;
      return (v) => (!Number.isInteger(v) ? 'type' : (v as number) < minimum ? 'minimum' : undefined);
    }
    case 'number': {
      const above = shape.exclusiveMinimum ?? -Infinity;
      const minimum = shape.minimum ?? -Infinity;
      const maximum = shape.maximum ?? Infinity;
      return (v) =>
        typeof v !== 'number' || !Number.isFinite(v) ? 'type'
        : v <= above ? 'exclusiveMinimum'
        : v < minimum ? 'minimum'
        : v > maximum ? 'maximum'
        : undefined;
    }
    case 'boolean':
      return (v) => (typeof v === 'boolean' ? undefined : 'type');
    case 'const': {
      const { value } = shape;
      return (v) => (v === value ? undefined : 'const');
    }
    case 'oneOf':
      return (v) => (options.filter((o) => o.accepts(v)).length === 1 ? undefined : 'oneOf');
    default:
      return () => undefined;
  }
}

function compileObject(shape: Extract<Shape, { type: 'object' }>): Compiled {
  const required = new Set(shape.required);
  const properties = Object.entries(shape.properties).map(([key, s]) => ({ key, node: compile(s), required: required.has(key) }));
  const values = shape.values && compile(shape.values);
  const own = withMissing((v) => (isObject(v) ? undefined : 'type'));
  const inside = (v: unknown, visit: Visit): boolean => {
    const obj = v as Json;
    for (const { key, node, required } of properties) {
      const child = obj[key];
      if ((child !== undefined || required) && !visit(key, node, child)) return false;
    }
    if (values) for (const key of Object.keys(obj)) if (!hasOwn(shape.properties, key) && !visit(key, values, obj[key])) return false;
    return true;
  };
  // `inside` with childAccepted, minus the visitor's indirection: a split file's records are
  // checked once per line, a hundred thousand lines and more.
  const accepts = (v: unknown): boolean => {
    if (!isObject(v)) return false;
    if (values) return inside(v, childAccepted);
    for (let i = 0; i < properties.length; i++) {
      const { key, node, required } = properties[i];
      const child = v[key];
      if (child === undefined ? required : !node.accepts(child)) return false;
    }
    return true;
  };
  return { shape, own, accepts, inside };
}

function compileArray(shape: Extract<Shape, { type: 'array' }>): Compiled {
  const { minItems = 0, maxItems = Infinity, nullable } = shape;
  const own = withMissing((v) => {
    if (v === null && nullable) return undefined;
    if (!Array.isArray(v)) return 'type';
    return v.length < minItems ? 'minItems' : v.length > maxItems ? 'maxItems' : undefined;
  });
  const tuple = Array.isArray(shape.items) ? (shape.items as readonly Shape[]).map(compile) : undefined;
  const each = tuple ? undefined : compile(shape.items as Shape);
  const inside = (v: unknown, visit: Visit): boolean => {
    const items = v as unknown[];
    const count = tuple ? Math.min(tuple.length, items.length) : items.length;
    for (let i = 0; i < count; i++) if (!visit(i, tuple ? tuple[i] : each!, items[i])) return false;
    return true;
  };
  const accepts = (v: unknown): boolean => {
    if (own(v) !== undefined) return false;
    if (v === null) return true;
    const items = v as unknown[];
    const count = tuple ? Math.min(tuple.length, items.length) : items.length;
    for (let i = 0; i < count; i++) if (!(tuple ? tuple[i] : each!).accepts(items[i])) return false;
    return true;
  };
  return { shape, own, accepts, inside };
}

function compile(shape: Shape): Compiled {
  if (shape.type === 'object') return compileObject(shape);
  if (shape.type === 'array') return compileArray(shape);
  const rules = leafRules(shape, shape.type === 'oneOf' ? shape.options.map(compile) : []);
  return { shape, own: withMissing(rules), accepts: (v) => v !== undefined && rules(v) === undefined, inside: nothingInside };
}

interface Place {
  path: ShapePath;
  shape: Shape;
  value: unknown;
}

/**
 * Appends the failures of `value` at `path` to `out`; `owner` is the nearest enclosing node with an
 * `expected` wording. Returns true when it reported a failure at `owner` (the caller then stops
 * looking inside it).
 */
function walk(node: Compiled, value: unknown, path: ShapePath, owner: Place | undefined, out: ShapeFailure[]): boolean {
  const { shape } = node;
  const claims = shape.expected !== undefined;
  const rule = node.own(value);
  if (rule !== undefined) {
    if (claims || owner === undefined) {
      out.push({ path, shape, value, rule });
      return false;
    }
    out.push({ path: owner.path, shape: owner.shape, value: owner.value, rule });
    return true;
  }
  if (value === null) return false;
  const inner = claims ? { path, shape, value } : owner;
  const whole = node.inside(value, (key, child, childValue) => child.accepts(childValue) || !walk(child, childValue, [...path, key], inner, out));
  return !whole && !claims;
}

const compiled = new WeakMap<Shape, Compiled>();

function compiledShape(shape: Shape): Compiled {
  let c = compiled.get(shape);
  if (!c) compiled.set(shape, (c = compile(shape)));
  return c;
}

/** Where and why `value` does not have the shape, in document order; empty when it does. */
export function shapeFailures(shape: Shape, value: unknown): ShapeFailure[] {
  const root = compiledShape(shape);
  if (root.accepts(value)) return [];
  const out: ShapeFailure[] = [];
  walk(root, value, [], undefined, out);
  return out;
}

/** A shape's `expected` wording, or one made from its rules. */
export function expectedOf(shape: Shape): string {
  if (shape.expected !== undefined) return shape.expected;
  switch (shape.type) {
    case 'string':
      if (shape.enum) return `one of ${shape.enum.map((e) => JSON.stringify(e)).join(', ')}`;
      return shape.minLength ? 'a non-empty string' : 'a string';
    case 'integer':
      return shape.minimum === undefined ? 'an integer' : `an integer of at least ${shape.minimum}`;
    case 'number':
      if (shape.minimum !== undefined && shape.maximum !== undefined) return `a number from ${shape.minimum} to ${shape.maximum}`;
      if (shape.exclusiveMinimum === undefined) return 'a number';
      return shape.exclusiveMinimum === 0 ? 'a positive number' : `a number above ${shape.exclusiveMinimum}`;
    case 'boolean':
      return 'true or false';
    case 'const':
      return JSON.stringify(shape.value);
    case 'array':
      return 'a list';
    case 'object':
      return 'an object';
    case 'oneOf':
      return shape.options.map(expectedOf).join(' or ');
    case 'any':
      return 'any value';
  }
}

/** `regions[2].bbox` */
export function formatShapePath(path: ShapePath): string {
  let out = '';
  for (let i = 0; i < path.length; i++) out += typeof path[i] === 'number' ? `[${path[i]}]` : i === 0 ? path[i] : `.${path[i]}`;
  return out;
}

function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * "regions[2].bbox: expected [x, y, width, height] of non-negative integers, got [0,0,0,1]"; a
 * missing property reads "got nothing". An array item's message leaves out the value (often a
 * whole object) and the root's names no place.
 */
export function expectedMessage({ path, shape, value }: ShapeFailure): string {
  const last = path[path.length - 1];
  if (last === undefined) return `expected ${expectedOf(shape)}`;
  if (typeof last === 'number') return `${formatShapePath(path)}: expected ${expectedOf(shape)}`;
  return `${formatShapePath(path)}: expected ${expectedOf(shape)}, got ${shown(value)}`;
}

/** The messages of shapeFailures, worded by expectedMessage; empty when the value has the shape. */
export function checkShape(shape: Shape, value: unknown): string[] {
  return shapeFailures(shape, value).map(expectedMessage);
}
