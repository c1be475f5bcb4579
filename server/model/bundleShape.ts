// The shape of bundle.json (docs/model-bundle.md) as data: validateManifest (bundle.ts) checks
// manifests against it, schemas/bundle.schema.json is generated from it (scripts/json-schemas.ts),
// and a unit test checks that both accept the same documents. Rules between fields (tokenizer ids
// against vocabSize, equal context lengths, digests and embeddings given together) are code in
// validateManifest.
import type { Shape } from '../util/jsonShape';

export const BUNDLE_FORMAT_VERSION = 1;

const int = (minimum: number, description: string): Shape => ({ type: 'integer', minimum, description });
const positive = (description: string): Shape => ({ type: 'number', exclusiveMinimum: 0, description });
const path = (description: string): Shape => ({ type: 'string', minLength: 1, description });
const triple = (items: Shape, expected: string, description: string): Shape => ({ type: 'array', items, minItems: 3, maxItems: 3, expected, description });
const sha256 = (description: string): Shape => ({ type: 'string', minLength: 1, pattern: '^[0-9a-f]{64}$', expected: 'a sha256 in hex', description });

export const BUNDLE_MANIFEST_SHAPE: Shape = {
  type: 'object',
  description: 'An Anomaly Lens model bundle (bundle.json, next to the ONNX encoders).',
  properties: {
    formatVersion: { type: 'const', value: BUNDLE_FORMAT_VERSION, description: 'Version of the bundle format.' },
    architecture: { type: 'string', enum: ['alphaclip-vit'], minLength: 1, description: 'The model architecture.' },
    size: path('Model size name (tiny, small, …).'),
    imageSize: int(1, 'Side of the square image the image encoder takes, in pixels.'),
    patchSize: int(1, 'Side of one ViT patch, in pixels.'),
    embedDim: int(1, 'Length of the image and text embeddings.'),
    contextLength: int(2, 'Tokens per text; equals tokenizer.contextLength.'),
    logitScale: positive('Factor applied to cosine similarities before the softmax.'),
    preprocess: {
      type: 'object',
      description: 'How an image and its mask become the encoder input.',
      properties: {
        resize: { type: 'string', enum: ['center-square-area'], minLength: 1, description: 'Resize rule.' },
        mean: triple({ type: 'number' }, 'three numbers', 'Per-channel (RGB) mean subtracted after scaling to [0, 1].'),
        std: triple({ type: 'number', exclusiveMinimum: 0 }, 'three positive numbers', 'Per-channel (RGB) standard deviation divided by.'),
        alphaMean: { type: 'number', description: 'Mean subtracted from the mask (alpha) channel.' },
        alphaStd: positive('Standard deviation the mask (alpha) channel is divided by.'),
      },
      required: ['resize', 'mean', 'std', 'alphaMean', 'alphaStd'],
    },
    tokenizer: {
      type: 'object',
      description: 'The CLIP byte-pair tokenizer of the text encoder.',
      properties: {
        kind: { type: 'string', enum: ['clip-bpe'], minLength: 1, description: 'Tokenizer kind.' },
        merges: path('The BPE merges file (gzip), relative to the bundle folder.'),
        vocabSize: int(514, 'Vocabulary size; the start and end tokens are its last two ids.'),
        startId: int(0, 'Start-of-text token id: vocabSize - 2.'),
        endId: int(0, 'End-of-text token id: vocabSize - 1.'),
        contextLength: int(2, 'Tokens per text; equals contextLength.'),
      },
      required: ['kind', 'merges', 'vocabSize', 'startId', 'endId', 'contextLength'],
    },
    files: {
      type: 'object',
      description: 'The files of the bundle, relative to its folder.',
      properties: {
        imageEncoder: path('The image encoder (ONNX).'),
        textEncoder: path('The text encoder (ONNX).'),
        textEmbeddings: { type: 'string', minLength: 1, nullable: true, description: 'Embeddings of the descriptions, precomputed (float32, one row each).' },
      },
      required: ['imageEncoder', 'textEncoder'],
    },
    descriptions: { type: 'array', nullable: true, items: { type: 'string' }, expected: 'a list of strings', description: 'The descriptions the bundle chooses among, in the order of textEmbeddings; none when absent or null.' },
    digests: {
      type: 'object',
      description: 'sha256 of the descriptions and of the text embeddings file at export; a changed list or file no longer matches.',
      properties: {
        descriptions: sha256('sha256 (hex) of the descriptions as compact JSON.'),
        textEmbeddings: sha256('sha256 (hex) of the text embeddings file.'),
      },
      required: ['descriptions', 'textEmbeddings'],
    },
    alpha: { type: 'boolean', description: 'Whether the image encoder takes the region mask as an alpha channel.' },
    calibration: {
      type: 'object',
      description: 'Temperature scaling of the answers\' probabilities, fitted on held-out regions, and the confidence below which an answer is shown as uncertain.',
      properties: {
        method: { type: 'string', enum: ['temperature-scaling'], minLength: 1, description: 'How the probabilities are calibrated.' },
        temperature: positive('The logits (logitScale x cosine) are divided by it before the softmax.'),
        uncertainBelow: { type: 'number', minimum: 0, maximum: 1, description: 'Answers whose calibrated probability is below this (0 to 1) are shown as uncertain.' },
        fittedOn: { type: 'object', properties: {}, required: [], description: 'The held-out regions the temperature and threshold were fitted on (dataset, split, regions, target accuracy).' },
      },
      required: ['method', 'temperature'],
    },
    provenance: { type: 'object', properties: {}, required: [], description: 'How the bundle was made (training run, dataset, metrics).' },
  },
  required: ['formatVersion', 'architecture', 'size', 'imageSize', 'patchSize', 'embedDim', 'contextLength', 'logitScale', 'preprocess', 'tokenizer', 'files', 'alpha'],
};
