// The mask document's edit model: every edit is built against the current state, applying and
// reverting it are exact inverses (undo/redo per stroke), merge and split follow the engine's
// region splitting, and the edit log survives a JSON round trip (hot-exit backups).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MaskModel } from '../../../server/editor/maskDocument/maskModel';
import { decodeEdit, encodeEdit } from '../../../server/editor/maskDocument/editCodec';
import { classIdMask, modelFromRegionMasks, modelFromSourceMask, recordRegions, regionMask } from '../../../server/editor/maskDocument/regionMasks';
import type { MaskEdit } from '../../../server/editor/maskDocument/types';
import { splitMask } from '../../../server/masks/split';

const W = 24;
const H = 16;

function disc(cx: number, cy: number, r: number): number[] {
  const out: number[] = [];
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) out.push(y * W + x);
  return out;
}

function snapshot(m: MaskModel): string {
  return JSON.stringify({ labels: Array.from(m.labels), regions: m.regions() });
}

const meta = (defect: string) => ({ defect, description: `${defect} on plate` });

describe('mask model edits', () => {
  it('applies and reverts every kind of edit exactly, in any undo/redo order', () => {
    const m = new MaskModel(W, H);
    const states = [snapshot(m)];
    const log: MaskEdit[] = [];
    const run = (edit: MaskEdit | undefined) => {
      assert.ok(edit, 'the edit changes something');
      m.apply(edit);
      log.push(edit);
      states.push(snapshot(m));
    };
    run(m.create(meta('scratch')));
    run(m.paint(1, disc(5, 5, 3)));
    run(m.create(meta('dent')));
    run(m.paint(2, disc(17, 9, 3), 'polygon'));
    run(m.paint(2, disc(8, 5, 2)));
    run(m.erase(disc(17, 9, 1)));
    run(m.describe(1, { description: 'long scratch on plate' }));
    run(m.merge([1, 2]));
    run(m.split(1, { eps: 1.5, minPts: 1 }));
    run(m.delete(2));
    assert.deepEqual(m.regions().map((r) => r.id), [1]);

    for (let k = log.length - 1; k >= 0; k--) {
      m.revert(log[k]);
      assert.equal(snapshot(m), states[k], `undo of ${log[k].label}`);
    }
    for (let k = 0; k < log.length; k++) {
      m.apply(log[k]);
      assert.equal(snapshot(m), states[k + 1], `redo of ${log[k].label}`);
    }
  });

  it('a stroke moves pixels from another region; a stroke that changes nothing is no edit', () => {
    const m = new MaskModel(W, H);
    m.apply(m.create(meta('a')));
    m.apply(m.create(meta('b')));
    m.apply(m.paint(1, disc(6, 6, 3)) as MaskEdit);
    const over = m.paint(2, disc(8, 6, 3)) as MaskEdit;
    assert.ok(over.pixels && Array.from(over.pixels.before).some((v) => v === 1), 'takes pixels of region 1');
    m.apply(over);
    assert.equal(m.paint(2, disc(8, 6, 3)), undefined);
    assert.equal(m.erase(disc(20, 2, 1)), undefined, 'erasing background');
    const areas = m.facts();
    assert.equal(areas[0].area + areas[1].area, new Set([...disc(6, 6, 3), ...disc(8, 6, 3)]).size);
  });

  it('a region drawn with nothing selected is one edit: undoing it removes the region, not only its pixels', () => {
    const m = new MaskModel(W, H);
    m.apply(m.create(meta('scratch')));
    m.apply(m.paint(1, disc(5, 5, 3)) as MaskEdit);
    const before = snapshot(m);
    const drawn = m.draw(meta('dent'), disc(8, 5, 3), 'paint');
    assert.ok(drawn);
    assert.equal(drawn.kind, 'create');
    m.apply(drawn);
    assert.deepEqual(m.regions().map((r) => [r.id, r.defect]), [[1, 'scratch'], [2, 'dent']]);
    assert.ok(m.pixelsOf(2).length > 0, 'the new region has its pixels at once');
    assert.ok(m.pixelsOf(1).length < disc(5, 5, 3).length, 'pixels of the other region move to it');
    const after = snapshot(m);

    m.revert(drawn);
    assert.equal(snapshot(m), before, 'one undo: no region 2, no pixel of it, region 1 whole again');
    assert.ok(!m.facts().some((f) => f.area === 0), 'no empty region is left');
    m.apply(drawn);
    assert.equal(snapshot(m), after, 'redo brings region and pixels back together');

    const restored = decodeEdit(JSON.parse(JSON.stringify(encodeEdit(drawn))), W * H);
    m.revert(restored);
    assert.equal(snapshot(m), before, 'the edit survives the webview and backup encoding');
    assert.equal(m.draw(meta('dent'), []), undefined, 'no pixel, no region');
  });

  it('split follows the engine\'s DBSCAN: two discs become two regions with the same description; a larger eps keeps one', () => {
    const m = new MaskModel(W, H);
    m.apply(m.create(meta('crack')));
    m.apply(m.paint(1, [...disc(5, 8, 3), ...disc(16, 8, 3)]) as MaskEdit);
    assert.equal(m.split(1, { eps: 20, minPts: 1 }), undefined, 'eps 20 joins the discs');
    const edit = m.split(1, { eps: 1.5, minPts: 1 }) as MaskEdit;
    m.apply(edit);
    assert.deepEqual(m.regions(), [{ id: 1, ...meta('crack') }, { id: 2, ...meta('crack') }]);
    const engine = splitMask({ width: W, height: H, values: Uint16Array.from(m.labels, (v) => (v ? 1 : 0)) }, { eps: 1.5, minPts: 1 });
    assert.deepEqual(m.facts().map((f) => [f.area, f.bbox]), engine.regions.map((r) => [r.area, r.bbox]));
  });

  it('facts count every pixel of every region, id 0x8000 and a view off eight bytes included', () => {
    const labels = new Uint16Array(1 + W * H).subarray(1);
    labels[3] = 0x8000; // alone among zeros, four labels read as -0 together
    labels[W + 5] = 2;
    labels[W + 6] = 2;
    labels[W * H - 1] = 0x8000;
    for (const ids of [labels, Uint16Array.from(labels)]) {
      const m = new MaskModel(W, H, ids, [{ id: 2, ...meta('dent') }, { id: 0x8000, ...meta('crack') }]);
      assert.deepEqual(m.facts(), [
        { id: 2, area: 2, bbox: [5, 1, 2, 1] },
        { id: 0x8000, area: 2, bbox: [3, 0, W - 3, H] },
      ]);
    }
  });

  it('the edit log survives JSON (hot-exit backup) and a malformed edit is refused', () => {
    const m = new MaskModel(W, H);
    const edits = [m.create(meta('x'))];
    m.apply(edits[0]);
    edits.push(m.paint(1, disc(12, 8, 4)) as MaskEdit);
    const text = JSON.stringify(edits.map(encodeEdit));
    const restored = new MaskModel(W, H);
    for (const e of JSON.parse(text)) restored.apply(decodeEdit(e, W * H));
    m.apply(edits[1]);
    assert.equal(snapshot(restored), snapshot(m));
    const bad = { ...encodeEdit(edits[1]), pixels: { ...encodeEdit(edits[1]).pixels!, before: '' } };
    assert.throws(() => decodeEdit(bad, W * H), /differ in length/);
    assert.throws(() => decodeEdit(encodeEdit(edits[1]), 10), /names pixel/);
  });
});

describe('mask files and records', () => {
  it('a class-id source mask splits per class; saving gives back the class ids and the regions of the record', () => {
    const values = new Uint16Array(W * H);
    for (const i of disc(5, 8, 3)) values[i] = 254;
    for (const i of disc(16, 8, 3)) values[i] = 253;
    for (const i of disc(16, 2, 1)) values[i] = 253;
    const m = modelFromSourceMask(W, H, values, { eps: 1.5, minPts: 1, classNames: { 253: 'cut', 254: 'crack' }, defect: 'combined', describe: (d) => `${d} of tire` });
    assert.deepEqual(m.regions().map((r) => [r.defect, r.classId, r.description]).sort(), [['crack', 254, 'crack of tire'], ['cut', 253, 'cut of tire'], ['cut', 253, 'cut of tire']]);
    assert.deepEqual(Array.from(classIdMask(m)), Array.from(values));
    const regions = recordRegions(m, (id) => `masks/t/${id}.png`);
    assert.equal(regions.length, 3);
    assert.equal(regions.reduce((n, r) => n + r.area, 0), values.filter((v) => v > 0).length);

    const back = modelFromRegionMasks(W, H, regions.map((r, k) => ({ values: regionMask(m, k + 1), meta: { defect: r.defect, description: r.description, ...(r.classId !== undefined ? { classId: r.classId } : {}) } })));
    assert.deepEqual(recordRegions(back, (id) => `masks/t/${id}.png`), regions);
  });
});

describe('hot-exit backups', () => {
  it('restore the document with its unsaved edits and where it saves; anything else is no backup', async () => {
    const { fromBackup, toBackup } = await import('../../../server/editor/backup');
    const m = new MaskModel(W, H);
    m.apply(m.create(meta('crack')));
    m.apply(m.paint(1, disc(6, 6, 3)) as MaskEdit);
    m.apply(m.create({ defect: 'cut', description: 'cut of tire', classId: 253 }));
    m.apply(m.paint(2, disc(16, 9, 2)) as MaskEdit);
    const source = { kind: 'mask' as const, mask: '/data/tire/ground_truth/combined/000_mask.png', defect: 'combined', object: 'tire', classNames: { 253: 'cut' } };
    const text = toBackup('/data/tire/test/combined/000.png', source, m);
    const restored = fromBackup(text);
    assert.ok(restored);
    assert.equal(snapshot(restored.model), snapshot(m));
    assert.deepEqual(restored.source, source);
    assert.equal(restored.image, '/data/tire/test/combined/000.png');
    for (const bad of ['', '{}', text.replace('"version":1', '"version":2'), text.replace(`"width":${W}`, `"width":${W + 1}`)]) assert.equal(fromBackup(bad), undefined);
  });
});
