// Who else works on this session right now (issue 24), for the wizard: the store's presence()
// read every few seconds while the TUI is on screen, this operator itself left out, turned into
// view state (one header line, the steps others hold). Plain mode reads it between steps. The
// UI only renders what is here; nothing here takes, renews or writes anything.
import type { PresentOperator } from '../session/presence.js';
import { stripLine } from '../text/controls.js';
import type { PresenceView, WizardSession } from './types.js';

/** This process's own entry in presence(): its lock or operator record. */
export interface PresenceSelf {
  host: string;
  pid: number;
  startedAt: string;
}

export interface PresenceSource {
  read(): Promise<PresentOperator[]>;
  /**
   * Takes in what the other operators recorded (step statuses), where the session can
   * (WizardSession.refresh); true when the state changed. Read with presence, so their step
   * marks move as their presence line does, not only on this operator's next write.
   */
  refresh?: () => Promise<boolean>;
  /** Left out of what is shown; undefined for a read-only view (it holds nothing). */
  self: PresenceSelf | undefined;
}

/** The session's presence, where it can tell (a session opened on a store; a peek at a file). */
export function presenceSourceOf(session: WizardSession): PresenceSource | undefined {
  const store = session.store;
  if (store === undefined) return undefined;
  const refresh = session.refresh?.bind(session);
  return { read: () => store.presence(), self: session.lockOwner, ...(refresh ? { refresh } : {}) };
}

/** Everyone but this process. The same user on another host or in another process is someone else. */
export function othersOf(all: readonly PresentOperator[], self: PresenceSelf | undefined): PresentOperator[] {
  if (self === undefined) return [...all];
  return all.filter((p) => !(p.host === self.host && p.pid === self.pid && p.since === self.startedAt));
}

/** User and host come from a lock file or a database row: one short printable line each. */
const name = (s: string): string => {
  const t = stripLine(s);
  return t.length > 40 ? `${t.slice(0, 39)}…` : t;
};

/** Who an operator is, as the header shows it: "alice@host-b". */
export function whoText(p: PresentOperator): string {
  return `${name(p.user)}@${name(p.host)}`;
}

/** "just now", "3 min ago", "2 h 5 min ago" (a clock off by seconds reads as "just now"). */
export function agoText(sinceIso: string, nowMs: number): string {
  const ms = nowMs - Date.parse(sinceIso);
  if (!Number.isFinite(ms) || ms < 60_000) return 'just now';
  const min = Math.floor(ms / 60_000);
  if (min < 60) return `${min} min ago`;
  const h = Math.floor(min / 60);
  return min % 60 === 0 ? `${h} h ago` : `${h} h ${min % 60} min ago`;
}

/** One operator in a line: "alice@host-b on S022 (claimed 3 min ago)". */
function operatorLine(p: PresentOperator, nowMs: number): string {
  if (p.mode === 'alone') return `${whoText(p)} (holds the session)`;
  if (p.claims.length === 0) return `${whoText(p)} (no step claimed)`;
  const oldest = p.claims.reduce((a, c) => (c.since < a ? c.since : a), p.claims[0]!.since);
  return `${whoText(p)} on ${p.claims.map((c) => name(c.step)).join(', ')} (claimed ${agoText(oldest, nowMs)})`;
}

/** "alice@host-b on S022 (claimed 3 min ago); bob@host-c (no step claimed)": the header line and plain mode word it around this. */
export function othersText(others: readonly PresentOperator[], nowMs: number): string {
  return others.map((p) => operatorLine(p, nowMs)).join('; ');
}

/** "also here: …" (othersText), or undefined when no one else is. */
export function othersLine(others: readonly PresentOperator[], nowMs: number): string | undefined {
  return others.length === 0 ? undefined : `also here: ${othersText(others, nowMs)}`;
}

/** Steps another operator holds → who ("alice"), for the step list. */
export function claimedBy(others: readonly PresentOperator[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of others) for (const c of p.claims) out[c.step] ??= name(p.user);
  return out;
}

/** Identity of the set of others (who, not what they hold): plain mode says when it changes. */
export function othersKey(others: readonly PresentOperator[]): string {
  return others
    .map((p) => `${p.user}@${p.host}:${p.pid}:${p.since}`)
    .sort()
    .join('\n');
}

/** A failed read, in one bounded line (a store's error never carries a password). */
export function problemText(e: unknown): string {
  const t = stripLine(e instanceof Error ? e.message : String(e));
  return t.length > 200 ? `${t.slice(0, 199)}…` : t;
}

export const EMPTY_PRESENCE: PresenceView = { claimed: {} };

export interface PresencePollOptions {
  /** Between the end of one read and the start of the next (default 5 s). */
  intervalMs?: number;
  now?: () => number;
  /** Called only when what is shown changes: the presence view, or the session's state (refresh). */
  onChange: (view: PresenceView) => void;
}

/**
 * Reads presence now and then every interval, one read at a time (the next is timed from the end
 * of the last, so a slow database never piles reads up). A failed read keeps the last known
 * operators and sets `problem` once; later failures change nothing until a read succeeds again.
 * Its timer never keeps node alive, and stop() drops a read still in flight.
 */
export class PresencePoller {
  readonly #source: PresenceSource;
  readonly #intervalMs: number;
  readonly #now: () => number;
  readonly #onChange: (view: PresenceView) => void;
  #timer: NodeJS.Timeout | undefined;
  #running = false;
  #inFlight = false;
  #view: PresenceView = EMPTY_PRESENCE;
  #shown = JSON.stringify(EMPTY_PRESENCE);

  constructor(source: PresenceSource, opts: PresencePollOptions) {
    this.#source = source;
    this.#intervalMs = opts.intervalMs ?? 5_000;
    this.#now = opts.now ?? Date.now;
    this.#onChange = opts.onChange;
  }

  get view(): PresenceView {
    return this.#view;
  }

  get running(): boolean {
    return this.#running;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    // A read still in flight from before a stop() schedules the next one itself when it ends.
    if (!this.#inFlight) this.#schedule(0);
  }

  stop(): void {
    this.#running = false;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #schedule(ms: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#tick(), ms);
    this.#timer.unref();
  }

  async #tick(): Promise<void> {
    if (!this.#running || this.#inFlight) return;
    this.#inFlight = true;
    let next: PresenceView;
    let changed = false;
    try {
      changed = (await this.#source.refresh?.()) === true;
      const others = othersOf(await this.#source.read(), this.#source.self);
      const line = othersLine(others, this.#now());
      next = { ...(line !== undefined ? { line } : {}), claimed: claimedBy(others) };
    } catch (e) {
      // Shown once: the first failure's reason stays until a read succeeds.
      next = this.#view.problem !== undefined ? this.#view : { ...this.#view, problem: problemText(e) };
    } finally {
      this.#inFlight = false;
    }
    if (!this.#running) return;
    const shown = JSON.stringify(next);
    if (shown !== this.#shown || changed) {
      this.#view = next;
      this.#shown = shown;
      this.#onChange(next);
    }
    this.#schedule(this.#intervalMs);
  }
}
