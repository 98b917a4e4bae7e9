// The session file's schema. A session is a journal: each step keeps its full status history
// (who, when, on which target, with which rendered commands) and the current status is the last
// entry. Outcome and conclusion are kept apart, as GitHub's actions runner does: a checkpoint's
// *outcome* can be "failed" while the step's *conclusion* is "overridden" with a reason.
import * as z from 'zod/mini';
// English messages and the memoizer, installed before the schemas below are built (zod.ts says why).
import '../zod.js';

export const SESSION_VERSION = 1;

/**
 * `interrupted`: the session ended after the step started and before its outcome (found on open);
 * `in-doubt`: a line was sent and its result is unknown (a timeout, a dropped connection, the
 * operator stopped waiting), or a probe of such a step could not confirm it; `backed-out`: the
 * step's back-out was carried out (its change undone; it may run again). A "pending" event with a
 * reason is a reopened step.
 */
export const stepStatuses = ['pending', 'started', 'verified', 'failed', 'skipped', 'overridden', 'interrupted', 'in-doubt', 'backed-out'] as const;
export type StepStatus = (typeof stepStatuses)[number];

/** The step may or may not have applied: settled by its read-only probe, an override, or an explicit re-send — never re-sent blindly. */
export const unsettledStatuses: readonly StepStatus[] = ['interrupted', 'in-doubt'];
/** Statuses a step can be reopened from (with a recorded reason). */
export const reopenableStatuses: readonly StepStatus[] = ['verified', 'skipped', 'overridden'];

/** Statuses that let the rollout move past a step. */
export const doneStatuses: readonly StepStatus[] = ['verified', 'skipped', 'overridden'];
/** Statuses that satisfy another step's `requires` (a skipped step did not happen). */
export const satisfiesRequires: readonly StepStatus[] = ['verified', 'overridden'];

const iso = z.string().check(z.minLength(1));

export const checkpointResultSchema = z.object({
  /** How the checkpoint was decided. */
  method: z.enum(['automatic', 'operator', 'certificate']),
  outcome: z.enum(['passed', 'failed', 'unknown']),
  /** Short human summary ("3 of 3 nodes report mixed mode"; the operator's answer). */
  summary: z.optional(z.string()),
  /** Per-target details, already redacted by the caller. */
  details: z.optional(z.array(z.object({ target: z.string(), outcome: z.enum(['passed', 'failed', 'unknown']), text: z.optional(z.string()) }))),
  /**
   * What a step that declares a baseline (PlannedStep.baseline) read, per target: kept so that the
   * evidence pack shows the first such read of the plan ("before") beside the last ("after").
   */
  readings: z.optional(z.array(z.object({ baseline: z.string(), target: z.string(), command: z.string(), output: z.string() }))),
});
export type CheckpointResult = z.infer<typeof checkpointResultSchema>;

export const stepEventSchema = z.object({
  status: z.enum(stepStatuses),
  at: iso,
  /** OS user who did it. */
  user: z.string(),
  host: z.optional(z.string()),
  target: z.optional(z.string()),
  /** Hash of the step's rendered commands when this happened. */
  commandsHash: z.optional(z.string()),
  /** Checkpoint outcome, kept apart from the status (the conclusion). */
  outcome: z.optional(z.enum(['passed', 'failed', 'unknown'])),
  checkpoint: z.optional(checkpointResultSchema),
  /** Skip, override, reopen or back-out reason; for "interrupted", why; for a re-send, the operator's choice. */
  reason: z.optional(z.string()),
  /** Paths of transcript files (relative to the session dir); never their contents. */
  transcripts: z.optional(z.array(z.string())),
  /**
   * A "started" that continues an interrupted run of a multi-node step: its nodes' records
   * (`StepRecord.nodes`) still count, so a node recorded ok is not sent its lines again.
   */
  resumed: z.optional(z.boolean()),
  /**
   * LIVE (`run --live`: collabsec sends to devices) or rehearsal (nothing sent) of the process that
   * wrote the event; absent in files written before it was recorded, and on events collabsec
   * writes when it opens a session (interrupted).
   */
  mode: z.optional(z.enum(['live', 'rehearsal'])),
  /**
   * Tamper evidence (chain.ts): the event's place in the session-wide chain and the sha256 of the
   * previous event's hash and this event's content. Absent in files written before the chain.
   */
  seq: z.optional(z.number().check(z.int(), z.nonnegative())),
  hash: z.optional(z.string()),
});
export type StepEvent = z.infer<typeof stepEventSchema>;
export type EventMode = NonNullable<StepEvent['mode']>;

export const noteSchema = z.object({ at: iso, user: z.string(), text: z.string() });
export type Note = z.infer<typeof noteSchema>;

export const nodeOutcomes = ['ok', 'failed', 'in-doubt', 'not-run'] as const;
export type NodeRunOutcome = (typeof nodeOutcomes)[number];

/**
 * One node of a multi-node step (a rolling restart): intent written before the node's first
 * mutating line is sent, outcome after the node finished (health gate included). A record with
 * intent and no outcome is *in doubt* after a crash; a node without a record is *pending*.
 * Optional on the step record: session files written before it existed still load.
 */
export const nodeRunSchema = z.object({
  node: z.string(),
  /** Index in the step's `history` of the "started" event that began this run (not a resumed one). */
  run: z.number().check(z.int(), z.nonnegative()),
  intentAt: iso,
  /**
   * Read-only evidence read on the node just before its first mutating line, compared on resume:
   * per restarted service, its start time as the node reported it.
   */
  evidence: z.optional(z.record(z.string(), z.string())),
  /** Lines of this node already applied in an earlier attempt of the same run (never re-sent). */
  done: z.optional(z.array(z.string())),
  /** Lines this attempt sends (in order). */
  lines: z.optional(z.array(z.string())),
  outcome: z.optional(z.enum(nodeOutcomes)),
  outcomeAt: z.optional(iso),
  /** The health gate after the node (services STARTED), when it ran. */
  health: z.optional(z.object({ ok: z.boolean(), details: z.array(z.string()) })),
  summary: z.optional(z.string()),
});
export type NodeRun = z.infer<typeof nodeRunSchema>;

export const stepRecordSchema = z.object({
  id: z.string(),
  title: z.string(),
  product: z.string(),
  /** Rendered-commands hash of the plan the session currently follows. */
  commandsHash: z.string(),
  /**
   * The step's rendered lines in that plan (step-lines.ts), so a changed plan can show what
   * changed line by line; absent in files written before they were kept.
   */
  lines: z.optional(z.array(z.string())),
  history: z.array(stepEventSchema),
  notes: z.array(noteSchema),
  /** Per-node intent and outcome of multi-node runs, in the order written (absent in older files). */
  nodes: z.optional(z.array(nodeRunSchema)),
});
export type StepRecord = z.infer<typeof stepRecordSchema>;

/** The operator went on with a journal found edited outside collabsec (`resume --accept-tampered`). */
export const tamperAckSchema = z.object({ at: iso, user: z.string(), host: z.string(), breaks: z.array(z.string()) });
export type TamperAck = z.infer<typeof tamperAckSchema>;

/**
 * Head of the hash chain over every step's history (chain.ts). Optional: files written before it
 * load as "not chained" and are sealed as found when next opened.
 */
export const journalChainSchema = z.object({
  /** Hash of the last event (the genesis hash while there is none). */
  head: z.string(),
  /** Events in the chain: the next event's `seq`. */
  length: z.number().check(z.int(), z.nonnegative()),
  /** The events written before the chain existed, sealed as found when this version first opened the file. */
  sealed: z.optional(z.object({ at: iso, user: z.string(), host: z.string(), events: z.number().check(z.int(), z.nonnegative()) })),
  /** Edits found and accepted by an operator; the history was re-sealed after each. */
  acknowledged: z.optional(z.array(tamperAckSchema)),
});
export type JournalChain = z.infer<typeof journalChainSchema>;

export const sessionStateSchema = z.object({
  version: z.literal(SESSION_VERSION),
  /** Fixed for the life of a session: a file from another session is never mistaken for this one. */
  lineage: z.uuid(),
  /** +1 on every write; a reader can tell which of two copies is newer. */
  serial: z.number().check(z.int(), z.nonnegative()),
  name: z.string(),
  createdAt: iso,
  updatedAt: iso,
  createdBy: z.object({ user: z.string(), host: z.string() }),
  inventory: z.object({ path: z.string(), hash: z.string() }),
  catalogueHash: z.string(),
  planHash: z.string(),
  planTitle: z.string(),
  /** Earlier plans this session accepted after a change (audit trail for the change board). */
  planHistory: z.array(z.object({ at: iso, user: z.string(), planHash: z.string(), inventoryHash: z.string(), catalogueHash: z.string() })),
  /** In plan order. Steps that left the plan stay here (with their history) but are not in `order`. */
  steps: z.record(z.string(), stepRecordSchema),
  order: z.array(z.string()),
  chain: z.optional(journalChainSchema),
});
export type SessionState = z.infer<typeof sessionStateSchema>;

export function currentStatus(record: StepRecord | undefined): StepStatus {
  return record?.history.at(-1)?.status ?? 'pending';
}

export function lastEvent(record: StepRecord | undefined): StepEvent | undefined {
  return record?.history.at(-1);
}

/** Index of the "started" event that began the step's current run (a resumed start continues it). */
export function currentRunIndex(record: StepRecord | undefined): number | undefined {
  const h = record?.history ?? [];
  for (let i = h.length - 1; i >= 0; i--) if (h[i]!.status === 'started' && h[i]!.resumed !== true) return i;
  return undefined;
}

export type NodeRunState = 'ok' | 'failed' | 'in-doubt' | 'pending';

/**
 * Per node, the latest record of the step's current run and what it means: ok (finished and
 * healthy), failed, in doubt (intent without outcome, or an outcome that may have applied) or
 * pending (never started, or settled by a probe as not applied).
 */
export function nodeRunStates(record: StepRecord | undefined): Map<string, { state: NodeRunState; record: NodeRun }> {
  const run = currentRunIndex(record);
  const out = new Map<string, { state: NodeRunState; record: NodeRun }>();
  if (run === undefined) return out;
  for (const r of record?.nodes ?? []) {
    if (r.run !== run) continue;
    const state: NodeRunState = r.outcome === undefined || r.outcome === 'in-doubt' ? 'in-doubt' : r.outcome === 'not-run' ? 'pending' : r.outcome;
    out.set(r.node, { state, record: r });
  }
  return out;
}

/**
 * The journal port of one multi-node step run (Session.nodeJournal): every write is awaited and
 * on disk before it resolves, so intent is durable before the node's first mutating line.
 */
export interface NodeJournal {
  /** The current run's nodes (see nodeRunStates). */
  nodes(): Map<string, { state: NodeRunState; record: NodeRun }>;
  intent(node: string, what: { evidence?: Record<string, string>; done?: string[]; lines?: string[] }): Promise<void>;
  outcome(node: string, what: { outcome: NodeRunOutcome; health?: { ok: boolean; details: string[] }; summary?: string }): Promise<void>;
}
