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

describe('jsonEqual on values that differ after an equal start', () => {
  // The walk may answer "different" at the first differing text only when JSON agrees up to it.
  const more: [unknown, unknown][] = [
    [{ a: undefined, q: 'x' }, { q: 'y' }],
    [{ a: 1, q: 'x' }, { a: 1, q: 'y' }],
    [{ a: [1, 'x'] }, { a: [1, 'y'] }],
    [{ a: [undefined, 'x'] }, { a: [null, 'x'] }], // an undefined element is written as null
    [{ a: -0, q: 'x' }, { a: 0, q: 'x' }],
    [{ d: new Date(0), q: 'x' }, { d: new Date(0), q: 'x' }],
    [{ f: true, q: 'x' }, { f: false, q: 'x' }],
    [{ q: 'x', u: undefined }, { q: 'x', v: undefined }],
    [{ q: 'x', n: 1 }, { q: 'y', n: () => 1 }],
  ];
  it.each(more)('agrees with JSON.stringify on %j and %j', (a, b) => {
    expect(jsonEqual(a, b)).toBe(JSON.stringify(a) === JSON.stringify(b));
  });
});
