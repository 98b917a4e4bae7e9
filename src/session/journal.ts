// The session journal: one locked session, each change committed durably through its store (the
// file journal by default, store.ts). Intent is written before acting (recordStarted resolves
// only after the "started" entry is durable) and outcome after, so a step with intent and no
// outcome is detectably in doubt after a crash (Terraform's Google provider stores an operation
// id first for the same reason).
import { randomUUID } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Plan, PlannedStep } from '../plan/types.js';
import { ExitCode, UserError } from '../errors.js';
import { stripControls, stripLine } from '../text/controls.js';
import { appendEvent, describeBreak, emptyChain, sealJournal, verifyJournal, type JournalIntegrity } from './chain.js';
import { planHashes, planSecrets, stepCommandsHash, type PlanHashes } from './hash.js';
import { reviewLines } from './step-lines.js';
import { TamperedSessionError } from './load.js';
import { currentUser, NodeClaimedError, type LockOptions, type LockOwner, type NodeClaim, type SessionLock } from './lock.js';
import { FileSessionStore } from './file-store.js';
import { StaleSessionError, type SessionStore } from './store.js';
import { defaultSessionDir, defaultSessionName, sessionFilePath } from './paths.js';
import { diffPlan, markInterrupted, nextStep, preconditionsMet, progress, type NextStep, type PlanDiff, type Progress } from './resume.js';
import { checkpointResultSchema, currentRunIndex, currentStatus, nodeRunStates, reopenableStatuses, SESSION_VERSION, unsettledStatuses, type CheckpointResult, type EventMode, type NodeJournal, type NodeRun, type SessionState, type StepEvent, type StepStatus } from './state.js';

export interface OpenSessionOptions {
  plan: Plan;
  inventoryPath: string;
  /** Where the session is kept (default: the file journal in `dir`, named `name`). */
  store?: SessionStore;
  /** Session directory (default `.collabsec/` beside the inventory). */
  dir?: string;
  /** Session name (default: the inventory's base name). */
  name?: string;
  lock?: LockOptions;
  /** Injected clock for tests. */
  now?: () => Date;
  /**
   * Go on with a journal edited outside collabsec (its hash chain is broken): the operator's
   * acknowledgement is written into it and the history re-sealed. Without it such a journal is
   * refused (TamperedSessionError, exit 5).
   */
  acceptTampered?: boolean;
  /**
   * Join the session as one operator of a team where the store allows it (PostgreSQL): no
   * session-wide lock; each step claims its nodes from intent to outcome, and writes are rebased
   * onto what the other operators wrote meanwhile. Ignored by the file journal.
   */
  team?: boolean;
  /**
   * Whether this process sends to devices (`run --live`) or rehearses: written on every event it
   * records, inside the hash chain, so the evidence pack can say which it was (issue 25).
   */
  mode?: EventMode;
}

/** How many times a team member's write is rebased onto newer writes before it gives up. */
const REBASE_ATTEMPTS = 200;

export interface StepResult {
  outcome: 'passed' | 'failed' | 'unknown';
  /**
   * The step may have applied and nothing confirms it (a send that ended unknown, a probe that did
   * not pass on a step in doubt): recorded "in-doubt", not "failed". Ignored when passed.
   */
  inDoubt?: boolean;
  /** With `inDoubt`: the verdict is a probe's (re-check of a step in doubt), which the operator may accept. */
  probed?: boolean;
  checkpoint?: CheckpointResult;
  target?: string;
  /** Transcript file paths (relative to the session dir). */
  transcripts?: string[];
}

const PRIVATE_KEY_MARK = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

/** `hashes`: the plan's, computed once per open (planHashes). */
function stepsFromPlan(plan: Plan, hashes: PlanHashes, previous: SessionState['steps'] = {}): { steps: SessionState['steps']; order: string[] } {
  const steps: SessionState['steps'] = { ...previous };
  for (const [i, s] of plan.steps.entries()) {
    const old = previous[s.id];
    steps[s.id] = { id: s.id, title: s.title, product: s.product, commandsHash: hashes.steps[i]!, lines: reviewLines(s), history: old?.history ?? [], notes: old?.notes ?? [], ...(old?.nodes !== undefined ? { nodes: old.nodes } : {}) };
  }
  return { steps, order: plan.steps.map((s) => s.id) };
}

export class Session {
  #state: SessionState;
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;
  /** An old journal sealed on open: its next write rewrites every event's hash (CommitOptions.resealed). */
  #resealPending: boolean;
  readonly #listeners = new Set<(state: SessionState) => void>();
  /** Team mode: the claims this operator holds, by step. */
  readonly #claims = new Map<string, NodeClaim>();
  readonly #secrets: string[];
  /** The plan's hash and its steps' commands hashes, computed once (the plan does not change). */
  readonly #hashes: PlanHashes;
  /** Written on every event this process records (OpenSessionOptions.mode). */
  mode: EventMode | undefined;
  // Stripped once here: every event and note names them (an OSC in a user name never reaches the file).
  readonly #user = stripLine(currentUser());
  readonly #host = stripLine(os.hostname());

  constructor(
    readonly store: SessionStore,
    readonly plan: Plan,
    state: SessionState,
    private readonly lock: SessionLock,
    /** Steps found in flight (status "started") when the session was opened, now "interrupted". */
    readonly interruptedOnOpen: readonly string[],
    readonly resumed: boolean,
    private readonly now: () => Date,
    /** The journal's hash chain as found on open (before an old file was sealed or an edit accepted). */
    readonly integrity: JournalIntegrity = { kind: 'chained', events: 0, acknowledged: [] },
    /** planHashes(plan), when the opener computed it already. */
    hashes: PlanHashes = planHashes(plan),
  ) {
    this.#state = state;
    this.#resealPending = integrity.kind === 'not-chained';
    this.#secrets = planSecrets(plan);
    this.#hashes = hashes;
  }

  /** Current state; replaced (never mutated) on each write, so snapshots stay consistent. */
  get state(): SessionState {
    return this.#state;
  }
  /** Where the session is kept (a file path for the file journal), for messages and transcripts. */
  get file(): string {
    return this.store.location;
  }
  get name(): string {
    return this.#state.name;
  }
  get lockOwner(): LockOwner {
    return this.lock.owner;
  }
  /** What changed between the plan this session follows and the plan it was opened with. */
  get diff(): PlanDiff {
    return diffPlan(this.plan, this.#state, this.#hashes.plan);
  }
  /** True until acceptPlan() when the inventory/catalogue changed since the session's plan. */
  get needsPlanAcceptance(): boolean {
    return this.#state.planHash !== this.#hashes.plan;
  }
  status(stepId: string): StepStatus {
    return currentStatus(this.#state.steps[stepId]);
  }
  next(): NextStep | undefined {
    return nextStep(this.plan, this.#state);
  }
  progress(): Progress {
    return progress(this.#state, this.plan.steps);
  }
  preconditions(stepId: string): { met: boolean; missing: string[] } {
    return preconditionsMet(this.#step(stepId), this.#state);
  }
  /** Called after every durable write with the new state. Returns an unsubscribe function. */
  subscribe(listener: (state: SessionState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * A team member's view of what the others recorded since this process last read or wrote: the
   * newer state, taken in the write queue (never between a write's read and its commit). Nothing
   * is written. False when nothing changed, and always on a store with one writer (the file
   * journal), where every change is this process's own.
   */
  refresh(): Promise<boolean> {
    if (!this.lock.team) return Promise.resolve(false);
    const run = async (): Promise<boolean> => {
      if (this.#closed) return false;
      const fresh = this.store.readNewer ? await this.store.readNewer(this.#state) : await this.store.read();
      if (fresh === undefined || fresh.serial <= this.#state.serial) return false;
      this.#state = fresh;
      for (const l of this.#listeners) l(fresh);
      return true;
    };
    const p = this.#queue.then(run, run);
    this.#queue = p.catch(() => undefined);
    return p;
  }

  /**
   * Intent: resolves only once "started" is on disk. Call before sending anything. A step that may
   * already have run (interrupted, in doubt) is refused unless `resend` carries the operator's
   * explicit choice to send it again (recorded as the event's reason).
   */
  async recordStarted(stepId: string, target?: string, resend?: string): Promise<void> {
    const step = this.#step(stepId);
    const team = this.lock.team;
    // A team member claims the step and its nodes first: exactly one operator starts it.
    const claim = team && !this.#claims.has(stepId) ? await team.claim(stepId, [...new Set(step.actions.map((a) => a.target))]) : undefined;
    if (claim) this.#claims.set(stepId, claim);
    try {
      await this.#startCommit(stepId, step, target, resend);
    } catch (e) {
      if (claim) {
        this.#claims.delete(stepId);
        await claim.release().catch(() => undefined);
      }
      throw e;
    }
  }

  /** Whether this session is shared by a team (a database session joined by several operators). */
  get team(): boolean {
    return this.lock.team !== undefined;
  }

  /**
   * An outcome written for a step this operator did not start and does not hold (skipped,
   * overridden, reopened, backed out, a bare recordResult): in a team it takes the step's claim
   * for the write, so it is refused, naming who, while another operator has that step in flight —
   * their run decides its outcome. Only the step is claimed, not its nodes: the write sends
   * nothing to a device, so an operator working another step on the same node is not in the way.
   * (A step done by hand through the wizard holds its nodes already: holdByHand.)
   */
  async #asStepHolder<T>(stepId: string, write: () => Promise<T>): Promise<T> {
    const team = this.lock.team;
    if (!team || this.#claims.has(stepId)) return write();
    const claim = await team.claim(stepId, []).catch((e: unknown) => {
      throw e instanceof NodeClaimedError ? new NodeClaimedError(e.step, e.node, e.holder, e.holderStep, e.since, 'record') : e;
    });
    try {
      return await write();
    } finally {
      await claim.release().catch(() => undefined);
    }
  }

  /**
   * A step the operator does by hand (collabsec sends nothing; a rehearsal's unsent step is one
   * too): in a team its step and nodes are claimed as a sent step's are, from now until its
   * outcome is recorded (recordResult gives the claim back) or the returned release (its
   * checkpoint put off, or an error). So one operator cannot record S0xx done by hand on a node
   * while another is mid-way through a step there, and neither is told. Nothing is journaled: the
   * claim lives in the store's claim table (presence shows it), apart from the events, and a
   * "started" would say something was sent and put the step in doubt after a crash. A step this
   * operator already holds (started here) keeps its claim, and release leaves it alone.
   */
  async holdByHand(stepId: string): Promise<{ release(): Promise<void> }> {
    const step = this.#step(stepId);
    const team = this.lock.team;
    if (!team || this.#claims.has(stepId)) return { release: () => Promise.resolve() };
    const claim = await team.claim(stepId, [...new Set(step.actions.map((a) => a.target))]).catch((e: unknown) => {
      throw e instanceof NodeClaimedError ? new NodeClaimedError(e.step, e.node, e.holder, e.holderStep, e.since, 'by-hand') : e;
    });
    this.#claims.set(stepId, claim);
    return {
      // Only this hold's own claim, and only while it is still held (recordResult may have given it back).
      release: () => (this.#claims.get(stepId) === claim ? this.#releaseClaim(stepId) : Promise.resolve()),
    };
  }

  async #releaseClaim(stepId: string): Promise<void> {
    const claim = this.#claims.get(stepId);
    if (!claim) return;
    this.#claims.delete(stepId);
    await claim.release().catch(() => undefined);
  }

  #startCommit(stepId: string, step: PlannedStep, target: string | undefined, resend: string | undefined): Promise<void> {
    return this.#commit((s) => {
      if (s.planHash !== this.#hashes.plan)
        throw new UserError('The inventory or catalogue changed since this session began', 'Review the changed steps and accept the new plan before starting a step.', ExitCode.stepFailed);
      const status = currentStatus(s.steps[stepId]);
      if (status === 'started' && this.lock.team)
        throw new UserError(`Step ${stepId} was started by someone else and has no outcome: it may or may not have run`, 'Run collabsec resume: a step its operator left is marked interrupted, and re-checked, never re-run blindly.', ExitCode.stepFailed);
      const why = resend === undefined ? undefined : requireReason(resend, 're-send');
      if (unsettledStatuses.includes(status) && why === undefined)
        throw new UserError(`Step ${stepId} is ${status === 'in-doubt' ? 'in doubt' : 'interrupted'}: it may or may not have run`, 'Run its checkpoint first and record the result; it is never re-run blindly.', ExitCode.stepFailed);
      if (why !== undefined && !unsettledStatuses.includes(status))
        throw new UserError(`Step ${stepId} is ${status}; only a step in doubt or interrupted is re-sent`, undefined, ExitCode.stepFailed);
      const { missing } = preconditionsMet(step, s);
      if (missing.length > 0)
        throw new UserError(`Step ${stepId} cannot start: required step(s) not verified: ${missing.join(', ')}`, 'Verify (or override) those steps first.', ExitCode.stepFailed);
      return this.#withEvent(s, stepId, { status: 'started', target: cleanLine(target), commandsHash: stepCommandsHash(step), ...(why !== undefined ? { reason: `re-sent: ${why}` } : {}) });
    });
  }

  /**
   * Continues an interrupted multi-node step whose nodes are journaled: a "started" (resumed)
   * event, so its run's node records still count and only the nodes not done are sent.
   */
  async recordResumed(stepId: string, reason: string): Promise<void> {
    const step = this.#step(stepId);
    await this.#commit((s) => {
      if (s.planHash !== this.#hashes.plan)
        throw new UserError('The inventory or catalogue changed since this session began', 'Review the changed steps and accept the new plan before starting a step.', ExitCode.stepFailed);
      const rec = s.steps[stepId];
      if (currentStatus(rec) !== 'interrupted' || currentRunIndex(rec) === undefined || (rec?.nodes ?? []).length === 0)
        throw new Error(`Step ${stepId} is not an interrupted run with per-node records`);
      return this.#withEvent(s, stepId, { status: 'started', resumed: true, reason: stripLine(reason), commandsHash: stepCommandsHash(step) });
    });
  }

  /** Per-node intent and outcome of the step's current run (it must be started). */
  nodeJournal(stepId: string): NodeJournal {
    this.#step(stepId);
    const update = (node: string, append: boolean, change: (rec: NodeRun | undefined, run: number) => NodeRun) =>
      this.#commit((s) => {
        const rec = s.steps[stepId]!;
        const run = currentRunIndex(rec);
        if (currentStatus(rec) !== 'started' || run === undefined) throw new Error(`Step ${stepId} is not started: a node's intent is written only within a started step`);
        const nodes = [...(rec.nodes ?? [])];
        // The latest record of this node in this run is updated (outcome); a new intent appends.
        const i = nodes.findLastIndex((n) => n.node === node && n.run === run);
        const next = change(i >= 0 ? nodes[i] : undefined, run);
        if (!append && i >= 0) nodes[i] = next;
        else nodes.push(next);
        return { ...s, steps: { ...s.steps, [stepId]: { ...rec, nodes } } };
      });
    return {
      nodes: () => nodeRunStates(this.#state.steps[stepId]),
      intent: (node, what) =>
        update(node, true, (_old, run) => ({
          node,
          run,
          intentAt: this.now().toISOString(),
          ...(what.evidence !== undefined ? { evidence: what.evidence } : {}),
          ...(what.done !== undefined && what.done.length > 0 ? { done: what.done } : {}),
          ...(what.lines !== undefined ? { lines: what.lines } : {}),
        })),
      outcome: (node, what) =>
        update(node, false, (old, run) => ({
          ...(old ?? { node, run, intentAt: this.now().toISOString() }),
          outcome: what.outcome,
          outcomeAt: this.now().toISOString(),
          ...(what.health !== undefined ? { health: { ok: what.health.ok, details: what.health.details.map((d) => stripControls(d)) } } : {}),
          ...(what.summary !== undefined ? { summary: stripControls(what.summary) } : {}),
        })),
    };
  }

  /** Outcome: the checkpoint decided. passed → verified; failed/unknown → failed (override needs a reason), or in-doubt (`inDoubt`). */
  async recordResult(stepId: string, result: StepResult): Promise<void> {
    const step = this.#step(stepId);
    const checkpoint = result.checkpoint === undefined ? undefined : cleanCheckpoint(checkpointResultSchema.parse(result.checkpoint));
    await this.#asStepHolder(stepId, () =>
      this.#commit((s) =>
        this.#withEvent(s, stepId, {
          status: result.outcome === 'passed' ? 'verified' : result.inDoubt === true ? 'in-doubt' : 'failed',
          outcome: result.outcome,
          checkpoint,
          target: cleanLine(result.target),
          transcripts: result.transcripts,
          commandsHash: stepCommandsHash(step),
          ...(result.outcome !== 'passed' && result.inDoubt === true && result.probed === true ? { reason: PROBED } : {}),
        }),
      ),
    );
    await this.#releaseClaim(stepId);
  }

  async recordSkip(stepId: string, reason: string): Promise<void> {
    this.#step(stepId);
    const why = requireReason(reason, 'skip');
    await this.#asStepHolder(stepId, () =>
      this.#commit((s) => this.#withEvent(s, stepId, { status: 'skipped', reason: why })),
    );
    await this.#releaseClaim(stepId);
  }

  /** Accept a failed checkpoint, or a step in doubt, with a recorded reason; the outcome stays as it was ("failed", "unknown"). */
  async recordOverride(stepId: string, reason: string): Promise<void> {
    const step = this.#step(stepId);
    const why = requireReason(reason, 'override');
    await this.#asStepHolder(stepId, () =>
      this.#commit((s) => {
        const last = s.steps[stepId]?.history.at(-1);
        if (last?.status !== 'failed' && !unsettledStatuses.includes(last?.status ?? 'pending'))
          throw new UserError(`Step ${stepId} is ${last?.status ?? 'pending'}; only a failed checkpoint or a step in doubt can be overridden`, undefined, ExitCode.stepFailed);
        return this.#withEvent(s, stepId, { status: 'overridden', outcome: last!.outcome ?? (last!.status === 'failed' ? 'failed' : 'unknown'), reason: why, commandsHash: stepCommandsHash(step) });
      }),
    );
  }

  /**
   * A step in doubt whose probe said it did not pass: the operator accepts that verdict, and the
   * step is failed (it may run again). Refused when there is no such verdict (re-check it first).
   */
  async recordVerdictAccepted(stepId: string): Promise<void> {
    const step = this.#step(stepId);
    await this.#asStepHolder(stepId, () =>
      this.#commit((s) => {
        const last = s.steps[stepId]?.history.at(-1);
        const verdict = probeVerdict(last);
        if (last?.status !== 'in-doubt' || verdict === undefined)
          throw new UserError(`Step ${stepId} has no probe verdict to accept (${last?.status ?? 'pending'})`, 'Re-check it with its read-only probe first.', ExitCode.stepFailed);
        if (verdict.outcome !== 'failed')
          throw new UserError(`Step ${stepId}: its probe could not tell (${verdict.summary ?? 'unknown'}); there is no verdict to accept`, 'Re-check it again, override it with a reason, or re-send it.', ExitCode.stepFailed);
        return this.#withEvent(s, stepId, { status: 'failed', outcome: 'failed', checkpoint: verdict, reason: "the probe's verdict accepted", commandsHash: stepCommandsHash(step) });
      }),
    );
  }

  /** Opens a verified, skipped or overridden step again, with a recorded reason (a "pending" event). */
  async recordReopen(stepId: string, reason: string): Promise<void> {
    this.#step(stepId);
    const why = requireReason(reason, 'reopen');
    await this.#asStepHolder(stepId, () =>
      this.#commit((s) => {
        const status = currentStatus(s.steps[stepId]);
        if (!reopenableStatuses.includes(status))
          throw new UserError(`Step ${stepId} is ${status}; only a verified, skipped or overridden step is reopened`, undefined, ExitCode.stepFailed);
        return this.#withEvent(s, stepId, { status: 'pending', reason: `reopened: ${why}` });
      }),
    );
  }

  /**
   * The step's back-out was carried out: its change is undone ("backed-out"; it may run again).
   * Only for a disruptive step whose plan has a back-out, once it was started.
   */
  async recordBackedOut(stepId: string, reason: string): Promise<void> {
    const step = this.#step(stepId);
    const why = requireReason(reason, 'back-out');
    if (!step.disruptive || !hasBackout(step))
      throw new UserError(`Step ${stepId} ${step.disruptive ? 'has no back-out in the plan' : 'is not disruptive'}: there is nothing to mark backed out`, undefined, ExitCode.usage);
    await this.#asStepHolder(stepId, () =>
      this.#commit((s) => {
        const status = currentStatus(s.steps[stepId]);
        if (!['verified', 'overridden', 'failed', 'in-doubt', 'interrupted'].includes(status))
          throw new UserError(`Step ${stepId} is ${status}: only a step that ran (verified, overridden, failed, in doubt or interrupted) is backed out`, undefined, ExitCode.stepFailed);
        return this.#withEvent(s, stepId, { status: 'backed-out', reason: why, commandsHash: stepCommandsHash(step) });
      }),
    );
  }

  async addNote(stepId: string, text: string): Promise<void> {
    this.#step(stepId);
    // Stripped before it is written, not only when rendered: the file itself stays inert.
    const clean = stripControls(text);
    if (clean.trim() === '') throw new UserError('A note cannot be empty', undefined, ExitCode.usage);
    await this.#commit((s) => {
      const rec = s.steps[stepId]!;
      const note = { at: this.now().toISOString(), user: this.#user, text: clean };
      return { ...s, steps: { ...s.steps, [stepId]: { ...rec, notes: [...rec.notes, note] } } };
    });
  }

  /** The operator reviewed `diff` and goes on with the current plan; the old hashes are kept. */
  async acceptPlan(): Promise<void> {
    await this.#commit((s) => {
      const at = this.now().toISOString();
      const old = { at, user: this.#user, planHash: s.planHash, inventoryHash: s.inventory.hash, catalogueHash: s.catalogueHash };
      return {
        ...s,
        ...stepsFromPlan(this.plan, this.#hashes, s.steps),
        planHash: this.#hashes.plan,
        planTitle: this.plan.title,
        catalogueHash: this.plan.catalogueHash,
        inventory: { ...s.inventory, hash: this.plan.inventoryHash },
        planHistory: [...s.planHistory, old],
      };
    });
  }

  /** The sealed chain was already written (openSession's own write): later writes only append. */
  markResealed(): void {
    this.#resealPending = false;
  }

  /** Waits for pending writes and releases the lock. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    await this.#queue.catch(() => undefined);
    this.#closed = true;
    for (const id of [...this.#claims.keys()]) await this.#releaseClaim(id);
    await this.lock.release();
  }

  #step(stepId: string): PlannedStep {
    const step = this.plan.steps.find((s) => s.id === stepId);
    if (!step) throw new Error(`Step ${stepId} is not in the plan`);
    return step;
  }

  #withEvent(s: SessionState, stepId: string, partial: Omit<StepEvent, 'at' | 'user' | 'host' | 'seq' | 'hash'>): SessionState {
    return appendEvent(s, stepId, { ...partial, at: this.now().toISOString(), user: this.#user, host: this.#host, ...(this.mode !== undefined ? { mode: this.mode } : {}) });
  }

  /** Serialises writes; each is fenced by the lock and lands on disk before the state changes. */
  #commit(mutate: (s: SessionState) => SessionState): Promise<void> {
    const run = async () => {
      if (this.#closed) throw new Error('Session is closed');
      const next = { ...mutate(this.#state), serial: this.#state.serial + 1, updatedAt: this.now().toISOString() };
      const text = JSON.stringify(next, null, 1);
      if (PRIVATE_KEY_MARK.test(text) || this.#secrets.some((x) => text.includes(x)))
        throw new UserError('Refusing to write a secret into the session file', 'Remove passwords and private keys from notes and checkpoint details.', ExitCode.failure);
      try {
        await this.store.commit(this.lock, next, { expectSerial: this.#state.serial, resealed: this.#resealPending });
      } catch (e) {
        if (!(e instanceof StaleSessionError) || !this.lock.team || this.#resealPending || attempt >= REBASE_ATTEMPTS) throw e;
        // Another operator of the team wrote first: take what is recorded now, and apply this
        // change to it (its checks run again on the newer state).
        const fresh = this.store.readNewer ? await this.store.readNewer(this.#state) : await this.store.read();
        if (fresh === undefined) throw e;
        this.#state = fresh;
        attempt++;
        return run();
      }
      this.#resealPending = false;
      this.#state = next;
      for (const l of this.#listeners) l(next);
    };
    let attempt = 0;
    // A team member writes in the session's write turn, so its writers do not race (store.ts).
    const turn = this.lock.team && this.store.writeTurn ? () => this.store.writeTurn!(run) : run;
    const p = this.#queue.then(turn, turn);
    this.#queue = p.catch(() => undefined);
    return p;
  }
}

/** The verdict of the probe recorded on a step in doubt (its checkpoint), if one ran. */
export function probeVerdict(event: StepEvent | undefined): CheckpointResult | undefined {
  return event?.status === 'in-doubt' && event.reason === PROBED ? event.checkpoint : undefined;
}

/** The reason an in-doubt event written by a probe carries (a send in doubt has none). */
export const PROBED = 'the read-only probe did not confirm it';

/** Whether the plan gives the step a back-out (per step or per target). */
export function hasBackout(step: PlannedStep): boolean {
  const has = (b: PlannedStep['backout']) => b !== undefined && (b.text.length > 0 || b.commands.length > 0);
  return has(step.backout) || step.actions.some((a) => has(a.backout));
}

function requireReason(reason: string, what: string): string {
  // One line, no controls, before the emptiness check: a reason of escapes alone is no reason.
  const r = stripLine(reason).trim();
  if (r === '') throw new UserError(`A ${what} needs a reason`, 'The reason goes into the evidence pack for the change board.', ExitCode.usage);
  return r;
}

function cleanLine(text: string | undefined): string | undefined {
  return text === undefined ? undefined : stripLine(text);
}

/** A checkpoint's free text (a device's summary, an operator's answer) as it may be written. */
function cleanCheckpoint(c: CheckpointResult): CheckpointResult {
  return {
    ...c,
    ...(c.summary !== undefined ? { summary: stripControls(c.summary) } : {}),
    ...(c.details !== undefined ? { details: c.details.map((d) => ({ ...d, target: stripLine(d.target), ...(d.text !== undefined ? { text: stripControls(d.text) } : {}) })) } : {}),
    ...(c.readings !== undefined
      ? { readings: c.readings.map((r) => ({ baseline: stripLine(r.baseline), target: stripLine(r.target), command: stripLine(r.command), output: stripControls(r.output, { multiline: true }) })) }
      : {}),
  };
}

function newState(name: string, plan: Plan, hashes: PlanHashes, inventoryPath: string, at: string): SessionState {
  const lineage = randomUUID();
  return {
    version: SESSION_VERSION,
    lineage,
    serial: 0,
    name,
    createdAt: at,
    updatedAt: at,
    createdBy: { user: stripLine(currentUser()), host: stripLine(os.hostname()) },
    inventory: { path: path.resolve(inventoryPath), hash: plan.inventoryHash },
    catalogueHash: plan.catalogueHash,
    planHash: hashes.plan,
    planTitle: plan.title,
    planHistory: [],
    ...stepsFromPlan(plan, hashes),
    chain: emptyChain({ lineage }),
  };
}

/**
 * The journal as found, checked: a broken chain is refused unless accepted, then re-sealed with
 * the acknowledgement (written at once: the acceptance is on record before anything runs); an old
 * file without a chain is sealed as found (written with the next change).
 */
async function checkedJournal(store: SessionStore, lock: SessionLock, loaded: SessionState, accept: boolean, at: string): Promise<{ state: SessionState; integrity: JournalIntegrity }> {
  const integrity = verifyJournal(loaded);
  const who = { at, user: stripLine(currentUser()), host: stripLine(os.hostname()) };
  if (integrity.kind === 'not-chained') return { state: sealJournal(loaded, who), integrity };
  if (integrity.kind !== 'tampered') return { state: loaded, integrity };
  if (!accept) throw new TamperedSessionError(store.location, describeBreak(integrity.first), integrity.breaks.length, await store.backup());
  const state = { ...sealJournal(loaded, who, integrity.breaks.map(describeBreak)), serial: loaded.serial + 1, updatedAt: at };
  await store.commit(lock, state, { expectSerial: loaded.serial, resealed: true });
  return { state, integrity };
}

/**
 * `resume --accept-tampered`: records the operator's acceptance of a journal edited outside
 * collabsec (locked, like any write) and re-seals it, so the wizard can open it. Returns what was
 * found; a journal that is intact is left as it is.
 */
export async function acceptTamperedSession(store: SessionStore, lock?: LockOptions): Promise<JournalIntegrity> {
  const held = await store.acquire(lock);
  try {
    const { integrity } = await checkedJournal(store, held, await store.load(), true, new Date().toISOString());
    return integrity;
  } finally {
    await held.release();
  }
}

/** acceptTamperedSession for a session file (the file journal). */
export function acceptTamperedJournal(file: string, lock?: LockOptions): Promise<JournalIntegrity> {
  return acceptTamperedSession(new FileSessionStore(file), lock);
}

/**
 * Opens (or creates) a session and locks it for this process. An existing session is loaded and
 * refused if damaged; steps found in flight are recorded as interrupted. A missing file whose
 * backup exists is refused too (FileSessionStore.read): a new session is never started silently
 * over lost state.
 */
export async function openSession(opts: OpenSessionOptions): Promise<Session> {
  const now = opts.now ?? (() => new Date());
  const name = opts.store?.name ?? opts.name ?? defaultSessionName(opts.inventoryPath);
  const store: SessionStore = opts.store ?? new FileSessionStore(sessionFilePath(opts.dir ?? defaultSessionDir(opts.inventoryPath), name), name);
  const team = opts.team === true && store.join !== undefined;
  const lock = team ? await store.join!(opts.lock) : await store.acquire(opts.lock);
  try {
    // One operator of a team retries when another operator wrote between its read and its write.
    for (let attempt = 0; ; attempt++) {
      try {
        const session = await loadForOpen(opts, store, lock, name, now, team);
        session.mode = opts.mode;
        return session;
      } catch (e) {
        if (!team || !(e instanceof StaleSessionError) || attempt >= REBASE_ATTEMPTS) throw e;
      }
    }
  } catch (e) {
    await lock.release();
    throw e;
  }
}

/**
 * The session as found (or a new one), with steps found in flight marked interrupted. For a team
 * (joined, not locked), a step another live operator holds is theirs, not in doubt; a step left
 * "started" by an operator who is gone is marked interrupted, and an old journal is sealed at once.
 */
async function loadForOpen(opts: OpenSessionOptions, store: SessionStore, lock: SessionLock, name: string, now: () => Date, team: boolean): Promise<Session> {
  const found = await store.read();
  if (found === undefined) {
    const hashes = planHashes(opts.plan);
    const state = newState(name, opts.plan, hashes, opts.inventoryPath, now().toISOString());
    await store.commit(lock, state, { expectSerial: undefined });
    return new Session(store, opts.plan, state, lock, [], false, now, undefined, hashes);
  }
  const at = now().toISOString();
  const { state: loaded, integrity } = await checkedJournal(store, lock, found, opts.acceptTampered === true, at);
  const held = team ? await lock.team!.claimedByOthers() : undefined;
  const { state: marked, interrupted } = markInterrupted(loaded, at, stripLine(currentUser()), stripLine(os.hostname()), held);
  const write = interrupted.length > 0 || (team && integrity.kind === 'not-chained');
  // An old journal sealed just now is written here with its new hashes.
  const state = write ? { ...marked, serial: loaded.serial + 1, updatedAt: at } : marked;
  if (write) await store.commit(lock, state, { expectSerial: loaded.serial, resealed: integrity.kind === 'not-chained' });
  const session = new Session(store, opts.plan, state, lock, interrupted, true, now, integrity);
  if (write || team) session.markResealed();
  return session;
}
