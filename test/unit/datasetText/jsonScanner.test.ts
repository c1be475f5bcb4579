import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { propertyOf, scanJson } from '../../../server/datasetText/jsonScanner';

test('scanJson gives the same value as JSON.parse for any JSON text', () => {
  fc.assert(
    fc.property(fc.jsonValue(), fc.constantFrom(undefined, 1), (v, indent) => {
      const text = JSON.stringify(v, null, indent);
      const scanned = scanJson(text);
      assert.equal(scanned.error, undefined);
      assert.deepEqual(scanned.node!.value, JSON.parse(text));
    }),
    { numRuns: 300 },
  );
});

test('scanJson rejects what JSON.parse rejects', () => {
  for (const bad of ['{', '[1,]', '{"a":1,}', '01', '1.', '-', '"a\\x"', "'a'", 'tru', '{"a" 1}', '[1 2]', '"\u0001"', '1 2', '', 'nul', '{"a":1}}', '"\\u12G4"']) {
    assert.throws(() => JSON.parse(bad), `${bad} is invalid JSON`);
    const scanned = scanJson(bad);
    assert.ok(scanned.error, `scanJson accepted ${JSON.stringify(bad)}`);
  }
});

test('scanJson keeps the offsets of keys and values', () => {
  const text = ' {"a": [1, "x\\"y"], "b" :{"c":null}} ';
  const { node } = scanJson(text);
  assert.ok(node && node.kind === 'object');
  assert.deepEqual([node.start, node.end], [1, text.length - 1]);
  const a = propertyOf(node, 'a')!;
  assert.equal(text.slice(a.keyStart, a.keyEnd), '"a"');
  assert.equal(text.slice(a.value.start, a.value.end), '[1, "x\\"y"]');
  assert.ok(a.value.kind === 'array');
  assert.equal(text.slice(a.value.items[1].start, a.value.items[1].end), '"x\\"y"');
  assert.equal(a.value.items[1].value, 'x"y');
  const c = propertyOf(propertyOf(node, 'b')!.value, 'c')!;
  assert.equal(text.slice(c.value.start, c.value.end), 'null');
});

test('a syntax error points at the offending character or token', () => {
  const at = (text: string) => {
    const { error } = scanJson(text);
    assert.ok(error);
    return [text.slice(error.start, error.end), error.message] as const;
  };
  assert.deepEqual(at('{"a":1 "b":2}'), ['"', "expected ',' or '}', found '\"'"]);
  assert.equal(at('{"a":1,}')[0], '}');
  assert.equal(at('{"a":tru}')[0], 'tru');
  assert.equal(at('{"a":"\\q"}')[0], '\\q');
  assert.equal(at('{"a":"open')[0], '"open');
  assert.equal(at('{"a":1} x')[0], 'x');
  assert.equal(at('[01]')[0], '01');
  assert.match(at('{"a":1')[1], /found end of line/);
});

test('a "__proto__" key is an ordinary property, as with JSON.parse', () => {
  const text = '{"__proto__":{"x":1}}';
  assert.deepEqual(scanJson(text).node!.value, JSON.parse(text));
  assert.equal(Object.getPrototypeOf(scanJson(text).node!.value), Object.prototype);
});

test('nesting deep enough to overflow the stack is an error, not an exception', () => {
  const text = '['.repeat(200_000);
  assert.ok(scanJson(text).error);
});
