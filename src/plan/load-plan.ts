// The one way every command gets a Plan: load + validate the inventory, load + validate the
// catalogue, check the filters, build. `plan`, `run`, `status` and `report` all call this, so
// the dry-run and the wizard can never disagree about what a step does.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { loadCatalogueCached } from '../catalogue/compiled.js';
import type { Catalogue } from '../catalogue/load.js';
import { packageRoot } from '../catalogue/root.js';
import { ExitCode, UserError } from '../errors.js';
import { type LoadedInventory, loadInventory } from '../inventory/load.js';
import { targetShapes } from '../inventory/shapes.js';
import { type Topology, buildTopology } from '../inventory/topology.js';
import { buildPlan } from './build.js';
import type { PasteFileInfo, Plan } from './types.js';

export interface PlanFilters {
  products?: string[];
  steps?: string[];
}

export interface LoadedPlan {
  loaded: LoadedInventory;
  topology: Topology;
  catalogue: Catalogue;
  plan: Plan;
}

let cached: Catalogue | undefined;
export function defaultCatalogue(): Catalogue {
  cached ??= loadCatalogueCached(packageRoot(), { shapes: targetShapes });
  return cached;
}

/** Fingerprint of a file the runner will paste, resolved against the inventory's folder. */
export function fileInfoFor(dir: string): (path: string) => PasteFileInfo {
  return (path) => {
    const abs = isAbsolute(path) ? path : resolve(dir, path);
    if (!existsSync(abs)) return { path };
    return { path, sha256: createHash('sha256').update(readFileSync(abs)).digest('hex') };
  };
}

export function checkFilters(cat: Catalogue, f: PlanFilters): void {
  const problems: string[] = [];
  const products = new Set(cat.products.map((p) => p.id));
  for (const p of f.products ?? []) if (!products.has(p)) problems.push(`unknown product "${p}" (known: ${[...products].join(', ')})`);
  const ids = new Set(cat.steps.flatMap((s) => [s.id, s.slug]));
  for (const s of f.steps ?? []) if (!ids.has(s)) problems.push(`unknown step "${s}" (use an id such as S022 or a slug such as cucm-mixed-mode-enable)`);
  if (problems.length) throw new UserError(problems.join('\n'), 'See `collabsec plan --help`.', ExitCode.usage);
}

export function loadPlan(inventoryFile: string, filters: PlanFilters = {}): LoadedPlan {
  const loaded = loadInventory(inventoryFile);
  const catalogue = defaultCatalogue();
  checkFilters(catalogue, filters);
  const topology = buildTopology(loaded);
  const plan = buildPlan(topology, catalogue, { inventoryHash: loaded.hash, fileInfo: fileInfoFor(loaded.dir), ...filters });
  return { loaded, topology, catalogue, plan };
}
