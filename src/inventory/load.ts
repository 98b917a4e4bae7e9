// Load and validate an inventory file. Every problem is reported (not just the first), each with
// its YAML path and line, so the operator fixes the file in one pass; nothing is planned or run
// from an invalid inventory.
import { dirname, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { CORE_SCHEMA, type EventType, type State, load as loadYaml } from 'js-yaml';
import type * as z from 'zod/mini';
import { UserError, ExitCode } from '../errors.js';
import { sha256Hex } from '../sha256.js';
import { BoundedReadError, INVENTORY_MAX_BYTES, decodeUtf8, readBoundedSync } from '../io/bounded-read.js';
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
  readonly hash: string;
}

/**
 * The loaded inventory, its hash computed on the first read of `hash` and kept. Only sessions, the
 * JSON plan and the MOP's header read it; a text plan never does, and on a 500-node inventory the
 * hash (a stable JSON of the whole inventory, ~300 KB, then sha256 in node:crypto, a module `plan`
 * has no other use for) was ~8 ms of its start (issue 25).
 */
function loadedInventory(inventory: Inventory, file: string): LoadedInventory {
  let hash: string | undefined;
  return {
    inventory,
    file,
    dir: dirname(file),
    get hash() {
      return (hash ??= inventoryHash(inventory));
    },
  };
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}

/**
 * Stable JSON: keys sorted, so the hash does not depend on key order in the file. Sessions keep
 * the hash of this text, so it never changes: an array's hole or undefined item is empty, an
 * object's undefined value is `undefined` (as `map`/`join` and a template wrote them). Written as
 * loops, without an array and a closure per value: it runs once per command on code V8 has not
 * optimised yet (issue 25).
 */
export function stableStringify(v: unknown): string {
  if (typeof v !== 'object' || v === null) return JSON.stringify(v);
  let s: string;
  if (Array.isArray(v)) {
    s = '[';
    for (let i = 0; i < v.length; i++) {
      if (i > 0) s += ',';
      // JSON.stringify gives undefined for undefined, a function or a symbol: join wrote ''.
      if (i in v) s += (stableStringify(v[i]) as string | undefined) ?? '';
    }
    return `${s}]`;
  }
  const keys = Object.keys(v).sort();
  s = '{';
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (i > 0) s += ',';
    s += `${JSON.stringify(k)}:${stableStringify((v as Record<string, unknown>)[k])}`;
  }
  return `${s}}`;
}

/**
 * The inventory's hash, which the session compares to tell a changed plan: the change record
 * (`change:` — number, approver, window…) is left out, since it changes no step and filling it in
 * during a rollout must not ask the operator to review and accept the plan again.
 */
function inventoryHash(inv: Inventory): string {
  const { change: _document, ...rest } = inv;
  return sha256Hex(stableStringify(rest));
}

type YamlLib = typeof import('yaml');
// The `yaml` library keeps source positions (for "line N" in problems) but parses several times
// slower than js-yaml; it is loaded only when the inventory has a problem to report.
const requireYaml = () => createRequire(import.meta.url)('yaml') as YamlLib;

/**
 * The longest scalar (value or key) the inventory may hold, in characters: the longest field any
 * validator accepts is a 4096-character file path. Checked before validation, so a huge value is
 * reported once with its path and line instead of being echoed by every message.
 */
export const MAX_SCALAR_CHARS = 4096;
/** YAML aliases may expand to at most this many nodes in all (the `yaml` library's budget). */
export const MAX_ALIAS_COUNT = 100;
/** Problems listed in full; the rest are counted. A 1 MiB file can hold ~100k wrong keys: the message stays readable. */
export const MAX_PROBLEMS_SHOWN = 50;
/** Unknown keys named per object before "and N more". */
const MAX_KEYS_NAMED = 10;

/**
 * zod compiles a fast path for each object schema on its first parse (`new Function`), which pays
 * off over many parses; a command parses the inventory once, and the interpreted path was cheaper
 * on both the example and a 500-node inventory (issue 25). Same rules, same issues either way.
 */
const ONE_PARSE = { jitless: true } as const;

export function parseInventory(text: string, file: string): LoadedInventory {
  // Fast path: js-yaml with the YAML 1.2 core schema (the `yaml` library's default), then zod.
  // js-yaml expands aliases without a budget (an alias bomb is a few lines), so a document with
  // an anchor takes the slow path, which counts them. Without an anchor no alias can resolve
  // (js-yaml throws on it, and the slow path reports it). Anchors are seen by js-yaml's node
  // listener, not by looking for `&` or `*` in the text: a dial pattern such as '9011*' is common.
  const data = fastYaml(text, file);
  if (data !== undefined && !hasLongScalar(data)) {
    const quick = inventorySchema.safeParse(data ?? {}, ONE_PARSE);
    if (quick.success) return loadedInventory(quick.data, file);
  }
  return parseWithPositions(text, file);
}

/** The document parsed by js-yaml, or undefined when it has an anchor or does not parse. */
function fastYaml(text: string, file: string): unknown {
  let anchored = false;
  let anchorMap: object | undefined;
  // js-yaml stores every anchor while state.anchor is set, and calls the listener before and
  // after each node with that state: one anchor anywhere is seen here.
  // (Both fields are js-yaml's State, which @types/js-yaml leaves out.)
  const listener = (_event: EventType, state: State): void => {
    const s = state as State & { anchor?: string | null; anchorMap?: object };
    if (s.anchor !== null && s.anchor !== undefined) anchored = true;
    anchorMap = s.anchorMap;
  };
  let data: unknown;
  try {
    // An anchor is written with "&": a text without one has none, and js-yaml parses it without
    // calling the listener twice per node (~15,000 calls on a 500-node inventory, issue 25).
    // An alias then has nothing to name, and js-yaml throws on it (the slow path reports it).
    data = loadYaml(text, text.includes('&') ? { schema: CORE_SCHEMA, filename: file, listener } : { schema: CORE_SCHEMA, filename: file });
  } catch {
    return undefined;
  }
  if (anchored || (anchorMap !== undefined && Object.keys(anchorMap).length > 0)) return undefined;
  return data;
}

function hasLongScalar(v: unknown): boolean {
  if (typeof v === 'string') return v.length > MAX_SCALAR_CHARS;
  if (typeof v !== 'object' || v === null) return false;
  // Loops, not some() over entries(): once per value of the file, on code not yet optimised (issue 25).
  if (Array.isArray(v)) {
    for (const x of v) if (hasLongScalar(x)) return true;
    return false;
  }
  for (const k of Object.keys(v)) if (k.length > MAX_SCALAR_CHARS || hasLongScalar((v as Record<string, unknown>)[k])) return true;
  return false;
}

type YamlDoc = ReturnType<YamlLib['parseDocument']>;

/** Over-long scalars and aliases without an anchor, each with its YAML path and line. */
function scanDocument(doc: YamlDoc, lineOf: (o: number | undefined) => number | undefined): InventoryProblem[] {
  const { visit, isPair, isSeq, isScalar } = requireYaml();
  const problems: InventoryProblem[] = [];
  const anchors = new Set<string>();
  // Bounded: a 1 MiB file can repeat one mistake ~100k times; the rest are counted, and their YAML
  // paths (a linear search each) are never computed.
  let more = 0;
  const room = () => problems.length < MAX_PROBLEMS_SHOWN || (more++, false);
  const pathOf = (ancestors: readonly unknown[], node: unknown): string => {
    const parts: (string | number)[] = [];
    const chain = [...ancestors, node];
    chain.forEach((a, i) => {
      if (isPair(a) && a.key !== node) parts.push(isScalar(a.key) ? String(a.key.value).slice(0, 64) : '?');
      else if (isSeq(a)) parts.push(a.items.indexOf(chain[i + 1]));
    });
    return formatPath(parts);
  };
  visit(doc, {
    Map(_key, node, ancestors) {
      if (node.anchor) anchors.add(node.anchor);
      // Duplicate keys, found with one Set per map: the yaml library's own check (uniqueKeys) scans
      // every earlier key for each key, which took 25 s on a 1 MiB file of 60,000 keys.
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        const k = isScalar(pair.key) ? pair.key.value : pair.key;
        if (seen.has(k) && room()) {
          const scalar = isScalar(pair.key) ? pair.key : undefined;
          problems.push({
            path: pathOf(ancestors, node),
            line: lineOf(scalar?.range?.[0]),
            message: `Map keys must be unique: ${String(k).slice(0, 64)} appears more than once`,
          });
        }
        seen.add(k);
      }
    },
    Seq(_key, node) {
      if (node.anchor) anchors.add(node.anchor);
    },
    Scalar(key, node, ancestors) {
      if (node.anchor) anchors.add(node.anchor);
      const value: unknown = node.value;
      const length = typeof value === 'string' ? value.length : (node.source?.length ?? 0);
      if (length > MAX_SCALAR_CHARS && room())
        problems.push({
          path: pathOf(ancestors, node),
          line: lineOf(node.range?.[0]),
          message: `${key === 'key' ? 'a key' : 'value'} is ${length} characters long; at most ${MAX_SCALAR_CHARS} are accepted`,
        });
    },
    Alias(_key, node, ancestors) {
      if (!anchors.has(node.source) && room())
        problems.push({
          path: pathOf(ancestors, node),
          line: lineOf(node.range?.[0]),
          message: `YAML alias *${node.source.slice(0, 64)} refers to no anchor (&${node.source.slice(0, 64)}) defined before it`,
        });
    },
  });
  if (more > 0) problems.push({ path: '', message: `… and ${more} more problems of the same kinds` });
  return problems;
}

/** The slow path: every problem with its YAML path and line. */
function parseWithPositions(text: string, file: string): LoadedInventory {
  const { LineCounter, parseDocument, visit } = requireYaml();
  const lineCounter = new LineCounter();
  let doc: YamlDoc;
  try {
    doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  } catch (e) {
    throw new InventoryError(file, [{ path: '', message: `YAML: ${yamlMessage((e as Error).message)}` }]);
  }
  const lineOf = (offset: number | undefined) => (offset === undefined ? undefined : lineCounter.linePos(offset).line);
  if (doc.errors.length > 0) {
    throw new InventoryError(
      file,
      doc.errors.map((e) => ({ path: '', line: lineOf(e.pos[0]), message: `YAML: ${yamlMessage(e.message)}` })),
    );
  }
  const scanned = scanDocument(doc, lineOf);
  if (scanned.length > 0) throw new InventoryError(file, scanned);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    let line: number | undefined;
    visit(doc, {
      Alias(_k, node) {
        line = lineOf(node.range?.[0]);
        return visit.BREAK;
      },
    });
    const message =
      e instanceof ReferenceError && /alias count/i.test(e.message)
        ? `YAML aliases expand to too many nodes (at most ${MAX_ALIAS_COUNT}; an alias bomb?): write the values out instead`
        : `YAML: ${yamlMessage((e as Error).message)}`;
    throw new InventoryError(file, [{ path: '', line, message }]);
  }
  const result = inventorySchema.safeParse(data ?? {}, ONE_PARSE);
  if (!result.success) {
    // Each problem looks its line up in the document; past MAX_PROBLEMS_SHOWN they are only counted.
    const issues = result.error.issues;
    const shown = issues.slice(0, MAX_PROBLEMS_SHOWN).map((issue) => problemOf(issue, doc, lineOf));
    if (issues.length > shown.length)
      shown.push({ path: '', message: `… and ${issues.length - shown.length} more problems of the same kinds` });
    throw new InventoryError(file, shown);
  }
  return loadedInventory(result.data, file);
}

function yamlMessage(m: string): string {
  // The parsers recurse per nesting level: `[[[[…]]]]` thousands deep overflows the stack.
  if (/Maximum call stack/i.test(m)) return 'nested too deeply';
  const first = m.split('\n')[0] ?? m;
  return first.length > 200 ? `${first.slice(0, 200)}…` : first;
}

function problemOf(
  issue: z.core.$ZodIssue,
  doc: ReturnType<YamlLib['parseDocument']>,
  lineOf: (o: number | undefined) => number | undefined,
): InventoryProblem {
  const { isNode, isMap, isScalar } = requireYaml();
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
    // The first unknown key's own line, not its map's (a top-level key was always "line 6", the first key of the file).
    const map: unknown = doc.getIn(path, true);
    if (isMap(map)) {
      const pair = map.items.find((p) => isScalar(p.key) && p.key.value === keys[0]);
      const at = isScalar(pair?.key) ? lineOf(pair.key.range?.[0]) : undefined;
      if (at !== undefined) line = at;
    }
    const named = (list: string[]) =>
      list.length > MAX_KEYS_NAMED
        ? `${list.slice(0, MAX_KEYS_NAMED).join(', ')} and ${list.length - MAX_KEYS_NAMED} more`
        : list.join(', ');
    message = keys.some((k) => /pass|secret/i.test(k))
        ? `secrets are never kept in the inventory: remove ${named(keys)} and use passwordEnv (or let the wizard ask)`
        : `unknown key${keys.length > 1 ? 's' : ''}: ${named(keys)}`;
  } else if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) {
    message = 'required field is missing';
  }
  return { path: formatPath(path), line, message };
}

/**
 * Reads and validates an inventory. The file must be a regular file of at most
 * INVENTORY_MAX_BYTES, in UTF-8; anything else is exit 3 with a one-line reason naming the file.
 */
export function loadInventory(file: string): LoadedInventory {
  const abs = resolve(file);
  let text: string;
  try {
    text = decodeUtf8(file, readBoundedSync(abs, { maxBytes: INVENTORY_MAX_BYTES }));
  } catch (err) {
    if (!(err instanceof BoundedReadError)) throw err;
    if (err.problem === 'not-utf8') throw new InventoryError(abs, [{ path: '', line: err.line, message: 'bytes that are not UTF-8; save the file as UTF-8' }]);
    throw new UserError(`inventory ${err.message}`, 'Check the --inventory path: it must be a regular YAML file.', ExitCode.invalidInput);
  }
  return parseInventory(text, abs);
}
