// The wizard's screen state over plan + session journal, free of any UI: the ink app and the
// tests drive it through the same methods. Steps run on the step engine shared with plain mode
// (./engine: begin → send → conclude, probes, drift, stop waiting; issue 20); the controller keeps
// only what is on screen, answers the engine's questions through TuiDecisions, and asks what only
// a screen asks (run-time files, certificate files field by field). Rules it adds:
// - a step whose preconditions are not verified cannot be started (the view names them);
// - a changed inventory/catalogue is reviewed and accepted before anything else happens.
import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { BoundedReadError, CERT_FILE_MAX_BYTES, checkBoundedFile, readBounded } from '../io/bounded-read.js';
import type { PlannedStep } from '../plan/types.js';
import { doneStatuses, unsettledStatuses, type StepStatus } from '../session/index.js';
import type { CertificateFiles, CertificateTarget } from './certificate-checkpoint.js';
import { completePath, resolveTyped } from './path-complete.js';
import { ASK_CSR, type CertificatePort, type CheckpointVia, type ExecuteStep, type InputPurpose, type Interruption, type LocalPort, type Message, type Mode, type OutputView, type RunStep, type VerifyStep, type WizardSession, type WizardView } from './types.js';
import { isLocalStep, isRunnable } from './execute.js';
import { StepEngine, type CheckpointAnswer, type DoubtDecision, type EngineEvent, type StepEnd } from './engine/index.js';
import * as words from './messages.js';
import { PresencePoller, presenceSourceOf } from './presence-poll.js';
import { hasAutomaticCheck, sshActions } from './reach.js';
import { beginProblem, flaggedSteps, interruption, markProblem, resumeWhere, skipProblem } from './rules.js';
import { TuiDecisions, type Question } from './tui-decisions.js';
import { confirmationWord, displayOrder, findSteps } from './view-model.js';
import { OutputBuffer, readStepTranscript } from './device-output.js';

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
  /** How often who else is in the session is read while the view is watched (default 5 s), and the clock its "3 min ago" reads. */
  presence?: { intervalMs?: number; now?: () => number };
  /** The folder transcript paths are recorded relative to (the session folder; default: the current folder). */
  transcriptRoot?: string;
}

/** The open output pane redraws at most this often while device output streams in. */
const OUTPUT_REDRAW_MS = 100;

/** The step keys that act on a step now (see liveKeys). */
export interface StepKeys {
  begin: boolean;
  doneMyself: boolean;
  check: boolean;
  skip: boolean;
  reopen: boolean;
  backOut: boolean;
  /** The cursor is on a step, not on a collapsed product's heading (n, x act). */
  onStep: boolean;
  /** v at the checkpoint: an automatic check exists and can reach the devices. */
  autoCheck: boolean;
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

/** One engine call in progress: `done` when it ends, `paused` each time it waits on the operator. */
interface Flow {
  done: Promise<void>;
  paused: Promise<void>;
  pause: () => void;
}

/** How an engine call ended, as the controller settles it (undefined: nothing to settle). */
type Ended = StepEnd | { kind: 'resumable' } | undefined;

/** The in-doubt screen of `stepId`; `verdict`: its probe's failed verdict may be accepted. */
function doubtMode(stepId: string, summary: string, verdict: boolean): Mode {
  return { kind: 'in-doubt', stepId, summary, verdict };
}

/** Statuses c checks: outcome unknown or failed, or skipped / overridden (re-checked: a pass makes it verified). */
const CHECKABLE: readonly StepStatus[] = ['started', 'interrupted', 'in-doubt', 'failed', 'skipped', 'overridden'];

/** What a reason is asked for, as an error says it ("A reason is required: a skip without one …"). */
const inputWhat: Record<Exclude<InputPurpose, 'note'>, string> = { skip: 'A skip', override: 'An override', reopen: 'Reopening a step', 'backed-out': 'Marking a step backed out' };

export class WizardController {
  #view: WizardView;
  #busy = false;
  readonly #order: string[];
  readonly #listeners = new Set<() => void>();
  readonly #flagged: () => string[];
  /** The one step engine of both modes: begin → send → conclude, probes, stop waiting. */
  readonly #engine: StepEngine;
  /** Its questions, answered by the operator's keys on this controller's screens. */
  readonly #decide: TuiDecisions;
  #flow: Flow | undefined;
  /** Who else is in the session: read while someone watches the view (subscribe), never after quit. */
  readonly #presence: PresencePoller | undefined;

  constructor(
    private readonly session: WizardSession,
    private readonly opts: ControllerOptions = {},
  ) {
    this.#order = displayOrder(session.plan);
    this.#flagged = flaggedSteps(session);
    this.#decide = new TuiDecisions({ ask: (q) => this.#show(q), acceptHostKey: (h, fp) => this.confirmHostKey(h, fp) });
    this.#engine = new StepEngine({
      session,
      decide: this.#decide,
      emit: (e) => this.#on(e),
      // A rehearsal records the step started and waits: the operator types it, then comes back (c).
      unsent: 'wait',
      executeStep: opts.executeStep,
      runStep: opts.runStep,
      verifyStep: opts.verifyStep,
      certificates: opts.certificates,
      local: opts.local,
    });
    const source = presenceSourceOf(session);
    this.#presence =
      source &&
      new PresencePoller(source, {
        ...opts.presence,
        onChange: (presence) => {
          this.#view = { ...this.#view, presence };
          this.#emit();
        },
      });
    const first = session.next()?.step.id ?? this.#order[0] ?? '';
    this.#view = this.#snapshot(first, { kind: 'browse' }, undefined);
    this.#enterStartMode();
  }

  /**
   * For useSyncExternalStore: called after every change of `view`. Who else is in the session is
   * read only while someone listens: the screen's mount starts it, its unmount stops it.
   */
  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    if (this.#view.mode.kind !== 'quit') this.#presence?.start();
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) this.#presence?.stop();
    };
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
  /** What the journal knows of `id` if it is interrupted (its checkpoint screen says it). */
  interruption = (id: string): Interruption => interruption(this.session, this.step(id));

  /**
   * Which of the step keys act on `id` now (the same rules the key handlers apply), so the key
   * help never lists a key that would only answer "not now".
   */
  liveKeys(id = this.#view.cursor): StepKeys {
    const step = this.step(id);
    const status = this.session.status(id);
    const resumable = this.#engine.resumable(step) !== undefined;
    const begins = beginProblem(this.session, step, 'start') === undefined;
    if (this.#collapsed.has(step.product)) return { begin: false, doneMyself: false, check: false, skip: false, reopen: false, backOut: false, onStep: false, autoCheck: false };
    return {
      onStep: true,
      begin: begins || resumable || unsettledStatuses.includes(status),
      doneMyself: begins,
      check: CHECKABLE.includes(status),
      skip: skipProblem(this.session, id) === undefined,
      reopen: markProblem(this.session, step, 'reopen') === undefined,
      backOut: markProblem(this.session, step, 'backed-out') === undefined,
      autoCheck: this.opts.verifyStep !== undefined && hasAutomaticCheck(step),
    };
  }

  /** The steps the cursor walks: a collapsed product is its first step only (its heading's stand-in). */
  #visible(): string[] {
    const seen = new Set<string>();
    return this.#order.filter((id) => {
      const p = this.step(id).product;
      if (!this.#collapsed.has(p)) return true;
      if (seen.has(p)) return false;
      seen.add(p);
      return true;
    });
  }

  /** Moves the cursor in display order (over collapsed products as one row); only while browsing (other modes hold a step). */
  move(delta: number): void {
    if (this.#view.mode.kind !== 'browse' && this.#view.mode.kind !== 'finished') return;
    const order = this.#visible();
    const cur = order.indexOf(this.#view.cursor);
    const i = cur >= 0 ? cur : order.findIndex((id) => this.step(id).product === this.step().product);
    const j = Math.min(order.length - 1, Math.max(0, i + delta));
    this.#set({ cursor: order[j] ?? this.#view.cursor, mode: { kind: 'browse' } }, undefined);
  }

  /** Puts the cursor on `stepId` (its product is expanded if collapsed). */
  select(stepId: string): void {
    if (!this.#order.includes(stepId)) return;
    this.#collapsed.delete(this.step(stepId).product);
    this.#set({ cursor: stepId, mode: { kind: 'browse' } }, undefined);
  }

  /** `:` — the cursor to a step by its id (any case; "s45" or "45" is S045). */
  goTo(text: string): void {
    if (this.#view.mode.kind !== 'browse' && this.#view.mode.kind !== 'finished') return;
    const t = text.trim().toUpperCase();
    const digits = /^S?(\d+)$/.exec(t)?.[1];
    const id = this.#order.find((x) => x === t || (digits !== undefined && x === `S${digits.padStart(3, '0')}`));
    if (id === undefined) return this.#say('warn', t === '' ? 'Type a step id (S045) after :.' : `There is no step ${t} in this plan.`);
    this.select(id);
  }

  #lastSearch = '';

  /**
   * `/` — the cursor to the next step after it whose id, slug, title or node matches (wrapping
   * round); an empty query repeats the last search, so `/` Enter walks the matches.
   */
  search(text: string): void {
    if (this.#view.mode.kind !== 'browse' && this.#view.mode.kind !== 'finished') return;
    const query = text.trim() === '' ? this.#lastSearch : text.trim();
    if (query === '') return this.#say('warn', 'Type part of a step id, title or node name after /.');
    this.#lastSearch = query;
    const hits = findSteps(this.session.plan, query);
    if (hits.length === 0) return this.#say('warn', `No step matches "${query}".`);
    const at = this.#order.indexOf(this.#view.cursor);
    const next = hits.find((id) => this.#order.indexOf(id) > at) ?? hits[0]!;
    this.select(next);
    this.#set({}, { level: 'info', text: `"${query}": match ${hits.indexOf(next) + 1} of ${hits.length} (${next}); / then Enter finds the next.` });
  }

  readonly #collapsed = new Set<string>();

  /** The cursor stands on a collapsed product's heading: no step key acts there (Enter must not run a hidden step). */
  #onFolded(): boolean {
    if (!this.#collapsed.has(this.step().product)) return false;
    this.#say('warn', `${this.step().product} is collapsed: press z to show its steps first.`);
    return true;
  }

  /** `z` — the product of the step under the cursor shown as one line, or expanded again. */
  toggleCollapse(): void {
    if (this.#view.mode.kind !== 'browse' && this.#view.mode.kind !== 'finished') return;
    const product = this.step().product;
    if (this.#collapsed.has(product)) this.#collapsed.delete(product);
    else this.#collapsed.add(product);
    // The cursor stands on the group's first step while it is collapsed.
    const first = this.#order.find((id) => this.step(id).product === product) ?? this.#view.cursor;
    this.#set({ cursor: this.#collapsed.has(product) ? first : this.#view.cursor }, undefined);
  }

  /** Esc: leave a dialog without deciding anything. A started step stays started (shown in progress). */
  back(): void {
    const m = this.#view.mode;
    if (
      m.kind === 'confirm' ||
      m.kind === 'input' ||
      m.kind === 'failed' ||
      m.kind === 'in-doubt' ||
      m.kind === 'secret' ||
      m.kind === 'drift' ||
      (m.kind === 'certificate' && !m.checking) ||
      (m.kind === 'runtime-file' && !m.checking) ||
      (m.kind === 'checkpoint' && !m.verifying) ||
      (m.kind === 'running' && !this.#busy)
    ) {
      this.#certQuestions = undefined;
      // Nothing was sent: a file named for this step is not kept for another.
      this.#fileQuestions = undefined;
      if (m.kind === 'confirm' || m.kind === 'runtime-file') this.#forgetRuntimeFiles(this.step(m.stepId));
      // The engine's question is answered "no / not now": it records and sends nothing after
      // that, so its call is left to end by itself and the controller is free at once.
      if (this.#decide.pending !== undefined) {
        this.#flow = undefined;
        this.#busy = false;
        this.#decide.decline();
      }
      this.#set({ mode: { kind: 'browse' } }, undefined);
    }
  }

  quit(): void {
    if (this.#busy) this.#say('warn', 'Wait for the running action to finish before quitting.');
    else {
      // Nothing is read after quitting: no timer or query outlives the screen.
      this.#presence?.stop();
      clearTimeout(this.#redraw);
      this.#set({ mode: { kind: 'quit' } }, undefined);
    }
  }

  /** Ctrl-C during a live command: stop waiting for it. The step ends in doubt; nothing is retried. */
  stopWaiting(): boolean {
    if (!this.#engine.stopWaiting()) return false;
    this.#say('warn', words.stopWaiting());
    return true;
  }

  /** True while a live command can be stopped (the UI maps Ctrl-C to stopWaiting then). */
  get stoppable(): boolean {
    return this.#engine.stoppable;
  }

  /**
   * A live session reopened: before anything new runs, an interrupted step is settled by the
   * engine's read-only probe (passed → verified, nothing sent; otherwise the operator decides),
   * then the verified steps the next step requires are re-checked (the engine's drift policy, the
   * same as at start) and any drift is shown; starting that step asks whether to go on.
   */
  async probeOnResume(): Promise<void> {
    if (this.opts.verifyStep === undefined || this.session.resumed !== true || this.session.needsPlanAcceptance) return;
    const next = this.session.next();
    // A run that can go on node by node is the operator's choice (Enter resumes, c checks): a
    // passing check would not show the nodes never sent (a restart leaves its services STARTED).
    if (next?.reason === 'interrupted' && this.#engine.resumable(next.step) !== undefined) return;
    if (next?.reason === 'interrupted' && hasAutomaticCheck(next.step)) {
      await this.#drive(next.step, () => this.#engine.probe(next.step));
      if (this.session.status(next.step.id) !== 'verified') return;
    }
    const upcoming = this.session.next();
    if (upcoming === undefined || upcoming.reason === 'interrupted') return;
    await this.#drive(upcoming.step, async () => {
      this.#say('info', `Re-checking on their nodes what ${upcoming.step.id} requires before anything runs…`);
      const drift = await this.#engine.drift(upcoming.step);
      if (drift.length === 0) this.#say('info', `Resume check: ${upcoming.step.requires.join(', ') || 'nothing'} still as verified.`);
      else this.#say('warn', `Drift since verified (review before starting ${upcoming.step.id}): ${drift.map((d) => `${d.stepId} ${d.summary}`).join(' | ')}`);
      return undefined;
    });
  }

  async acceptChanges(): Promise<void> {
    if (this.#view.mode.kind !== 'review-changes') return;
    await this.#guard(async () => {
      await this.session.acceptPlan();
      // A step verified with the old commands is what the operator must look at next: the cursor goes there.
      const first = this.#order.find((id) => this.#flagged().includes(id));
      if (first !== undefined) this.#collapsed.delete(this.step(first).product);
      const recheck = first !== undefined ? ` ${first} was verified with the old commands: r reopens it to check again.` : '';
      this.#set({ mode: { kind: 'browse' }, ...(first !== undefined ? { cursor: first } : {}) }, { level: 'info', text: `New plan accepted; the old hashes stay in the session history.${recheck}` });
      this.#enterStartMode();
    });
  }

  /** "Run this step": its run-time files first (UI state), then the engine runs it and asks what it needs. */
  async start(): Promise<void> {
    if (this.#view.mode.kind !== 'browse' || this.#onFolded()) return;
    const step = this.step();
    // An interrupted run journaled node by node goes on from where it stopped (never re-sent blindly).
    // A step in doubt: the engine asks how to settle it (the in-doubt screen); nothing is re-sent but by R.
    if (this.#engine.resumable(step) !== undefined || unsettledStatuses.includes(this.session.status(step.id))) {
      if (this.session.needsPlanAcceptance) return this.#set({ mode: { kind: 'review-changes', diff: this.session.diff } }, undefined);
      if (this.#engine.resumable(step) === undefined) return this.#drive(step, () => this.#engine.run(step));
    } else if (!this.#canBegin(step, 'start')) return;
    if (this.#askRuntimeFiles(step)) return;
    await this.#run(step);
  }

  /** The engine's run of `step` (drift, typed confirmation, password, begin, send, checkpoint); its run-time files are dropped after. */
  #run(step: PlannedStep, message?: Message): Promise<void> {
    this.#set({}, message);
    // A run-time file is named for one step only: the next step that pastes one asks again.
    return this.#drive(step, () => this.#engine.run(step), () => this.#forgetRuntimeFiles(step));
  }

  #fileQuestions: RuntimeFileQuestions | undefined;

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
   * live port and the engine runs the step (typed confirmation if disruptive, then sent). Nothing
   * is recorded or sent before that.
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
    await this.#run(this.step(q.stepId), note !== undefined ? { level: 'info', text: note } : undefined);
  }

  /** The typed confirmation the engine asked for a disruptive step. */
  async confirm(typed: string): Promise<void> {
    const m = this.#view.mode;
    if (m.kind !== 'confirm') return;
    if (typed.trim() !== m.expected) return this.#say('error', `That is not "${m.expected}". Type it exactly, or press Esc to go back.`);
    await this.#answer(() => this.#decide.answer('disruptive', true));
  }

  /** The PKCS#12 export password of a local step: held only for this run, never recorded. */
  async submitSecret(secret: string): Promise<void> {
    if (this.#view.mode.kind !== 'secret') return;
    if (secret === '') return this.#say('error', 'The export password cannot be empty: Windows asks for it when the bundle is imported.');
    await this.#answer(() => this.#decide.answer('password', secret));
  }

  /** Drift shown before a step starts: go on anyway (noted on the step, as plain mode's --accept-drift). */
  async acceptDrift(): Promise<void> {
    if (this.#view.mode.kind !== 'drift') return;
    await this.#answer(() => this.#decide.answer('drift', words.driftAcceptedInWizard));
  }

  /** "I have done this myself": no intent is recorded because collabsec sends nothing; straight to the engine's checkpoint. */
  async doneMyself(): Promise<void> {
    if (this.#view.mode.kind !== 'browse' || this.#onFolded()) return;
    const step = this.step();
    if (!this.#canBegin(step, 'mark as done')) return;
    await this.#drive(step, () => this.#engine.conclude(step, 'self'));
  }

  #certQuestions: CertificateQuestions | undefined;
  /**
   * The certificate paths given per step, as typed (step id → target key → files): a retry or a
   * later visit shows them pre-filled, so a failed check is corrected, not typed again. Never
   * recorded (the journal keeps the checked file and its fingerprint).
   */
  readonly #certDrafts = new Map<string, Map<string, CertificateFiles>>();
  /** The verdict table of the last certificate check per step, for its failed screen. */
  readonly #certTables = new Map<string, readonly string[]>();

  /** The folder a typed relative certificate path is read from (named on the screen). */
  #certFolder(): string {
    return this.opts.certificates?.folder ?? process.cwd();
  }

  /** Certificate checkpoints ask for files instead of a yes/no; false when the step has none (or no port). */
  #askCertificates(step: PlannedStep, via: CheckpointVia): boolean {
    const port = this.opts.certificates;
    const targets = port?.targets(step) ?? [];
    if (targets.length === 0) return false;
    this.#certQuestions = { stepId: step.id, via, targets, index: 0, field: 'file', answers: new Map() };
    this.#showCertificateQuestion();
    return true;
  }

  /** The text a field shows: what was given for it before (this step, this certificate). */
  #certDraft(q: CertificateQuestions): string {
    const t = q.targets[q.index];
    const d = t && this.#certDrafts.get(q.stepId)?.get(t.key);
    if (!d) return '';
    return q.field === 'file' ? d.file : q.field === 'csr' ? (d.csrFile ?? '') : (d.chainFiles ?? []).join(' ');
  }

  #showCertificateQuestion(checking = false, value?: string): void {
    const q = this.#certQuestions;
    const t = q?.targets[q.index];
    if (!q || !t) return;
    const position = `${q.index + 1} of ${q.targets.length}`;
    // The CSR question says what Enter means: the file an earlier step left, or that one is needed.
    this.#set(
      { cursor: q.stepId, mode: { kind: 'certificate', stepId: q.stepId, via: q.via, target: t.label, position, field: q.field, checking, ...(t.csr !== undefined ? { csr: t.csr } : {}), value: value ?? this.#certDraft(q), folder: this.#certFolder() } },
      undefined,
    );
  }

  /**
   * Why a typed path cannot be taken (missing, a folder, a device, too large), or undefined. A
   * typo, or a "y" typed out of habit, is refused here: nothing is checked or recorded for it.
   */
  #certPathProblem(typed: string): string | undefined {
    try {
      checkBoundedFile(resolveTyped(typed, this.#certFolder()), { maxBytes: CERT_FILE_MAX_BYTES });
      return undefined;
    } catch (e) {
      if (e instanceof BoundedReadError) return e.message;
      throw e;
    }
  }

  /**
   * One answer to the certificate questions: the file the CA returned (required), then the CSR it
   * answers and the chain files (Enter for none), per certificate. Each path typed is checked to
   * be a regular file of bounded size before it is taken: otherwise the question stays, with the
   * path to correct. After the last, the engine checks them (then the device check, where the
   * step has one) and records the checkpoint.
   */
  async answerCertificate(text: string): Promise<void> {
    const m = this.#view.mode;
    const q = this.#certQuestions;
    if (m.kind !== 'certificate' || m.checking || !q || !this.opts.certificates) return;
    const t = q.targets[q.index]!;
    const value = text.trim();
    const paths = q.field === 'chain' ? value.split(/[\s,]+/).filter((x) => x !== '') : value === '' ? [] : [value];
    const later = 'or press Esc to answer later';
    for (const p of paths) {
      const problem = this.#certPathProblem(p);
      if (problem !== undefined) {
        this.#showCertificateQuestion(false, text);
        return this.#say('error', `Not taken: ${problem}. Correct the path (Tab completes it; relative paths are read from ${this.#certFolder()}), ${later}.`);
      }
    }
    const abs = (p: string): string => resolveTyped(p, this.#certFolder());
    const files = q.answers.get(t.key) ?? { file: '' };
    const drafts = this.#certDrafts.get(q.stepId) ?? new Map<string, CertificateFiles>();
    this.#certDrafts.set(q.stepId, drafts);
    const draft = drafts.get(t.key) ?? { file: '' };
    if (q.field === 'file') {
      if (value === '') return this.#say('error', `Name the certificate file the CA returned (${later}).`);
      q.answers.set(t.key, { ...files, file: abs(value) });
      drafts.set(t.key, { ...draft, file: value });
      q.field = 'csr';
    } else if (q.field === 'csr') {
      if (value === '' && t.csr === ASK_CSR) return this.#say('error', `Name the CSR this certificate answers: the check compares their keys (${later}).`);
      q.answers.set(t.key, { ...files, ...(value !== '' ? { csrFile: abs(value) } : {}) });
      const { csrFile: _drop, ...rest } = draft;
      drafts.set(t.key, value !== '' ? { ...rest, csrFile: value } : rest);
      q.field = 'chain';
    } else {
      q.answers.set(t.key, { ...files, chainFiles: paths.map(abs) });
      drafts.set(t.key, { ...draft, chainFiles: paths });
      q.index += 1;
      q.field = 'file';
    }
    if (q.index < q.targets.length) return this.#showCertificateQuestion();
    q.index = q.targets.length - 1;
    this.#showCertificateQuestion(true);
    this.#certQuestions = undefined;
    await this.#answerCheckpoint(q.stepId, q.via, { kind: 'files', files: q.answers });
    if (this.#view.mode.kind === 'certificate') this.#set({ mode: { kind: 'browse' } }, this.#view.message);
  }

  /**
   * Tab at a certificate question: completes the path being typed (the last one of the chain
   * list) from the folder it names, as a shell does; several matches are listed in the message.
   * Returns the field's new text.
   */
  completeCertificatePath(text: string): string {
    const m = this.#view.mode;
    if (m.kind !== 'certificate' || m.checking) return text;
    const cut = m.field === 'chain' ? Math.max(text.lastIndexOf(' '), text.lastIndexOf(',')) + 1 : 0;
    const done = completePath(text.slice(cut), this.#certFolder());
    const value = text.slice(0, cut) + done.value;
    const shown = done.matches.slice(0, 12);
    if (done.matches.length > 1) this.#say('info', `${done.matches.length}${done.truncated ? '+' : ''} matches: ${shown.join('  ')}${done.matches.length > shown.length ? '  …' : ''}`);
    else if (done.matches.length === 0) this.#say('warn', `Nothing matches ${text.slice(cut) || 'that'} in ${resolveTyped(text.slice(cut, text.lastIndexOf('/') + 1) || '.', this.#certFolder())}.`);
    else this.#set({}, undefined);
    return value;
  }

  /** Re-check a step whose outcome is unknown (in progress, interrupted), that failed, or that was skipped or overridden (a pass makes it verified). */
  async checkpoint(): Promise<void> {
    const m = this.#view.mode;
    // At the question itself: run the automatic check now (e.g. the probe of an interrupted step).
    if (m.kind === 'checkpoint') return m.verifying || this.#decide.pending !== undefined ? undefined : this.#drive(this.step(m.stepId), () => this.#engine.conclude(this.step(m.stepId), m.via));
    const stepId = m.kind === 'running' ? m.stepId : this.#view.cursor;
    if (m.kind !== 'browse' && !(m.kind === 'running' && !this.#busy)) return;
    if (m.kind === 'browse' && this.#onFolded()) return;
    const status = this.session.status(stepId);
    if (!CHECKABLE.includes(status)) return this.#say('warn', status === 'verified' ? `${stepId} is verified: r reopens it.` : `${stepId} is ${status}: there is nothing to check yet (Enter begins it).`);
    const step = this.step(stepId);
    await this.#drive(step, () => this.#engine.conclude(step, unsettledStatuses.includes(status) ? 'recheck' : status === 'skipped' || status === 'overridden' ? 'again' : 'run'));
  }

  /**
   * The in-doubt screen's keys: c re-checks by the probe, a accepts its verdict, R sends again
   * (the only way a step in doubt is re-sent); an override comes with its reason (submitInput).
   * The engine takes the decision: as the answer to its question, or as a call of its own.
   */
  async settleDoubt(d: DoubtDecision): Promise<void> {
    const m = this.#view.mode;
    if (m.kind !== 'in-doubt' && !(m.kind === 'input' && m.purpose === 'override')) return;
    if (d.kind === 'accept' && m.kind === 'in-doubt' && !m.verdict) return this.#say('warn', `${m.stepId} has no probe verdict to accept: re-check it first (c).`);
    if (this.#decide.pending?.kind === 'doubt') return this.#answer(() => this.#decide.answer('doubt', d));
    const step = this.step(m.stepId);
    await this.#drive(step, () => this.#engine.settle(step, d));
  }

  /** o on the in-doubt screen: the override's reason is asked (required, recorded). */
  requestOverride(): void {
    const m = this.#view.mode;
    if (m.kind === 'in-doubt') this.#set({ mode: { kind: 'input', purpose: 'override', stepId: m.stepId } }, undefined);
  }

  /** The operator's answer to the checkpoint question (when no automatic verification ran). */
  async answer(passed: boolean): Promise<void> {
    const m = this.#view.mode;
    if (m.kind !== 'checkpoint' || m.verifying) return;
    await this.#answerCheckpoint(m.stepId, m.via, { kind: 'answer', passed });
  }

  /**
   * The engine's checkpoint question answered; or a checkpoint screen shown by the controller on
   * open (an interrupted step) answered before the engine asked: the engine then takes this answer.
   */
  async #answerCheckpoint(stepId: string, via: CheckpointVia, a: CheckpointAnswer): Promise<void> {
    if (this.#decide.pending?.kind === 'checkpoint') return this.#answer(() => this.#decide.answer('checkpoint', a));
    const step = this.step(stepId);
    this.#decide.given(a);
    await this.#drive(step, () => this.#engine.conclude(step, via));
  }

  /** After a failed checkpoint: ask (or verify) again. */
  async retry(): Promise<void> {
    const m = this.#view.mode;
    if (m.kind !== 'failed') return;
    const step = this.step(m.stepId);
    await this.#drive(step, () => this.#engine.conclude(step, 'run'));
  }

  /** Opens the skip, note, reopen or back-out input for the step under the cursor. */
  requestInput(purpose: Exclude<InputPurpose, 'override'>): void {
    if (this.#view.mode.kind !== 'browse' || this.#onFolded()) return;
    const stepId = this.#view.cursor;
    const problem = purpose === 'skip' ? skipProblem(this.session, stepId) : purpose === 'reopen' || purpose === 'backed-out' ? markProblem(this.session, this.step(stepId), purpose) : undefined;
    if (problem) return this.#set({}, problem);
    this.#set({ mode: { kind: 'input', purpose, stepId } }, undefined);
  }

  /**
   * From a failed checkpoint: the step's back-out was carried out (issue 12: a failed checkpoint
   * offers the back-out). Asks its reason, as b on the list does; nothing is sent.
   */
  backOutFailed(): void {
    const m = this.#view.mode;
    if (m.kind !== 'failed' || this.#busy) return;
    const problem = markProblem(this.session, this.step(m.stepId), 'backed-out');
    if (problem) return this.#set({}, problem);
    this.#set({ cursor: m.stepId, mode: { kind: 'input', purpose: 'backed-out', stepId: m.stepId } }, undefined);
  }

  /** Accept a failed checkpoint; the reason is required and recorded beside the failed outcome. */
  async override(reason: string): Promise<void> {
    const m = this.#view.mode;
    if (m.kind !== 'failed') return;
    if (reason.trim() === '') return this.#say('error', 'A reason is required: an override without one is not recorded (it goes into the evidence pack).');
    await this.#guard(async () => {
      await this.session.recordOverride(m.stepId, reason);
      this.#advance(`${m.stepId} overridden; the failed checkpoint and your reason are recorded.`, m.stepId);
    });
  }

  async submitInput(text: string): Promise<void> {
    const m = this.#view.mode;
    if (m.kind !== 'input') return;
    if (text.trim() === '') return this.#say('error', m.purpose === 'note' ? 'A note cannot be empty.' : `A reason is required: ${inputWhat[m.purpose].toLowerCase()} without one is not recorded (it goes into the evidence pack).`);
    if (m.purpose === 'override') return this.settleDoubt({ kind: 'override', reason: text.trim() });
    await this.#guard(async () => {
      if (m.purpose === 'reopen') {
        await this.#engine.reopen(this.step(m.stepId), text);
        this.#set({ mode: { kind: 'browse' } }, { level: 'info', text: `${m.stepId} reopened (the reason is recorded); it may run again.` });
      } else if (m.purpose === 'backed-out') {
        await this.#engine.backedOut(this.step(m.stepId), text);
        this.#set({ mode: { kind: 'browse' } }, { level: 'info', text: `${m.stepId} backed out (the reason is recorded); it may run again.` });
      } else if (m.purpose === 'note') {
        await this.session.addNote(m.stepId, text.trim());
        this.#set({ mode: { kind: 'browse' } }, { level: 'info', text: `Note added to ${m.stepId}.` });
      } else {
        await this.session.recordSkip(m.stepId, text);
        this.#advance(`${m.stepId} skipped.`, m.stepId);
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

  /** The running step's device output (or the last step's that sent any); the pane reads it. */
  #out: OutputBuffer | undefined;
  /** The step whose commands are being sent now (its output streams in); cleared when its send ends. */
  #sending: string | undefined;
  /** The step whose output the open pane shows; undefined while the pane is closed. */
  #watching: string | undefined;
  #redraw: ReturnType<typeof setTimeout> | undefined;

  /** The transcripts `id`'s last send wrote: its last journal event that names any, else the send that just ended. */
  #transcriptsOf(id: string): readonly string[] {
    const history = this.session.state.steps[id]?.history ?? [];
    const recorded = [...history].reverse().find((e) => (e.transcripts ?? []).length > 0)?.transcripts;
    return recorded ?? (this.#out?.stepId === id ? this.#out.files : []);
  }

  /** Whether the output pane (t) has anything for `id`: device output streamed in this run, or a transcript recorded. */
  hasOutput(id = this.#view.cursor): boolean {
    return (this.#out?.stepId === id && !this.#out.empty) || this.#transcriptsOf(id).length > 0;
  }

  /**
   * t: opens the device-output pane on `id`. While its command is in flight the pane follows the
   * output as it arrives; once the send ended (or for a step sent before) it shows the part of
   * each node's transcript the step's last send wrote, read from disk, bounded.
   */
  async showOutput(id = 'stepId' in this.#view.mode ? this.#view.mode.stepId : this.#view.cursor): Promise<void> {
    this.#watching = id;
    const root = this.opts.transcriptRoot ?? process.cwd();
    const files = this.#transcriptsOf(id).map((f) => resolve(root, f));
    const out = this.#out?.stepId === id ? this.#out : undefined;
    let view: OutputView;
    if (out !== undefined && (this.#sending === id || files.length === 0)) view = { stepId: id, source: 'live', lines: out.lines(), files };
    else {
      const lines: string[] = [];
      const notes: string[] = [];
      for (const f of files) {
        const part = await readStepTranscript(f, id);
        if (files.length > 1) lines.push(`── ${f} ──`);
        lines.push(...part.lines);
        if (part.note !== undefined) notes.push(part.note);
      }
      view = { stepId: id, source: 'transcript', lines, files, ...(notes.length > 0 ? { note: notes.join(' ') } : files.length === 0 ? { note: `${id} has no device output or transcript yet.` } : {}) };
    }
    // Closed (or moved to another step) while the files were read: nothing to show.
    if (this.#watching !== id) return;
    this.#view = { ...this.#view, output: view };
    this.#emit();
  }

  /** The pane closed: streamed output is kept but no longer drawn. */
  hideOutput(): void {
    this.#watching = undefined;
    clearTimeout(this.#redraw);
    this.#redraw = undefined;
    if (this.#view.output === undefined) return;
    const { output: _closed, ...rest } = this.#view;
    this.#view = rest;
    this.#emit();
  }

  /** New device output of `stepId`: the open pane redraws (at most every OUTPUT_REDRAW_MS); the key help learns there is some. */
  #outputChanged(stepId: string, out: OutputBuffer, node: string, text: string): void {
    const first = out.empty;
    out.push(node, text);
    if (this.#watching !== stepId) {
      // The first output makes t appear in the key help.
      if (first) this.#emit();
      return;
    }
    if (this.#redraw !== undefined) return;
    this.#redraw = setTimeout(() => {
      this.#redraw = undefined;
      const out = this.#out;
      if (this.#watching !== stepId || out?.stepId !== stepId || this.#view.output?.source !== 'live') return;
      this.#view = { ...this.#view, output: { ...this.#view.output, lines: out.lines() } };
      this.#emit();
    }, OUTPUT_REDRAW_MS);
    // A pending redraw never keeps the process alive after the wizard ends.
    this.#redraw.unref?.();
  }

  #canBegin(step: PlannedStep, what: string): boolean {
    if (this.session.needsPlanAcceptance) return (this.#set({ mode: { kind: 'review-changes', diff: this.session.diff } }, undefined), false);
    const problem = beginProblem(this.session, step, what);
    if (problem) this.#set({}, problem);
    return problem === undefined;
  }

  /** The engine's question on screen: the operator's keys answer it (see the methods above). */
  #show(q: Question): void {
    this.#busy = false;
    if (q.kind === 'disruptive') this.#set({ cursor: q.q.step.id, mode: { kind: 'confirm', stepId: q.q.step.id, expected: confirmationWord(q.q.step) } }, this.#view.message);
    else if (q.kind === 'password') this.#set({ cursor: q.step.id, mode: { kind: 'secret', stepId: q.step.id, prompt: `Export password for ${q.step.id} (masked; passed to openssl on a file descriptor, never stored):` } }, undefined);
    else if (q.kind === 'doubt') this.#set({ cursor: q.q.step.id, mode: doubtMode(q.q.step.id, q.q.verdict?.summary ?? words.settleDoubt(q.q.step.id, 'keys'), q.q.verdict !== undefined) }, undefined);
    else if (q.kind === 'drift')
      this.#set({ cursor: q.step.id, mode: { kind: 'drift', stepId: q.step.id, lines: q.drift.map(words.driftLine) } }, { level: 'warn', text: words.driftStops(q.step.id, q.drift, 'press a') });
    else if (!this.#askCertificates(q.q.step, q.q.via)) this.#set({ cursor: q.q.step.id, mode: { kind: 'checkpoint', stepId: q.q.step.id, via: q.q.via, verifying: false } }, undefined);
    // The engine call waits now: whoever drove it gets control back.
    const flow = this.#flow;
    if (flow === undefined) return;
    const pause = flow.pause;
    flow.paused = new Promise((r) => (flow.pause = r));
    pause();
  }

  /** What the engine tells while it runs, as screen state. */
  #on(e: EngineEvent): void {
    switch (e.kind) {
      case 'started':
        if (e.sending) {
          this.#out = new OutputBuffer(e.step.id);
          this.#sending = e.step.id;
        }
        return this.#set({ cursor: e.step.id, mode: { kind: 'running', stepId: e.step.id, live: e.sending, lines: [] } }, this.#view.message);
      case 'resumed':
        this.#out = new OutputBuffer(e.step.id);
        this.#sending = e.step.id;
        // A resumed run keeps its "resumed (…)" line on screen while it runs.
        return this.#set({ cursor: e.step.id, mode: { kind: 'running', stepId: e.step.id, live: true, lines: [] } }, { level: 'info', text: words.resumed(e.step.id, e.where) });
      case 'progress':
        return this.#set({ mode: { kind: 'running', stepId: e.step.id, live: true, lines: e.lines } }, this.#view.message);
      case 'output':
        if (this.#out?.stepId !== e.step.id) this.#out = new OutputBuffer(e.step.id);
        return this.#outputChanged(e.step.id, this.#out, e.node, e.text);
      case 'transcripts':
        if (this.#out?.stepId !== e.step.id) this.#out = new OutputBuffer(e.step.id);
        this.#out.files = e.paths;
        this.#sending = undefined;
        // The send ended: an open pane shows the step's transcripts from here on.
        if (this.#watching === e.step.id) void this.showOutput(e.step.id);
        return;
      case 'local-unavailable':
        return this.#say('warn', e.reason);
      case 'verifying':
        return this.#set({ cursor: e.step.id, mode: { kind: 'checkpoint', stepId: e.step.id, via: e.via, verifying: true } }, undefined);
      case 'certificate-lines':
        if (e.table !== undefined) this.#certTables.set(e.step.id, e.table);
        return;
      default:
        return;
    }
  }

  /**
   * Runs one engine call at a time. Returns when it ends, or when it waits on the operator (a
   * question on screen); the answer (#answer) goes on with it. A UserError becomes a message, a
   * bug propagates. `after` runs when the call ends, however it ends.
   */
  #drive(step: PlannedStep, call: () => Promise<Ended>, after?: () => void): Promise<void> {
    if (this.#busy || this.#flow !== undefined) return Promise.resolve();
    const flow = {} as Flow;
    flow.paused = new Promise((r) => (flow.pause = r));
    this.#flow = flow;
    this.#busy = true;
    this.#emit();
    // Taken before the call starts: it may ask (and so pause) before its first await.
    const paused = flow.paused;
    flow.done = (async () => {
      try {
        const end = await call();
        if (this.#flow === flow) this.#settle(step, end);
      } catch (e) {
        if (!(e instanceof UserError)) throw e;
        if (this.#flow === flow) this.#say('error', e.tryMessage !== undefined ? `${e.message}. ${e.tryMessage}` : e.message);
      } finally {
        after?.();
        // However the call ended, nothing of it is being sent any more.
        this.#sending = undefined;
        if (this.#flow === flow) {
          this.#decide.forgetGiven();
          this.#flow = undefined;
          this.#busy = false;
          this.#set({}, this.#view.message);
        }
      }
    })();
    return Promise.race([flow.done, paused]);
  }

  /** The operator answered the engine's question (`settle` returns false when none of its kind waits): the call goes on. */
  #answer(settle: () => boolean): Promise<void> {
    const flow = this.#flow;
    if (flow === undefined) return Promise.resolve();
    this.#busy = true;
    const paused = flow.paused;
    if (!settle()) {
      this.#busy = false;
      return Promise.resolve();
    }
    this.#emit();
    return Promise.race([flow.done, paused]);
  }

  /** How an engine call ended, on screen. */
  #settle(step: PlannedStep, end: Ended): void {
    switch (end?.kind) {
      case undefined:
      case 'resumable':
      case 'waiting':
        return;
      case 'already':
        return this.#say('info', `${step.id} is already ${end.status}.`);
      case 'blocked':
        return this.#set({}, end.problem);
      case 'declined':
        return this.#set({ mode: { kind: 'browse' } }, undefined);
      case 'settled':
        return this.#advance(end.status === 'overridden' ? `${step.id} overridden; your reason is recorded.` : `${step.id} failed: the probe's verdict is accepted; it may run again.`, step.id);
      case 'send-failed': {
        const f = end.failure;
        if (this.session.status(step.id) === 'in-doubt') return this.#set({ mode: doubtMode(step.id, words.inDoubt(f.summary, 'c re-checks it'), false) }, undefined);
        return this.#set({ mode: { kind: 'failed', stepId: step.id, summary: f.summary } }, undefined);
      }
      case 'checked':
        if (end.result.outcome === 'passed') return this.#advance(`${step.id} verified.`, step.id);
        // A re-checked skip or override that does not pass stands as it was (conclude noted the look).
        const stands = this.session.status(step.id);
        if (stands === 'skipped' || stands === 'overridden')
          return this.#set({ mode: { kind: 'browse' } }, { level: 'warn', text: `${step.id} still does not pass its check (${end.result.summary ?? end.result.outcome}): it stays ${stands}; the re-check is noted on the step.` });
        if (this.session.status(step.id) === 'in-doubt') return this.#set({ mode: doubtMode(step.id, words.stillInDoubt(step.id, end.result.summary ?? end.result.outcome, 'keys'), end.result.outcome === 'failed') }, undefined);
        {
          // A failed certificate check shows its verdict table per certificate, not the one-line summary.
          const table = end.result.method === 'certificate' ? this.#certTables.get(step.id) : undefined;
          return this.#set({ mode: { kind: 'failed', stepId: step.id, summary: end.result.summary ?? `checkpoint ${end.result.outcome}`, ...(table !== undefined ? { table } : {}) } }, undefined);
        }
    }
  }

  /**
   * After `from` is settled: the next step to do in the list the operator works in (display order
   * after `from`, wrapping round), not the first open step of the plan, which may be ~60 rows up.
   * An interrupted step still comes first: everything after it may depend on it.
   */
  #advance(text: string, from: string): void {
    const next = this.session.next();
    if (!next) return this.#set({ mode: { kind: 'finished' } }, { level: 'info', text: `${text} Every step is done.` });
    if (next.reason === 'interrupted') {
      this.#set({ cursor: next.step.id, mode: { kind: 'browse' } }, { level: 'info', text });
      return this.#enterStartMode();
    }
    const at = this.#order.indexOf(from);
    const after = [...this.#order.slice(at + 1), ...this.#order.slice(0, at + 1)];
    const cursor = after.find((id) => !doneStatuses.includes(this.session.status(id))) ?? next.step.id;
    this.#collapsed.delete(this.step(cursor).product);
    this.#set({ cursor, mode: { kind: 'browse' } }, { level: 'info', text });
  }

  /** On open and after accepting a plan: review changes first, then settle interrupted steps. */
  #enterStartMode(): void {
    if (this.session.needsPlanAcceptance) return this.#set({ mode: { kind: 'review-changes', diff: this.session.diff } }, undefined);
    const next = this.session.next();
    const journal = next?.reason === 'interrupted' ? this.#engine.resumable(next.step) : undefined;
    if (next !== undefined && journal !== undefined)
      return this.#set({ cursor: next.step.id, mode: { kind: 'browse' } }, { level: 'warn', text: `${words.resumableFound(next.step.id, resumeWhere(next.step, journal), 'Enter')} Or c checks its checkpoint.` });
    // The checkpoint screen is shown here, before the engine asks: answering it runs the engine's
    // check with that answer (#answerCheckpoint); on a live session probeOnResume runs it first.
    if (next?.reason === 'interrupted' && this.#askCertificates(next.step, 'recheck')) return this.#say('warn', words.interrupted(next.step.id, this.interruption(next.step.id)));
    if (next?.reason === 'interrupted')
      return this.#set({ cursor: next.step.id, mode: { kind: 'checkpoint', stepId: next.step.id, via: 'recheck', verifying: false } }, { level: 'warn', text: words.interrupted(next.step.id, this.interruption(next.step.id)) });
    if (!next) this.#set({ mode: { kind: 'finished' } }, undefined);
  }

  /** Runs one journal operation of the controller's own (skip, note, override, plan) at a time; a UserError becomes a message, a bug propagates. */
  async #guard(fn: () => Promise<void>): Promise<void> {
    if (this.#busy || this.#flow !== undefined) return;
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
      collapsed: [...this.#collapsed],
      ...(this.#presence !== undefined ? { presence: this.#presence.view } : {}),
      // The open output pane stays over whatever changes under it.
      ...(this.#view?.output !== undefined ? { output: this.#view.output } : {}),
    };
  }

  #emit(): void {
    this.#view = { ...this.#view, busy: this.#busy, state: this.session.state, progress: this.session.progress(), flagged: this.#flagged() };
    for (const l of this.#listeners) l();
  }
}
