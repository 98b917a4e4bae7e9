// Load and validate an inventory file. Every problem is reported (not just the first), each with
// its YAML path and line, so the operator fixes the file in one pass; nothing is planned or run
// from an invalid inventory.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { CORE_SCHEMA, load as loadYaml } from 'js-yaml';
import type { z } from 'zod';
import { UserError, ExitCode } from '../errors.js';
import { type Inventory, inventorySchema } from './schema.js';

export interface InventoryProblem {
  /** Dotted YAML path, e.g. "cucm[0].publisher.ip". */
  path: string;
  line?: number;
  message: string;
}

export class InventoryError extends UserError {
  constructor(
    readonly file: string,
    readonly problems: InventoryProblem[],
  ) {
    super(
      `${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'} in the inventory; nothing was planned or run\n` +
        problems.map((p) => `  ${p.path || '(top)'}${p.line ? ` (line ${p.line})` : ''}: ${p.message}`).join('\n'),
      'Fix the fields above and run the command again. `collabsec schema` prints the JSON Schema for editor completion.',
      ExitCode.invalidInput,
    );
    this.name = 'InventoryError';
  }
}

export interface LoadedInventory {
  inventory: Inventory;
  /** Absolute path of the file. */
  file: string;
  /** Folder relative file references resolve against. */
  dir: string;
  /** sha256 of the validated, normalised inventory (stable across formatting changes). */
  hash: string;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}

/** Stable JSON: keys sorted, so the hash does not depend on key order in the file. */
export function stableStringify(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableStringify((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

type YamlLib = typeof import('yaml');
// The `yaml` library keeps source positions (for "line N" in problems) but parses several times
// slower than js-yaml; it is loaded only when the inventory has a problem to report.
const requireYaml = () => createRequire(import.meta.url)('yaml') as YamlLib;

export function parseInventory(text: string, file: string): LoadedInventory {
  // Fast path: js-yaml with the YAML 1.2 core schema (the `yaml` library's default), then zod.
  let data: unknown;
  try {
    data = loadYaml(text, { schema: CORE_SCHEMA, filename: file });
  } catch {
    data = undefined;
  }
  if (data !== undefined) {
    const quick = inventorySchema.safeParse(data ?? {});
    if (quick.success) return { inventory: quick.data, file, dir: dirname(file), hash: sha256(stableStringify(quick.data)) };
  }
  return parseWithPositions(text, file);
}

/** The slow path: every problem with its YAML path and line. */
function parseWithPositions(text: string, file: string): LoadedInventory {
  const { LineCounter, parseDocument } = requireYaml();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineOf = (offset: number | undefined) => (offset === undefined ? undefined : lineCounter.linePos(offset).line);
  if (doc.errors.length > 0) {
    throw new InventoryError(
      file,
      doc.errors.map((e) => ({ path: '', line: lineOf(e.pos[0]), message: `YAML: ${e.message.split('\n')[0] ?? e.code}` })),
    );
  }
  const data: unknown = doc.toJS();
  const result = inventorySchema.safeParse(data ?? {});
  if (!result.success) {
    throw new InventoryError(file, result.error.issues.map((issue) => problemOf(issue, doc, lineOf)));
  }
  return { inventory: result.data, file, dir: dirname(file), hash: sha256(stableStringify(result.data)) };
}

function problemOf(
  issue: z.core.$ZodIssue,
  doc: ReturnType<YamlLib['parseDocument']>,
  lineOf: (o: number | undefined) => number | undefined,
): InventoryProblem {
  const { isNode } = requireYaml();
  // Walk up the path until a node exists (a missing key is reported on its parent's line).
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  let line: number | undefined;
  for (let n = path.length; n >= 0 && line === undefined; n--) {
    const found: unknown = doc.getIn(path.slice(0, n), true);
    if (isNode(found) && found.range) line = lineOf(found.range[0]);
  }
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys;
    message = keys.some((k) => /pass|secret/i.test(k))
      ? `secrets are never kept in the inventory: remove ${keys.join(', ')} and use passwordEnv (or let the wizard ask)`
      : `unknown key${keys.length > 1 ? 's' : ''}: ${keys.join(', ')}`;
  } else if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) {
    message = 'required field is missing';
  }
  return { path: formatPath(path), line, message };
}

export function loadInventory(file: string): LoadedInventory {
  const abs = resolve(file);
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (err) {
    throw new UserError(`cannot read inventory ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, 'Check the --inventory path.', ExitCode.invalidInput);
  }
  return parseInventory(text, abs);
}
