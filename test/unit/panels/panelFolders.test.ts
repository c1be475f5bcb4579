// The panels' confinement of folders named by a webview's saved state or by a report.json: only
// folders inside the allowed places (symbolic links followed) are used, and a report's dataset
// outside them gives no pictures and opens no file.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { REMEMBERED_FOLDERS, confinedFolder, isWithin, rememberFolder } from '../../../extension/panels/panelFolders';
import { datasetFile, galleryPictures } from '../../../extension/panels/reportFiles';
import type { ReportJson } from '../../../webviews/report/messages';

let dir: string;
let workspace: string;
let outside: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'al-panel-folders-'));
  workspace = join(dir, 'ws');
  outside = join(dir, 'elsewhere');
  mkdirSync(join(workspace, 'runs', 'run-1'), { recursive: true });
  mkdirSync(outside, { recursive: true });
  mkdirSync(`${workspace}2`, { recursive: true });
  symlinkSync(outside, join(workspace, 'runs', 'linked-out'));
  symlinkSync(workspace, join(dir, 'ws-link'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('confinedFolder', () => {
  it('takes absolute folders inside a root, missing ones too', () => {
    assert.equal(confinedFolder(join(workspace, 'runs', 'run-1'), [workspace]), join(workspace, 'runs', 'run-1'));
    assert.equal(confinedFolder(workspace, [workspace]), workspace);
    assert.equal(confinedFolder(join(workspace, 'runs', 'not-yet'), [workspace]), join(workspace, 'runs', 'not-yet'));
    assert.equal(confinedFolder(join(workspace, 'runs', '..', 'runs', 'run-1'), [workspace]), join(workspace, 'runs', 'run-1'));
    assert.equal(confinedFolder(join(dir, 'ws-link', 'runs'), [workspace]), join(dir, 'ws-link', 'runs'), 'a path through a link to inside');
  });

  it('refuses folders outside every root, by `..`, by a symbolic link, or by a shared name prefix', () => {
    assert.equal(confinedFolder(outside, [workspace]), undefined);
    assert.equal(confinedFolder(join(workspace, '..', 'elsewhere'), [workspace]), undefined);
    assert.equal(confinedFolder(join(workspace, 'runs', 'linked-out'), [workspace]), undefined);
    assert.equal(confinedFolder(join(workspace, 'runs', 'linked-out', 'run'), [workspace]), undefined);
    assert.equal(confinedFolder(`${workspace}2`, [workspace]), undefined);
    assert.equal(confinedFolder('/', [workspace]), undefined);
    assert.equal(confinedFolder(outside, []), undefined, 'no root: nothing');
    assert.equal(confinedFolder(outside, ['']), undefined);
  });

  it('refuses what is not an absolute path', () => {
    for (const given of ['runs/run-1', '', undefined, null, 42, { path: workspace }, [workspace], `${workspace}\0x`]) {
      assert.equal(confinedFolder(given, [workspace]), undefined, JSON.stringify(given));
    }
  });

  it('takes a folder a command remembered, and what lies below it', () => {
    const remembered = rememberFolder([], outside);
    assert.equal(confinedFolder(outside, [workspace, ...remembered]), outside);
    assert.equal(confinedFolder(join(outside, 'run'), [workspace, ...remembered]), join(outside, 'run'));
    assert.ok(!isWithin(dir, outside));
  });
});

describe('rememberFolder', () => {
  it('keeps each folder once, newest first, and a bounded number of them', () => {
    assert.deepEqual(rememberFolder(['/a', '/b'], '/b/'), ['/b', '/a']);
    let list: string[] = [];
    for (let i = 0; i < REMEMBERED_FOLDERS + 10; i++) list = rememberFolder(list, `/runs/${i}`);
    assert.equal(list.length, REMEMBERED_FOLDERS);
    assert.equal(list[0], `/runs/${REMEMBERED_FOLDERS + 9}`);
  });
});

describe("a report's dataset folder", () => {
  async function reportOn(datasetDir: string): Promise<ReportJson> {
    const image = 'images/a/000.png';
    const mask = 'masks/a/000_0.png';
    for (const file of [image, mask]) {
      mkdirSync(join(datasetDir, file, '..'), { recursive: true });
      await sharp(Buffer.alloc(4 * 4), { raw: { width: 4, height: 4, channels: 1 } }).png().toFile(join(datasetDir, file));
    }
    return {
      inputs: { dataset: { dir: datasetDir } },
      predictions: [{ image, mask, region: 0 }],
      gallery: [{ image, region: 0 }],
    } as unknown as ReportJson;
  }

  it('is read inside the allowed places', async () => {
    const report = await reportOn(join(workspace, 'datasets', 'inside'));
    assert.equal(datasetFile(report, 'images/a/000.png', [workspace]), join(workspace, 'datasets', 'inside', 'images/a/000.png'));
    assert.deepEqual(Object.keys(galleryPictures(report, [workspace])).sort(), ['images/a/000.png', 'masks/a/000_0.png']);
  });

  it('named outside them (by report.json, which is not trusted with paths) gives no picture and no file to open', async () => {
    const report = await reportOn(join(outside, 'dataset'));
    assert.equal(datasetFile(report, 'images/a/000.png', [workspace]), undefined);
    assert.deepEqual(galleryPictures(report, [workspace]), {});
    const linked = { ...report, inputs: { dataset: { dir: join(workspace, 'runs', 'linked-out', 'dataset') } } } as unknown as ReportJson;
    assert.deepEqual(galleryPictures(linked, [workspace]), {}, 'nor through a link that leads out');
  });
});
