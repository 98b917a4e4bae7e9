// The wizard's state as the UI sees it, and the ports through which the controller reaches the
// outside world (the journal, the SSH runner, automatic verification). The UI only renders a
// WizardView and calls controller methods; it performs no I/O of its own.
import type { Action, Plan, PlannedStep } from '../plan/types.js';
import type { CheckpointResult, NextStep, NodeJournal, PlanDiff, Progress, SessionState, StepResult, StepStatus } from '../session/index.js';
import type { CertificateCheckOutcome, CertificateFiles, CertificateTarget } from './certificate-checkpoint.js';
import type { PresentOperator } from '../session/presence.js';

/** The subset of the session journal the controller uses (src/session's Session satisfies it). */
export interface WizardSession {
  readonly plan: Plan;
  readonly state: SessionState;
  readonly name: string;
  readonly file: string;
  readonly diff: PlanDiff;
  readonly needsPlanAcceptance: boolean;
  readonly interruptedOnOpen: readonly string[];
  /** True when an existing session file was reopened (live resumes probe before acting). */
  readonly resumed?: boolean;
  /** Team sessions: reads what the other operators recorded since (Session.refresh); true when the state changed. */
  refresh?(): Promise<boolean>;
  status(stepId: string): StepStatus;
  next(): NextStep | undefined;
  progress(): Progress;
  preconditions(stepId: string): { met: boolean; missing: string[] };
  /** `resend`: the operator's explicit choice to send a step in doubt again (Session.recordStarted). */
  recordStarted(stepId: string, target?: string, resend?: string): Promise<void>;
  recordResult(stepId: string, result: StepResult): Promise<void>;
  /**
   * A step done by hand: in a team, its nodes claimed until its outcome is recorded or `release`
   * (Session.holdByHand). Absent: the session has no claims to take.
   */
  holdByHand?(stepId: string): Promise<{ release(): Promise<void> }>;
  recordSkip(stepId: string, reason: string): Promise<void>;
  recordOverride(stepId: string, reason: string): Promise<void>;
  /** A step in doubt: its probe's verdict (failed) accepted. */
  recordVerdictAccepted(stepId: string): Promise<void>;
  /** A verified, skipped or overridden step opened again, with a reason. */
  recordReopen(stepId: string, reason: string): Promise<void>;
  /** A disruptive step's back-out was carried out. */
  recordBackedOut(stepId: string, reason: string): Promise<void>;
  addNote(stepId: string, text: string): Promise<void>;
  acceptPlan(): Promise<void>;
  /**
   * Per-node intent and outcome of a started multi-node step's current run (src/session's
   * Session.nodeJournal). Optional: a session without it runs steps without per-node records.
   */
  nodeJournal?(stepId: string): NodeJournal;
  /**
   * Continues an interrupted multi-node step whose nodes are journaled (Session.recordResumed):
   * its run's node records still count, so only the nodes not done are sent.
   */
  recordResumed?(stepId: string, reason: string): Promise<void>;
  /** Where the session is kept, for who else is in it now (absent: the session cannot tell). */
  readonly store?: { presence(): Promise<PresentOperator[]> };
  /** This process's own lock or operator record, left out of who else is here (absent: holds nothing). */
  readonly lockOwner?: { host: string; pid: number; startedAt: string };
}

export interface ExecuteOutcome {
  outcome: 'ok' | 'failed' | 'in-doubt';
  /** One line for the screen and the journal ("3 commands sent", "timeout after …"). */
  summary: string;
  transcripts?: string[];
}

/**
 * Runs one action of a step over SSH. Present only with --live and a transport implementation.
 * `progress` gets one line about the command in flight (its elapsed time during long restarts).
 */
export type ExecuteStep = (step: PlannedStep, action: Action, progress?: (text: string) => void) => Promise<ExecuteOutcome>;
/** One node's result within a step run on several nodes. */
export interface NodeOutcome {
  node: string;
  outcome: 'ok' | 'failed' | 'in-doubt' | 'not-started';
  /** One line: "cucm-sub1: ok (12.3 s)", or the node's error. */
  summary: string;
}

export interface StepRunOutcome extends ExecuteOutcome {
  /** Per node, in the order they ran (publisher first). */
  nodes: NodeOutcome[];
}

export interface RunHooks {
  /** The whole progress list (one line per node) on every change; `done` + `finished` (that node's final line) when a node has its result. */
  progress: (lines: string[], done: boolean, finished?: string) => void;
  /** The operator's "stop waiting": the command in flight ends, the step is in doubt. */
  signal: AbortSignal;
  /** Device output as it arrives, redacted as the transcript stores it (live SSH runs; others send none). */
  output?: (node: string, text: string) => void;
  /**
   * The step's per-node journal (WizardSession.nodeJournal), when the session keeps one: the live
   * runner writes each node's intent (with the evidence a resume compares) before its first line
   * and its outcome after; on a resumed run, nodes recorded ok are not sent again and a node in
   * doubt is settled by its read-only probe. Other runners ignore it.
   */
  journal?: ReturnType<NonNullable<WizardSession['nodeJournal']>>;
}

/**
 * Runs all of a step's SSH actions (rolling across nodes, or --parallel N). Preferred over
 * ExecuteStep when present: it knows publishers, health gates and the operator's stop.
 */
export type RunStep = (step: PlannedStep, hooks: RunHooks) => Promise<StepRunOutcome>;

/** Runs a step's automatic, read-only verification. Present only when something can reach the devices. */
export type VerifyStep = (step: PlannedStep, extra?: VerifyExtra) => Promise<CheckpointResult>;

/** What the run that just made the step's files knows: the export password the operator typed (never stored). */
export interface VerifyExtra {
  password?: string;
}

/**
 * Certificate checkpoints (`checkpoint.certificate`): which files to ask for, and the check of
 * the files the operator named. Reads local files only, so it is present in rehearsals too.
 */
export interface CertificatePort {
  /** The folder a relative path typed on the TUI's certificate screen resolves against (named there). */
  readonly folder?: string;
  targets(step: PlannedStep): CertificateTarget[];
  check(step: PlannedStep, targets: readonly CertificateTarget[], answers: ReadonlyMap<string, CertificateFiles>): Promise<CertificateCheckOutcome>;
}

/** Runs a local step on this machine (openssl); `password` is the PKCS#12 export password, never recorded. */
export type LocalStep = (step: PlannedStep, hooks: RunHooks & { password?: string }) => Promise<StepRunOutcome>;

/** Local steps (platform local: openssl on the operator's machine). Present only with --live. */
export interface LocalPort {
  /** Whether collabsec runs the step (sftp is left to the operator, with the reason) and whether it needs the export password. */
  prepare(step: PlannedStep): { runnable: true; needsPassword: boolean } | { runnable: false; reason: string };
  run: LocalStep;
}

/** A checkpoint's `csr` value that means "the operator names the CSR" (it was downloaded by hand). */
export const ASK_CSR = 'ask';

/** The certificate file being asked for: the file the CA returned, the CSR it answers, the chain. */
export type CertificateField = 'file' | 'csr' | 'chain';

/**
 * What the journal knows of an interrupted step (rules.ts interruption): started in a rehearsal
 * (collabsec sent nothing); per node of its current run, who answered ok, who is in doubt (intent
 * recorded, no result), who failed and who was never sent; or `unknown` (no node records: the
 * step may or may not have run).
 */
export type Interruption =
  | { kind: 'unknown' }
  | { kind: 'rehearsal' }
  | { kind: 'nodes'; ok: readonly string[]; doubt: readonly string[]; failed: readonly string[]; unsent: readonly string[] };

/** Every node of the interrupted run answered ok: only its checkpoint was not answered (nothing is left to send). */
export function allAnswered(k: Interruption): boolean {
  return k.kind === 'nodes' && k.ok.length > 0 && k.doubt.length + k.failed.length + k.unsent.length === 0;
}

/** Why the operator is at a checkpoint: after running it, after doing it by hand, or to settle an interrupted step. */
/**
 * Why the checkpoint is asked: after a run, after the operator did it, after an interruption, or
 * `again`: a skipped or overridden step re-checked (a pass records it verified; anything else
 * leaves it as it was, with a note).
 */
export type CheckpointVia = 'run' | 'self' | 'recheck' | 'again';
/** What a typed line is for: a skip's reason, a note, an override's reason (a step in doubt), a reopen's reason, a back-out's. */
export type InputPurpose = 'skip' | 'note' | 'override' | 'reopen' | 'backed-out';

export type Mode =
  | { kind: 'review-changes'; diff: PlanDiff }
  | { kind: 'browse' }
  | { kind: 'confirm'; stepId: string; expected: string }
  | { kind: 'running'; stepId: string; live: boolean; lines: string[] }
  | { kind: 'checkpoint'; stepId: string; via: CheckpointVia; verifying: boolean }
  /** `table`: a failed certificate check's verdict table per certificate (shown instead of the summary). */
  | { kind: 'failed'; stepId: string; summary: string; table?: readonly string[] }
  /**
   * A step in doubt (a line was sent, its result unknown) or interrupted: re-check it by its
   * probe, accept the probe's verdict (`verdict`: one that did not pass is recorded), override it
   * with a reason, or send it again — nothing is re-sent but by that key.
   */
  | { kind: 'in-doubt'; stepId: string; summary: string; verdict: boolean }
  | { kind: 'input'; purpose: InputPurpose; stepId: string }
  /** A certificate checkpoint asks for its files, one question at a time ("1 of 2": which certificate). */
  /**
   * `value`: the field's text when it is shown (what was given before, kept for a retry, or the
   * path that was refused, to correct). `folder`: where a relative path is read from (on screen).
   */
  | { kind: 'certificate'; stepId: string; via: CheckpointVia; target: string; position: string; field: CertificateField; checking: boolean; csr?: string; value: string; folder: string }
  /**
   * A live step pastes a file chosen at run time (the certificate the CA returned): asked per node
   * before anything is recorded or sent, and checked to be a readable regular file. `midStep`: the
   * file answers a CSR the same step prints, so it may not exist yet (read just before its command).
   */
  | { kind: 'runtime-file'; stepId: string; node: string; label: string; position: string; midStep: boolean; checking: boolean }
  /** A local step that needs the PKCS#12 export password: asked masked, passed on fd 3, never stored. */
  | { kind: 'secret'; stepId: string; prompt: string }
  /** Verified steps this one builds on no longer pass their checks (one line each): go on anyway, noted, or stop. */
  | { kind: 'drift'; stepId: string; lines: string[] }
  /** First SSH contact with a node during a live run: trust its host key? */
  | { kind: 'host-key'; host: string; fingerprint: string }
  | { kind: 'finished' }
  | { kind: 'quit' };

export interface Message {
  level: 'info' | 'warn' | 'error';
  text: string;
}

/** Immutable snapshot: a new object on every change (React's useSyncExternalStore compares by identity). */
export interface WizardView {
  plan: Plan;
  state: SessionState;
  sessionName: string;
  sessionFile: string;
  cursor: string;
  mode: Mode;
  message?: Message;
  progress: Progress;
  /** Steps whose rendered commands changed after they were verified (or overridden). */
  flagged: string[];
  /** Steps that were interrupted when the session was opened (for the resume banner). */
  interruptedOnOpen: readonly string[];
  canExecute: boolean;
  canVerify: boolean;
  /** Local (openssl) steps run on this machine (--live). */
  canRunLocal: boolean;
  busy: boolean;
  /** Products whose steps the list shows as one heading line (z); the cursor skips their steps. */
  collapsed: readonly string[];
  /** Who else works on this session now (./presence-poll.ts); absent until the first read says someone is. */
  presence?: PresenceView;
  /** The device-output pane's content while it is open (WizardController.showOutput). */
  output?: OutputView;
}

/** A step's device output as the pane shows it: one line per device line, redacted, bounded. */
export interface OutputView {
  stepId: string;
  /** `live`: its command is in flight and lines arrive as the device prints them; `transcript`: its last transcripts, read from disk. */
  source: 'live' | 'transcript';
  lines: readonly string[];
  /** The transcript files the lines come from (or the running step writes), as paths to open. */
  files: readonly string[];
  /** Why lines are missing or cut ("not in the last 256 KB: open the file"). */
  note?: string;
}

/** Other operators in the session now, as the screen shows them. */
export interface PresenceView {
  /** "also here: alice@host-b on S022 (claimed 3 min ago)"; absent when no one else is. */
  line?: string;
  /** Why the last reads failed (the first failure's reason), until one succeeds again. */
  problem?: string;
  /** Steps another operator holds → who ("alice"). */
  claimed: Readonly<Record<string, string>>;
}
