// The checks that gate a step, as pure functions of the journal, so the TUI controller and the
// plain mode refuse the same things with the same words.
import type { PlannedStep } from '../plan/types.js';
import { diffPlan, hasBackout, nodeRunStates, reopenableStatuses, satisfiesRequires, stepStatus, type NodeJournal } from '../session/index.js';
import { isRunnable } from './execute.js';
import * as words from './messages.js';
import { allAnswered, type Interruption, type Message, type WizardSession } from './types.js';

/**
 * Why `step` may not be started (or marked done) now; undefined when it may. `resend`: the
 * operator chose to send a step in doubt again (its doubt is no reason to refuse then).
 */
export function beginProblem(session: Pick<WizardSession, 'status' | 'preconditions'> & { state?: WizardSession['state'] }, step: PlannedStep, what: string, resend = false, w: words.Wording = 'keys'): Message | undefined {
  const status = session.status(step.id);
  if (resend && status !== 'interrupted' && status !== 'in-doubt') return { level: 'warn', text: `${step.id} is ${status}: only a step in doubt is re-sent.` };
  if (status === 'started' || (!resend && status === 'interrupted'))
    return { level: 'warn', text: `${step.id} may already have run: re-check its checkpoint (${w === 'keys' ? 'c' : `--steps ${step.id}`}) first; it is never re-run blindly.` };
  // A run that ended in doubt (stopped waiting, timeout, drop) may have applied: its probe first.
  if (!resend && status === 'in-doubt') return { level: 'warn', text: words.settleDoubt(step.id, w) };
  if (status === 'failed' && session.state?.steps[step.id]?.history.at(-1)?.outcome === 'unknown')
    return { level: 'warn', text: `${step.id} ended in doubt and may have applied: re-check its checkpoint (${w === 'keys' ? 'c' : `--recheck ${step.id}`}) first; it is never re-sent blindly.` };
  if (status === 'verified' || status === 'overridden') return { level: 'info', text: `${step.id} is already ${status}.` };
  const { missing } = session.preconditions(step.id);
  if (missing.length > 0) return { level: 'error', text: `Cannot ${what} ${step.id}: first verify ${missing.join(', ')}.${missing.map((id) => unblock(session, id, w)).join('')}` };
  return undefined;
}

/** How a prerequisite that is not verified gets out of the way (a skipped one is reopened, one in doubt settled). */
function unblock(session: Pick<WizardSession, 'status'>, id: string, w: words.Wording): string {
  const st = session.status(id);
  if (st === 'skipped') return ` ${words.skippedBlocks(id, w)}`;
  if (st === 'in-doubt' || st === 'interrupted') return ` ${words.settleDoubt(id, w)}`;
  if (st === 'backed-out') return ` ${id} was backed out: run it again first.`;
  return '';
}

/** Why `stepId` may not be skipped now; undefined when it may. */
export function skipProblem(session: Pick<WizardSession, 'status'>, stepId: string): Message | undefined {
  const status = session.status(stepId);
  if (status === 'interrupted' || status === 'started' || status === 'in-doubt') return { level: 'warn', text: `${stepId} may have run: re-check it (c) before skipping.` };
  if (status === 'verified' || status === 'overridden') return { level: 'warn', text: `${stepId} is already ${status}.` };
  return undefined;
}

/**
 * Steps verified (or overridden) with commands that differ from the current plan's. diffPlan
 * hashes each step it is given, so the answer is cached per journal write, not recomputed per
 * keypress, and only the verified and overridden steps are given (none on a new session).
 */
export function flaggedSteps(session: Pick<WizardSession, 'needsPlanAcceptance' | 'state' | 'plan'>): () => string[] {
  let at: { serial: number; ids: string[] } | undefined;
  return () => {
    if (session.needsPlanAcceptance) return [];
    if (at?.serial !== session.state.serial) {
      const { plan, state } = session;
      // Only a verified or overridden step can be flagged (diffPlan's rule): the diff of those
      // alone, not the hash of every step's commands, which the first frame used to wait for.
      const steps = plan.steps.filter((s) => satisfiesRequires.includes(stepStatus(state, s.id)));
      const ids = steps.length === 0 ? [] : diffPlan({ ...plan, steps }, state, '').changed.filter((c) => c.flagged).map((c) => c.id);
      at = { serial: state.serial, ids };
    }
    return at.ids;
  };
}

/**
 * An interrupted multi-node run that can go on node by node: the session journals nodes and can
 * resume, the step runs through the step-level runner (`canRun`), its current run has node
 * records, and each node in doubt (or failed) carries the evidence its read-only probe compares.
 * Otherwise undefined: the checkpoint decides.
 * One rule for both modes (the TUI controller and plain mode).
 */
export function resumableRun(session: WizardSession, step: PlannedStep, canRun: boolean): NodeJournal | undefined {
  if (!canRun || session.nodeJournal === undefined || session.recordResumed === undefined || !isRunnable(step)) return undefined;
  if (session.status(step.id) !== 'interrupted') return undefined;
  // Every node answered ok: there is nothing left to send, only the checkpoint to ask.
  if (allAnswered(interruption(session, step))) return undefined;
  const journal = session.nodeJournal(step.id);
  const nodes = [...journal.nodes().values()];
  if (nodes.length === 0 || nodes.some((n) => n.state !== 'ok' && n.state !== 'pending' && n.record.evidence === undefined)) return undefined;
  return journal;
}

/**
 * What the journal knows of an interrupted step (issue 12: a step whose nodes all answered ok and
 * that waited only for the operator's checkpoint answer is not "may or may not have run"). A step
 * started in a rehearsal sent nothing. Otherwise its current run's node records say, per target
 * of the step, who answered ok, who is in doubt (intent without a result), who failed and who was
 * never sent; without any record (no per-node journal, or killed before the first intent) nothing
 * is known. A step that is not interrupted is `unknown` here.
 */
export function interruption(session: Pick<WizardSession, 'status' | 'state'>, step: PlannedStep): Interruption {
  if (session.status(step.id) !== 'interrupted') return { kind: 'unknown' };
  const record = session.state.steps[step.id];
  const started = [...(record?.history ?? [])].reverse().find((e) => e.status === 'started');
  if (started?.mode === 'rehearsal') return { kind: 'rehearsal' };
  const known = nodeRunStates(record);
  if (known.size === 0) return { kind: 'unknown' };
  const targets = [...new Set([...step.actions.map((a) => a.target), ...known.keys()])];
  const where = (state: string) => targets.filter((t) => (known.get(t)?.state ?? 'pending') === state);
  return { kind: 'nodes', ok: where('ok'), doubt: where('in-doubt'), failed: where('failed'), unsent: where('pending') };
}

/** "us-cm-pub ok, us-cm-sub1 in-doubt, us-cm-sub2 pending": each node of the run, untouched ones pending. */
export function resumeWhere(step: PlannedStep, journal: NodeJournal): string {
  const known = journal.nodes();
  const untouched = [...new Set(step.actions.map((a) => a.target))].filter((t) => !known.has(t));
  return [...[...known].map(([node, n]) => `${node} ${n.state}`), ...untouched.map((t) => `${t} pending`)].join(', ');
}

/** Why `step` may not be reopened or marked backed out now (the journal's own rules, said before a reason is typed). */
export function markProblem(session: Pick<WizardSession, 'status'>, step: PlannedStep, what: 'reopen' | 'backed-out'): Message | undefined {
  const status = session.status(step.id);
  if (what === 'reopen')
    return reopenableStatuses.includes(status) ? undefined : { level: 'warn', text: `${step.id} is ${status}: only a verified, skipped or overridden step is reopened.` };
  if (!step.disruptive || !hasBackout(step)) return { level: 'warn', text: `${step.id} ${step.disruptive ? 'has no back-out in the plan' : 'is not disruptive'}: there is nothing to mark backed out.` };
  if (!['verified', 'overridden', 'failed', 'in-doubt', 'interrupted'].includes(status)) return { level: 'warn', text: `${step.id} is ${status}: only a step that ran is backed out.` };
  return undefined;
}
