// `anomaly-lens fit-detector` and `detect` through the real command line, on a small sample drawn
// by the product's own generator: the detector's folder, the detection output that build reads,
// defects found where the ground truth is, and the bad-input contract.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from 'fast-png';
import sharp from 'sharp';
import { bundleDigest } from '../../../server/detect/bundleDigest';
import type { DetectorManifest } from '../../../server/detect/detectorFormat';
import type { Detection } from '../../../server/detect/detect';
import { defaultBundlePath } from '../../../server/model/defaultBundle';
import { runCli } from '../eval/colourFixtures';

const root = mkdtempSync(join(tmpdir(), 'al-detect-'));
after(() => rmSync(root, { recursive: true, force: true }));
const sample = join(root, 'sample');
const source = join(sample, 'mvtec');
const detector = join(root, 'detector');
const out = join(root, 'detections');

function ok(args: string[]): string {
  const run = runCli(args);
  assert.equal(run.code, 0, `${args.join(' ')}\n${run.stderr}`);
  return run.stdout;
}

async function foreground(file: string): Promise<Uint8Array> {
  const { data } = await sharp(file).greyscale().raw().toBuffer({ resolveWithObject: true });
  return Uint8Array.from(data, (v) => (v > 0 ? 1 : 0));
}

const readDetections = (dir: string): Detection[] =>
  readFileSync(join(dir, 'detections.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Detection);

before(() => {
  ok(['sample', sample, '--scale', '0.5', '--size', '64', '--workers', '1', '--json']);
  ok(['fit-detector', source, '--out', detector]);
  ok(['detect', source, '--detector', detector, '--out', out, '--top', '3']);
});

describe('fit-detector', () => {
  it("writes detector.json with the bundle's digest, each object's normal images with their SHA-256, its banks as Float32 files of the recorded shape, and a calibrated threshold", () => {
    const manifest = JSON.parse(readFileSync(join(detector, 'detector.json'), 'utf8')) as DetectorManifest;
    assert.equal(manifest.format, 'anomaly-lens-detector');
    assert.equal(manifest.formatVersion, 1);
    assert.equal(manifest.bundle.digest, bundleDigest(defaultBundlePath()));
    assert.deepEqual(manifest.objects.map((o) => o.name), ['bottle_top', 'fabric', 'plate', 'tile', 'washer']);
    for (const o of manifest.objects) {
      assert.equal(o.normals.length, 6, o.name);
      assert.ok(o.normals.every((n) => n.path.startsWith(`${o.name}/train/good/`) && /^[0-9a-f]{64}$/.test(n.sha256)));
      assert.ok(o.normals.some((n) => n.use === 'calibration') && o.normals.some((n) => n.use === 'bank'));
      assert.deepEqual([o.width, o.height, o.channels], [64, 64, 3]);
      for (const bank of o.banks) {
        assert.ok(bank.rows > 0 && bank.rows < bank.patches);
        assert.equal(statSync(join(detector, bank.file)).size, bank.rows * bank.dim * 4);
      }
      assert.ok(o.threshold > 0);
      assert.ok(o.calibration.measuredFpr <= o.calibration.fpr, `${o.name}: ${o.calibration.measuredFpr}`);
    }
  });

  it('fits the same detector twice from the same images (seeded coreset)', () => {
    const again = join(root, 'detector-again');
    ok(['fit-detector', source, '--out', again]);
    for (const file of readdirSync(join(detector, 'banks'))) assert.ok(readFileSync(join(detector, 'banks', file)).equals(readFileSync(join(again, 'banks', file))), file);
  });
});

describe('detect', () => {
  it('writes an MVTec AD-layout folder: the image, the binary mask when regions are found, a 16-bit map at the image size and an overlay, and a line per image in detections.jsonl', async () => {
    const detections = readDetections(out);
    const tests = readdirSync(source).flatMap((o) => readdirSync(join(source, o, 'test')).flatMap((d) => readdirSync(join(source, o, 'test', d))));
    assert.equal(detections.length, tests.length);
    for (const d of detections) {
      assert.match(d.output.image, new RegExp(`^${d.object}/test/[a-z_]+/[^/]+\\.png$`));
      assert.ok(existsSync(join(out, d.output.image)) && existsSync(join(out, d.output.overlay)));
      assert.equal(d.anomalous, d.regions.length > 0);
      assert.equal(d.output.mask !== undefined, d.anomalous);
      if (!d.anomalous) assert.match(d.output.image, /\/test\/good\//);
      for (const r of d.regions) {
        assert.ok(r.area > 0 && r.score > d.threshold && r.descriptions.length === 3);
        assert.ok(r.descriptions[0].probability >= r.descriptions[1].probability);
      }
    }
    const withMask = detections.find((d) => d.output.mask)!;
    const map = await sharp(join(out, withMask.output.map)).metadata();
    assert.deepEqual([map.width, map.height, map.depth, map.channels], [64, 64, 'ushort', 1]);
    const mask = await sharp(join(out, withMask.output.mask!)).greyscale().raw().toBuffer();
    assert.ok(mask.every((v) => v === 0 || v === 255));
    assert.equal(mask.filter((v) => v === 255).length, withMask.regions.reduce((s, r) => s + r.area, 0));
    // The map's 16-bit values times its scale give the score.
    const decoded = decode(readFileSync(join(out, withMask.output.map)));
    assert.deepEqual([decoded.depth, decoded.channels], [16, 1]);
    const values = decoded.data as Uint16Array;
    assert.ok(Math.abs(Math.max(...values) * withMask.mapScale - withMask.score) < 1e-3 * withMask.score);
  });

  it('finds most defects where the ground truth is, and leaves most good images without regions', async () => {
    const detections = readDetections(out);
    let defective = 0;
    let found = 0;
    let good = 0;
    let goodFlagged = 0;
    for (const d of detections) {
      if (d.label === 'good') {
        good++;
        if (d.anomalous) goodFlagged++;
        continue;
      }
      defective++;
      if (!d.output.mask) continue;
      const truth = await foreground(d.image.replace(/\/test\//, '/ground_truth/').replace(/\.png$/, '_mask.png'));
      const proposed = await foreground(join(out, d.output.mask));
      if (truth.some((v, i) => v === 1 && proposed[i] === 1)) found++;
    }
    assert.ok(found >= 0.5 * defective, `${found} of ${defective} defective images have a region on their ground truth`);
    assert.ok(goodFlagged <= 0.5 * good, `${goodFlagged} of ${good} good images have regions`);
  });

  it('writes a folder that build reads', () => {
    const built = join(root, 'built');
    const stdout = ok(['build', out, '--out', built, '--workers', '1']);
    const anomalous = readDetections(out).filter((d) => d.anomalous);
    assert.match(stdout, new RegExp(`${anomalous.length} anomalous`));
    assert.match(stdout, new RegExp(`test: ${anomalous.length} images, ${anomalous.reduce((s, d) => s + d.regions.length, 0)} regions`));
  });
});

describe('bad input', () => {
  it('refuses a detector fitted for another model bundle, naming detector.json', () => {
    const other = join(root, 'other-bundle');
    cpSync(defaultBundlePath(), other, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(other, 'bundle.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(other, 'bundle.json'), JSON.stringify({ ...manifest, provenance: { note: 'another model' } }));
    const run = runCli(['detect', source, '--detector', detector, '--bundle', other, '--out', join(root, 'never')]);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, new RegExp(`${join(detector, 'detector.json')}: was fitted for another model bundle`));
    assert.ok(!existsSync(join(root, 'never')));
  });

  it('names a memory bank whose size is not the one detector.json records, and an output folder that holds other files, leaving them as they were', () => {
    const broken = join(root, 'broken-detector');
    cpSync(detector, broken, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(broken, 'detector.json'), 'utf8')) as DetectorManifest;
    const bank = join(broken, manifest.objects[0].banks[0].file);
    writeFileSync(bank, readFileSync(bank).subarray(0, 100));
    const run = runCli(['detect', source, '--detector', broken, '--out', join(root, 'never')]);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, new RegExp(`${bank}: has 100 bytes; .*detector.json says`));

    const busy = join(root, 'busy');
    mkdirSync(busy);
    writeFileSync(join(busy, 'notes.txt'), 'mine');
    const refused = runCli(['detect', source, '--detector', detector, '--out', busy]);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, new RegExp(`${busy}: is neither empty nor an earlier detection output`));
    assert.deepEqual(readdirSync(busy), ['notes.txt']);
  });

  it('fits the objects that have normal images and names the one without; an image of another size is refused by name, the others detected; a changed normal image is reported', async () => {
    const partial = join(root, 'partial');
    for (const object of ['washer', 'tile']) cpSync(join(source, object), join(partial, object), { recursive: true });
    rmSync(join(partial, 'tile', 'train'), { recursive: true });
    rmSync(join(partial, 'tile', 'test', 'good'), { recursive: true });
    const partialDetector = join(root, 'partial-detector');
    const fit = runCli(['fit-detector', partial, '--out', partialDetector]);
    assert.equal(fit.code, 1, fit.stderr);
    assert.match(fit.stderr, /object "tile" has no normal images/);
    const manifest = JSON.parse(readFileSync(join(partialDetector, 'detector.json'), 'utf8')) as DetectorManifest;
    assert.deepEqual(manifest.objects.map((o) => o.name), ['washer']);

    const images = join(root, 'images');
    mkdirSync(images);
    cpSync(join(source, 'washer', 'test', 'good', '000.png'), join(images, 'a.png'));
    await sharp(join(source, 'washer', 'test', 'good', '000.png')).resize(80, 80).toFile(join(images, 'b.png'));
    const changed = join(partial, manifest.objects[0].normals[0].path);
    writeFileSync(changed, await sharp(changed).negate().png().toBuffer());
    const folderOut = join(root, 'folder-out');
    const run = runCli(['detect', images, '--detector', partialDetector, '--out', folderOut]);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, new RegExp(`${join(images, 'b.png')}: is 80x80 with 3 channel\\(s\\), but the detector's normal images of "washer" are 64x64`));
    assert.match(run.stderr, new RegExp(`${changed}: this normal image of "washer" changed since the detector was fitted`));
    const detections = readDetections(folderOut);
    assert.deepEqual(detections.map((d) => d.image), [join(images, 'a.png')]);
    assert.ok(existsSync(join(folderOut, detections[0].output.image)));
    assert.match(detections[0].output.image, /^washer\/test\/(good|unknown)\/a\.png$/);
  });
});
