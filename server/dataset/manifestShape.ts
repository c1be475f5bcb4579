// @pure: dataset.json's and a split record's shapes as data.
// The shapes of dataset.json and of one split record (docs/dataset.md) as data: checkManifest and
// checkImageRecord (schema.ts) check documents against them, the JSON schemas in schemas/ are
// generated from them (scripts/json-schemas.ts), and a unit test checks that both accept the same
// documents. `expected` is the wording of the checkers' messages and says where they are reported.
import { SPLIT_MODES } from '../masks/splitDefaults';
import type { Shape } from '../util/jsonShape';
import { DESCRIBE_MODES } from './buildDefaults';
import { DATASET_FORMAT_VERSION } from './formatVersion';

const count = (description: string, expected?: string): Shape => ({ type: 'integer', minimum: 0, description, expected });
const text = (description: string, expected?: string): Shape => ({ type: 'string', minLength: 1, description, expected });
const name = (description: string): Shape => text(description, 'a non-empty string');
const positive = (description: string): Shape => ({ type: 'integer', minimum: 1, description, expected: 'a positive integer' });
const relativePath = (description: string): Shape => text(description, 'a relative path');
const anyString = (description: string): Shape => ({ type: 'string', description });
const finite = (description: string): Shape => ({ type: 'number', description });

const splitCounts: Shape = {
  type: 'object',
  description: 'Images and regions in this split.',
  properties: { images: count('Image records in the split file.'), regions: count('Regions over all its records.') },
  required: ['images', 'regions'],
};

const provenance: Shape = {
  type: 'oneOf',
  description: 'Where the description text came from.',
  options: [
    { type: 'object', properties: { kind: { type: 'const', value: 'builtin', description: 'Written by the built-in template.' } }, required: ['kind'] },
    {
      type: 'object',
      properties: {
        kind: { type: 'const', value: 'llm', description: 'Written by a language model.' },
        model: text('The model that wrote it.'),
        promptHash: anyString('sha256 of the prompt, so a changed prompt is noticed.'),
        baseURL: { type: 'any', description: 'The endpoint the model was asked through.' },
      },
      required: ['kind', 'model', 'promptHash'],
    },
    {
      type: 'object',
      properties: {
        kind: { type: 'const', value: 'curated', description: 'Taken from a curated descriptions file.' },
        file: anyString('The curated file.'),
      },
      required: ['kind', 'file'],
    },
  ],
};

export const DATASET_MANIFEST_SHAPE: Shape = {
  type: 'object',
  description: 'An Anomaly Lens region-level dataset (dataset.json, next to train.jsonl, val.jsonl and test.jsonl).',
  expected: 'a JSON object',
  properties: {
    formatVersion: { type: 'const', value: DATASET_FORMAT_VERSION, description: 'Version of the dataset format.', expected: String(DATASET_FORMAT_VERSION) },
    createdAt: { ...anyString('When the dataset was built (ISO 8601).'), expected: 'a date string' },
    tool: {
      type: 'object',
      description: 'The tool that built it.',
      expected: '{ name: "anomaly-lens", version }',
      properties: { name: { type: 'const', value: 'anomaly-lens' }, version: anyString('Its version.') },
      required: ['name', 'version'],
    },
    sources: {
      type: 'array',
      description: 'The source datasets and the splits each fed.',
      expected: 'a list of { kind, root, splits }',
      items: {
        type: 'object',
        properties: {
          kind: anyString('Layout of the source: mvtec, visa, anomalydiffusion, coco, labelme or generic.'),
          root: anyString('The source folder.'),
          splits: { type: 'array', items: { type: 'any' }, description: 'The splits (train, val, test) this source fed.' },
        },
        required: ['kind', 'root', 'splits'],
      },
    },
    parameters: {
      type: 'object',
      description: 'The build options.',
      expected: '{ mode, eps, minPts, minArea, threshold, splitSeed, valRatio, describe }',
      properties: {
        mode: { type: 'string', enum: SPLIT_MODES, description: 'How masks were split into regions.' },
        eps: finite('DBSCAN neighbourhood radius in pixels.'),
        minPts: finite('DBSCAN core-point threshold.'),
        minArea: finite('Regions smaller than this many pixels were dropped.'),
        threshold: finite('Mask pixels above this value are foreground.'),
        jpegThreshold: { type: 'any', description: 'Threshold applied to JPEG masks.' },
        splitSeed: finite('Seed of the train/val split.'),
        valRatio: finite('Share of train+val images that went to val.'),
        describe: { type: 'string', enum: DESCRIBE_MODES, description: 'How region descriptions were written.' },
      },
      required: ['mode', 'eps', 'minPts', 'minArea', 'threshold', 'splitSeed', 'valRatio', 'describe'],
    },
    objects: { type: 'array', items: anyString('An object name.'), description: 'Object names over all splits.', expected: 'a list of object names' },
    defects: {
      type: 'array',
      description: 'The (object, defect) pairs over all splits.',
      expected: 'a list of { object, defect }',
      items: { type: 'object', properties: { object: anyString('Object name.'), defect: anyString('Defect name.') }, required: ['object', 'defect'] },
    },
    descriptions: {
      type: 'array',
      description: 'The description of each (object, defect); records name these texts.',
      expected: 'a list of descriptions',
      items: {
        type: 'object',
        expected: '{ object, defect, text, provenance: builtin | llm | curated }',
        properties: {
          object: anyString('Object name.'),
          defect: anyString('Defect name.'),
          text: text('The description text.'),
          provenance,
        },
        required: ['object', 'defect', 'text', 'provenance'],
      },
    },
    counts: {
      type: 'object',
      description: 'Images and regions per split.',
      expected: '{ train, val, test } each { images, regions }',
      properties: { train: splitCounts, val: splitCounts, test: splitCounts },
      required: ['train', 'val', 'test'],
    },
    goodImages: {
      type: 'object',
      description: 'Normal (defect-free) images per object found in the sources; they get no records.',
      expected: 'object -> count',
      properties: {},
      required: [],
      values: count('Normal images of this object.'),
    },
  },
  required: ['formatVersion', 'createdAt', 'tool', 'sources', 'parameters', 'objects', 'defects', 'descriptions', 'counts'],
};

const bboxPart = (description: string, minimum: number): Shape => ({ type: 'integer', minimum, description });

export const REGION_RECORD_SHAPE: Shape = {
  type: 'object',
  description: 'One connected defect region of the image.',
  expected: 'a region object',
  properties: {
    mask: relativePath('Region mask PNG, relative to the dataset root.'),
    bbox: {
      type: 'array',
      description: '[x, y, width, height] of the region in pixels.',
      expected: '[x, y, width, height] of non-negative integers',
      items: [bboxPart('x', 0), bboxPart('y', 0), bboxPart('width', 1), bboxPart('height', 1)],
      minItems: 4,
      maxItems: 4,
    },
    area: positive('Pixels in the region.'),
    defect: name('Defect name.'),
    description: name('The description of the region (an entry of dataset.json).'),
    classId: count('The source dataset\'s class id of the region, when it has one.', 'a non-negative integer'),
  },
  required: ['mask', 'bbox', 'area', 'defect', 'description'],
};

export const IMAGE_RECORD_SHAPE: Shape = {
  type: 'object',
  description: 'One line of a split file (train.jsonl, val.jsonl, test.jsonl): an image and its regions.',
  expected: 'a JSON object (one image record)',
  properties: {
    image: relativePath('Image path relative to the dataset root.'),
    object: name('Object name.'),
    defect: name('Defect name.'),
    width: positive('Image width in pixels.'),
    height: positive('Image height in pixels.'),
    regions: { type: 'array', items: REGION_RECORD_SHAPE, description: 'The defect regions of the image.', expected: 'an array of regions' },
  },
  required: ['image', 'object', 'defect', 'width', 'height', 'regions'],
};
