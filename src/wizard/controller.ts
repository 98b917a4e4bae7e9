// The wizard's state machine over plan + session journal, free of any UI: the ink app and the
// tests drive it through the same methods. Rules it enforces (issue 3, reliability cases 1–4):
// - intent before action: the step is recorded started (engine/begin.ts) before anything is sent or shown as running;
// - an interrupted step only leaves that state through its checkpoint, never by a blind re-run;
// - a step whose preconditions are not verified cannot be started (the view names them);
// - disruptive steps need a typed confirmation, after their warnings are on screen;
// - a changed inventory/catalogue is reviewed and accepted before anything else happens.
import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { BoundedReadError, CERT_FILE_MAX_BYTES, readBounded } from '../io/bounded-read.js';
import type { PlannedStep } from '../plan/types.js';
import type { CheckpointResult, NodeJournal, StepStatus } from '../session/index.js';
import type { CertificateFiles, CertificateTarget } from './certificate-checkpoint.js';
import { ASK_CSR, type CertificatePort, type CheckpointVia, type ExecuteStep, type InputPurpose, type LocalPort, type Message, type Mode, type RunStep, type VerifyStep, type WizardSession, type WizardView } from './types.js';
import { isLocalStep, isRunnable, type SendPorts } from './execute.js';
import { beginStep } from './engine/begin.js';
import { journaled, send } from './engine/send.js';
import { driftOf } from './probes.js';
import { hasAutomaticCheck, sshActions } from './reach.js';
import { beginProblem, flaggedSteps, resumableRun, resumeWhere, skipProblem } from './rules.js';
import { confirmationWord, displayOrder } from './view-model.js';

export interface ControllerOptions {
  executeStep?: ExecuteStep;
  /** Step-level runner (rolling / --parallel, the operator's stop); preferred over executeStep. */
  runStep?: RunStep;
  verifyStep?: VerifyStep;
  /** Certificate checkpoints: asks for the files and checks them (rehearsal and live). */
  certificates?: CertificatePort;
  /** Local openssl steps on this machine (--live only). */
  local?: LocalPort;
  /**
   * Files chosen at run time, per node (the same map the live port reads as `runtimePastes`):
   * before a step that pastes one is sent, the controller asks for each node's file, checks it,
   * and fills this map; the entries are dropped once the step was sent or abandoned.
   */
  runtimePastes?: Map<string, string>;
  /** Folders a relative answer resolves against, first existing match wins (default: the current folder). */
  runtimePasteDirs?: readonly string[];
}

/** One file a step pastes that is chosen at run time: one per node (the live port maps node → file). */
export interface RuntimeFileQuestion {
  node: string;
  /** What the file is ("CA-signed router certificate for …"). */
  label: string;
  /** Every use follows a CSR the same step prints: the file may not exist before the step runs. */
  midStep: boolean;
}

/** The run-time files a step pastes over SSH, one question per node in plan order. */
export function runtimeFileQuestions(step: PlannedStep): RuntimeFileQuestion[] {
  const out = new Map<string, RuntimeFileQuestion>();
  for (const a of sshActions(step)) {
    let captured = false;
    for (const x of a.exchanges) {
      for (const d of x.dialogue) {
        if (d.pasteAtRuntime !== true || d.paste !== undefined) continue;
        const q = out.get(a.target);
        out.set(a.target, { node: a.target, label: q?.label ?? d.label ?? 'the PEM file', midStep: (q?.midStep ?? true) && captured });
      }
      if (x.capture !== undefined) captured = true;
    }
  }
  return [...out.values()];
}

/**
 * Why `file` cannot be pasted (one line naming it), or undefined. It must be a readable regular
 * file of at most CERT_FILE_MAX_BYTES (the transport parses and re-encodes it later); a mid-step
 * file may be missing yet when its folder exists (it is read just before its command).
 */
async function runtimeFileProblem(file: string, midStep: boolean): Promise<string | undefined> {
  try {
    await readBounded(file, { maxBytes: CERT_FILE_MAX_BYTES });
    return undefined;
  } catch (e) {
    if (!(e instanceof BoundedReadError)) throw e;
    if (midStep && e.problem === 'missing' && isFolder(dirname(file))) return undefined;
    return e.message;
  }
}

function isFolder(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** The run-time file questions in progress: which step, which node, the answers so far. */
interface RuntimeFileQuestions {
  stepId: string;
  questions: RuntimeFileQuestion[];
  index: number;
  answers: Map<string, string>;
}

/** The certificate questions in progress: which target, which field, the answers so far. */
interface CertificateQuestions {
  stepId: string;
  via: CheckpointVia;
  targets: CertificateTarget[];
  index: number;
  field: 'file' | 'csr' | 'chain';
  answers: Map<string, CertificateFiles>;
}

export class WizardController {
  #view: WizardView;
  #busy = false;
  /** Aborts the live command in flight ("stop waiting"); set only while a step is being sent. */
  #stop: AbortController | undefined;
  readonly #order: string[];
  readonly #listeners = new Set<() => void>();
  readonly #flagged: () => string[];

  constructor(
    private readonly session: WizardSession,
    private readonly opts: ControllerOptions = {},
  ) {
    this.#order = displayOrder(session.plan);
    this.#flagged = flaggedSteps(session);
    const first = session.next()?.step.id ?? this.#order[0] ?? '';
    this.#view = this.#snapshot(first, { kind: 'browse' }, undefined);
    this.#enterStartMode();
  }

  /** For useSyncExternalStore: called after every change of `view`. */
  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  getView = (): WizardView => this.#view;

  step(id = this.#view.cursor): PlannedStep {
    const s = this.session.plan.steps.find((x) => x.id === id);
    if (s) return s;
    throw new Error(`step ${id} is not in the plan`);
  }

  status = (id: string): StepStatus => this.session.status(id);
  /** Required steps of `id` that are not verified yet. */
  missing = (id: string): string[] => this.session.preconditions(id).missing;

  /** Moves the cursor in display order; only while browsing (other modes hold a step). */
  move(delta: number): void {
    if (this.#view.mode.kind !== 'browse' && this.#view.mode.kind !== 'finished') return;
    const i = this.#order.indexOf(this.#view.cursor);
    const j = Math.min(this.#order.length - 1, Math.max(0, i + delta));
    this.#set({ cursor: this.#order[j] ?? this.#view.cursor, mode: { kind: 'browse' } }, undefined);
  }

  select(stepId: string): void {
    if (this.#order.includes(stepId)) this.#set({ cursor: stepId, mode: { kind: 'browse' } }, undefined);
  }

  /** Esc: leave a dialog without deciding anything. A started step stays started (shown in progress). */
  back(): void {
    const m = this.#view.mode;
    if (
      m.kind === 'confirm' ||
      m.kind === 'input' ||
      m.kind === 'failed' ||
      m.kind === 'secret' ||
      (m.kind === 'certificate' && !m.checking) ||
      (m.kind === 'runtime-file' && !m.checking) ||
      (m.kind === 'checkpoint' && !m.verifying) ||
      (m.kind === 'running' && !this.#busy)
    ) {
      this.#certQuestions = undefined;
      // Nothing was sent: a file named for this step is not kept for another.
      this.#fileQuestions = undefined;
      if (m.kind === 'confirm' || m.kind === 'runtime-file') this.#forgetRuntimeFiles(this.step(m.stepId));
      this.#set({ mode: { kind: 'browse' } }, undefined);
    }
  }

  quit(): void {
    if (this.#busy) this.#say('warn', 'Wait for the running action to finish before quitting.');
    else this.#set({ mode: { kind: 'quit' } }, undefined);
  }

  /** Ctrl-C during a live command: stop waiting for it. The step ends in doubt; nothing is retried. */
  stopWaiting(): boolean {
    if (this.#stop === undefined || this.#stop.signal.aborted) return false;
    this.#stop.abort();
    this.#say('warn', 'Stopping the wait: the command in flight is abandoned and the step is recorded in doubt. Nothing is retried.');
    return true;
  }

  /** True while a live command can be stopped (the UI maps Ctrl-C to stopWaiting then). */
  get stoppable(): boolean {
    return this.#stop !== undefined && !this.#stop.signal.aborted;
  }

  /**
   * A live session reopened: before anything new runs, an interrupted step is settled by its
   * read-only probe (passed → verified, nothing sent; otherwise the operator decides), then the
   * verified steps the next step requires are re-checked on their nodes and any drift is shown.
   */
  async probeOnResume(): Promise<void> {
    const verify = this.opts.verifyStep;
    if (verify === undefined || this.session.resumed !== true || this.session.needsPlanAcceptance) return;
    const next = this.session.next();
    // A run that can go on node by node is the operator's choice (Enter resumes, c checks): a
    // passing check would not show the nodes never sent (a restart leaves its services STARTED).
    if (next?.reason === 'interrupted' && this.#resumable(next.step) !== undefined) return;
    if (next?.reason === 'interrupted' && hasAutomaticCheck(next.step)) {
      await this.#openCheckpoint(next.step.id, 'recheck');
      if (this.session.status(next.step.id) !== 'verified') return;
    }
    const upcoming = this.session.next();
    if (upcoming === undefined || upcoming.reason === 'interrupted') return;
    await this.#guard(async () => {
      this.#say('info', `Re-checking on their nodes what ${upcoming.step.id} requires before anything runs…`);
      const drift = await driftOf(this.session, upcoming.step, verify);
      for (const d of drift) await this.session.addNote(d.stepId, `Drift found on resume (before ${upcoming.step.id}): ${d.summary}`);
      if (drift.length === 0) this.#say('info', `Resume check: ${upcoming.step.requires.join(', ') || 'nothing'} still as verified.`);
      else this.#say('warn', `Drift since verified (review before starting ${upcoming.step.id}): ${drift.map((d) => `${d.stepId} ${d.summary}`).join(' | ')}`);
    });
  }

  async acceptChanges(): Promise<void> {
    if (this.#view.mode.kind !== 'review-changes') return;
    await this.#guard(async () => {
      await this.session.acceptPlan();
      this.#set({ mode: { kind: 'browse' } }, { level: 'info', text: 'New plan accepted; the old hashes stay in the session history.' });
      this.#enterStartMode();
    });
  }

  /** "Run this step": checks, then either asks for the typed confirmation or starts. */
  async start(): Promise<void> {
    if (this.#view.mode.kind !== 'browse') return;
    const step = this.step();
    // An interrupted run journaled node by node goes on from where it stopped (never re-sent blindly).
    if (this.#resumable(step) !== undefined) {
      if (this.session.needsPlanAcceptance) return this.#set({ mode: { kind: 'review-changes', diff: this.session.diff } }, undefined);
    } else if (!this.#canBegin(step, 'start')) return;
    if (this.#askRuntimeFiles(step)) return;
    await this.#confirmOrBegin(step);
  }

  /** After the run-time files: a disruptive step asks for its typed confirmation last, right before it is sent. */
  async #confirmOrBegin(step: PlannedStep, message?: Message): Promise<void> {
    if (step.disruptive) return this.#set({ cursor: step.id, mode: { kind: 'confirm', stepId: step.id, expected: confirmationWord(step) } }, message);
    await this.#begin(step);
  }

  #fileQuestions: RuntimeFileQuestions | undefined;

  /** The step's node journal when it is an interrupted run that can go on node by node (see resumableRun). */
  #resumable(step: PlannedStep): NodeJournal | undefined {
    return resumableRun(this.session, step, this.opts.runStep !== undefined && !(this.opts.local !== undefined && isLocalStep(step)));
  }

  /** True when the step is about to be sent over SSH through the live ports (not a rehearsal, not a local step). */
  #sendsLive(step: PlannedStep): boolean {
    return (this.opts.runStep !== undefined || this.opts.executeStep !== undefined) && isRunnable(step) && !(this.opts.local !== undefined && isLocalStep(step));
  }

  /** A live step that pastes files chosen at run time asks for them first; false when it has none (or no map to fill). */
  #askRuntimeFiles(step: PlannedStep): boolean {
    const files = this.opts.runtimePastes;
    if (files === undefined || !this.#sendsLive(step)) return false;
    const questions = runtimeFileQuestions(step);
    if (questions.length === 0) return false;
    this.#forgetRuntimeFiles(step);
    this.#fileQuestions = { stepId: step.id, questions, index: 0, answers: new Map() };
    this.#showRuntimeFileQuestion();
    return true;
  }

  #forgetRuntimeFiles(step: PlannedStep): void {
    for (const q of runtimeFileQuestions(step)) this.opts.runtimePastes?.delete(q.node);
  }

  #showRuntimeFileQuestion(checking = false): void {
    const q = this.#fileQuestions;
    const ask = q?.questions[q.index];
    if (!q || !ask) return;
    const position = `${q.index + 1} of ${q.questions.length}`;
    this.#set({ cursor: q.stepId, mode: { kind: 'runtime-file', stepId: q.stepId, node: ask.node, label: ask.label, position, midStep: ask.midStep, checking } }, undefined);
  }

  /** Resolves an answer: absolute, `~/…`, or relative to the first of runtimePasteDirs where it exists. */
  #resolveRuntimeFile(value: string): string {
    const v = value.startsWith('~/') ? join(homedir(), value.slice(2)) : value;
    if (isAbsolute(v)) return v;
    const candidates = (this.opts.runtimePasteDirs ?? [process.cwd()]).map((d) => resolve(d, v));
    return candidates.find((f) => existsSync(f)) ?? candidates[0] ?? resolve(v);
  }

  /**
   * One answer to the run-time file questions: the file pasted on this node. It is checked (a
   * readable regular file, bounded) before the next question; after the last, the files go to the
   * live port and the step goes on (typed confirmation if disruptive, then sent). Nothing is
   * recorded or sent before that.
   */
  async answerRuntimeFile(text: string): Promise<void> {
    const m = this.#view.mode;
    const q = this.#fileQuestions;
    if (m.kind !== 'runtime-file' || m.checking || !q) return;
    const ask = q.questions[q.index]!;
    const value = text.trim();
    if (value === '') return this.#say('error', `Name the file to paste on ${ask.node} (or press Esc: nothing is sent).`);
    const file = this.#resolveRuntimeFile(value);
    this.#showRuntimeFileQuestion(true);
    const problem = await runtimeFileProblem(file, ask.midStep);
    // Left meanwhile (quit): nothing more to do.
    if (this.#fileQuestions !== q || this.#view.mode.kind !== 'runtime-file') return;
    if (problem !== undefined) {
      this.#showRuntimeFileQuestion();
      return this.#say('error', `${problem}: name another file, or press Esc (nothing is sent).`);
    }
    q.answers.set(ask.node, file);
    q.index += 1;
    if (q.index < q.questions.length) return this.#showRuntimeFileQuestion();
    this.#fileQuestions = undefined;
    for (const [node, f] of q.answers) this.opts.runtimePastes!.set(node, f);
    const later = q.questions.filter((x) => x.midStep && !existsSync(q.answers.get(x.node)!));
    const note = later.length > 0 ? `${later.map((x) => `${x.node}: ${q.answers.get(x.node)}`).join('; ')} does not exist yet: it is read and checked just before its command, after the CSR is printed.` : undefined;
    const message: Message | undefined = note !== undefined ? { level: 'info', text: note } : undefined;
    this.#set({}, message);
    await this.#confirmOrBegin(this.step(q.stepId), message);
  }

  async confirm(typed: string): Promise<void> {
    const m = this.#view.mode;
    if (m.kind !== 'confirm') return;
    if (typed.trim() !== m.expected) return this.#say('error', `That is not "${m.expected}". Type it exactly, or press Esc to go back.`);
    const step = this.step(m.stepId);
    // The run-time files come before the confirmation: none named (e.g. after Esc) means ask them now.
    if (this.opts.runtimePastes !== undefined && runtimeFileQuestions(step).some((q) => !this.opts.runtimePastes!.has(q.node)) && this.#askRuntimeFiles(step)) return;
    await this.#begin(step);
  }

  /** The PKCS#12 export password of a local step: held only for this run, never recorded. */
  async submitSecret(secret: string): Promise<void> {
    const m = this.#view.mode;
    if (m.kind !== 'secret') return;
    if (secret === '') return this.#say('error', 'The export password cannot be empty: Windows asks for it when the bundle is imported.');
    await this.#begin(this.step(m.stepId), secret);
  }

  /** "I have done this myself": no intent is recorded because collabsec sends nothing; straight to the checkpoint. */
  doneMyself(): void {
    if (this.#view.mode.kind !== 'browse') return;
    const step = this.step();
    if (!this.#canBegin(step, 'mark as done')) return;
    if (this.#askCertificates(step, 'self')) return;
    this.#set({ mode: { kind: 'checkpoint', stepId: step.id, via: 'self', verifying: false } }, undefined);
  }

  #certQuestions: CertificateQuestions | undefined;

  /** Certificate checkpoints ask for files instead of a yes/no; false when the step has none (or no port). */
  #askCertificates(step: PlannedStep, via: CheckpointVia): boolean {
    const port = this.opts.certificates;
    const targets = port?.targets(step) ?? [];
    if (targets.length === 0) return false;
    this.#certQuestions = { stepId: step.id, via, targets, index: 0, field: 'file', answers: new Map() };
    this.#showCertificateQuestion();
    return true;
  }

  #showCertificateQuestion(checking = false): void {
    const q = this.#certQuestions;
    const t = q?.targets[q.index];
    if (!q || !t) return;
    const position = `${q.index + 1} of ${q.targets.length}`;
    // The CSR question says what Enter means: the file an earlier step left, or that one is needed.
    this.#set({ cursor: q.stepId, mode: { kind: 'certificate', stepId: q.stepId, via: q.via, target: t.label, position, field: q.field, checking, ...(t.csr !== undefined ? { csr: t.csr } : {}) } }, undefined);
  }

  /**
   * One answer to the certificate questions: the file the CA returned (required), then the CSR it
   * answers and the chain files (Enter for none), per certificate; after the last, the check runs
   * and its result is recorded as the checkpoint (any fail fails it).
   */
  async answerCertificate(text: string): Promise<void> {
    const m = this.#view.mode;
    const q = this.#certQuestions;
    const port = this.opts.certificates;
    if (m.kind !== 'certificate' || m.checking || !q || !port) return;
    const t = q.targets[q.index]!;
    const value = text.trim();
    const files = q.answers.get(t.key) ?? { file: '' };
    if (q.field === 'file') {
      if (value === '') return this.#say('error', 'Name the certificate file the CA returned (or press Esc to answer later).');
      q.answers.set(t.key, { ...files, file: value });
      q.field = 'csr';
    } else if (q.field === 'csr') {
      if (value === '' && t.csr === ASK_CSR) return this.#say('error', 'Name the CSR this certificate answers: the check compares their keys (or press Esc to answer later).');
      q.answers.set(t.key, { ...files, ...(value !== '' ? { csrFile: value } : {}) });
      q.field = 'chain';
    } else {
      q.answers.set(t.key, { ...files, chainFiles: value === '' ? [] : value.split(/[\s,]+/).filter((x) => x !== '') });
      q.index += 1;
      q.field = 'file';
    }
    if (q.index < q.targets.length) return this.#showCertificateQuestion();
    q.index = q.targets.length - 1;
    this.#showCertificateQuestion(true);
    await this.#guard(async () => {
      this.#certQuestions = undefined;
      const step = this.step(q.stepId);
      const outcome = await port.check(step, q.targets, q.answers);
      await this.#conclude(step, outcome.result);
    });
    if (this.#view.mode.kind === 'certificate') this.#set({ mode: { kind: 'browse' } }, this.#view.message);
  }

  /** Re-check a step whose outcome is unknown (in progress, interrupted) or that failed. */
  async checkpoint(): Promise<void> {
    const m = this.#view.mode;
    // At the question itself: run the automatic check now (e.g. the probe of an interrupted step).
    if (m.kind === 'checkpoint') return m.verifying ? undefined : this.#openCheckpoint(m.stepId, m.via);
    const stepId = m.kind === 'running' ? m.stepId : this.#view.cursor;
    if (m.kind !== 'browse' && !(m.kind === 'running' && !this.#busy)) return;
    const status = this.session.status(stepId);
    if (!['started', 'interrupted', 'failed'].includes(status)) return this.#say('warn', `${stepId} is ${status}: there is nothing to check yet.`);
    const via: CheckpointVia = status === 'interrupted' ? 'recheck' : 'run';
    await this.#openCheckpoint(stepId, via);
  }

  /** The operator's answer to the checkpoint question (when no automatic verification ran). */
  async answer(passed: boolean): Promise<void> {
    const m = this.#view.mode;
    if (m.kind !== 'checkpoint' || m.verifying) return;
    const step = this.step(m.stepId);
    const result: CheckpointResult = {
      method: 'operator',
      outcome: passed ? 'passed' : 'failed',
      summary: `${passed ? 'yes' : 'no'}: ${step.checkpoint.question}${m.via === 'self' ? ' (done by the operator outside collabsec)' : m.via === 'recheck' ? ' (re-checked after an interruption)' : ''}`,
    };
    await this.#guard(() => this.#conclude(step, result));
  }

  /** After a failed checkpoint: ask (or verify) again. */
  async retry(): Promise<void> {
    const m = this.#view.mode;
    if (m.kind === 'failed') await this.#openCheckpoint(m.stepId, 'run');
  }

  /** Opens the skip-reason or note input for the step under the cursor. */
  requestInput(purpose: InputPurpose): void {
    if (this.#view.mode.kind !== 'browse') return;
    const stepId = this.#view.cursor;
    const problem = purpose === 'skip' ? skipProblem(this.session, stepId) : undefined;
    if (problem) return this.#set({}, problem);
    this.#set({ mode: { kind: 'input', purpose, stepId } }, undefined);
  }

  /** Accept a failed checkpoint; the reason is required and recorded beside the failed outcome. */
  async override(reason: string): Promise<void> {
    const m = this.#view.mode;
    if (m.kind !== 'failed') return;
    if (reason.trim() === '') return this.#say('error', 'An override needs a reason: it goes into the evidence pack.');
    await this.#guard(async () => {
      await this.session.recordOverride(m.stepId, reason);
      this.#advance(`${m.stepId} overridden; the failed checkpoint and your reason are recorded.`);
    });
  }

  async submitInput(text: string): Promise<void> {
    const m = this.#view.mode;
    if (m.kind !== 'input') return;
    if (text.trim() === '') return this.#say('error', m.purpose === 'note' ? 'A note cannot be empty.' : 'A skip needs a reason: it goes into the evidence pack.');
    await this.#guard(async () => {
      if (m.purpose === 'note') {
        await this.session.addNote(m.stepId, text.trim());
        this.#set({ mode: { kind: 'browse' } }, { level: 'info', text: `Note added to ${m.stepId}.` });
      } else {
        await this.session.recordSkip(m.stepId, text);
        this.#advance(`${m.stepId} skipped.`);
      }
    });
  }

  #hostKey: { resolve: (accept: boolean) => void; previous: Mode } | undefined;
  /** Port for the SSH layer: asks the operator mid-run (before any authentication) and waits. */
  confirmHostKey = (host: string, fingerprint: string): Promise<boolean> =>
    new Promise((resolve) => {
      this.#hostKey?.resolve(false);
      this.#hostKey = { resolve, previous: this.#view.mode };
      this.#set({ mode: { kind: 'host-key', host, fingerprint } }, undefined);
    });

  answerHostKey(accept: boolean): void {
    const pending = this.#hostKey;
    if (!pending || this.#view.mode.kind !== 'host-key') return;
    this.#hostKey = undefined;
    this.#set({ mode: pending.previous }, undefined);
    pending.resolve(accept);
  }

  #canBegin(step: PlannedStep, what: string): boolean {
    if (this.session.needsPlanAcceptance) return (this.#set({ mode: { kind: 'review-changes', diff: this.session.diff } }, undefined), false);
    const problem = beginProblem(this.session, step, what);
    if (problem) this.#set({}, problem);
    return problem === undefined;
  }

  async #begin(step: PlannedStep, secret?: string): Promise<void> {
    // Local steps (--live): openssl here, or (sftp) left to the operator with the reason.
    const local = this.opts.local !== undefined && isLocalStep(step) ? this.opts.local.prepare(step) : undefined;
    if (local?.runnable === true && local.needsPassword && secret === undefined)
      return this.#set({ mode: { kind: 'secret', stepId: step.id, prompt: `Export password for ${step.id} (masked; passed to openssl on a file descriptor, never stored):` } }, undefined);
    await this.#guard(async () => {
      const resuming = local === undefined ? this.#resumable(step) : undefined;
      // Intent first, in the engine's one place for it (started, or resumed node by node): if
      // collabsec dies after this line, resume knows the step may have run.
      const where = await beginStep(this.session, step, resuming);
      // Goes on node by node: nodes recorded ok are not sent again; a node in doubt is probed first.
      if (where !== undefined) this.#say('info', `${step.id} resumed (${where}): nodes recorded ok are not sent again; a node in doubt is settled by its read-only probe first.`);
      // The step-level runner gets the step's node journal (the engine's journaled): each node's intent and outcome on disk.
      const ports: SendPorts | undefined =
        local?.runnable === true
          ? { runStep: (s, hooks) => this.opts.local!.run(s, { ...hooks, ...(secret !== undefined ? { password: secret } : {}) }) }
          : (this.opts.runStep !== undefined || this.opts.executeStep !== undefined) && isRunnable(step)
            ? journaled({ session: this.session, ...this.opts }, step)
            : undefined;
      const live = ports !== undefined;
      // A resumed run keeps its "resumed (…)" line on screen while it runs.
      const message = resuming !== undefined ? this.#view.message : undefined;
      const running = (lines: string[]): void => this.#set({ mode: { kind: 'running', stepId: step.id, live, lines } }, message);
      running([]);
      if (local?.runnable === false) this.#say('warn', local.reason);
      if (ports === undefined) return; // rehearsal: the operator types the commands and comes back for the checkpoint
      const stop = new AbortController();
      this.#stop = stop;
      let failure;
      try {
        // The engine's send: a failure or doubt is recorded there, per-node results noted.
        failure = await send({ session: this.session, emit: (e) => e.kind === 'progress' && running(e.lines) }, step, ports, stop);
      } finally {
        this.#stop = undefined;
        // A run-time file is named for one step only: the next step that pastes one asks again.
        this.#forgetRuntimeFiles(step);
      }
      if (failure !== undefined) {
        const summary = failure.inDoubt === true ? `In doubt (it may have applied; nothing is retried — r re-checks it): ${failure.summary}` : failure.summary;
        return this.#set({ mode: { kind: 'failed', stepId: step.id, summary } }, undefined);
      }
      // The export password typed for this run opens the bundle it made (file checks); then it is dropped.
      await this.#openCheckpointNow(step.id, 'run', secret);
    });
  }

  #openCheckpoint = (stepId: string, via: CheckpointVia): Promise<void> => this.#guard(() => this.#openCheckpointNow(stepId, via));

  /** Automatic verification when it exists and can reach the devices; otherwise the operator answers. */
  async #openCheckpointNow(stepId: string, via: CheckpointVia, secret?: string): Promise<void> {
    const step = this.step(stepId);
    if (this.#askCertificates(step, via)) return;
    const verify = hasAutomaticCheck(step) ? this.opts.verifyStep : undefined;
    this.#set({ cursor: stepId, mode: { kind: 'checkpoint', stepId, via, verifying: verify !== undefined } }, undefined);
    if (verify === undefined) return;
    await this.#conclude(step, await verify(step, secret !== undefined ? { password: secret } : undefined));
  }

  /** Records the checkpoint's result; callers hold the #guard. */
  async #conclude(step: PlannedStep, result: CheckpointResult): Promise<void> {
    await this.session.recordResult(step.id, { outcome: result.outcome, checkpoint: result });
    if (result.outcome === 'passed') this.#advance(`${step.id} verified.`);
    else this.#set({ mode: { kind: 'failed', stepId: step.id, summary: result.summary ?? `checkpoint ${result.outcome}` } }, undefined);
  }

  /** After a step is settled: the next thing to do, or the end. */
  #advance(text: string): void {
    const next = this.session.next();
    if (!next) return this.#set({ mode: { kind: 'finished' } }, { level: 'info', text: `${text} Every step is done.` });
    this.#set({ cursor: next.step.id, mode: { kind: 'browse' } }, { level: 'info', text });
    if (next.reason === 'interrupted') this.#enterStartMode();
  }

  /** On open and after accepting a plan: review changes first, then settle interrupted steps. */
  #enterStartMode(): void {
    if (this.session.needsPlanAcceptance) return this.#set({ mode: { kind: 'review-changes', diff: this.session.diff } }, undefined);
    const next = this.session.next();
    const journal = next?.reason === 'interrupted' ? this.#resumable(next.step) : undefined;
    if (next !== undefined && journal !== undefined)
      return this.#set(
        { cursor: next.step.id, mode: { kind: 'browse' } },
        { level: 'warn', text: `${next.step.id} was interrupted mid-run (${resumeWhere(next.step, journal)}). Enter resumes it node by node: nodes recorded ok are not sent again, a node in doubt is settled by its read-only probe first. Or c checks its checkpoint.` },
      );
    if (next?.reason === 'interrupted' && this.#askCertificates(next.step, 'recheck'))
      return this.#say('warn', `${next.step.id} was interrupted: it may or may not have run. Check its certificate before anything else; it is never re-run blindly.`);
    if (next?.reason === 'interrupted')
      return this.#set(
        { cursor: next.step.id, mode: { kind: 'checkpoint', stepId: next.step.id, via: 'recheck', verifying: false } },
        { level: 'warn', text: `${next.step.id} was interrupted: it may or may not have run. Check its checkpoint before anything else; it is never re-run blindly.` },
      );
    if (!next) this.#set({ mode: { kind: 'finished' } }, undefined);
  }

  /** Runs one journal operation at a time; a UserError becomes a message, a bug propagates. */
  async #guard(fn: () => Promise<void>): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    this.#emit();
    try {
      await fn();
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      this.#say('error', e.tryMessage !== undefined ? `${e.message}. ${e.tryMessage}` : e.message);
    } finally {
      this.#busy = false;
      this.#set({}, this.#view.message);
    }
  }

  #say = (level: Message['level'], text: string): void => this.#set({}, { level, text });

  #set(patch: { cursor?: string; mode?: Mode }, message: Message | undefined): void {
    this.#view = this.#snapshot(patch.cursor ?? this.#view.cursor, patch.mode ?? this.#view.mode, message);
    this.#emit();
  }

  #snapshot(cursor: string, mode: Mode, message: Message | undefined): WizardView {
    const s = this.session;
    return {
      plan: s.plan, state: s.state, sessionName: s.name, sessionFile: s.file, cursor, mode, message,
      progress: s.progress(), flagged: this.#flagged(), interruptedOnOpen: s.interruptedOnOpen,
      canExecute: this.opts.executeStep !== undefined || this.opts.runStep !== undefined, canVerify: this.opts.verifyStep !== undefined, canRunLocal: this.opts.local !== undefined, busy: this.#busy,
    };
  }

  #emit(): void {
    this.#view = { ...this.#view, busy: this.#busy, state: this.session.state, progress: this.session.progress(), flagged: this.#flagged() };
    for (const l of this.#listeners) l();
  }
}
