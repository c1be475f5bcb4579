import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Predictor } from '../../../server/model/predictor';
import { dot } from '../../../server/model/embeddings';
import { preprocessFile } from '../../../server/model/preprocess';
import { UserError } from '../../../server/util/errors';
import { writePng } from './png';
import { DESCRIPTIONS, type Expected, type Variant, makeTinyBundle, readExpected } from './tinyBundle';

const S = 8;
const D = 16;
const root = mkdtempSync(join(tmpdir(), 'al-predictor-'));
after(() => rmSync(root, { recursive: true, force: true }));

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what: string): void {
  assert.equal(actual.length, expected.length, what);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tolerance, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

const bundles = new Map<Variant, string>();
async function bundle(variant: Variant): Promise<string> {
  let dir = bundles.get(variant);
  if (!dir) {
    dir = (await makeTinyBundle(join(root, variant), variant)).dir;
    bundles.set(variant, dir);
  }
  return dir;
}

function imageInputs(expected: Expected) {
  const { batch, image, alpha } = expected.image;
  return Array.from({ length: batch }, (_, i) => ({
    image: Float32Array.from(image.slice(i * 3 * S * S, (i + 1) * 3 * S * S)),
    alpha: Float32Array.from(alpha.slice(i * S * S, (i + 1) * S * S)),
  }));
}

describe('predictor on real ONNX models', () => {
  let predictor: Predictor;
  let expected: Expected;
  before(async () => {
    const dir = await bundle('ok');
    expected = readExpected(dir);
    predictor = await Predictor.open(dir, { batchSize: 2, intraOpNumThreads: 1, executionProviders: ['cpu'] });
  });
  after(() => predictor?.close());

  it('embeds images in batches as numpy computes them, L2-normalised', async () => {
    const out = await predictor.embedImages(imageInputs(expected));
    assert.equal(out.length, expected.image.batch);
    assertClose(out.flatMap((row) => Array.from(row)), expected.image.normalised, 1e-5, 'image embedding');
    for (const row of out) assertClose([dot(row, row)], [1], 1e-5, 'norm');
  });

  it('runs the text encoder on texts it has not seen, matching numpy', async () => {
    // Cleaned to the same token ids as descriptions 0-2, but not cached under these strings.
    const texts = DESCRIPTIONS.slice(0, 3).map((t) => `  ${t.toUpperCase()} `);
    assert.deepEqual(texts.map((t) => predictor.inputIds(t)), expected.text.input_ids);
    const out = await predictor.embedTexts(texts);
    assertClose(out.flatMap((row) => Array.from(row)), expected.text.normalised, 1e-5, 'text embedding');
  });

  it('serves the bundle descriptions from text_embeddings.bin, equal to the encoder', async () => {
    const precomputed = await predictor.embedTexts(DESCRIPTIONS.slice(0, 3));
    assertClose(precomputed.flatMap((row) => Array.from(row)), expected.text.normalised, 1e-6, 'precomputed');
    const again = await predictor.embedTexts(['crack in hazelnut', 'crack in hazelnut']);
    assert.equal(again[0], again[1]);
  });

  it('ranks candidates by cosine with softmax(logitScale·cos) probabilities', async () => {
    const [region] = await predictor.embedImages(imageInputs(expected).slice(0, 1));
    const candidates = await predictor.candidates();
    const all = predictor.rank(region, candidates);
    assert.equal(all.length, DESCRIPTIONS.length);
    const cosines = candidates.embeddings.map((e) => dot(region, e));
    const exps = cosines.map((c) => Math.exp(predictor.logitScale * c));
    const total = exps.reduce((a, b) => a + b, 0);
    for (const r of all) {
      assert.equal(r.text, DESCRIPTIONS[r.index]);
      assertClose([r.cosine, r.probability], [cosines[r.index], exps[r.index] / total], 1e-9, r.text);
    }
    for (let i = 1; i < all.length; i++) assert.ok(all[i - 1].cosine >= all[i].cosine);
    assertClose([all.reduce((a, r) => a + r.probability, 0)], [1], 1e-9, 'sum');
    assert.deepEqual(predictor.rank(region, candidates, 3), all.slice(0, 3));
  });

  it('describes each designated region of an image file', async () => {
    const image = join(root, 'part.png');
    const W = 12;
    const H = 10;
    writePng(image, W, H, 'rgb', 8, Array.from({ length: W * H * 3 }, (_, i) => (i * 37) % 256));
    const maskFile = (name: string, inside: (x: number, y: number) => boolean) => {
      const file = join(root, name);
      writePng(file, W, H, 'grey', 8, Array.from({ length: W * H }, (_, p) => (inside(p % W, Math.floor(p / W)) ? 255 : 0)));
      return file;
    };
    const left = maskFile('left.png', (x) => x < 5);
    const right = maskFile('right.png', (x) => x >= 8);
    const both = maskFile('both.png', (x) => x < 5 || x >= 8);
    const config = predictor.bundle.preprocess;

    const out = await predictor.describeRegions(image, [left, right, [left, right]], DESCRIPTIONS.slice(0, 6), 4);
    assert.equal(out.length, 3);
    const direct = await predictor.embedImages(await Promise.all([[left], [right], [both]].map(async (m) => preprocessFile(image, m, config))));
    out.forEach((region, i) => {
      assertClose(region.embedding, direct[i], 1e-6, `region ${i}`);
      assert.equal(region.ranking.length, 4);
      assert.ok(region.ranking.every((r) => r.index < 6));
      assert.equal(region.wholeImage, false);
    });
    assert.ok(dot(out[0].embedding, out[1].embedding) < 0.9999, 'the alpha input changes the embedding');

    const [whole] = await predictor.describeRegions(image, []);
    assert.equal(whole.wholeImage, true);
    assertClose(whole.embedding, (await predictor.embedImages([await preprocessFile(image, [], config)]))[0], 1e-6, 'whole');
  });
});

describe('bundles whose ONNX metadata leaves shapes open', () => {
  it('checks them with a dry run and computes the same numbers', async () => {
    const dir = await bundle('symbolic');
    const predictor = await Predictor.open(dir);
    try {
      const expected = readExpected(dir);
      const out = await predictor.embedImages(imageInputs(expected));
      assertClose(out.flatMap((row) => Array.from(row)), expected.image.normalised, 1e-5, 'symbolic');
    } finally {
      await predictor.close();
    }
  });
});

describe('bad bundles', () => {
  async function broken(edit: (dir: string) => void, variant: Variant = 'ok'): Promise<string> {
    const dir = mkdtempSync(join(root, 'broken-'));
    cpSync(await bundle(variant), dir, { recursive: true });
    edit(dir);
    return dir;
  }

  function editManifest(dir: string, change: (json: Record<string, unknown>) => void): void {
    const file = join(dir, 'bundle.json');
    const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    change(json);
    writeFileSync(file, JSON.stringify(json));
  }

  async function rejects(dir: string, file: string, pattern: RegExp): Promise<void> {
    await assert.rejects(Predictor.open(dir), (err: unknown) => {
      assert.ok(err instanceof UserError, `UserError, got ${String(err)}`);
      assert.ok(err.message.includes(file), `names ${file}: ${err.message}`);
      assert.match(err.message, pattern);
      return true;
    });
  }

  it('refuses a folder without bundle.json', async () => {
    const dir = mkdtempSync(join(root, 'empty-'));
    await rejects(dir, join(dir, 'bundle.json'), /not found/);
  });

  it('refuses malformed JSON', async () => {
    const dir = await broken((d) => writeFileSync(join(d, 'bundle.json'), '{"formatVersion": 1,'));
    await rejects(dir, join(dir, 'bundle.json'), /not valid JSON/);
  });

  it('refuses another format version and missing or wrong keys', async () => {
    let dir = await broken((d) => editManifest(d, (j) => (j.formatVersion = 2)));
    await rejects(dir, join(dir, 'bundle.json'), /formatVersion 2 is not supported/);
    dir = await broken((d) => editManifest(d, (j) => delete j.embedDim));
    await rejects(dir, join(dir, 'bundle.json'), /"embedDim" is missing/);
    dir = await broken((d) => editManifest(d, (j) => ((j.preprocess as Record<string, unknown>).std = [1, 0, 1])));
    await rejects(dir, join(dir, 'bundle.json'), /"preprocess.std" must be three positive numbers/);
  });

  it('refuses a missing ONNX file and paths outside the bundle', async () => {
    let dir = await broken((d) => rmSync(join(d, 'image_encoder.onnx')));
    await rejects(dir, join(dir, 'image_encoder.onnx'), /not found/);
    dir = await broken((d) => editManifest(d, (j) => ((j.files as Record<string, unknown>).textEncoder = '../ok/text_encoder.onnx')));
    await rejects(dir, join(dir, 'bundle.json'), /outside the bundle folder/);
  });

  it('refuses a file that is not an ONNX model', async () => {
    const dir = await broken((d) => writeFileSync(join(d, 'text_encoder.onnx'), 'not a model'));
    await rejects(dir, join(dir, 'text_encoder.onnx'), /not a model onnxruntime can load/);
  });

  it('refuses encoders whose shapes or inputs differ from bundle.json', async () => {
    let dir = await broken(() => {}, 'wrong-image-size');
    await rejects(dir, join(dir, 'image_encoder.onnx'), /input "image" has shape \[N,3,16,16\]; expected \[N,3,8,8\]/);
    dir = await broken(() => {}, 'wrong-embed-dim');
    await rejects(dir, join(dir, 'image_encoder.onnx'), /output "embedding" has shape \[N,17\]; expected \[N,16\]/);
    dir = await broken(() => {}, 'wrong-input-name');
    await rejects(dir, join(dir, 'image_encoder.onnx'), /has inputs pixels, alpha; expected image, alpha/);
    dir = await broken((d) => editManifest(d, (j) => (j.imageSize = 6)), 'symbolic');
    await rejects(dir, join(dir, 'image_encoder.onnx'), /does not take image \[N,3,6,6\]/);
  });

  it('refuses text embeddings of the wrong size or not normalised', async () => {
    let dir = await broken((d) => truncateSync(join(d, 'text_embeddings.bin'), 100));
    await rejects(dir, join(dir, 'text_embeddings.bin'), new RegExp(`has 100 bytes; ${DESCRIPTIONS.length} descriptions x ${D} dimensions x 4 bytes = ${DESCRIPTIONS.length * D * 4}`));
    dir = await broken((d) => writeFileSync(join(d, 'text_embeddings.bin'), Buffer.alloc(DESCRIPTIONS.length * D * 4)));
    await rejects(dir, join(dir, 'text_embeddings.bin'), /row 0 has norm 0/);
  });

  it('refuses a tokenizer that does not match vocabSize', async () => {
    const dir = await broken((d) =>
      editManifest(d, (j) => {
        const t = j.tokenizer as Record<string, number>;
        t.vocabSize += 5;
        t.startId += 5;
        t.endId += 5;
      }),
    );
    await rejects(dir, join(dir, 'tokenizer', 'merges.txt.gz'), /holds 60 merges, a vocabulary of 574; .* says tokenizer.vocabSize 579/);
  });
});
