// The AXL port of a live run (issue 21): a step's AXL requests go to its Unified CM publisher,
// one at a time, each preceded by a read of the same object (src/transport/axl-objects.ts), and
// its checkpoint reads every object back. One client per publisher for the whole run; its tomcat
// certificate is pinned on first use (the operator compares the fingerprint) and a changed one
// stops the run. The AXL user's password lives only in the client's closure.
import type { Action, AxlRequest, PlannedStep } from '../plan/types.js';
import type { CheckpointResult } from '../session/index.js';
import { AXL_VERSIONS, AxlError, apiVersion, createAxlClient, type AxlClient, type AxlVersion } from '../transport/axl/index.js';
import { applySelection, readBackSelection, SelectionStop } from '../transport/axl-bulk.js';
import { applyAxl, readBack } from '../transport/axl-objects.js';
import { TlsPinChanged, TlsPinRejected } from '../transport/tls-pins.js';
import { type ApiPortOptions, nodeClients } from './api-clients.js';
import { axlActions, readBackTargets } from './reach.js';
import { runNodeByNode, verifyNodeByNode } from './api-nodes.js';
import type { RunHooks, StepRunOutcome } from './types.js';

/** `credential`: the AXL application user (credentials.axl); the publisher's tomcat is pinned. */
export type AxlPortOptions = ApiPortOptions;

export interface AxlPort {
  run(step: PlannedStep, hooks: RunHooks): Promise<StepRunOutcome>;
  verify(step: PlannedStep): Promise<CheckpointResult>;
  close(): void;
}

function releaseOf(schema: string): AxlVersion {
  const v = AXL_VERSIONS.find((x) => apiVersion(x) === schema);
  if (v === undefined) throw new Error(`AXL schema ${schema} is not one collabsec speaks`);
  return v;
}

/** Errors that end one node's AXL work with a message (anything else is a bug and propagates). */
function isAxlStop(e: unknown): e is Error {
  return e instanceof AxlError || e instanceof TlsPinChanged || e instanceof TlsPinRejected;
}

/** A wave's journal key: the target, the selection and the wave's first phone (never one of an earlier done wave). */
const waveKey = (target: string, r: AxlRequest, first: string): string => `${target} ${r.select!.list} ${r.name} wave from ${first}`;

/**
 * Plain requests go through applyAxl, selections wave by wave (axl-bulk.ts); each wave's intent
 * (its phones) is journaled before its first write, and phones of waves journaled ok in this
 * run (a resumed one) are neither read nor written again.
 */
async function applyRequests(client: AxlClient, target: string, requests: AxlRequest[], show: (text: string) => void, signal: AbortSignal, journal: RunHooks['journal']): Promise<{ outcome: 'ok' | 'failed' | 'in-doubt'; lines: string[] }> {
  const lines: string[] = [];
  for (let i = 0; i < requests.length; ) {
    const r = requests[i]!;
    if (r.select === undefined) {
      let j = i;
      while (j < requests.length && requests[j]!.select === undefined) j++;
      const out = await applyAxl(client, requests.slice(i, j), show, signal);
      lines.push(...out.lines);
      if (out.outcome !== 'ok') return { outcome: out.outcome, lines };
      i = j;
      continue;
    }
    const prefix = `${target} ${r.select.list} ${r.name} wave from `;
    const done = new Set<string>();
    for (const [node, n] of journal?.nodes() ?? []) if (node.startsWith(prefix) && n.state === 'ok') for (const l of n.record.lines ?? []) done.add(l.toLowerCase());
    try {
      const out = await applySelection(client, r, {
        progress: show,
        signal,
        done,
        beforeWave: async (names) => journal?.intent(waveKey(target, r, names[0]!), { evidence: { settledBy: 'read before write' }, lines: names }),
        afterWave: async (names, outcome, summary) => journal?.outcome(waveKey(target, r, names[0]!), { outcome, summary }),
      });
      lines.push(out.line);
      if (out.outcome !== 'ok') return { outcome: out.outcome, lines };
    } catch (e) {
      if (!(e instanceof SelectionStop)) throw e;
      lines.push(e.message);
      return { outcome: 'failed', lines };
    }
    i++;
  }
  return { outcome: 'ok', lines };
}

export function axlPort(o: AxlPortOptions): AxlPort {
  const clients = nodeClients(o, {
    missing: 'AXL requests need credentials.axl',
    endpoint: (a) => a.axlEndpoint,
    make: (base, e) => createAxlClient({ ...base, version: releaseOf(e.version) }),
  });
  const clientFor = (a: Action): AxlClient => clients.of(a);

  const run = (step: PlannedStep, hooks: RunHooks): Promise<StepRunOutcome> =>
    runNodeByNode(axlActions(step), hooks, {
      // A resumed node needs no separate probe: every write is preceded by a read of its object,
      // so what was applied before the interruption is found in place and not written again.
      // Selections say so as evidence, so that an interrupted run resumes wave by wave.
      intent: (a) => ({ ...(a.axl!.some((r) => r.select !== undefined) ? { evidence: { settledBy: 'read before write, waves read back' } } : {}), done: [], lines: a.axl!.map((r) => r.readable) }),
      apply: (a, show) => applyRequests(clientFor(a), a.target, a.axl!, show, hooks.signal, hooks.journal),
      isStop: isAxlStop,
    });

  const verify = (step: PlannedStep): Promise<CheckpointResult> => {
    const ops = [...new Set(readBackTargets(step).flatMap((a) => (a.checkpoint ?? step.checkpoint).readBack!.map((r) => r.operation)))].join(', ');
    return verifyNodeByNode(
      readBackTargets(step),
      async (a) => {
        const checks = (a.checkpoint ?? step.checkpoint).readBack!;
        const plain = checks.filter((c) => c.select === undefined);
        const r = plain.length > 0 ? await readBack(clientFor(a), plain) : { ok: true, details: [] };
        for (const c of checks) {
          if (c.select === undefined) continue;
          const b = await readBackSelection(clientFor(a), { object: c.object, expect: c.expect, select: c.select });
          r.ok &&= b.ok;
          r.details.push(...b.details);
        }
        return r;
      },
      isAxlStop,
      `AXL read-back (${ops})`,
    );
  };

  return {
    run,
    verify,
    close: () => clients.close(),
  };
}
