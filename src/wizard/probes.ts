// Resume probes (issue 4, reliability cases 4 and 5): before anything new runs on a reopened
// live session, the read-only checkpoints of the verified steps that the next step requires run
// again on their nodes. Only verifications are sent; a mutating command never is.
import type { PlannedStep } from '../plan/types.js';
import type { VerifyStep, WizardSession } from './types.js';
import { hasAutomaticCheck } from './reach.js';

export interface Drift {
  stepId: string;
  /** What the check says now (per node). */
  summary: string;
}

/** Verified required steps of `step` whose automatic check no longer passes. */
export async function driftOf(session: Pick<WizardSession, 'plan' | 'status'>, step: PlannedStep, verify: VerifyStep): Promise<Drift[]> {
  const drift: Drift[] = [];
  for (const id of step.requires) {
    const req = session.plan.steps.find((s) => s.id === id);
    if (req === undefined || !hasAutomaticCheck(req) || session.status(id) !== 'verified') continue;
    const r = await verify(req);
    if (r.outcome !== 'passed') drift.push({ stepId: id, summary: `${r.outcome}: ${r.summary ?? ''}`.trim() });
  }
  return drift;
}
