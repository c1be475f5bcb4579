// The label a region of the mask editor may get: a new region takes the class last used on its
// object only while that is one of the object's classes (else the user is asked), suggestions are
// the object's descriptions, and a confirmed new description gets a class name of its own.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { classSuggestions, defectSlug, findClass, labelForNewRegion, newClass, sourceObject, type RegionClass } from '../../../server/editor/regionLabels';
import type { RegionsSource } from '../../../server/editor/regionsTypes';

const tile: RegionClass[] = [
  { defect: 'hole', description: 'hole in tile' },
  { defect: 'scratch', description: 'scratch on tile' },
];
const bottle: RegionClass = { defect: 'contamination', description: 'contamination on bottle top' };

describe('region labels', () => {
  it('a new region takes the class last used on its object; another object\'s class or none means asking', () => {
    assert.deepEqual(labelForNewRegion(tile[1], tile), tile[1]);
    assert.equal(labelForNewRegion(undefined, tile), undefined, 'nothing used yet: ask');
    assert.equal(labelForNewRegion(bottle, tile), undefined, 'another object\'s class is never taken');
    assert.equal(labelForNewRegion({ defect: 'hole', description: 'hole in tile', classId: 253 }, tile), undefined, 'a class of another class id is another class');
    assert.equal(labelForNewRegion(tile[0], []), undefined, 'an object without classes: ask');
  });

  it('suggestions are the object\'s descriptions, then those its regions carry, each once', () => {
    const regions = [
      { id: 1, defect: 'hole', description: 'hole in tile' },
      { id: 2, defect: 'odd', description: 'chipped corner' },
      { id: 3, defect: 'blank', description: ' ' },
    ];
    assert.deepEqual(classSuggestions(tile, regions), ['hole in tile', 'scratch on tile', 'chipped corner']);
    assert.deepEqual(findClass(tile, ' scratch on tile '), tile[1]);
    assert.equal(findClass(tile, bottle.description), undefined);
  });

  it('a confirmed new description gets its own class name, numbered when the object has one of that name', () => {
    assert.equal(defectSlug('Oily smear on tile!'), 'oily_smear_on_tile');
    assert.equal(defectSlug('…'), 'anomaly');
    assert.deepEqual(newClass(tile, ' oily smear '), { defect: 'oily_smear', description: 'oily smear' });
    assert.deepEqual(newClass([...tile, { defect: 'hole_2', description: 'x' }], 'hole'), { defect: 'hole_3', description: 'hole' });
  });

  it('the object of a source: a record\'s, a mask\'s, or none', () => {
    const record = { image: 'images/a.png', object: 'tile', defect: 'hole', width: 1, height: 1, regions: [] };
    assert.equal(sourceObject({ kind: 'dataset', root: '/d', split: 'test', line: 1, record, descriptions: [] } as RegionsSource), 'tile');
    assert.equal(sourceObject({ kind: 'mask', mask: '/m.png', defect: 'hole', object: 'tile' }), 'tile');
    assert.equal(sourceObject({ kind: 'none' }), '');
  });
});
