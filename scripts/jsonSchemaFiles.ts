// The contents of the JSON schema files in schemas/ (contributed to VS Code's JSON editor for
// dataset.json and bundle.json), generated from the shape tables the checkers are tested against.
import { DATASET_MANIFEST_SHAPE } from '../server/dataset/manifestShape';
import { BUNDLE_MANIFEST_SHAPE } from '../server/model/bundleShape';
import { schemaDocument } from '../server/util/jsonShape';

export const SCHEMAS_DIR = 'schemas';

/** What marks a dataset.json as ours: the tool that built it. */
export const DATASET_MARKER = { type: 'object', required: ['tool'], properties: { tool: { type: 'object', required: ['name'], properties: { name: { const: 'anomaly-lens' } } } } };

/** What marks a bundle.json as ours: its architecture. */
export const BUNDLE_MARKER = { type: 'object', required: ['architecture'], properties: { architecture: { const: 'alphaclip-vit' } } };

/** File name in schemas/ -> its text. */
export function jsonSchemaFiles(): Record<string, string> {
  const text = (doc: unknown): string => `${JSON.stringify(doc, null, 2)}\n`;
  return {
    'dataset.schema.json': text(schemaDocument('Anomaly Lens dataset (dataset.json)', DATASET_MANIFEST_SHAPE, DATASET_MARKER)),
    'bundle.schema.json': text(schemaDocument('Anomaly Lens model bundle (bundle.json)', BUNDLE_MANIFEST_SHAPE, BUNDLE_MARKER)),
  };
}
