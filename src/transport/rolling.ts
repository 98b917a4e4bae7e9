// Runs one step's actions across its nodes. Rolling by default: the publisher first, then one
// node at a time, each gated on its services reporting STARTED before the next starts (so a
// cluster never loses more than one node to a restart). `parallel: N` runs up to N nodes at once
// for maintenance windows. A failure never aborts a node already running, but no further node
// starts and the summary is not ok, which blocks the next step.
import type { Action } from '../plan/types.js';
import { TransportError } from './errors.js';
import { executeAction, preparePastes, refusedAction, runVerify, type ActionResult, type ActionStatus, type ExecuteHooks, type PreparedPastes } from './executor.js';
import { PasteFileError } from './paste.js';
import type { NodeSession, SessionPool } from './session.js';
import { delay } from './ssh/shell.js';

export type NodeStatus = ActionStatus | 'connect-failed' | 'unhealthy' | 'not-started';

export interface NodeRunResult {
  node: string;
  status: NodeStatus;
  result?: ActionResult;
  /** One line: the transport error, the failing command's error, or the health gate's details. */
  error?: string;
  health?: string[];
  elapsedMs: number;
}

export interface HealthResult {
  ok: boolean;
  details: string[];
}

export interface RollingOptions {
  /** Nodes run at once; 1 (default) = rolling. */
  parallel?: number;
  /** Node that runs first and alone (the VOS publisher). Default: none. */
  first?: string;
  /** Health gate after a node's action succeeded; default for VOS: every activated service STARTED. */
  healthGate?: ((session: NodeSession) => Promise<HealthResult>) | null;
  /** How long a node may take to become healthy, and how often to ask. */
  healthTimeoutMs?: number;
  healthIntervalMs?: number;
  /** Per-node progress for the UI (awaited). */
  onNodeStart?: (node: string) => void | Promise<void>;
  /**
   * Awaited once the node's session is open and before its first line is sent: the place to read
   * read-only evidence and journal the node's intent. Throwing here sends nothing to the node.
   */
  beforeSend?: (node: string, session: NodeSession) => Promise<void>;
  /** Awaited after the node finished, health gate included (journal the node's outcome). */
  onNodeEnd?: (r: NodeRunResult) => void | Promise<void>;
  /** After the health gate: wait until the node's registered devices are back (review-2026 B.2). */
  registrations?: RegistrationGate;
  /**
   * Nodes that must never all run at once (e.g. the CallManager nodes of one cluster, review-2026
   * B.2): the key of the node's group, or undefined. At most all but one of a group's nodes run
   * together whatever `parallel` says.
   */
  neverAllAtOnce?: (a: Action) => string | undefined;
}

/**
 * A bounded wait for a node's registered devices after a restart: `count` reads them (undefined
 * when it cannot), once before the node's first line and then every `intervalMs` after the health
 * gate until the count is back; when `timeoutMs` runs out, `extend` (the operator) may give more
 * time, else the node is unhealthy with the counts in its outcome.
 */
export interface RegistrationGate {
  applies: (a: Action) => boolean;
  count: (session: NodeSession) => Promise<number | undefined>;
  timeoutMs: number;
  intervalMs: number;
  extend?: (node: string, seen: number | undefined, want: number) => Promise<number | undefined>;
}

export async function waitRegistered(session: NodeSession, gate: RegistrationGate, node: string, want: number): Promise<HealthResult> {
  const start = Date.now();
  let deadline = start + gate.timeoutMs;
  for (;;) {
    const seen = await gate.count(session);
    if (seen !== undefined && seen >= want) return { ok: true, details: [`registered devices back: ${seen} of ${want} (before the restart)`] };
    if (Date.now() + gate.intervalMs > deadline) {
      const more = await gate.extend?.(node, seen, want);
      if (more !== undefined && more > 0) {
        deadline = Date.now() + more;
        continue;
      }
      const secs = Math.round((Date.now() - start) / 1000);
      return { ok: false, details: [`registered devices not back: ${seen ?? 'unreadable'} of ${want} (before the restart) after ${secs} s; the wait expired`] };
    }
    await delay(gate.intervalMs);
  }
}

export interface RollingSummary {
  ok: boolean;
  nodes: NodeRunResult[];
  /** One line per node, e.g. "cucm-sub1: ok (12.3 s)". */
  lines: string[];
}

/**
 * The health gate of a platform with service facts (VOS, cli-facts §1.6 `utils service list`:
 * `<Service Name>[STARTED]`): the named services STARTED (`ifRunning`: only those the node runs),
 * or every activated one when none is named. A platform without them is healthy once its lines ran.
 */
export async function servicesGate(session: NodeSession, services: readonly string[] = []): Promise<HealthResult> {
  const h = session.spec.services?.health;
  if (h === undefined) return { ok: true, details: [] };
  return runVerify({ command: h.command, parser: h.parser, args: services.length > 0 ? { services: [...services], ifRunning: 'yes' } : {} }, session);
}

export async function waitHealthy(session: NodeSession, gate: (s: NodeSession) => Promise<HealthResult>, timeoutMs: number, intervalMs: number): Promise<HealthResult> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const h = await gate(session);
    if (h.ok || Date.now() + intervalMs > deadline) return h;
    await delay(intervalMs);
  }
}

/** Publisher (or `first`) first, then the inventory order. */
export function orderActions(actions: Action[], first?: string): Action[] {
  const head = actions.filter((a) => a.target === first);
  return [...head, ...actions.filter((a) => a.target !== first)];
}

export async function runActions(actions: Action[], pool: SessionPool, opts: RollingOptions = {}, hooks: ExecuteHooks = {}): Promise<RollingSummary> {
  const parallel = Math.max(1, Math.floor(opts.parallel ?? 1));
  const queue = orderActions(actions, opts.first);
  const results = new Map<string, NodeRunResult>();
  let failed = false;

  // Every file any node will paste is read and checked before the first connection opens: a bad
  // or missing one fails its node with nothing sent anywhere, and no node starts.
  const prepared = new Map<Action, PreparedPastes>();
  for (const a of queue) {
    try {
      prepared.set(a, await preparePastes(a, hooks));
    } catch (e) {
      if (!(e instanceof PasteFileError)) throw e;
      const result = refusedAction(a, e);
      const r: NodeRunResult = { node: a.target, status: 'failed', result, error: result.commands[0]!.error!, elapsedMs: 0 };
      await opts.onNodeEnd?.(r);
      const nodes = queue.map((x) => (x === a ? r : { node: x.target, status: 'not-started' as const, elapsedMs: 0 }));
      return { ok: false, nodes, lines: nodes.map((n) => `${n.node}: ${n.status}${n.error !== undefined ? ` — ${n.error}` : ''}`) };
    }
  }

  const runOne = async (a: Action): Promise<void> => {
    const start = Date.now();
    await opts.onNodeStart?.(a.target);
    let r: NodeRunResult;
    try {
      const session = await pool.get(a.target);
      await opts.beforeSend?.(a.target, session);
      const reg = opts.registrations !== undefined && opts.registrations.applies(a) ? opts.registrations : undefined;
      const want = reg !== undefined ? await reg.count(session) : undefined;
      const result = await executeAction(a, session, hooks, prepared.get(a));
      r = { node: a.target, status: result.status, result, elapsedMs: 0 };
      const bad = result.commands.find((c) => c.status !== 'ok');
      if (bad) r.error = bad.error ?? `${a.target}: "${bad.line}" ${bad.status}${bad.matchedFailureMarker !== undefined ? ` (${bad.matchedFailureMarker})` : ''}`;
      const gate = opts.healthGate === undefined ? (session.spec.services !== undefined ? (s: NodeSession) => servicesGate(s) : null) : opts.healthGate;
      if (result.status === 'ok' && gate !== null) {
        const h = await waitHealthy(session, gate, opts.healthTimeoutMs ?? 600_000, opts.healthIntervalMs ?? 5_000);
        r.health = h.details;
        if (!h.ok) {
          r.status = 'unhealthy';
          r.error = `${a.target}: not healthy after the step: ${h.details.join('; ')}`;
        }
      }
      if (reg !== undefined && r.status === 'ok') {
        if (want === undefined) {
          r.health = [...(r.health ?? []), 'registered devices unreadable before the restart: not gated on them'];
        } else {
          const w = await waitRegistered(session, reg, a.target, want);
          r.health = [...(r.health ?? []), ...w.details];
          if (!w.ok) {
            r.status = 'unhealthy';
            r.error = `${a.target}: ${w.details.join('; ')}`;
          }
        }
      }
    } catch (e) {
      if (!(e instanceof TransportError)) throw e;
      r = { node: a.target, status: 'connect-failed', error: e.message, elapsedMs: 0 };
    }
    r.elapsedMs = Date.now() - start;
    if (r.status !== 'ok') failed = true;
    results.set(a.target, r);
    await opts.onNodeEnd?.(r);
  };

  // The designated first node runs alone, before anything else.
  let rest = queue;
  if (opts.first !== undefined && queue[0]?.target === opts.first) {
    await runOne(queue[0]);
    rest = queue.slice(1);
  }
  const running = new Set<Promise<void>>();
  // review-2026 B.2: per group (a cluster's CallManager nodes), at most all but one at once.
  const groupOf = (a: Action) => opts.neverAllAtOnce?.(a);
  const size = new Map<string, number>();
  for (const a of queue) {
    const k = groupOf(a);
    if (k !== undefined) size.set(k, (size.get(k) ?? 0) + 1);
  }
  const busy = new Map<string, number>();
  const full = (k: string | undefined) => k !== undefined && (busy.get(k) ?? 0) >= Math.max(1, size.get(k)! - 1);
  for (const a of rest) {
    const k = groupOf(a);
    while (running.size > 0 && (running.size >= parallel || full(k))) await Promise.race(running);
    if (failed) break;
    if (k !== undefined) busy.set(k, (busy.get(k) ?? 0) + 1);
    const p: Promise<void> = runOne(a).finally(() => {
      running.delete(p);
      if (k !== undefined) busy.set(k, busy.get(k)! - 1);
    });
    running.add(p);
  }
  await Promise.all(running);

  const nodes = queue.map((a) => results.get(a.target) ?? { node: a.target, status: 'not-started' as const, elapsedMs: 0 });
  return {
    ok: nodes.every((n) => n.status === 'ok'),
    nodes,
    lines: nodes.map((n) => `${n.node}: ${n.status}${n.elapsedMs > 0 ? ` (${(n.elapsedMs / 1000).toFixed(1)} s)` : ''}${n.error !== undefined ? ` — ${n.error}` : ''}`),
  };
}
