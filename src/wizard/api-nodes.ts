// How an API step (AXL, Control Center Services, CUPI) runs over its nodes and rolls up its
// check: one node at a time, intent journaled before anything is sent, the first node that does
// not end ok stops the rest (they stay not-started, so a resume starts there). Each API runner
// brings only what it sends per node and how it reads back.
import type { Action } from '../plan/types.js';
import type { CheckpointResult } from '../session/index.js';
import type { NodeOutcome, RunHooks, StepRunOutcome } from './types.js';

type Settled = 'ok' | 'failed' | 'in-doubt';

export interface NodeWork {
  /** What the journal records before the node's first request (evidence, planned lines). */
  intent(a: Action): Parameters<NonNullable<RunHooks['journal']>['intent']>[1];
  /** Sends the node's requests; `show` updates its progress line. */
  apply(a: Action, show: (text: string) => void): Promise<{ outcome: Settled; lines: string[] }>;
  /** A failure that ends this node's work as failed (a fault, a refused login); anything else propagates. */
  isStop(e: unknown): e is Error;
}

export async function runNodeByNode(all: Action[], hooks: RunHooks, work: NodeWork): Promise<StepRunOutcome> {
  const { progress, journal } = hooks;
  const lines = new Map(all.map((a) => [a.target, `${a.target}: waiting for its turn`]));
  const show = (node: string, text: string, done = false): void => {
    const line = `${node}: ${text}`;
    lines.set(node, line);
    progress([...lines.values()], done, done ? line : undefined);
  };
  const nodes: NodeOutcome[] = [];
  for (const a of all) {
    await journal?.intent(a.target, work.intent(a));
    let outcome: NodeOutcome & { outcome: Settled };
    try {
      const r = await work.apply(a, (text) => show(a.target, text));
      outcome = { node: a.target, outcome: r.outcome, summary: `${a.target}: ${r.lines.join('; ')}` };
    } catch (e) {
      if (!work.isStop(e)) throw e;
      outcome = { node: a.target, outcome: 'failed', summary: `${a.target}: ${e.message}` };
    }
    await journal?.outcome(a.target, { outcome: outcome.outcome, summary: outcome.summary });
    show(a.target, outcome.summary.slice(a.target.length + 2), true);
    nodes.push(outcome);
    if (outcome.outcome !== 'ok') break;
  }
  for (const a of all.slice(nodes.length)) nodes.push({ node: a.target, outcome: 'not-started', summary: `${a.target}: not-started` });
  const outcome = nodes.every((n) => n.outcome === 'ok') ? 'ok' : nodes.some((n) => n.outcome === 'in-doubt') ? 'in-doubt' : 'failed';
  return { outcome, summary: nodes.map((n) => n.summary).join('; '), nodes };
}

/** A read-back per node; a node whose read could not be made (isStop) is unknown, not failed. */
export async function verifyNodeByNode(
  targets: Action[],
  read: (a: Action) => Promise<{ ok: boolean; details: string[] }>,
  isStop: (e: unknown) => e is Error,
  label: string,
): Promise<CheckpointResult> {
  const details: NonNullable<CheckpointResult['details']> = [];
  for (const a of targets) {
    try {
      const r = await read(a);
      details.push({ target: a.target, outcome: r.ok ? 'passed' : 'failed', text: r.details.join('; ') });
    } catch (e) {
      if (!isStop(e)) throw e;
      details.push({ target: a.target, outcome: 'unknown', text: e.message });
    }
  }
  const outcome = details.length === 0 ? 'unknown' : details.every((d) => d.outcome === 'passed') ? 'passed' : details.some((d) => d.outcome === 'failed') ? 'failed' : 'unknown';
  return { method: 'automatic', outcome, summary: `${label}: ${details.map((d) => `${d.target} ${d.outcome}${d.text ? ` (${d.text})` : ''}`).join('; ')}`, details };
}
