// The AXL port of a live run (issue 21): a step's AXL requests go to its Unified CM publisher,
// one at a time, each preceded by a read of the same object (src/transport/axl-objects.ts), and
// its checkpoint reads every object back. One client per publisher for the whole run; its tomcat
// certificate is pinned on first use (the operator compares the fingerprint) and a changed one
// stops the run. The AXL user's password lives only in the client's closure.
import type { Action, PlannedStep } from '../plan/types.js';
import type { CheckpointResult } from '../session/index.js';
import { AXL_VERSIONS, AxlError, apiVersion, createAxlClient, type AxlClient, type AxlVersion } from '../transport/axl/index.js';
import { applyAxl, readBack } from '../transport/axl-objects.js';
import { TlsPinChanged, TlsPinRejected, tlsPinStore } from '../transport/tls-pins.js';
import type { Credential } from './credentials.js';
import { axlActions, readBackTargets } from './reach.js';
import type { NodeOutcome, RunHooks, StepRunOutcome } from './types.js';

export interface AxlPortOptions {
  /** The AXL application user (credentials.axl), already read or asked. */
  credential: Credential | undefined;
  /** collabsec's TLS pins (accepted certificates are appended, 0600). */
  pinsFile: string;
  /** First contact with a publisher's tomcat: the operator compares the fingerprint. */
  confirmCertificate: (node: string, fingerprint: string, subject: string) => Promise<boolean>;
  /** One request's bound (default the client's 60 s). */
  timeoutMs?: number;
}

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

export function axlPort(o: AxlPortOptions): AxlPort {
  const pins = tlsPinStore({ file: o.pinsFile });
  const clients = new Map<string, AxlClient>();
  const clientFor = (a: Action): AxlClient => {
    let c = clients.get(a.target);
    if (c !== undefined) return c;
    if (o.credential === undefined) throw new Error('AXL requests need credentials.axl'); // secretNeeds asks for it first
    const e = a.axlEndpoint!;
    c = createAxlClient({
      node: a.target,
      host: e.host,
      port: e.port,
      version: releaseOf(e.version),
      username: o.credential.username,
      password: o.credential.password,
      pins,
      confirm: (fp, subject) => o.confirmCertificate(`${a.target} at ${e.host}:${e.port}`, fp, subject),
      ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
    });
    clients.set(a.target, c);
    return c;
  };

  const run = async (step: PlannedStep, hooks: RunHooks): Promise<StepRunOutcome> => {
    const { progress, signal, journal } = hooks;
    const all = axlActions(step);
    const lines = new Map(all.map((a) => [a.target, `${a.target}: waiting for its turn`]));
    const show = (node: string, text: string, done = false): void => {
      const line = `${node}: ${text}`;
      lines.set(node, line);
      progress([...lines.values()], done, done ? line : undefined);
    };
    const nodes: NodeOutcome[] = [];
    for (const a of all) {
      // A resumed node needs no separate probe: every write is preceded by a read of its object,
      // so what was applied before the interruption is found in place and not written again.
      await journal?.intent(a.target, { done: [], lines: a.axl!.map((r) => r.readable) });
      let outcome: NodeOutcome & { outcome: 'ok' | 'failed' | 'in-doubt' };
      try {
        const r = await applyAxl(clientFor(a), a.axl!, (text) => show(a.target, text), signal);
        outcome = { node: a.target, outcome: r.outcome, summary: `${a.target}: ${r.lines.join('; ')}` };
      } catch (e) {
        if (!isAxlStop(e)) throw e;
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
  };

  const verify = async (step: PlannedStep): Promise<CheckpointResult> => {
    const details: NonNullable<CheckpointResult['details']> = [];
    for (const a of readBackTargets(step)) {
      const checks = (a.checkpoint ?? step.checkpoint).readBack!;
      try {
        const r = await readBack(clientFor(a), checks);
        details.push({ target: a.target, outcome: r.ok ? 'passed' : 'failed', text: r.details.join('; ') });
      } catch (e) {
        if (!isAxlStop(e)) throw e;
        details.push({ target: a.target, outcome: 'unknown', text: e.message });
      }
    }
    const outcome = details.length === 0 ? 'unknown' : details.every((d) => d.outcome === 'passed') ? 'passed' : details.some((d) => d.outcome === 'failed') ? 'failed' : 'unknown';
    const ops = [...new Set(readBackTargets(step).flatMap((a) => (a.checkpoint ?? step.checkpoint).readBack!.map((r) => r.operation)))].join(', ');
    return { method: 'automatic', outcome, summary: `AXL read-back (${ops}): ${details.map((d) => `${d.target} ${d.outcome}${d.text ? ` (${d.text})` : ''}`).join('; ')}`, details };
  };

  return {
    run,
    verify,
    close: () => {
      for (const c of clients.values()) c.close();
    },
  };
}
