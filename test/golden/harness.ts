// Shared by the golden tests: the example plan, plans of edited copies of the example inventory,
// and lookups by step id and target. The catalogue is loaded with full validation (no cache).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { loadCatalogue } from '../../src/catalogue/load.js';
import { packageRoot } from '../../src/catalogue/root.js';
import { parseInventory } from '../../src/inventory/load.js';
import { targetShapes } from '../../src/inventory/shapes.js';
import { buildTopology } from '../../src/inventory/topology.js';
import { buildPlan } from '../../src/plan/build.js';
import type { Plan } from '../../src/plan/types.js';

const root = packageRoot();
const exampleFile = join(root, 'examples', 'ent-pa.yaml');
const exampleText = readFileSync(exampleFile, 'utf8');
export const catalogue = loadCatalogue(root, { shapes: targetShapes });

/** Plan of the example inventory after `edit` changed its parsed YAML (validated as usual). */
export function planOf<Inv extends Record<string, unknown>>(edit?: (inv: Inv) => void): Plan {
  const data = parse(exampleText) as Inv;
  edit?.(data);
  const loaded = parseInventory(stringify(data), exampleFile);
  return buildPlan(buildTopology(loaded), catalogue, { inventoryHash: loaded.hash });
}

export const ids = (p: Plan) => p.steps.map((s) => s.id);
export const step = (p: Plan, id: string) => p.steps.find((s) => s.id === id);
export const targets = (p: Plan, id: string) => step(p, id)?.actions.map((a) => a.target) ?? [];
export const action = (p: Plan, id: string, target: string) => step(p, id)?.actions.find((a) => a.target === target);
export const lines = (p: Plan, id: string, target: string) => action(p, id, target)?.commands;
