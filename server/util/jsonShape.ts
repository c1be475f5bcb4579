// A small declarative description of a JSON document's shape, from which a JSON Schema (draft-07)
// is generated for editors. The tables that use it (dataset/manifestShape.ts,
// model/bundleShape.ts) state the same rules the engine's checkers apply; a unit test feeds real
// and mutated documents to both and asserts they agree.

export type Shape =
  | { type: 'string'; description?: string; minLength?: number; enum?: readonly string[]; pattern?: string; nullable?: boolean }
  | { type: 'integer'; description?: string; minimum?: number }
  | { type: 'number'; description?: string; exclusiveMinimum?: number }
  | { type: 'boolean'; description?: string }
  | { type: 'const'; description?: string; value: string | number }
  | { type: 'array'; description?: string; items: Shape | readonly Shape[]; minItems?: number; maxItems?: number; nullable?: boolean }
  | {
      type: 'object';
      description?: string;
      properties: Readonly<Record<string, Shape>>;
      required: readonly string[];
      /** The shape of every value of a map-like object (keys chosen by the data). */
      values?: Shape;
    }
  | { type: 'oneOf'; description?: string; options: readonly Shape[] }
  /** Documented for completion but not checked: any value is accepted. */
  | { type: 'any'; description?: string };

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

/** A whole schema file: the root shape with the draft-07 marker and a title. */
export function schemaDocument(title: string, shape: Shape): JsonSchema {
  return { $schema: 'http://json-schema.org/draft-07/schema#', title, ...toJsonSchema(shape) };
}
