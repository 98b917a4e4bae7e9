// The Unity Connection CUPI port of a live run (issue 21: S042, S043, S044, S125): per target, the
// step's task read first (what is in place is recorded and nothing is written), only the missing
// state written (src/transport/cupi/ensure.ts), then read back in check mode; the checkpoint reads
// again. A write whose answer is lost (timeout, dropped connection after sending) leaves the node
// in doubt and is never sent again by this run: the resume reads first. One client per node for
// the whole run; the tomcat certificate is pinned like AXL's (same pins file, same question), a
// changed one stops the run. The password lives only in the client.
import type { Action, PlannedStep } from '../plan/types.js';
import type { CheckpointResult } from '../session/index.js';
import { createCupiClient, CupiError, runCupiTask, type CupiClient, type CupiResult } from '../transport/cupi/index.js';
import { TlsPinChanged, TlsPinRejected } from '../transport/tls-pins.js';
import { type ApiPortOptions, nodeClients } from './api-clients.js';
import { runNodeByNode, verifyNodeByNode } from './api-nodes.js';
import type { ApiRunner } from './live-controlcenter.js';
import type { RunHooks } from './types.js';

/** `credential`: credentials.cupi, or the VOS administrator it defaults to. */
export type CupiPortOptions = ApiPortOptions;

function isStop(e: unknown): e is Error {
  return (e instanceof CupiError && e.failure !== 'in-doubt') || e instanceof TlsPinChanged || e instanceof TlsPinRejected;
}

/** One line per outcome that is not simply in place: `5061/TLS created`, `Default Transfer 9011* missing (…)`. */
function said(r: CupiResult): string[] {
  return r.outcomes.map((x) => `${x.object} ${x.state === 'in-place' ? 'in place' : x.state}${x.detail ? ` (${x.detail})` : ''}`);
}

function taskOf(a: Action): NonNullable<Action['cupiTask']> {
  if (a.cupiTask === undefined) throw new Error(`${a.target}: CUPI requests without their task`);
  return a.cupiTask;
}

export function cupiRunner(o: CupiPortOptions): ApiRunner {
  const clients = nodeClients(o, { missing: 'CUPI requests need credentials.cupi or credentials.vos', endpoint: (a) => a.apiEndpoint, make: (base) => createCupiClient(base) });
  const clientFor = (a: Action): CupiClient => clients.of(a);

  const run = (step: PlannedStep, all: Action[], hooks: RunHooks) =>
    runNodeByNode(all, hooks, {
      // Every write is preceded by the read of the same object, so a resumed node needs no other
      // probe: what took effect before an interruption is found in place and not sent again.
      intent: (a) => ({ evidence: { settledBy: 'CUPI read before each write' }, done: [], lines: a.requests!.filter((r) => r.mode === 'write').map((r) => r.readable) }),
      apply: async (a, show) => {
        const c = clientFor(a);
        show('reading through CUPI');
        let applied: CupiResult;
        try {
          applied = await runCupiTask(c, taskOf(a), { step: step.id, mode: 'apply' });
        } catch (e) {
          // A lost answer after a write: in doubt, never sent again here; the resume reads first.
          if (e instanceof CupiError && e.failure === 'in-doubt') return { outcome: 'in-doubt', lines: [e.message] };
          throw e;
        }
        if (!applied.ok) return { outcome: 'failed', lines: said(applied) };
        show('reading back');
        const back = await runCupiTask(c, taskOf(a), { step: step.id, mode: 'check' });
        const lines = applied.writes.length === 0 ? ['state in place, nothing written', ...said(applied)] : [`${applied.writes.length} write(s)`, ...said(applied)];
        if (!back.ok) return { outcome: 'failed', lines: [...lines, 'read back:', ...said(back).filter((l) => !l.includes(' in place'))] };
        return { outcome: 'ok', lines: [...lines, 'read back'] };
      },
      isStop,
    });

  const verify = (step: PlannedStep, targets: Action[]): Promise<CheckpointResult> =>
    verifyNodeByNode(
      targets,
      async (a) => {
        const r = await runCupiTask(clientFor(a), taskOf(a), { step: step.id, mode: 'check' });
        return { ok: r.ok, details: said(r) };
      },
      isStop,
      'Unity Connection CUPI read-back',
    );

  return {
    run,
    verify,
    close: () => clients.close(),
  };
}
