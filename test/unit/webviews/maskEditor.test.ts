// The built mask editor webview (dist/webviews/maskEditor.js) in Chromium under the host's CSP,
// against a host that behaves as the extension's: it owns a mask model, applies each proposed
// edit and sends it back, and undoes on request.  Strokes, erasing, polygons, fill, DBSCAN split,
// zoom and describe are driven with the mouse and keys; the overlay's pixels are counted.  A
// region drawn with nothing selected takes the label the host answers (the host asks the user)
// and is one edit with its pixels; a description that is no class of the object is the host's to
// confirm.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { MaskModel } from '../../../server/editor/maskDocument/maskModel';
import { decodeEdit, encodeEdit, type EncodedEdit } from '../../../server/editor/maskDocument/editCodec';
import { decodeLabels, encodeLabels } from '../../../server/editor/labelsCodec';
import type { MaskEdit } from '../../../server/editor/maskDocument/types';
import type { EditorState } from '../../../webviews/maskEditor/messages';
import type { RegionClass } from '../../../server/editor/regionsTypes';
import { DARK_THEME, closeBrowser, openWebview, type WebviewPage } from './webviewPage';

after(closeBrowser);

const W = 96;
const H = 64;

/** A host as the extension's: the model, the undo stack, the replies. */
class Host {
  readonly model: MaskModel;
  readonly done: MaskEdit[] = [];
  readonly kinds: string[] = [];
  /** The answer to the next 'newRegionLabel' (the class the user picks; null: the pick was cancelled). */
  label: RegionClass | null = { defect: 'dent', description: 'dent in plate' };
  /** The answer to 'newClass' (the user confirming a new class, or not). */
  confirm: RegionClass | null = null;
  private served = 0;

  constructor(readonly view: WebviewPage, state: EditorState) {
    this.model = new MaskModel(W, H, decodeLabels(state.labels, W * H), state.regions);
  }

  /** Answers every request posted so far, in order. */
  async serve(): Promise<void> {
    while (this.served < this.view.posted.length) {
      const m = this.view.posted[this.served++] as { type: string; id: number; body: { kind: string; edit?: EncodedEdit; region?: number } };
      if (m.type !== 'request') continue;
      this.kinds.push(m.body.kind);
      let body: unknown = null;
      if (m.body.kind === 'edit' && m.body.edit) {
        const edit = decodeEdit(m.body.edit, W * H);
        this.model.apply(edit);
        this.done.push(edit);
        await this.view.send({ type: 'event', body: { kind: 'edit', edit: encodeEdit(edit), direction: 'apply' } });
      } else if (m.body.kind === 'undo') {
        const edit = this.done.pop();
        if (edit) {
          this.model.revert(edit);
          await this.view.send({ type: 'event', body: { kind: 'edit', edit: encodeEdit(edit), direction: 'revert' } });
        }
      } else if (m.body.kind === 'newRegionLabel') {
        body = this.label;
      } else if (m.body.kind === 'newClass') {
        body = this.confirm;
      } else if (m.body.kind === 'describe') {
        body = { region: m.body.region, bundle: 'test', ms: 3, ranking: [{ text: 'scratch on plate', cosine: 0.9, probability: 0.8 }, { text: 'dent in plate', cosine: 0.5, probability: 0.2 }] };
      }
      await this.view.send({ type: 'reply', id: m.id, ok: true, body });
    }
  }

  /** Serves until `done` holds or the time runs out. */
  async until(done: () => boolean, ms = 5000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`timed out; requests: ${this.kinds.join(', ')}`);
      await this.serve();
      await new Promise((r) => setTimeout(r, 15));
    }
    await this.serve();
  }

  labelled(id?: number): number {
    return this.model.labels.filter((v) => (id === undefined ? v !== 0 : v === id)).length;
  }
}

async function imageDataUri(): Promise<string> {
  const px = Buffer.alloc(W * H * 3);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) px.set(x < W / 2 ? [200, 60, 60] : [60, 60, 200], (y * W + x) * 3);
  const png = await sharp(px, { raw: { width: W, height: H, channels: 3 } }).png().toBuffer();
  return `data:image/png;base64,${png.toString('base64')}`;
}

/** Screen position of image pixel (x, y)'s centre. */
async function screenOf(view: WebviewPage, x: number, y: number): Promise<{ x: number; y: number }> {
  return view.page.evaluate(
    ([px, py, w]) => {
      const box = (document.querySelector('.overlay-layer') as HTMLCanvasElement).getBoundingClientRect();
      const scale = box.width / w;
      return { x: box.left + (px + 0.5) * scale, y: box.top + (py + 0.5) * scale };
    },
    [x, y, W] as const,
  );
}

/** Overlay pixels that show a region (alpha above zero). */
function overlayPixels(view: WebviewPage): Promise<number> {
  return view.page.evaluate(() => {
    const canvas = document.querySelector('.overlay-layer') as HTMLCanvasElement;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
    return n;
  });
}

async function drag(view: WebviewPage, from: [number, number], to: [number, number]): Promise<void> {
  const a = await screenOf(view, ...from);
  const b = await screenOf(view, ...to);
  await view.page.mouse.move(a.x, a.y);
  await view.page.mouse.down();
  for (let k = 1; k <= 8; k++) await view.page.mouse.move(a.x + ((b.x - a.x) * k) / 8, a.y + ((b.y - a.y) * k) / 8);
  await view.page.mouse.up();
}

describe('mask editor webview', () => {
  let view: WebviewPage;
  let host: Host;

  before(async () => {
    view = await openWebview('maskEditor', { theme: DARK_THEME, width: 1000, height: 700 });
    const ready = await view.waitForPosted((m) => m.type === 'request' && (m.body as { kind: string }).kind === 'ready');
    const labels = new Uint16Array(W * H);
    for (let y = 10; y < 20; y++) for (let x = 10; x < 20; x++) labels[y * W + x] = 1;
    const state: EditorState = {
      width: W,
      height: H,
      imageUri: await imageDataUri(),
      labels: encodeLabels(labels),
      regions: [{ id: 1, defect: 'scratch', description: 'scratch on plate' }],
      descriptions: ['dent in plate', 'scratch on plate'],
      classes: [
        { defect: 'dent', description: 'dent in plate' },
        { defect: 'scratch', description: 'scratch on plate' },
      ],
      files: ['/data/plate/ground_truth/scratch/000_mask.png'],
    };
    host = new Host(view, state);
    (host as unknown as { served: number }).served = view.posted.indexOf(ready) + 1;
    await view.send({ type: 'reply', id: ready.id, ok: true, body: state });
    await view.page.waitForSelector('body[data-ready="true"]');
    await view.page.waitForSelector('body[data-image-loaded="true"]');
  });
  after(() => view?.close());

  it('shows the document\'s region in the overlay and the list', async () => {
    assert.equal(await overlayPixels(view), 100);
    assert.equal(await view.page.locator('.region').count(), 1);
    assert.match(await view.page.locator('.region').innerText(), /100 px at 10, 10, 10, 10/);
  });

  it('a brush stroke with nothing selected draws a new region as one edit, with the label the host answers', async () => {
    await view.page.keyboard.press('n');
    await view.page.keyboard.press('b');
    await drag(view, [40, 30], [70, 30]);
    await host.until(() => host.done.some((e) => e.kind === 'create'));
    assert.deepEqual(host.kinds.slice(-2), ['newRegionLabel', 'edit'], 'the label is asked of the host, then the region proposed');
    const created = host.done.filter((e) => e.kind === 'create');
    assert.equal(created.length, 1, 'one stroke, one edit');
    assert.deepEqual(created[0].regionsAfter, [{ id: 2, defect: 'dent', description: 'dent in plate' }]);
    assert.ok(host.labelled(2) > 30 * 5, `${host.labelled(2)} pixels painted with the region`);
    assert.equal(await overlayPixels(view), host.labelled());
    await view.page.waitForSelector('.region.selected[data-region="2"]');
  });

  it('undoing a drawn region removes it from the list, not only its pixels; a cancelled label draws nothing', async () => {
    await view.page.getByRole('button', { name: 'Undo', exact: true }).click();
    await host.until(() => host.model.regions().length === 1);
    await view.page.waitForFunction(() => document.querySelectorAll('.region').length === 1);
    assert.doesNotMatch(await view.page.locator('.regions').innerText(), /empty/);
    assert.equal(await overlayPixels(view), host.labelled());

    host.label = null;
    const asked = host.kinds.filter((k) => k === 'newRegionLabel').length;
    await drag(view, [40, 30], [70, 30]);
    await host.until(() => host.kinds.filter((k) => k === 'newRegionLabel').length > asked);
    await view.page.waitForFunction((n) => {
      const c = document.querySelector('.overlay-layer') as HTMLCanvasElement;
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let k = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i] > 0) k++;
      return k === n;
    }, host.labelled());
    assert.equal(host.model.regions().length, 1, 'no region without a label');

    host.label = { defect: 'dent', description: 'dent in plate' };
    await drag(view, [40, 30], [70, 30]);
    await host.until(() => host.model.regions().length === 2 && host.labelled(2) > 30 * 5);
  });

  it('a description is one of the object\'s classes, or a new class only when the host confirms it', async () => {
    const input = view.page.locator('vscode-textfield.description input');
    const describes = () => host.done.filter((e) => e.kind === 'describe');
    await input.fill('scratch on plate');
    await input.press('Enter');
    await host.until(() => describes().length === 1);
    assert.deepEqual(describes()[0].regionsAfter[0], { id: 2, defect: 'scratch', description: 'scratch on plate' }, 'the class\'s own defect');
    assert.ok(!host.kinds.includes('newClass'), 'a class of the object needs no confirmation');

    await input.fill('oily smear on plate');
    await input.press('Enter');
    await host.until(() => host.kinds.includes('newClass'));
    assert.equal(describes().length, 1, 'not confirmed: the region keeps its class');
    assert.equal(host.model.region(2)?.description, 'scratch on plate');

    host.confirm = { defect: 'oily_smear_on_plate', description: 'oily smear on plate' };
    await input.fill('oily smear on plate');
    await input.press('Enter');
    await host.until(() => describes().length === 2);
    assert.deepEqual(describes()[1].regionsAfter[0], { id: 2, defect: 'oily_smear_on_plate', description: 'oily smear on plate' });
    await view.page.locator('.files').click();
  });

  it('the eraser removes pixels of the selected region; Undo asks the host to undo', async () => {
    const before = host.labelled(2);
    await view.page.keyboard.press('e');
    await drag(view, [50, 30], [55, 30]);
    await host.until(() => host.done.some((e) => e.kind === 'erase'));
    assert.ok(host.labelled(2) < before);
    assert.equal(await overlayPixels(view), host.labelled());
    await view.page.getByRole('button', { name: 'Undo', exact: true }).click();
    await host.until(() => host.kinds.includes('undo') && host.labelled(2) === before);
    await view.page.waitForFunction((n) => {
      const c = document.querySelector('.overlay-layer') as HTMLCanvasElement;
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let k = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i] > 0) k++;
      return k === n;
    }, host.labelled());
  });

  it('a polygon drawn with nothing selected makes a region; the magic wand and a flood fill paint the selected region; each is undone in one step', async () => {
    await view.page.keyboard.press('n');
    await view.page.keyboard.press('p');
    for (const [x, y] of [[5, 40], [25, 40], [25, 58], [5, 58]] as [number, number][]) {
      const s = await screenOf(view, x, y);
      await view.page.mouse.click(s.x, s.y);
    }
    await view.page.keyboard.press('Enter');
    await host.until(() => host.done.some((e) => e.kind === 'create' && e.label.startsWith('Polygon')));
    assert.ok(Math.abs(host.labelled(3) - 20 * 18) <= 40, `${host.labelled(3)} pixels in the polygon`);
    assert.equal(await overlayPixels(view), host.labelled());

    // The magic wand on the red left half (within the tolerance of the seed's colour), then undo it.
    const before = host.labelled(3);
    await view.page.keyboard.press('w');
    const red = await screenOf(view, 2, 2);
    await view.page.mouse.click(red.x, red.y);
    await host.until(() => host.done.some((e) => e.kind === 'fill'));
    const wand = host.done.filter((e) => e.kind === 'fill')[0];
    assert.ok(wand.pixels && Array.from(wand.pixels.indices).every((i) => i % W < W / 2), 'the wand stops at the blue half');
    assert.equal(await overlayPixels(view), host.labelled());
    await view.page.getByRole('button', { name: 'Undo', exact: true }).click();
    await host.until(() => host.labelled(3) === before);

    // Flood fill on the background around region 1 gives region 3 every background pixel reachable from there.
    await view.page.keyboard.press('f');
    const bg = await screenOf(view, 30, 5);
    await view.page.mouse.click(bg.x, bg.y);
    await host.until(() => host.done.filter((e) => e.kind === 'fill').length === 1);
    assert.equal(host.model.labels[5 * W + 30], 3);
    assert.equal(host.model.labels[15 * W + 15], 1, 'another region is not filled over');
    assert.equal(await overlayPixels(view), host.labelled());
    await view.page.getByRole('button', { name: 'Undo', exact: true }).click();
    await host.until(() => host.labelled(3) === before);
  });

  it('split with DBSCAN turns a region of two parts into two regions', async () => {
    await view.page.keyboard.press('n');
    await view.page.keyboard.press('b');
    await drag(view, [85, 5], [90, 5]);
    await host.until(() => host.model.regions().length === 4);
    const id = Math.max(...host.model.regions().map((r) => r.id));
    assert.ok(host.labelled(id) > 0);
    const paints = host.done.filter((e) => e.kind === 'paint').length;
    await drag(view, [85, 50], [90, 50]);
    await host.until(() => host.done.filter((e) => e.kind === 'paint').length > paints);
    const regions = host.model.regions().length;
    await view.page.keyboard.press('s');
    await host.until(() => host.done.some((e) => e.kind === 'split'));
    assert.equal(host.model.regions().length, regions + 1);
  });

  it('with "describe while drawing" on, the region is described shortly after each stroke', async () => {
    await view.page.locator('vscode-checkbox.while-drawing').click();
    await view.page.waitForSelector('vscode-checkbox.while-drawing[checked]');
    const described = host.kinds.filter((k) => k === 'describe').length;
    await view.page.locator('.region[data-region="1"]').click();
    await view.page.keyboard.press('b');
    await drag(view, [12, 25], [18, 25]);
    await host.until(() => host.kinds.filter((k) => k === 'describe').length > described);
    await view.page.waitForSelector('.region[data-region="1"] .prediction .rank');
    await view.page.locator('vscode-checkbox.while-drawing').click();
    await view.page.waitForSelector('vscode-checkbox.while-drawing:not([checked])');
  });

  it('keys typed into the description or a number field are the field\'s; with a toolbar button focused they are shortcuts; the class picker labels the region', async () => {
    const tool = () => view.page.locator('.stage').getAttribute('data-tool');
    await view.page.locator('.region[data-region="1"] .head').click();
    await view.page.keyboard.press('b');
    assert.equal(await tool(), 'brush');
    const requests = host.kinds.length;

    // Typed into the description: w, e, p and s are letters, not the wand, the eraser, the polygon and a split.
    const description = view.page.locator('vscode-textfield.description input');
    const label = await description.inputValue();
    await description.click();
    await view.page.keyboard.press('Control+A');
    await view.page.keyboard.type('weps');
    assert.equal(await description.inputValue(), 'weps');
    assert.equal(await tool(), 'brush');
    // Back to the label before leaving the field: nothing to commit.
    await view.page.keyboard.press('Control+A');
    await view.page.keyboard.type(label);

    // Typed into Size: the brush size, not "describe as the 3rd description" and "fit".
    const size = view.page.locator('vscode-textfield#size input');
    await size.click();
    await view.page.keyboard.press('Control+A');
    await view.page.keyboard.type('30');
    await view.page.waitForFunction(() => JSON.parse(sessionStorage.getItem('vscode-state') ?? '{}').brush === 30);
    await host.serve();
    assert.deepEqual(host.kinds.slice(requests), [], 'no edit or request from the keys typed');

    // A tool button clicked keeps the focus, and the keys are shortcuts again.
    await view.page.getByRole('button', { name: 'Eraser', exact: true }).click();
    assert.equal(await tool(), 'eraser');
    await view.page.keyboard.press('b');
    assert.equal(await tool(), 'brush');
    await view.page.keyboard.press(']');
    assert.equal(await size.inputValue(), String(Math.round(30 * 1.25) + 1), '] makes the brush larger, and Size shows it');

    // The class picker: one of the object's classes, picked with the mouse, labels the selected region.
    await view.page.locator('vscode-single-select.classes').click();
    await view.page.locator('vscode-single-select.classes li.option', { hasText: 'dent in plate' }).click();
    await host.until(() => host.model.region(1)?.description === 'dent in plate');
    await view.page.waitForFunction(() => (document.querySelector('.region[data-region="1"] .truth') as HTMLElement).innerText === 'dent in plate');
    assert.equal(await description.inputValue(), 'dent in plate');
    await view.page.locator('.files').click();
  });

  it('arrow keys and a middle-button drag pan the image', async () => {
    const before = await screenOf(view, 10, 10);
    await view.page.keyboard.press('ArrowRight');
    const keyed = await screenOf(view, 10, 10);
    assert.ok(keyed.x < before.x - 20, 'the image moved left');
    await view.page.mouse.move(500, 300);
    await view.page.mouse.down({ button: 'middle' });
    await view.page.mouse.move(530, 340);
    await view.page.mouse.up({ button: 'middle' });
    const dragged = await screenOf(view, 10, 10);
    assert.ok(Math.abs(dragged.x - keyed.x - 30) < 1 && Math.abs(dragged.y - keyed.y - 40) < 1, 'the image follows the drag');
  });

  it('zoom keeps the pixel under the cursor in place; describe shows the model\'s answer', async () => {
    const before = await screenOf(view, 30, 30);
    await view.page.mouse.move(before.x, before.y);
    await view.page.mouse.wheel(0, -400);
    const after = await screenOf(view, 30, 30);
    assert.ok(Math.abs(after.x - before.x) < 1 && Math.abs(after.y - before.y) < 1, 'the point under the cursor stays');
    const width = await view.page.evaluate(() => (document.querySelector('.overlay-layer') as HTMLCanvasElement).getBoundingClientRect().width);
    assert.ok(width > 800, 'zoomed in');
    await view.page.locator('.region[data-region="1"]').click();
    await view.page.keyboard.press('d');
    await host.until(() => host.kinds.includes('describe'));
    await view.page.waitForSelector('.region[data-region="1"] .prediction .rank');
    assert.match(await view.page.locator('.region[data-region="1"] .prediction').innerText(), /scratch on plate 80\.0 %/);
    await view.screenshot('mask-editor');
    assert.deepEqual(view.problems, []);
  });
});
