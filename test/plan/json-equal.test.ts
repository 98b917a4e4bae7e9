// jsonEqual replaces comparing JSON.stringify texts when a step keeps per-target checkpoints,
// GUI blocks and back-outs (src/plan/build.ts perTarget): it must agree with JSON on every case.
import { describe, expect, it } from 'vitest';
import { jsonEqual } from '../../src/plan/json-equal.js';

const cases: [unknown, unknown][] = [
  [{ a: 1, b: ['x', { c: 'y' }] }, { a: 1, b: ['x', { c: 'y' }] }],
  [{ a: 1, b: 2 }, { b: 2, a: 1 }], // key order: different JSON texts
  [{ a: undefined, b: 1 }, { b: 1 }], // undefined properties are not written
  [{ a: 1 }, { a: '1' }],
  [[1, 2], { 0: 1, 1: 2 }],
  [[1, 2], [1, 2, 3]],
  [{ p: NaN }, { p: null }], // both null in JSON
  [undefined, undefined],
  [undefined, { a: 1 }],
  [null, {}],
  [{ a: [] }, { a: {} }],
  [{ q: 'on us-cm-pub' }, { q: 'on us-cm-sub1' }],
];

describe('jsonEqual', () => {
  it.each(cases)('agrees with JSON.stringify on %j and %j', (a, b) => {
    expect(jsonEqual(a, b)).toBe(JSON.stringify(a) === JSON.stringify(b));
  });
});
