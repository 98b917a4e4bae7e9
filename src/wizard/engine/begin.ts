// The one place a step is recorded as started (or resumed): intent is on disk before anything is
// sent or shown as running, so if collabsec dies after this, resume knows the step may have run.
import type { PlannedStep } from '../../plan/types.js';
import type { NodeJournal } from '../../session/index.js';
import { resumeWhere } from '../rules.js';
import type { WizardSession } from '../types.js';

/**
 * Records `step` started on its targets, or — `resuming` an interrupted run journaled node by
 * node — resumed, keeping the run's node records (nodes recorded ok are not sent again). Returns
 * where a resumed run stands ("pub ok, sub1 in-doubt, sub2 pending"), undefined for a new start.
 * `resend`: the operator's explicit choice to send a step in doubt again (recorded with it).
 */
export async function beginStep(session: WizardSession, step: PlannedStep, resuming?: NodeJournal, resend?: string): Promise<string | undefined> {
  if (resuming !== undefined) {
    const where = resumeWhere(step, resuming);
    await session.recordResumed!(step.id, `resumed after an interruption: ${where}`);
    return where;
  }
  const targets = [...new Set(step.actions.map((a) => a.target))].join(',');
  await (resend !== undefined ? session.recordStarted(step.id, targets || undefined, resend) : session.recordStarted(step.id, targets || undefined));
  return undefined;
}
