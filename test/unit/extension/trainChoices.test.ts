import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASES, runFolderName, trainOptions } from '../../../extension/train/choices';

test('train choices become the trainer options; LoRA rank 0 fine-tunes fully', () => {
  assert.deepEqual(trainOptions({ base: 'tiny', epochs: 1, batch: 8, loraRank: 0, device: 'cpu' }), { base: 'tiny', epochs: 1, batch: 8, tune: 'full', device: 'cpu' });
  assert.deepEqual(trainOptions({ init: '/ws/bundle', base: 'tiny', loraRank: 16, device: 'cuda:1' }), { tune: 'lora', loraR: 16, device: 'cuda' });
  assert.deepEqual(trainOptions({}, 5), { maxSteps: 5 });
});

test('the base models offered are the trainer\'s sizes', () => {
  assert.ok(BASES.includes('tiny') && BASES.includes('ViT-L/14@336px'));
});

test('run folders are named after the dataset and the base', () => {
  assert.equal(runFolderName('/ws/datasets/sample', { base: 'ViT-L/14@336px' }), 'sample-ViT-L-14-336px');
  assert.equal(runFolderName('/ws/datasets/sample/', { init: '/b' }), 'sample-continued');
  assert.equal(runFolderName('C:\\ws\\d', {}), 'd-tiny');
});
