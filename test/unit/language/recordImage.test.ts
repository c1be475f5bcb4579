// Opening a split-file record in the mask editor: the record's image, confined to the dataset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recordImageAt } from '../../../language/recordImage';

test('the image of the record on a line of a split file, inside the dataset folder only', () => {
  const file = '/data/ds/test.jsonl';
  assert.equal(recordImageAt(file, '{"image":"images/test/tire/cut/000.1a2b3c4d.png","object":"tire","regions":[]}'), '/data/ds/images/test/tire/cut/000.1a2b3c4d.png');
  assert.equal(recordImageAt(file, '{"image":"../../etc/passwd"}'), undefined, 'a path leaving the dataset');
  assert.equal(recordImageAt(file, '{"image":"/etc/passwd"}'), undefined, 'an absolute path');
  assert.equal(recordImageAt(file, '{"image": 3}'), undefined);
  assert.equal(recordImageAt(file, 'not json'), undefined);
});
