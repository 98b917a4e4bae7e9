// Pure resume logic: everything is decided from the journal and the plan by stable step id
// (Ansible's --start-at-task resumes by task *name*, which is not unique). No IO here, so the
// TUI, `status` and the tests all get the same answers.
import { type DiffLine, lineDiff, reviewLines } from './step-lines.js';
import type { Plan, PlannedStep } from '../plan/types.js';
import { appendEvent } from './chain.js';
import { stepCommandsHash } from './hash.js';
import { currentStatus, doneStatuses, lastEvent, satisfiesRequires, unsettledStatuses, type SessionState, type StepStatus } from './state.js';

export function stepStatus(state: SessionState, stepId: string): StepStatus {
  return currentStatus(state.steps[stepId]);
}

/**
 * A step whose last entry is `started` was in flight when the previous process ended: its
 * outcome is unknown (the device may or may not have received the commands). It becomes
 * `interrupted`, which may only be left by re-running its checkpoint. Returns a new state.
 */
export function markInterrupted(state: SessionState, at: string, user: string, host?: string, inProgressElsewhere?: ReadonlySet<string>): { state: SessionState; interrupted: string[] } {
  const interrupted: string[] = [];
  let next = state;
  for (const [id, rec] of Object.entries(state.steps)) {
    const last = lastEvent(rec);
    // A step another live operator of the team holds is in progress, not in doubt.
    if (last?.status !== 'started' || inProgressElsewhere?.has(id) === true) continue;
    interrupted.push(id);
    // Chained like any event the journal writes (a plain append where the file has no chain yet).
    next = appendEvent(next, id, { status: 'interrupted', at, user, host, target: last.target, commandsHash: last.commandsHash, reason: 'the session ended after the step started and before its outcome was recorded' });
  }
  return { state: next, interrupted };
}

export interface ChangedStep {
  id: string;
  title: string;
  status: StepStatus;
  /** The step was verified (or overridden) with commands that differ from the current plan's. */
  flagged: boolean;
  /**
   * What changed: lines of the plan the session followed removed (-) and of the current plan
   * added (+). Undefined when the session kept no lines (written before they were kept).
   */
  diff?: DiffLine[];
}

export interface PlanDiff {
  inventoryChanged: boolean;
  catalogueChanged: boolean;
  planChanged: boolean;
  /** Steps in both, whose rendered commands differ from what the session recorded. */
  changed: ChangedStep[];
  /** In the plan, not in the session. */
  added: string[];
  /** In the session's plan, no longer in the plan (their history is kept). */
  removed: string[];
}

/** Last hash the step was verified/overridden with, if it is currently verified/overridden. */
function doneWithHash(state: SessionState, id: string): string | undefined {
  const rec = state.steps[id];
  const status = currentStatus(rec);
  if (!satisfiesRequires.includes(status)) return undefined;
  // The hash recorded when the step was last started is what actually ran; fall back to the
  // conclusion event's own hash (operator "done it myself" without a start).
  const ev = [...(rec?.history ?? [])].reverse().find((e) => e.commandsHash !== undefined);
  return ev?.commandsHash ?? rec?.commandsHash;
}

export function diffPlan(plan: Plan, state: SessionState, currentPlanHash: string): PlanDiff {
  const planIds = new Set(plan.steps.map((s) => s.id));
  const changed: ChangedStep[] = [];
  const added: string[] = [];
  for (const step of plan.steps) {
    const rec = state.steps[step.id];
    if (!rec || !state.order.includes(step.id)) {
      added.push(step.id);
      continue;
    }
    const now = stepCommandsHash(step);
    const ranWith = doneWithHash(state, step.id);
    const differs = rec.commandsHash !== now || (ranWith !== undefined && ranWith !== now);
    if (differs)
      changed.push({
        id: step.id,
        title: step.title,
        status: currentStatus(rec),
        flagged: ranWith !== undefined && ranWith !== now,
        ...(rec.lines !== undefined ? { diff: lineDiff(rec.lines, reviewLines(step)) } : {}),
      });
  }
  return {
    inventoryChanged: plan.inventoryHash !== state.inventory.hash,
    catalogueChanged: plan.catalogueHash !== state.catalogueHash,
    planChanged: currentPlanHash !== state.planHash,
    changed,
    added,
    removed: state.order.filter((id) => !planIds.has(id)),
  };
}

export function preconditionsMet(step: PlannedStep, state: SessionState): { met: boolean; missing: string[] } {
  const missing = step.requires.filter((id) => !satisfiesRequires.includes(stepStatus(state, id)));
  return { met: missing.length === 0, missing };
}

export type NextReason = 'interrupted' | 'in-doubt' | 'in-progress' | 'failed' | 'pending';

export interface NextStep {
  step: PlannedStep;
  reason: NextReason;
  /** For "interrupted" and "in-doubt": run the checkpoint (probe) before anything else; never re-send the commands blindly. */
  recheckFirst: boolean;
  missing: string[];
}

/**
 * What the operator should look at next: an interrupted step first (its outcome is in doubt and
 * everything after it may depend on it), then the first step in plan order that is not done.
 * Undefined when every step is done.
 */
export function nextStep(plan: Plan, state: SessionState): NextStep | undefined {
  const make = (step: PlannedStep, reason: NextReason): NextStep => ({ step, reason, recheckFirst: reason === 'interrupted' || reason === 'in-doubt', missing: preconditionsMet(step, state).missing });
  const unsettled = plan.steps.find((s) => unsettledStatuses.includes(stepStatus(state, s.id)));
  if (unsettled) return make(unsettled, stepStatus(state, unsettled.id) === 'in-doubt' ? 'in-doubt' : 'interrupted');
  for (const step of plan.steps) {
    const status = stepStatus(state, step.id);
    if (doneStatuses.includes(status)) continue;
    return make(step, status === 'started' ? 'in-progress' : status === 'failed' ? 'failed' : 'pending');
  }
  return undefined;
}

export interface ProgressCount {
  done: number;
  total: number;
  byStatus: Record<StepStatus, number>;
}

export interface Progress extends ProgressCount {
  /** Per product id, in plan order of first appearance. */
  byProduct: { product: string; done: number; total: number }[];
}

function emptyByStatus(): Record<StepStatus, number> {
  return { pending: 0, started: 0, verified: 0, failed: 0, skipped: 0, overridden: 0, interrupted: 0, 'in-doubt': 0, 'backed-out': 0 };
}

/**
 * Progress over a list of (id, product) pairs: the plan's steps when the plan is at hand, or the
 * session's recorded order when it is not (`status` without an inventory).
 */
export function progress(state: SessionState, steps?: readonly { id: string; product: string }[]): Progress {
  const list = steps ?? state.order.map((id) => ({ id, product: state.steps[id]?.product ?? '?' }));
  const byStatus = emptyByStatus();
  const products = new Map<string, { product: string; done: number; total: number }>();
  let done = 0;
  for (const { id, product } of list) {
    const status = stepStatus(state, id);
    byStatus[status] += 1;
    const p = products.get(product) ?? { product, done: 0, total: 0 };
    products.set(product, p);
    p.total += 1;
    if (doneStatuses.includes(status)) {
      done += 1;
      p.done += 1;
    }
  }
  return { done, total: list.length, byStatus, byProduct: [...products.values()] };
}

/** Time of the most recent event or note, or the creation time. */
export function lastActivity(state: SessionState): string {
  let last = state.createdAt;
  for (const rec of Object.values(state.steps)) {
    for (const e of rec.history) if (e.at > last) last = e.at;
    for (const n of rec.notes) if (n.at > last) last = n.at;
  }
  return last;
}
