// canonicalJson against its definition, JSON.stringify of a key-sorted copy (a frozen copy here):
// session files hold hashes of this text, so it must not change by a byte when the code does
// (issue 25 rewrote sortKeys for start-up speed). Values are generated from a fixed seed, so a
// failure reproduces.
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/session/hash.js';
import { seeded } from '../seeded-random.js';
import { referenceCanonicalJson as definition } from './reference-canonical.js';

// Keys whose order is not the sort order in JSON.stringify (array indices go first, by number),
// keys that only look like indices, one a plain assignment does not copy, and plain ones.
const KEYS = ['0', '9', '10', '2', '01', '-1', '1.5', '4294967294', '4294967295', '__proto__', 'a', 'B', 'b', 'é', '→', 'a b', '', 'toString', 'kind', 'actions'];
const STRINGS = ['', 'x', 'é → ✓', '"quoted"', 'back\\slash', 'line\nbreak\ttab', '\u0000\u001f', '\ud800', '\udc00x', '😀', '\u2028\u2029'];
const NUMBERS = [0, -0, 1, -1, 1.5, 1e21, 1e-7, Number.MAX_SAFE_INTEGER, NaN, Infinity, -Infinity];

function value(next: () => number, depth: number): unknown {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const r = next();
  if (depth <= 0 || r < 0.45) {
    const leaf = Math.floor(next() * 8);
    if (leaf === 0) return pick(STRINGS);
    if (leaf === 1) return pick(NUMBERS);
    if (leaf === 2) return next() < 0.5;
    if (leaf === 3) return null;
    if (leaf === 4) return undefined;
    if (leaf === 5) return () => 1;
    if (leaf === 6) return Symbol('s');
    return pick(STRINGS) + String(Math.floor(next() * 100));
  }
  if (r < 0.7) {
    const n = Math.floor(next() * 5);
    const list: unknown[] = [];
    for (let i = 0; i < n; i++) list.push(value(next, depth - 1));
    if (next() < 0.1) list.length += 2; // holes
    return list;
  }
  const obj: Record<string, unknown> = {};
  const n = Math.floor(next() * 7);
  // defineProperty: an own `__proto__` key too, as JSON.parse and object spread make them.
  for (let i = 0; i < n; i++) Object.defineProperty(obj, pick(KEYS), { value: value(next, depth - 1), enumerable: true, writable: true, configurable: true });
  return obj;
}

describe('canonicalJson', () => {
  it('equals JSON.stringify of the key-sorted copy on 3,000 generated values', () => {
    const next = seeded(25);
    let objects = 0;
    for (let i = 0; i < 3000; i++) {
      const v = value(next, 4);
      if (v !== null && typeof v === 'object') objects++;
      expect(canonicalJson(v)).toBe(definition(v));
    }
    expect(objects).toBeGreaterThan(1000);
  });

  it('writes array-index keys first by number, drops __proto__ and undefined, and keeps what JSON.stringify does with the rest', () => {
    const v = JSON.parse('{"b": 1, "10": 2, "9": 3, "a": {"__proto__": {"x": 1}, "c": [1, null]}, "01": 4}') as Record<string, unknown>;
    v.u = undefined;
    v.n = [undefined, NaN, -0, () => 1];
    expect(canonicalJson(v)).toBe('{"9":3,"10":2,"01":4,"a":{"c":[1,null]},"b":1,"n":[null,null,0,null]}');
    expect(canonicalJson(v)).toBe(definition(v));
  });

  it('treats toJSON, dates and top-level oddities as the definition does', () => {
    const withToJson = { b: 1, toJSON: (key: string) => `key ${key}` };
    for (const v of [withToJson, { nested: withToJson }, [withToJson], new Date(0), { d: new Date(0) }, undefined, 'text', 12, null, [], {}])
      expect(canonicalJson(v)).toBe(definition(v));
    expect(() => canonicalJson({ big: 1n })).toThrow(TypeError);
  });
});
