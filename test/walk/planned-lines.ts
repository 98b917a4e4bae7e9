// What the walks compare with what the lab's devices received: the plan's own lines per node,
// defined here independently of the runner (an action with an address and an SSH platform), so
// a runner that sends to the wrong node, twice, or not at all is caught.
import type { Action, Plan, PlannedStep } from '../../src/plan/types.js';
import { ios, mmp, vos } from '../../src/transport/platforms/index.js';
import { verifications } from '../../src/plan/verifications.js';

/** Lines the drivers send on their own (session set-up, configuration mode, saving). */
const WRAPPERS = new Set([vos, ios, mmp].flatMap((p) => [...p.init, ...(p.config ? [p.config.enter, p.config.exit, p.config.save] : [])]));

/** Actions whose lines are typed into a device over SSH. */
export function sshActions(step: PlannedStep): Action[] {
  return step.actions.filter((a) => a.host !== undefined && a.platform !== undefined && a.platform !== 'local' && a.commands.length > 0);
}

/** Per node, the planned lines of `step` that the node did not receive exactly as often as planned (probes and wrappers aside). */
export function commandMismatches(plan: Plan, step: PlannedStep, received: ReadonlyMap<string, string[]>): string[] {
  const probes = new Set(plan.steps.flatMap((s) => [s.checkpoint, ...s.actions.map((a) => a.checkpoint)]).flatMap((c) => verifications(c).map((v) => v.command)));
  const lines = new Set(sshActions(step).flatMap((a) => a.commands).filter((l) => !WRAPPERS.has(l) && !probes.has(l)));
  const problems: string[] = [];
  for (const [node, got] of received)
    for (const line of lines) {
      const want = sshActions(step).filter((a) => a.target === node).flatMap((a) => a.commands).filter((l) => l === line).length;
      const n = got.filter((l) => l === line).length;
      if (n !== want) problems.push(`${step.id} ${node}: "${line}" received ${n}×, planned ${want}×`);
    }
  return problems;
}
