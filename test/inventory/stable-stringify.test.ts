// The inventory hash is sha256 of stableStringify(inventory); sessions keep it to tell a changed
// plan, so the loop version (issue 25) must write exactly what the map/join version wrote, kept
// here as the reference, on real inventories and on the edge values the two could differ on.
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { loadInventory, stableStringify } from '../../src/inventory/load.js';
import { sha256Hex } from '../../src/sha256.js';

function reference(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(reference).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${reference((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

describe('stableStringify', () => {
  it.each(['examples/ent-pa.yaml', 'examples/chapter-2019.yaml'])('%s: the reference text, parsed and validated', (file) => {
    const raw = load(readFileSync(file, 'utf8'));
    expect(stableStringify(raw)).toBe(reference(raw));
    const { inventory, hash } = loadInventory(file);
    const { change: _change, ...rest } = inventory;
    expect(stableStringify(rest)).toBe(reference(rest));
    expect(hash).toBe(sha256Hex(reference(rest)));
  });

  it('edge values: holes, undefined, functions, symbols, null, nested, unicode keys, toJSON objects', () => {
    const sparse = [1, , 3];
    const values: unknown[] = [
      sparse,
      [undefined, null, () => 1, Symbol('s'), 'x'],
      { a: undefined, b: null, c: () => 1, d: [], e: {} },
      { z: 1, a: { y: [1, { b: 2, a: 1 }], x: 'q"\n\u2028' }, 'é': true, '10': 0, '9': -0 },
      new Date(0),
      [[[]], [{}], [[1, [2, [3]]]]],
      'plain',
      42,
      Number.NaN,
      null,
      undefined,
    ];
    for (const v of values) expect(stableStringify(v)).toBe(reference(v));
  });
});
