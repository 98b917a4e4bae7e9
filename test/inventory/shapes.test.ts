// The shapes the catalogue loader checks templates against must describe what the topology
// really builds; otherwise a template could pass the load check and still fail to render.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Shape } from '../../src/catalogue/shape.js';
import { parseInventory } from '../../src/inventory/load.js';
import { targetShapes } from '../../src/inventory/shapes.js';
import { buildTopology } from '../../src/inventory/topology.js';

function mismatches(value: unknown, shape: Shape, path: string): string[] {
  if (value === undefined || value === null) return []; // optional parts may be absent
  if (shape === 'string') return typeof value === 'string' ? [] : [`${path}: expected string, got ${typeof value}`];
  if (shape === 'number') return typeof value === 'number' ? [] : [`${path}: expected number`];
  if (shape === 'boolean') return typeof value === 'boolean' ? [] : [`${path}: expected boolean, got ${typeof value}`];
  if ('$list' in shape) {
    if (!Array.isArray(value)) return [`${path}: expected list`];
    return value.flatMap((v, i) => mismatches(v, shape.$list, `${path}[${i}]`));
  }
  if (typeof value !== 'object') return [`${path}: expected object`];
  const obj = value as Record<string, unknown>;
  const extra = Object.keys(obj).filter((k) => !(k in shape)).map((k) => `${path}.${k}: not declared in the shape`);
  return [...extra, ...Object.entries(shape).flatMap(([k, s]) => mismatches(obj[k], s, `${path}.${k}`))];
}

describe('target shapes', () => {
  it('match the contexts the topology builds for the example inventory', () => {
    const text = readFileSync(new URL('../../examples/ent-pa.yaml', import.meta.url), 'utf8');
    const topo = buildTopology(parseInventory(text, 'ent-pa.yaml'));
    for (const [group, targets] of Object.entries(topo.groups)) {
      const shape = targetShapes[group];
      expect(shape, `group ${group} has a shape`).toBeDefined();
      for (const t of targets) expect(mismatches({ ...topo.globals, ...t.context }, shape!, group)).toEqual([]);
    }
  });
});
