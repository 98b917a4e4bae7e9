// The step engine, free of any UI: begin → send → conclude, and the probe of an interrupted step
// on resume. Both modes drive it; it asks its decision port, tells its events, and returns how
// each step ended. Rules it keeps (issue 3, reliability cases 1–4; issue 20):
// - intent before action: the step is recorded started (beginStep) before anything is sent;
// - an interrupted step leaves that state through its checkpoint or a node-by-node resume, never
//   by a blind re-run (one whose nodes all answered ok goes straight to its checkpoint);
// - a step whose preconditions are not verified is not started;
// - a disruptive step is confirmed right before it is recorded or sent.
import type { PlannedStep } from '../../plan/types.js';
import { lastEvent, probeVerdict, unsettledStatuses, type CheckpointResult, type NodeJournal } from '../../session/index.js';
import { isLocalStep, isRunnable, type SendPorts } from '../execute.js';
import { driftOf, type Drift } from '../probes.js';
import { beginProblem, interruption, resumableRun, resumeWhere } from '../rules.js';
import { allAnswered, type CheckpointVia, type Message, type VerifyExtra } from '../types.js';
import { beginStep } from './begin.js';
import { conclude } from './conclude.js';
import type { DoubtDecision } from './decisions.js';
import type { EngineOptions } from './options.js';
import { journaled, send, type SendFailure } from './send.js';
import { hasAutomaticCheck } from '../reach.js';

/** How a step run ended. */
export type StepEnd =
  | { kind: 'already'; status: 'verified' | 'overridden' }
  /** Not started: why (preconditions, a doubt to settle first). */
  | { kind: 'blocked'; problem: Message }
  /** A decision said no (or not now): nothing more was recorded or sent. */
  | { kind: 'declined'; decision: 'disruptive' | 'drift' | 'password' | 'checkpoint' | 'doubt' }
  /** A step in doubt settled by the operator's decision (the probe's verdict accepted, an override). */
  | { kind: 'settled'; status: 'failed' | 'overridden' }
  /** Started and not sent (`unsent: 'wait'`): the operator types it and comes back for the checkpoint. */
  | { kind: 'waiting' }
  /** Sent and not ok (recorded): failed, or in doubt (`inDoubt`) — its probe or the operator settles it, never a blind re-send. */
  | { kind: 'send-failed'; failure: SendFailure }
  /** The checkpoint ran; its result is recorded. */
  | { kind: 'checked'; result: CheckpointResult };

export interface RunHow {
  /** The operator did it by hand (took the GUI path): nothing is sent, the checkpoint still runs. */
  byHand?: boolean;
}

export class StepEngine {
  /** Aborts the live command in flight; set only while a step is being sent. */
  #stop: AbortController | undefined;
  /**
   * Transcripts of an ok send whose checkpoint is not recorded yet (the operator may answer it
   * later): they go with the verdict that concludes it, so the evidence pack lists them.
   */
  readonly #unrecorded = new Map<string, readonly string[]>();

  constructor(private readonly o: EngineOptions) {}

  /** True while a live command can be stopped (the TUI maps Ctrl-C to stopWaiting then). */
  get stoppable(): boolean {
    return this.#stop !== undefined && !this.#stop.signal.aborted;
  }

  /** The operator's "stop waiting" for the command in flight; false when nothing is in flight. */
  stopWaiting(): boolean {
    if (this.#stop === undefined || this.#stop.signal.aborted) return false;
    this.#stop.abort();
    return true;
  }

  /** The plan changed since the session began: accepted (recorded) or not, as the decision port says. */
  async acceptChangedPlan(): Promise<boolean> {
    const { session } = this.o;
    if (!session.needsPlanAcceptance) return true;
    if (!(await this.o.decide.acceptChangedPlan(session.diff))) return false;
    await session.acceptPlan();
    this.#emit({ kind: 'plan-accepted' });
    return true;
  }

  /** The step's node journal when it is an interrupted run that can go on node by node (see resumableRun). */
  resumable(step: PlannedStep, how: RunHow = {}): NodeJournal | undefined {
    if (how.byHand === true) return undefined;
    return resumableRun(this.o.session, step, this.o.runStep !== undefined && !(this.o.local !== undefined && isLocalStep(step)));
  }

  /** Runs `step` as far as it can go now: begin → send → conclude, or settles it when it may already have run. */
  async run(step: PlannedStep, how: RunHow = {}): Promise<StepEnd> {
    const { session, decide } = this.o;
    const status = session.status(step.id);
    if (status === 'verified' || status === 'overridden') return { kind: 'already', status };
    if (status === 'started') {
      this.#emit({ kind: 'recheck', step });
      return this.#conclude(step, 'recheck');
    }
    // Every node answered ok before the interruption: only its checkpoint is left, and nothing to send.
    if (status === 'interrupted' && allAnswered(interruption(session, step))) {
      this.#emit({ kind: 'recheck', step });
      return this.#conclude(step, 'recheck');
    }
    if (status === 'interrupted' || status === 'in-doubt') {
      const journal = status === 'interrupted' ? this.resumable(step, how) : undefined;
      if (journal === undefined) {
        const verdict = probeVerdict(lastEvent(session.state.steps[step.id]));
        const probe = this.o.verifyStep !== undefined && hasAutomaticCheck(step);
        return this.settle(step, await decide.settleDoubt({ step, status, probe, ...(verdict !== undefined ? { verdict } : {}) }), how);
      }
      if (step.disruptive && !(await decide.confirmDisruptive({ step, resuming: resumeWhere(step, journal) }))) return { kind: 'declined', decision: 'disruptive' };
      const where = (await beginStep(session, step, journal))!;
      this.#emit({ kind: 'resumed', step, where });
      return this.#sendAndConclude(step, journaled(this.o, step));
    }
    return this.#start(step, how);
  }

  /**
   * One decision on a step in doubt (or interrupted), as the operator took it: re-check it by its
   * read-only probe, accept the probe's verdict, override it with a reason, or send it again —
   * the only way its lines are re-sent, and only by that explicit choice.
   */
  async settle(step: PlannedStep, d: DoubtDecision, how: RunHow = {}): Promise<StepEnd> {
    const { session } = this.o;
    const status = session.status(step.id);
    if (!unsettledStatuses.includes(status) && d.kind !== 'recheck') return { kind: 'blocked', problem: { level: 'warn', text: `${step.id} is ${status}: it is not in doubt.` } };
    switch (d.kind) {
      case 'later':
        return { kind: 'declined', decision: 'doubt' };
      case 'recheck':
        this.#emit({ kind: 'recheck', step });
        return this.#conclude(step, 'recheck');
      case 'accept':
        await session.recordVerdictAccepted(step.id);
        this.#emit({ kind: 'settled', step, status: 'failed' });
        return { kind: 'settled', status: 'failed' };
      case 'override':
        await session.recordOverride(step.id, d.reason);
        this.#emit({ kind: 'settled', step, status: 'overridden' });
        return { kind: 'settled', status: 'overridden' };
      case 'resend':
        return this.#start(step, how, d.by);
    }
  }

  /** Opens a verified, skipped or overridden step again (the reason is recorded); it may run again. */
  async reopen(step: PlannedStep, reason: string): Promise<void> {
    await this.o.session.recordReopen(step.id, reason);
    this.#emit({ kind: 'settled', step, status: 'pending' });
  }

  /** A disruptive step whose back-out (in the plan) was carried out: recorded backed out; it may run again. */
  async backedOut(step: PlannedStep, reason: string): Promise<void> {
    await this.o.session.recordBackedOut(step.id, reason);
    this.#emit({ kind: 'settled', step, status: 'backed-out' });
  }

  /** A new run of `step` (or, with `resend`, the operator's explicit re-send of a step in doubt). */
  async #start(step: PlannedStep, how: RunHow, resend?: string): Promise<StepEnd> {
    const { session, decide } = this.o;
    const problem = beginProblem(session, step, resend !== undefined ? 're-send' : 'start', resend !== undefined, decide.wording);
    if (problem) return { kind: 'blocked', problem };
    const sendsLive = (this.o.runStep !== undefined || this.o.executeStep !== undefined) && isRunnable(step);
    // Settings answer at once: a disruptive step they do not confirm is refused before any login.
    const confirmFirst = step.disruptive && decide.confirmsFromSettings === true;
    if (confirmFirst && !(await decide.confirmDisruptive({ step }))) return { kind: 'declined', decision: 'disruptive' };
    // Resumed live session: what this step builds on is re-checked on its nodes first.
    if (sendsLive && this.o.verifyStep !== undefined && session.resumed === true) {
      const drift = await this.drift(step);
      if (drift.length > 0) {
        const accepted = await decide.acceptDrift(step, drift);
        if (accepted === undefined) return { kind: 'declined', decision: 'drift' };
        await session.addNote(step.id, `Started with drift accepted (${accepted}): ${drift.map((d) => `${d.stepId} ${d.summary}`).join('; ')}`);
      }
    }
    if (step.disruptive && !confirmFirst && !(await decide.confirmDisruptive({ step }))) return { kind: 'declined', decision: 'disruptive' };
    // Local openssl steps run here with --live (sftp is left to the operator, with the reason).
    const local = this.o.local !== undefined && isLocalStep(step) && how.byHand !== true ? this.o.local.prepare(step) : undefined;
    if (local?.runnable === false) this.#emit({ kind: 'local-unavailable', step, reason: local.reason });
    let ports: SendPorts | undefined;
    let extra: VerifyExtra | undefined;
    if (local?.runnable === true) {
      const password = local.needsPassword ? await decide.exportPassword(step) : undefined;
      if (local.needsPassword && (password === undefined || password === '')) return { kind: 'declined', decision: 'password' };
      const run = this.o.local!.run;
      ports = { runStep: (s, hooks) => run(s, { ...hooks, ...(password !== undefined ? { password } : {}) }) };
      // The export password typed for this run opens the bundle it made (file checks); then it is dropped.
      if (password !== undefined) extra = { password };
    } else if (sendsLive && how.byHand !== true) ports = journaled(this.o, step);
    if (ports === undefined && (how.byHand === true || this.o.unsent === 'by-hand')) {
      // Done again by hand: the operator's choice to redo it is on record before its checkpoint.
      if (resend !== undefined) await beginStep(session, step, undefined, resend);
      return this.#conclude(step, 'self');
    }
    await beginStep(session, step, undefined, resend);
    this.#emit({ kind: 'started', step, sending: ports !== undefined });
    if (ports === undefined) return { kind: 'waiting' };
    return this.#sendAndConclude(step, ports, extra);
  }

  /**
   * A reopened live session settles an interrupted step, or one in doubt, by its read-only probe
   * (nothing is re-sent). Undefined when it cannot (no device check, not in doubt); `resumable` when the
   * run goes on node by node instead: its check alone cannot tell which nodes were done (a restart
   * check passes on a node never restarted), so it is the operator's to resume.
   */
  async probe(step: PlannedStep, how: RunHow = {}): Promise<StepEnd | { kind: 'resumable'; journal: NodeJournal } | undefined> {
    if (this.o.verifyStep === undefined || !hasAutomaticCheck(step) || !unsettledStatuses.includes(this.o.session.status(step.id))) return undefined;
    const journal = this.resumable(step, how);
    if (journal !== undefined) return { kind: 'resumable', journal };
    this.#emit({ kind: 'probing', step });
    return this.#conclude(step, 'recheck');
  }

  /**
   * The one drift policy of both modes: the verified steps `step` builds on are re-checked on
   * their nodes (read-only); each that no longer passes gets a note (the evidence pack shows when
   * it was seen) and the drift is told. run() asks the decision port before the step starts; the
   * TUI also calls this on resume to show it before anything is chosen.
   */
  async drift(step: PlannedStep): Promise<readonly Drift[]> {
    if (this.o.verifyStep === undefined) return [];
    const drift = await driftOf(this.o.session, step, this.o.verifyStep);
    for (const d of drift) await this.o.session.addNote(d.stepId, `Drift found on resume (before ${step.id}): ${d.summary}`);
    if (drift.length > 0) this.#emit({ kind: 'drift', step, drift });
    return drift;
  }

  /** The checkpoint of a step the operator settles now (after a rehearsal, a failure, or by hand). */
  conclude(step: PlannedStep, via: CheckpointVia): ReturnType<typeof conclude> {
    return this.#conclude(step, via);
  }

  async #conclude(step: PlannedStep, via: CheckpointVia, extra?: VerifyExtra): ReturnType<typeof conclude> {
    // Done by hand (plain --by-hand, a rehearsal's unsent step, the TUI's "done it myself"): the
    // operator works on its nodes as a sent step would, so in a team they are claimed while its
    // checkpoint is open — refused, naming the holder, when another operator has one of them.
    const held = via === 'self' ? await this.o.session.holdByHand?.(step.id) : undefined;
    try {
      const end = await conclude(this.o, step, via, extra, this.#unrecorded.get(step.id));
      if (end.kind === 'checked') this.#unrecorded.delete(step.id);
      return end;
    } finally {
      // Recorded: already given back with the outcome. Put off or failed: given back here.
      await held?.release();
    }
  }

  async #sendAndConclude(step: PlannedStep, ports: SendPorts, extra?: VerifyExtra): Promise<StepEnd> {
    const stop = new AbortController();
    this.#stop = stop;
    let r: Awaited<ReturnType<typeof send>>;
    this.#unrecorded.delete(step.id);
    try {
      r = await send(this.o, step, ports, stop);
    } finally {
      this.#stop = undefined;
    }
    if (!r.ok) return { kind: 'send-failed', failure: r };
    if ((r.transcripts ?? []).length > 0) this.#unrecorded.set(step.id, r.transcripts!);
    return this.#conclude(step, 'run', extra);
  }

  #emit(e: Parameters<NonNullable<EngineOptions['emit']>>[0]): void {
    this.o.emit?.(e);
  }
}
