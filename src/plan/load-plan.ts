// The one way every command gets a Plan: load + validate the inventory, load + validate the
// catalogue, check the filters, build. `plan`, `run`, `status` and `report` all call this, so
// the dry-run and the wizard can never disagree about what a step does.
import { loadCatalogueCached } from '../catalogue/compiled.js';
import type { Catalogue } from '../catalogue/load.js';
import { packageRoot } from '../catalogue/root.js';
import { ExitCode, UserError } from '../errors.js';
import { CERT_FILE_MAX_BYTES, BoundedReadError, checkBoundedFile, readBoundedSync } from '../io/bounded-read.js';
import { namedFiles, resolveInventoryPath } from '../inventory/files.js';
import { InventoryError, type LoadedInventory, loadInventory } from '../inventory/load.js';
import { targetShapes } from '../inventory/shapes.js';
import { type Topology, buildTopology } from '../inventory/topology.js';
import { sha256Hex } from '../sha256.js';
import { buildPlan } from './build.js';
import { type PlanFilters, checkSelection, normalizeFilters } from './filters.js';
import type { PasteFileInfo, Plan } from './types.js';

export type { PlanFilters } from './filters.js';

export interface LoadedPlan {
  loaded: LoadedInventory;
  topology: Topology;
  catalogue: Catalogue;
  plan: Plan;
}

/**
 * In a bundle, the hash of the very targetShapes bundled, which the build takes (scripts/bundle.ts)
 * as the stored catalogue does (shapesHash): otherwise every start stringified and hashed the 73 KB
 * of shapes to compare them (issue 25). Unbundled it is not defined, and the shapes are hashed.
 */
declare const COLLABSEC_TARGET_SHAPES_HASH: string | undefined;

let cached: Catalogue | undefined;
export function defaultCatalogue(): Catalogue {
  const shapesHash = typeof COLLABSEC_TARGET_SHAPES_HASH === 'string' ? COLLABSEC_TARGET_SHAPES_HASH : undefined;
  cached ??= loadCatalogueCached(packageRoot(), { shapes: targetShapes, shapesHash });
  return cached;
}

/**
 * Fingerprint of a file the runner will paste, resolved against the inventory's folder. A file
 * that does not exist yet has no fingerprint; one that is not a regular file of at most
 * CERT_FILE_MAX_BYTES (a device, FIFO, folder, /proc path, a huge file) stops the plan with exit 3
 * naming its inventory field when `loaded` is given.
 */
export function fileInfoFor(dir: string, loaded?: LoadedInventory): (path: string) => PasteFileInfo {
  const fields = new Map(loaded ? namedFiles(loaded.inventory).map((f) => [f.path, f.field]) : []);
  return (path) => {
    let bytes: Buffer;
    try {
      bytes = readBoundedSync(resolveInventoryPath(dir, path), { maxBytes: CERT_FILE_MAX_BYTES });
    } catch (e) {
      if (!(e instanceof BoundedReadError)) throw e;
      if (e.problem === 'missing') return { path };
      const field = fields.get(path);
      if (loaded) throw new InventoryError(loaded.file, [{ path: field ?? '', message: `${path} ${e.reason}` }]);
      throw new UserError(`${path} ${e.reason}`, 'Point the inventory at a certificate file.', ExitCode.invalidInput);
    }
    return { path, sha256: sha256Hex(bytes) };
  };
}

/** Kept for callers that only validate: unknown names are a usage error with suggestions. */
export function checkFilters(cat: Catalogue, f: PlanFilters): void {
  normalizeFilters(cat, f);
}

/**
 * Every file the inventory names must be a regular file of at most CERT_FILE_MAX_BYTES where it
 * exists (resolved by the rule in src/inventory/files.ts); a missing one is made later. Exit 3
 * listing each offending field, whether or not the selected steps paste it.
 */
export function checkNamedFiles(loaded: LoadedInventory): void {
  const problems = [];
  for (const f of namedFiles(loaded.inventory)) {
    try {
      checkBoundedFile(resolveInventoryPath(loaded.dir, f.path), { maxBytes: CERT_FILE_MAX_BYTES });
    } catch (e) {
      if (!(e instanceof BoundedReadError)) throw e;
      if (e.problem !== 'missing') problems.push({ path: f.field, message: `${f.path} ${e.reason}` });
    }
  }
  if (problems.length > 0) throw new InventoryError(loaded.file, problems);
}

export function loadPlan(inventoryFile: string, filters: PlanFilters = {}): LoadedPlan {
  const loaded = loadInventory(inventoryFile);
  checkNamedFiles(loaded);
  const catalogue = defaultCatalogue();
  const wanted = normalizeFilters(catalogue, filters);
  const topology = buildTopology(loaded);
  const plan = buildPlan(topology, catalogue, { inventoryHash: () => loaded.hash, fileInfo: fileInfoFor(loaded.dir, loaded), ...wanted });
  checkSelection(wanted, plan.steps.length);
  if (loaded.inventory.change) plan.change = loaded.inventory.change;
  return { loaded, topology, catalogue, plan };
}
