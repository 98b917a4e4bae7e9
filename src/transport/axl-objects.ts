// The AXL form of a step (issue 21): make each planned object exist with the planned fields, one
// request at a time, and read it back. Idempotent by construction — every write is preceded by a
// read of the same object, so a resumed or repeated step finds what is already in place and
// writes nothing. An object that exists with other settings is never overwritten by a `create`:
// the difference is shown and the step stops for the operator.
//
// AXL shapes used (AXLSoap.xsd, every version collabsec speaks): add<Type> takes the object
// wrapped in its lower-camel element (`<phoneSecurityProfile>`); update<Type> and get<Type>
// take `name` first, then the fields, at the top level; get<Type> answers `<return><type>…`.
// An unknown name is the axlError "Item not valid: The specified … was not found" (axlcode 5007,
// see src/lab/axl/replies.ts for the sources).
import type { AxlField, AxlRequest } from '../plan/types.js';
import { AxlFault, AxlInDoubt, asList, type AxlClient, type AxlRecord, type AxlValue, textOf } from './axl/index.js';

const NOT_FOUND = 5007;

export type AxlObjectResult =
  /** Written and read back with every planned field. */
  | { name: string; status: 'written'; operation: string }
  /** Already there with every planned field: nothing written. */
  | { name: string; status: 'in-place' }
  /** Differs from the plan and was not written (create never overwrites; the operator decides). */
  | { name: string; status: 'different'; differences: FieldDifference[] }
  /** `update` of an object that does not exist. */
  | { name: string; status: 'missing' };

export interface FieldDifference {
  field: string;
  want: string;
  have: string;
}

export interface ApplyOutcome {
  outcome: 'ok' | 'failed' | 'in-doubt';
  /** One line per object, in order. */
  lines: string[];
  results: AxlObjectResult[];
}

const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

/** `list.item[].leaf`: a leaf set in every item of a list the object has (a trunk's destinations' port). */
interface ListPath {
  list: string;
  item: string;
  leaf: string;
}

function listPath(name: string): ListPath | undefined {
  const m = /^(\w+)\.(\w+)\[\]\.(\w+)$/.exec(name);
  return m ? { list: m[1]!, item: m[2]!, leaf: m[3]! } : undefined;
}

const isRecord = (v: AxlValue | undefined): v is AxlRecord => v !== undefined && typeof v === 'object' && !Array.isArray(v);

/** The items of a list element as read (attributes such as @uuid dropped: they are not sent). */
function itemsOf(found: AxlRecord | undefined, p: ListPath): AxlRecord[] {
  const list = found?.[p.list];
  return asList(isRecord(list) ? list[p.item] : undefined)
    .filter(isRecord)
    .map((it) => Object.fromEntries(Object.entries(it).filter(([k]) => !k.startsWith('@'))));
}

/**
 * The request body's fields, in order. A list path rewrites the items the object has, whole and
 * in their order, with the planned leaf (an item list is replaced as a whole by update<Type>).
 */
function record(fields: AxlField[], found?: AxlRecord): AxlRecord {
  const r: AxlRecord = {};
  for (const f of fields) {
    const p = listPath(f.name);
    if (p === undefined) r[f.name] = f.value;
    else {
      // Two leaves of the same list (an LDAP server's port and TLS) change the same items.
      const done = r[p.list];
      const items = isRecord(done) ? asList(done[p.item]).filter(isRecord) : itemsOf(found, p);
      if (items.length > 0) r[p.list] = { [p.item]: items.map((it) => ({ ...it, [p.leaf]: f.value })) };
    }
  }
  return r;
}

/** The identifying fields of an object, in order (get<Type> takes them). */
function keyOf(key: string[], fields: AxlField[]): AxlRecord {
  const r: AxlRecord = {};
  for (const k of key) r[k] = fields.find((f) => f.name === k)?.value ?? '';
  return r;
}

/** The object get<Type> returned, or undefined when Unified CM says it is unknown. */
export async function readObject(client: AxlClient, object: string, key: AxlRecord, signal?: AbortSignal): Promise<AxlRecord | undefined> {
  try {
    const res = await client.call(`get${object}`, key, { write: false, ...(signal ? { signal } : {}) });
    const ret = res.return;
    const obj = ret !== undefined && typeof ret === 'object' && !Array.isArray(ret) ? ret[lowerFirst(object)] : undefined;
    return obj !== undefined && typeof obj === 'object' && !Array.isArray(obj) ? obj : {};
  } catch (e) {
    if (e instanceof AxlFault && e.code === NOT_FOUND) return undefined;
    throw e;
  }
}

/**
 * AXL answers booleans as true/false and numbers as text; names compare exactly. A service
 * parameter's boolean value may come back as Unified CM stores it, T or F [I], which counts as
 * true or false.
 */
function same(want: string, have: AxlValue | undefined): boolean {
  const h = textOf(have);
  if (!/^(true|false)$/i.test(want)) return want === h;
  const b = /^t$/i.test(h) ? 'true' : /^f$/i.test(h) ? 'false' : h.toLowerCase();
  return want.toLowerCase() === b;
}

/** Planned fields the object does not have as planned (a list path: every item's leaf; no items: nothing to change). */
export function differences(fields: AxlField[], found: AxlRecord): FieldDifference[] {
  const out: FieldDifference[] = [];
  for (const f of fields) {
    const p = listPath(f.name);
    if (p === undefined) {
      if (!same(f.value, found[f.name])) out.push({ field: f.name, want: f.value, have: textOf(found[f.name]) });
      continue;
    }
    const leaves = itemsOf(found, p).map((it) => it[p.leaf]);
    if (leaves.some((l) => !same(f.value, l))) out.push({ field: f.name, want: f.value, have: leaves.map((l) => textOf(l)).join(',') });
  }
  return out;
}

export function describeDifferences(d: FieldDifference[]): string {
  return d.map((x) => `${x.field} is "${x.have}", planned "${x.want}"`).join(', ');
}

/**
 * Applies the requests in order, stopping at the first that does not end in place or written.
 * A write whose answer never came is in doubt: the caller reads back (the checkpoint) before
 * anything else, never re-sends.
 */
export async function applyAxl(client: AxlClient, requests: AxlRequest[], progress?: (line: string) => void, signal?: AbortSignal): Promise<ApplyOutcome> {
  const lines: string[] = [];
  const results: AxlObjectResult[] = [];
  const done = (outcome: ApplyOutcome['outcome']): ApplyOutcome => ({ outcome, lines, results });
  for (const r of requests) {
    progress?.(`${r.readBack} ${r.name}…`);
    const key = keyOf(r.key, r.fields);
    const found = await readObject(client, r.object, key, signal);
    if (found === undefined && r.mode === 'update') {
      results.push({ name: r.name, status: 'missing' });
      lines.push(`${r.object} ${r.name}: not found on Unified CM; nothing written`);
      return done('failed');
    }
    if (found !== undefined) {
      const diff = differences(r.fields, found);
      if (diff.length === 0) {
        results.push({ name: r.name, status: 'in-place' });
        lines.push(`${r.object} ${r.name}: already in place; nothing written`);
        continue;
      }
      if (r.mode === 'create') {
        results.push({ name: r.name, status: 'different', differences: diff });
        lines.push(`${r.object} ${r.name}: exists with other settings (${describeDifferences(diff)}); not overwritten — change it in the GUI or rename it in the inventory`);
        return done('failed');
      }
    }
    const operation = r.operation;
    // add wraps the object in its element; update takes the key, then the fields, at the top level.
    const payload: AxlRecord = r.mode === 'create' ? { [lowerFirst(r.object)]: record(r.fields) } : record(r.fields, found);
    progress?.(`${operation} ${r.name}…`);
    try {
      await client.call(operation, payload, { write: true, ...(signal ? { signal } : {}) });
    } catch (e) {
      if (e instanceof AxlInDoubt) {
        lines.push(`${r.object} ${r.name}: ${operation} sent, answer lost — in doubt; the read-back decides`);
        return done('in-doubt');
      }
      throw e;
    }
    if (r.after !== undefined) {
      // reset/apply make the change take effect (a trunk reset drops its calls: the step is disruptive).
      progress?.(`${r.after}${r.object} ${r.name}…`);
      await client.call(`${r.after}${r.object}`, key, { write: true, ...(signal ? { signal } : {}) });
    }
    const back = await readObject(client, r.object, key, signal);
    const diff = back === undefined ? undefined : differences(r.fields, back);
    if (diff === undefined || diff.length > 0) {
      lines.push(`${r.object} ${r.name}: ${operation} answered, but the read-back ${diff === undefined ? 'does not find it' : `differs (${describeDifferences(diff)})`}`);
      return done('failed');
    }
    results.push({ name: r.name, status: 'written', operation });
    lines.push(`${r.object} ${r.name}: ${operation}${r.after !== undefined ? ` + ${r.after}${r.object}` : ''} ok, read back`);
  }
  return done('ok');
}

/** The checkpoint's read-back: every object there with every planned field. */
export async function readBack(client: AxlClient, checks: { object: string; name: string; key: string[]; expect: AxlField[] }[], signal?: AbortSignal): Promise<{ ok: boolean; details: string[] }> {
  const details: string[] = [];
  let ok = true;
  for (const c of checks) {
    const found = await readObject(client, c.object, keyOf(c.key, c.expect), signal);
    const diff = found === undefined ? undefined : differences(c.expect, found);
    if (diff !== undefined && diff.length === 0) details.push(`${c.name} as planned`);
    else {
      ok = false;
      details.push(diff === undefined ? `${c.name} not found` : `${c.name}: ${describeDifferences(diff)}`);
    }
  }
  return { ok, details };
}
