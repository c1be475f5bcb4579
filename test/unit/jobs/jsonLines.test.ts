import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LineSplitter } from '../../../server/jobs/jsonLines';
import { parseTrainEvent } from '../../../server/jobs/trainProgress';

const STEP = { type: 'step', step: 3, epoch: 1, loss: 2.5, lr: 1e-4, samples_per_s: 110.2, eta_s: null };
const EVAL = { type: 'eval', epoch: 1, step: 3, val_accuracy: 0.5, val_loss: 1.2, samples: 12, best: true };

describe('LineSplitter', () => {
  it('gives the same lines however the bytes are cut into chunks', () => {
    const lines = [JSON.stringify(STEP), JSON.stringify({ type: 'warning', message: 'Riß im Glas — 割れ 🔩', file: 'ä.png' }), JSON.stringify(EVAL)];
    const bytes = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 12 }), (cuts) => {
        const splitter = new LineSplitter();
        const got: string[] = [];
        let at = 0;
        for (const cut of [...cuts].sort((a, b) => a - b)) {
          got.push(...splitter.push(bytes.subarray(at, cut)));
          at = cut;
        }
        got.push(...splitter.push(bytes.subarray(at)), ...splitter.end());
        assert.deepEqual(got, lines);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps an unterminated last line for end(), drops \\r and blank lines', () => {
    const splitter = new LineSplitter();
    assert.deepEqual(splitter.push('a\r\n\n  \nb'), ['a']);
    assert.deepEqual(splitter.push('c'), []);
    assert.deepEqual(splitter.end(), ['bc']);
    assert.deepEqual(splitter.end(), []);
  });
});

describe('parseTrainEvent', () => {
  it('accepts every protocol event with its fields', () => {
    assert.deepEqual(parseTrainEvent(JSON.stringify(STEP)), STEP);
    assert.deepEqual(parseTrainEvent(JSON.stringify(EVAL)), EVAL);
    const done = { type: 'done', best_accuracy: null, paths: { bundle: '/r/bundle' }, steps: 4 };
    assert.deepEqual(parseTrainEvent(JSON.stringify(done)), done);
  });

  it('turns anything else into a protocol error holding the text', () => {
    const cases: Array<[string, RegExp]> = [
      ['Epoch 1/10 loss=2.3', /not JSON\): Epoch 1\/10 loss=2\.3$/],
      ['[1, 2]', /not an object/],
      ['{"type": "progress", "x": 1}', /unknown type "progress"/],
      [JSON.stringify({ ...STEP, loss: undefined }), /step lacks loss/],
      [JSON.stringify({ ...STEP, loss: 'high' }), /step\.loss is not number/],
      [JSON.stringify({ ...EVAL, best: null }), /eval\.best is not boolean/],
    ];
    for (const [line, message] of cases) {
      const event = parseTrainEvent(line);
      assert.equal(event.type, 'error', line);
      assert.equal(event.type === 'error' && event.kind, 'protocol');
      assert.match(event.type === 'error' ? event.message : '', message);
    }
  });
});
