// Tamper evidence for the journal: one hash chain over every step's history. Each event carries
// its place in the chain (`seq`) and sha256(previous hash + canonical JSON of the event and its
// step id), so changing an event's status, deleting, inserting, reordering or moving one between
// steps breaks the chain at that event. The session holds no secret to key it, so someone who
// recomputes every hash is not stopped; an edit by hand (the case issue 12 saw) is. A write
// hashes only the event it appends; a whole pass runs on load (verifyJournal).
import { sha256Hex } from '../sha256.js';
import { canonicalJson } from './hash.js';
import { stepEventSchema, type JournalChain, type SessionState, type StepEvent, type TamperAck } from './state.js';

export interface ChainBreak {
  /** Step whose history holds the broken event (absent when the end of the chain is missing). */
  step?: string;
  /** Position of the event in that step's history, from 1. */
  event?: number;
  seq?: number;
  status?: string;
  at?: string;
  problem: string;
}

export type JournalIntegrity =
  | { kind: 'not-chained'; events: number }
  | { kind: 'chained'; events: number; sealed?: JournalChain['sealed']; acknowledged: TamperAck[] }
  | { kind: 'tampered'; events: number; first: ChainBreak; breaks: ChainBreak[]; sealed?: JournalChain['sealed']; acknowledged: TamperAck[] };

/**
 * The chain starts from the session's lineage (a history copied from another session does not
 * verify) and the sealing and acknowledgement records, so removing those is itself an edit.
 */
export function genesisHash(state: Pick<SessionState, 'lineage'>, chain: Pick<JournalChain, 'sealed' | 'acknowledged'>): string {
  return sha256Hex(`collabsec journal\n${state.lineage}\n${canonicalJson({ sealed: chain.sealed ?? null, acknowledged: chain.acknowledged ?? [] })}`);
}

export function eventHash(prev: string, stepId: string, event: StepEvent): string {
  const { hash: _omit, ...content } = event;
  return sha256Hex(`${prev}\n${canonicalJson({ step: stepId, event: content })}`);
}

/** A new session's (empty) chain. */
export function emptyChain(state: Pick<SessionState, 'lineage'>): JournalChain {
  return { head: genesisHash(state, {}), length: 0 };
}

/**
 * Appends an event to a step's history, chained after the current head: one hash, whatever the
 * history's length. A state without a chain (an old file not yet sealed) gets a plain append.
 */
export function appendEvent(state: SessionState, stepId: string, raw: StepEvent): SessionState {
  const rec = state.steps[stepId];
  if (!rec) throw new Error(`Step ${stepId} is not in the session`);
  let event = raw;
  let chain = state.chain;
  if (chain) {
    // Parsed as a reader will parse it, so the hash covers exactly what a load sees.
    const content = stepEventSchema.parse({ ...raw, seq: chain.length, hash: undefined });
    const hash = eventHash(chain.head, stepId, content);
    event = { ...content, hash };
    chain = { ...chain, head: hash, length: chain.length + 1 };
  }
  return { ...state, steps: { ...state.steps, [stepId]: { ...rec, history: [...rec.history, event] } }, ...(chain ? { chain } : {}) };
}

/** Step ids in a stable order: the plan's, then steps that left it. */
function stepIds(state: SessionState): string[] {
  const inOrder = new Set(state.order);
  return [...state.order.filter((id) => state.steps[id] !== undefined), ...Object.keys(state.steps).filter((id) => !inOrder.has(id)).sort()];
}

/**
 * Chains every event as it is now (O(n), never on a normal write): an old file on first open
 * (`sealed`), or a journal found edited once the operator accepted it (`ack`). Events are taken
 * in time order across steps, each step's own order kept.
 */
export function sealJournal(state: SessionState, who: { at: string; user: string; host: string }, ack?: string[]): SessionState {
  const previous = state.chain;
  const events = Object.values(state.steps).reduce((n, r) => n + r.history.length, 0);
  const base: Pick<JournalChain, 'sealed' | 'acknowledged'> = ack
    ? { ...(previous?.sealed ? { sealed: previous.sealed } : {}), acknowledged: [...(previous?.acknowledged ?? []), { ...who, breaks: ack }] }
    : { sealed: { ...who, events }, ...(previous?.acknowledged ? { acknowledged: previous.acknowledged } : {}) };
  const ids = stepIds(state);
  const queues = ids.map((id) => ({ id, events: state.steps[id]!.history, next: 0 }));
  const rebuilt = new Map(ids.map((id) => [id, [] as StepEvent[]]));
  let head = genesisHash(state, base);
  for (let seq = 0; seq < events; seq++) {
    let pick: (typeof queues)[number] | undefined;
    for (const q of queues) if (q.next < q.events.length && (pick === undefined || q.events[q.next]!.at < pick.events[pick.next]!.at)) pick = q;
    const content = stepEventSchema.parse({ ...pick!.events[pick!.next++], seq, hash: undefined });
    head = eventHash(head, pick!.id, content);
    rebuilt.get(pick!.id)!.push({ ...content, hash: head });
  }
  const steps = Object.fromEntries(ids.map((id) => [id, { ...state.steps[id]!, history: rebuilt.get(id)! }]));
  return { ...state, steps, chain: { head, length: events, ...base } };
}

/** Walks the whole chain: every break, in chain order (the first one is what a reader is told). */
export function verifyJournal(state: SessionState): JournalIntegrity {
  const chained: { step: string; index: number; e: StepEvent & { seq: number; hash: string } }[] = [];
  const breaks: { key: number; b: ChainBreak }[] = [];
  const at = (step: string, index: number, e: StepEvent, seq?: number) => ({ step, event: index + 1, ...(seq !== undefined ? { seq } : {}), status: e.status, at: e.at });
  let events = 0;
  for (const id of stepIds(state)) {
    let last = -1;
    state.steps[id]!.history.forEach((e, index) => {
      events++;
      if (e.seq === undefined || e.hash === undefined) {
        // Placed just after the chained event before it in the same history.
        if (state.chain || chained.length > 0) breaks.push({ key: last + 0.5, b: { ...at(id, index, e), problem: 'has no chain hash: it was added outside collabsec' } });
        return;
      }
      if (e.seq <= last) breaks.push({ key: e.seq, b: { ...at(id, index, e, e.seq), problem: 'is out of order: events were moved outside collabsec' } });
      last = Math.max(last, e.seq);
      chained.push({ step: id, index, e: e as StepEvent & { seq: number; hash: string } });
    });
  }
  const chain = state.chain;
  if (!chain && chained.length === 0) return { kind: 'not-chained', events };
  if (!chain) breaks.push({ key: -1, b: { problem: 'its chain record was removed from the session file' } });
  chained.sort((a, b) => a.e.seq - b.e.seq);
  let prev = chain ? genesisHash(state, chain) : undefined;
  let expect = 0;
  for (const { step, index, e } of chained) {
    if (e.seq < expect) {
      breaks.push({ key: e.seq, b: { ...at(step, index, e, e.seq), problem: 'repeats another event of the chain: it was copied outside collabsec' } });
      continue;
    }
    if (e.seq > expect) {
      const missing = e.seq - expect === 1 ? `event #${expect} of the chain is` : `events #${expect}–#${e.seq - 1} of the chain are`;
      breaks.push({ key: expect, b: { ...at(step, index, e, e.seq), problem: `follows a gap: ${missing} missing (deleted outside collabsec)` } });
    } else if (prev !== undefined && eventHash(prev, step, e) !== e.hash) {
      breaks.push({ key: e.seq, b: { ...at(step, index, e, e.seq), problem: 'does not match its hash: it was changed outside collabsec' } });
    }
    // The writer chained the next event from the hash it stored, so one edit is one break.
    prev = e.hash;
    expect = e.seq + 1;
  }
  if (chain && (chain.length !== expect || chain.head !== prev)) {
    const problem = chain.length > expect ? `the last ${chain.length - expect === 1 ? 'event was' : `${chain.length - expect} events were`} removed outside collabsec` : 'the end of the chain does not match its record: events were removed or replaced outside collabsec';
    breaks.push({ key: expect, b: { problem } });
  }
  const base = { events, ...(chain?.sealed ? { sealed: chain.sealed } : {}), acknowledged: chain?.acknowledged ?? [] };
  if (breaks.length === 0) return { kind: 'chained', ...base };
  const sorted = breaks.sort((a, b) => a.key - b.key).map((x) => x.b);
  return { kind: 'tampered', ...base, first: sorted[0]!, breaks: sorted };
}

/** "S003 event 2 (verified at …) does not match its hash: …". */
export function describeBreak(b: ChainBreak): string {
  if (b.step === undefined) return `the journal's end: ${b.problem}`;
  return `${b.step} event ${b.event}${b.status ? ` (${b.status}${b.at ? ` at ${b.at}` : ''})` : ''} ${b.problem}`;
}

/** True when the journal was edited outside collabsec, now or before an acknowledged re-seal. */
export function isTampered(i: JournalIntegrity): boolean {
  return i.kind === 'tampered' || (i.kind === 'chained' && i.acknowledged.length > 0);
}

/** One line for `status`, the evidence pack and the wizard's warning. */
export function integrityLine(i: JournalIntegrity): string {
  if (i.kind === 'not-chained') return `not chained (written before collabsec kept a hash chain; ${i.events} events unverified)`;
  const acks = i.acknowledged.map((a) => `${a.user}@${a.host} accepted an edited journal at ${a.at} (${a.breaks[0] ?? 'edited'}${a.breaks.length > 1 ? ` and ${a.breaks.length - 1} more` : ''})`);
  if (i.kind === 'tampered') return `TAMPERED: first broken event: ${describeBreak(i.first)}${i.breaks.length > 1 ? ` (${i.breaks.length} breaks in all)` : ''}${acks.length > 0 ? `; earlier, ${acks.join('; ')}` : ''}`;
  if (acks.length > 0) return `TAMPERED earlier: ${acks.join('; ')}; chained intact since`;
  return `chained, intact (${i.events} events${i.sealed ? `; the ${i.sealed.events} written before the chain were sealed as found at ${i.sealed.at}` : ''})`;
}
