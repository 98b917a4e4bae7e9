// Bulk updates of objects found at run time (issue 21 slice 3: S032/S033 move phones to their
// security profile and request an LSC). The objects are listed read-only (list<Type>, paged with
// skip/first), filtered by model, and updated in waves: each wave's intent is recorded first (the
// caller's journal), then every phone not already in place is written one at a time
// (update<Type>, then apply<Type>), and the whole wave is read back (get<Type>) before the next
// wave starts. A stopped run resumes without re-sending: phones of waves recorded done are
// neither read nor written, and every other phone is read before it is written.
//
// AXL shapes (AXLSoap.xsd 12.5/14.0/15.0): ListPhoneReq is searchCriteria (name, description,
// protocol, callingSearchSpaceName, devicePoolName, securityProfileName — at least one), then
// returnedTags (LPhone: name, …, model, …, devicePoolName, …, securityProfileName), skip, first.
// GetPhoneReq takes name and returnedTags (RPhone: securityProfileName, …, certificateOperation,
// …, certificateStatus). certificateOperation values and XCertificateStatus ("Upgrade Success",
// "Upgrade Failed…", "Operation Pending") are AXLEnums.xsd's.
import type { AxlField, AxlRequest, AxlSelection } from '../plan/types.js';
import { AxlInDoubt, asList, textOf, type AxlClient, type AxlRecord, type AxlValue } from './axl/index.js';
import { readObject } from './axl-objects.js';

/** Rows per listPhone page: bounded answers (Unified CM caps AXL responses by size [I: the Developer Guide's throttling section]). */
export const PAGE_SIZE = 500;
/** Reads in flight at once (writes stay one at a time: the client serialises them). */
export const READ_CONCURRENCY = 4;

export interface Listed {
  name: string;
  model: string;
  /** As listed: a phone already on another profile needs no read before its write. */
  fields: AxlRecord;
}

/** A selection that cannot be worked: nothing written. */
export class SelectionStop extends Error {}

const isRecord = (v: AxlValue | undefined): v is AxlRecord => v !== undefined && typeof v === 'object' && !Array.isArray(v);
const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

/** The listed objects of a selection, sorted by name; more than `max` stops before any write. */
export async function discover(client: AxlClient, object: string, sel: AxlSelection, fields: AxlField[], signal?: AbortSignal): Promise<Listed[]> {
  const criteria: AxlRecord = Object.fromEntries(sel.criteria.map((f) => [f.name, f.value]));
  // LPhone order: name, model, devicePoolName, securityProfileName (the XSD sequence).
  const tags: AxlRecord = { name: '', model: '', ...Object.fromEntries(fields.filter((f) => f.name === 'securityProfileName').map((f) => [f.name, ''])) };
  const seen = new Map<string, Listed>();
  let matched = 0;
  for (let skip = 0; ; skip += PAGE_SIZE) {
    const res = await client.call(sel.list, { searchCriteria: criteria, returnedTags: tags, skip: String(skip), first: String(PAGE_SIZE) }, { write: false, ...(signal ? { signal } : {}) });
    const ret = res.return;
    const rows = isRecord(ret) ? asList(ret[lowerFirst(object)]).filter(isRecord) : [];
    for (const r of rows) {
      const name = textOf(r.name);
      const model = textOf(r.model);
      if (name === '' || (sel.models.length > 0 && !sel.models.some((m) => m.toLowerCase() === model.toLowerCase()))) continue;
      if (++matched > sel.max) throw new SelectionStop(`more than ${sel.max} phones match ${selectionText(sel)}; nothing written — narrow the selection or raise phones.max`);
      seen.set(name.toLowerCase(), { name, model, fields: r });
    }
    if (rows.length < PAGE_SIZE) break;
  }
  return [...seen.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function selectionText(sel: AxlSelection): string {
  return [...sel.criteria.map((f) => `${f.name}=${f.value}`), ...(sel.models.length > 0 ? [`model=${sel.models.join('|')}`] : [])].join(' ');
}

export type LscState = 'installed' | 'pending' | 'failed' | undefined;

/**
 * How a phone read back stands against the planned fields. An LSC request (certificateOperation
 * Install/Upgrade) is satisfied while it is pending and once CAPF reports "Upgrade Success"
 * (Unified CM then shows No Pending Operation [I: as the CM Administration phone page does]);
 * "Upgrade Failed…" is a failure. Other fields compare as written.
 */
export function phoneStanding(fields: AxlField[], r: AxlRecord): { missing: string[]; lsc: LscState } {
  const missing: string[] = [];
  let lsc: LscState;
  const status = textOf(r.certificateStatus);
  for (const f of fields) {
    const have = textOf(r[f.name]);
    if (f.name === 'certificateOperation' && f.value === 'Install/Upgrade') {
      if (/^Upgrade Failed/i.test(status)) lsc = 'failed';
      else if (status === 'Upgrade Success' && have !== 'Install/Upgrade') lsc = 'installed';
      else if (have === 'Install/Upgrade') lsc = 'pending';
      if (lsc === undefined || lsc === 'failed') missing.push(`certificateOperation is "${have}"${status ? `, certificateStatus "${status}"` : ''}`);
      continue;
    }
    const same = /^(true|false)$/i.test(f.value) ? f.value.toLowerCase() === have.toLowerCase() : f.value === have;
    if (!same) missing.push(`${f.name} is "${have}", planned "${f.value}"`);
  }
  return { missing, lsc };
}

/** The fields get<Type> returns for the standing check (RPhone order). */
function readTags(fields: AxlField[]): AxlRecord {
  const names = fields.map((f) => f.name);
  const tags: AxlRecord = Object.fromEntries(names.filter((n) => n !== 'certificateOperation').map((n) => [n, '']));
  if (names.includes('certificateOperation')) Object.assign(tags, { certificateOperation: '', certificateStatus: '' });
  return tags;
}

/** Runs `f` over `items` with at most `n` in flight; results in order. */
async function pooled<T, R>(items: T[], n: number, f: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return out;
}

async function readPhone(client: AxlClient, object: string, name: string, fields: AxlField[], signal?: AbortSignal): Promise<AxlRecord | undefined> {
  return readObject(client, object, { name, returnedTags: readTags(fields) }, signal);
}

export interface BulkHooks {
  progress?: (line: string) => void;
  signal?: AbortSignal;
  /** Phones an earlier run of this step recorded done (in waves read back): neither read nor sent. */
  done?: ReadonlySet<string>;
  /** The wave's intent, durable before its first write. */
  beforeWave?: (names: string[]) => Promise<void>;
  afterWave?: (names: string[], outcome: 'ok' | 'failed' | 'in-doubt', summary: string) => Promise<void>;
  /** Monotonic ms (tests, estimates). */
  now?: () => number;
}

export interface BulkOutcome {
  outcome: 'ok' | 'failed' | 'in-doubt';
  line: string;
  listed: number;
  written: number;
  inPlace: number;
  resumed: number;
  waves: number;
}

/** Lists the selection and updates it wave by wave (see the head of this file). */
export async function applySelection(client: AxlClient, r: AxlRequest, hooks: BulkHooks = {}): Promise<BulkOutcome> {
  const sel = r.select!;
  const { signal } = hooks;
  const now = hooks.now ?? (() => performance.now());
  const opt = signal ? { signal } : {};
  hooks.progress?.(`${sel.list} ${selectionText(sel)}…`);
  const listed = await discover(client, r.object, sel, r.fields, signal);
  const counts = { listed: listed.length, written: 0, inPlace: 0, resumed: 0, waves: 0 };
  const result = (outcome: BulkOutcome['outcome'], line: string): BulkOutcome => ({ outcome, line, ...counts });
  if (listed.length === 0) return result('failed', `no ${r.object.toLowerCase()} matches ${selectionText(sel)}; nothing written`);
  const todo = listed.filter((p) => !(hooks.done?.has(p.name.toLowerCase()) ?? false));
  counts.resumed = listed.length - todo.length;
  const total = Math.ceil(todo.length / sel.waveSize);
  const t0 = now();
  for (let w = 0; w < total; w++) {
    const wave = todo.slice(w * sel.waveSize, (w + 1) * sel.waveSize);
    const names = wave.map((p) => p.name);
    const finished = w * sel.waveSize;
    const eta = finished === 0 ? '' : `, about ${Math.ceil((((now() - t0) / finished) * (todo.length - finished)) / 1000)} s left`;
    hooks.progress?.(`wave ${w + 1}/${total}: ${counts.resumed + finished}/${listed.length} done${eta}`);
    await hooks.beforeWave?.(names);
    // A phone listed on another profile certainly needs the write; one already on it is read
    // first (its LSC state is not in the listing), so nothing in place is sent again.
    const planned = r.fields.find((f) => f.name === 'securityProfileName')?.value;
    const unsure = wave.filter((p) => planned === undefined || textOf(p.fields.securityProfileName) === planned);
    const reads = await pooled(unsure, READ_CONCURRENCY, (p) => readPhone(client, r.object, p.name, r.fields, signal));
    const inPlace = new Set(unsure.filter((_, i) => reads[i] !== undefined && phoneStanding(r.fields, reads[i]).missing.length === 0).map((p) => p.name));
    counts.inPlace += inPlace.size;
    for (const p of wave) {
      if (inPlace.has(p.name)) continue;
      try {
        await client.call(r.operation, { name: p.name, ...Object.fromEntries(r.fields.map((f) => [f.name, f.value])) }, { write: true, ...opt });
        if (r.after !== undefined) await client.call(`${r.after}${r.object}`, { name: p.name }, { write: true, ...opt });
      } catch (e) {
        if (!(e instanceof AxlInDoubt)) throw e;
        const line = `wave ${w + 1}/${total}: ${r.operation} ${p.name} sent, answer lost — in doubt; the read-back decides`;
        await hooks.afterWave?.(names, 'in-doubt', line);
        return result('in-doubt', line);
      }
      counts.written++;
    }
    const back = await pooled(wave, READ_CONCURRENCY, (p) => readPhone(client, r.object, p.name, r.fields, signal));
    const bad = wave.flatMap((p, i) => {
      const b = back[i];
      if (b === undefined) return [`${p.name} not found`];
      const s = phoneStanding(r.fields, b);
      return s.missing.length === 0 ? [] : [`${p.name}: ${s.missing.join(', ')}`];
    });
    counts.waves++;
    if (bad.length > 0) {
      const line = `wave ${w + 1}/${total}: the read-back differs for ${bad.length} of ${wave.length} (${bad.slice(0, 5).join('; ')}${bad.length > 5 ? '; …' : ''}); later waves not started`;
      await hooks.afterWave?.(names, 'failed', line);
      return result('failed', line);
    }
    await hooks.afterWave?.(names, 'ok', `wave ${w + 1}/${total}: ${wave.length} read back`);
  }
  const line = `${listed.length} ${r.object.toLowerCase()}s of ${selectionText(sel)}: ${counts.written} written + ${r.after ?? ''}${r.after ? r.object : ''}${r.after ? ', ' : ''}${counts.inPlace} already in place${counts.resumed > 0 ? `, ${counts.resumed} done before the interruption` : ''}, ${counts.waves} wave(s) read back`;
  return result('ok', line);
}

/** The checkpoint of a selection: list it again and read every object back. */
export async function readBackSelection(client: AxlClient, c: { object: string; expect: AxlField[]; select: AxlSelection }, signal?: AbortSignal): Promise<{ ok: boolean; details: string[] }> {
  let listed: Listed[];
  try {
    listed = await discover(client, c.object, c.select, c.expect, signal);
  } catch (e) {
    if (e instanceof SelectionStop) return { ok: false, details: [e.message] };
    throw e;
  }
  const what = selectionText(c.select);
  if (listed.length === 0) return { ok: false, details: [`no ${c.object.toLowerCase()} matches ${what}`] };
  const reads = await pooled(listed, READ_CONCURRENCY, (p) => readPhone(client, c.object, p.name, c.expect, signal));
  const lsc = { installed: 0, pending: 0 };
  const bad: string[] = [];
  listed.forEach((p, i) => {
    const b = reads[i];
    if (b === undefined) return void bad.push(`${p.name} not found`);
    const s = phoneStanding(c.expect, b);
    if (s.missing.length > 0) bad.push(`${p.name}: ${s.missing.join(', ')}`);
    else if (s.lsc === 'installed' || s.lsc === 'pending') lsc[s.lsc]++;
  });
  const lscText = c.expect.some((f) => f.name === 'certificateOperation') ? `; LSC ${lsc.installed} installed (Upgrade Success), ${lsc.pending} pending (Install/Upgrade)` : '';
  const head = `${what}: ${listed.length - bad.length} of ${listed.length} as planned${lscText}`;
  return { ok: bad.length === 0, details: [bad.length === 0 ? head : `${head}; ${bad.slice(0, 5).join('; ')}${bad.length > 5 ? `; and ${bad.length - 5} more` : ''}`] };
}
