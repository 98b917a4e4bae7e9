// The decisions a step run cannot take by itself. The engine asks; each mode answers in its own
// way: the TUI through its screens, plain mode from flags (or it stops, naming the flag it needs,
// by throwing from the port: the engine lets that through untouched, nothing is sent after it).
import type { PlannedStep } from '../../plan/types.js';
import type { CheckpointResult, PlanDiff } from '../../session/index.js';
import type { CertificateFiles, CertificateTarget } from '../certificate-checkpoint.js';
import type { CheckpointVia } from '../types.js';
import type { Drift } from '../probes.js';
import type { Wording } from '../messages.js';

export interface DisruptiveQuestion {
  step: PlannedStep;
  /** Set when an interrupted run goes on node by node: where it stopped ("pub ok, sub1 in-doubt"). */
  resuming?: string;
}

export interface CheckpointQuestion {
  step: PlannedStep;
  via: CheckpointVia;
  /** The certificates whose files the checkpoint checks; empty for the yes/no question. */
  certificates: readonly CertificateTarget[];
  /**
   * The step's read-only device check runs after this answer: the certificate files may be
   * answered `device` (leave the verdict to it), and files that pass are followed by it.
   */
  deviceCheck: boolean;
}

export type CheckpointAnswer =
  /** Check these certificate files (keyed by CertificateTarget.key). */
  | { kind: 'files'; files: ReadonlyMap<string, CertificateFiles> }
  /** The operator answers for the checkpoint; `by` names how ("--checkpoint-passed") in the journal. */
  | { kind: 'answer'; passed: boolean; by?: string }
  /** No files: the device check decides (only when `deviceCheck`). */
  | { kind: 'device' }
  /** Not now (the TUI's Esc): the step stays as it is. */
  | { kind: 'later' };

/** A step that may or may not have applied (interrupted, in doubt), named to be acted on. */
export interface DoubtQuestion {
  step: PlannedStep;
  status: 'interrupted' | 'in-doubt';
  /** The verdict of its last read-only probe, when one ran and did not pass (it may be accepted). */
  verdict?: CheckpointResult;
  /** Its read-only device check can run here (--live): re-checking probes the device. */
  probe: boolean;
}

/** What to do with a step in doubt; nothing is re-sent but by `resend`, the operator's explicit choice. */
export type DoubtDecision =
  /** Re-check: its read-only probe (or the operator's checkpoint answer). */
  | { kind: 'recheck' }
  /** Record the probe's verdict (failed: the step may run again). */
  | { kind: 'accept' }
  | { kind: 'override'; reason: string }
  /** Send its lines again; `by` names the choice in the journal ("--resend", "the operator, in the wizard"). */
  | { kind: 'resend'; by: string }
  /** Not now: nothing is recorded. */
  | { kind: 'later' };

export interface DecisionPort {
  /** A step in doubt (or interrupted) named to be acted on: how to settle it. */
  settleDoubt(q: DoubtQuestion): Promise<DoubtDecision>;
  /** A disruptive step, right before anything of it is recorded or sent. */
  confirmDisruptive(q: DisruptiveQuestion): Promise<boolean>;
  /**
   * True when confirmDisruptive answers from settings, asking no one (plain mode's --yes): it is
   * then asked before any re-check of what the step builds on, so a refusal logs in nowhere. A
   * port that asks a person (the TUI) is asked after the re-check, with its drift in view.
   */
  readonly confirmsFromSettings?: boolean;
  /** How this mode names the operator's ways out in the messages the engine words: keys (the TUI, the default) or flags (plain mode). */
  readonly wording?: Wording;
  answerCheckpoint(q: CheckpointQuestion): Promise<CheckpointAnswer>;
  /** The inventory or catalogue changed since the session began: go on with the new plan? */
  acceptChangedPlan(diff: PlanDiff): Promise<boolean>;
  /** First SSH contact with a node: trust this key? (Wired into the transport, not called by the engine.) */
  acceptHostKey(host: string, fingerprint: string): Promise<boolean>;
  /**
   * A resumed live session: prerequisites of `step` no longer pass their checks. Returns how the
   * operator accepted going on (recorded in a note on the step), or undefined to stop.
   */
  acceptDrift(step: PlannedStep, drift: readonly Drift[]): Promise<string | undefined>;
  /** The PKCS#12 export password of a local step: held for this run only, never recorded. Undefined stops. */
  exportPassword(step: PlannedStep): Promise<string | undefined>;
}
