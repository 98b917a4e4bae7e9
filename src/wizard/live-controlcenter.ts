// The Control Center Services port of a live run (issue 21: S021, S029): per target, each
// service's status read, its deployment only where the read shows it is needed, then a bounded
// poll until Started (src/transport/controlcenter/ensure.ts); the checkpoint reads the status
// again. One client per node for the whole run; its tomcat certificate is pinned like AXL's (same
// pins file, same question), a changed one stops the run. The password lives only in the client.
import type { Action, ApiRequest, PlannedStep } from '../plan/types.js';
import type { CheckpointResult } from '../session/index.js';
import { activateService, checkServicesStarted, ControlCenterError, createControlCenterClient, type ControlCenterClient } from '../transport/controlcenter/index.js';
import { TlsPinChanged, TlsPinRejected } from '../transport/tls-pins.js';
import { type ApiPortOptions, nodeClients } from './api-clients.js';
import { runNodeByNode, verifyNodeByNode } from './api-nodes.js';
import type { RunHooks, StepRunOutcome } from './types.js';

/** `credential`: credentials.controlcenter, or the AXL user it defaults to. */
export interface ControlCenterPortOptions extends ApiPortOptions {
  /** Status reads after a deployment before giving up, and the pause before each (defaults 60 × 5 s). */
  pollCount?: number;
  pollIntervalMs?: number;
}

export interface ApiRunner {
  run(step: PlannedStep, actions: Action[], hooks: RunHooks): Promise<StepRunOutcome>;
  verify(step: PlannedStep, actions: Action[]): Promise<CheckpointResult>;
  close(): void;
}

/** The exact body and path of a planned request (a request without a body is refused by the client). */
const planned = (r: ApiRequest): { body: string; path: string } => ({ body: r.body ?? '', path: r.path });

function isStop(e: unknown): e is Error {
  return e instanceof ControlCenterError || e instanceof TlsPinChanged || e instanceof TlsPinRejected;
}

/** The action's requests as (read, deployment) pairs by service; a read without a deployment after it is a check only. */
function pairs(requests: readonly ApiRequest[]): { service: string; read: ApiRequest; write?: ApiRequest }[] {
  const out: { service: string; read: ApiRequest; write?: ApiRequest }[] = [];
  for (const r of requests) {
    if (r.mode === 'check') out.push({ service: r.subject ?? '', read: r });
    else {
      const p = out.at(-1);
      if (p === undefined || p.write !== undefined || p.service !== r.subject) throw new Error(`Control Center request "${r.readable}" has no status read before it`);
      p.write = r;
    }
  }
  return out;
}

export function controlCenterRunner(o: ControlCenterPortOptions): ApiRunner {
  const clients = nodeClients(o, {
    missing: 'Control Center requests need credentials.controlcenter or credentials.axl',
    endpoint: (a) => a.apiEndpoint,
    make: (base) => createControlCenterClient(base),
  });
  const clientFor = (a: Action): ControlCenterClient => clients.of(a);

  const run = (step: PlannedStep, all: Action[], hooks: RunHooks): Promise<StepRunOutcome> =>
    runNodeByNode(all, hooks, {
      // Every deployment is preceded by a status read, so a resumed node needs no other probe:
      // what took effect before an interruption is found Started and not sent again.
      intent: (a) => ({ evidence: { settledBy: 'status read before each deployment' }, done: [], lines: a.requests!.filter((r) => r.mode === 'write').map((r) => r.readable) }),
      apply: async (a, show) => {
        const said: string[] = [];
        for (const p of pairs(a.requests!)) {
          if (p.write === undefined) continue;
          const r = await activateService(clientFor(a), { service: p.service, read: planned(p.read), write: planned(p.write) }, {
            step: step.id,
            signal: hooks.signal,
            progress: show,
            ...(o.pollCount !== undefined ? { pollCount: o.pollCount } : {}),
            ...(o.pollIntervalMs !== undefined ? { pollIntervalMs: o.pollIntervalMs } : {}),
          });
          said.push(r.line);
          if (r.state === 'failed' || r.state === 'in-doubt') return { outcome: r.state, lines: said };
        }
        return { outcome: 'ok', lines: said };
      },
      isStop,
    });

  const verify = (step: PlannedStep, targets: Action[]): Promise<CheckpointResult> =>
    verifyNodeByNode(
      targets,
      (a) => {
        const reads = ((a.checkpoint ?? step.checkpoint).requests ?? []).filter((r) => r.api === 'controlcenter');
        return checkServicesStarted(clientFor(a), reads.map((x) => ({ service: x.subject ?? '', read: planned(x) })), { step: step.id });
      },
      isStop,
      'Control Center Services soapGetServiceStatus',
    );

  return {
    run,
    verify,
    close: () => clients.close(),
  };
}
