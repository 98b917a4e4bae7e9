// The session file's schema. A session is a journal: each step keeps its full status history
// (who, when, on which target, with which rendered commands) and the current status is the last
// entry. Outcome and conclusion are kept apart, as GitHub's actions runner does: a checkpoint's
// *outcome* can be "failed" while the step's *conclusion* is "overridden" with a reason.
import { z } from 'zod';

export const SESSION_VERSION = 1;

export const stepStatuses = ['pending', 'started', 'verified', 'failed', 'skipped', 'overridden', 'interrupted'] as const;
export type StepStatus = (typeof stepStatuses)[number];

/** Statuses that let the rollout move past a step. */
export const doneStatuses: readonly StepStatus[] = ['verified', 'skipped', 'overridden'];
/** Statuses that satisfy another step's `requires` (a skipped step did not happen). */
export const satisfiesRequires: readonly StepStatus[] = ['verified', 'overridden'];

const iso = z.string().min(1);

export const checkpointResultSchema = z.object({
  /** How the checkpoint was decided. */
  method: z.enum(['automatic', 'operator', 'certificate']),
  outcome: z.enum(['passed', 'failed', 'unknown']),
  /** Short human summary ("3 of 3 nodes report mixed mode"; the operator's answer). */
  summary: z.string().optional(),
  /** Per-target details, already redacted by the caller. */
  details: z.array(z.object({ target: z.string(), outcome: z.enum(['passed', 'failed', 'unknown']), text: z.string().optional() })).optional(),
});
export type CheckpointResult = z.infer<typeof checkpointResultSchema>;

export const stepEventSchema = z.object({
  status: z.enum(stepStatuses),
  at: iso,
  /** OS user who did it. */
  user: z.string(),
  host: z.string().optional(),
  target: z.string().optional(),
  /** Hash of the step's rendered commands when this happened. */
  commandsHash: z.string().optional(),
  /** Checkpoint outcome, kept apart from the status (the conclusion). */
  outcome: z.enum(['passed', 'failed', 'unknown']).optional(),
  checkpoint: checkpointResultSchema.optional(),
  /** Skip or override reason; for "interrupted", why. */
  reason: z.string().optional(),
  /** Paths of transcript files (relative to the session dir); never their contents. */
  transcripts: z.array(z.string()).optional(),
});
export type StepEvent = z.infer<typeof stepEventSchema>;

export const noteSchema = z.object({ at: iso, user: z.string(), text: z.string() });
export type Note = z.infer<typeof noteSchema>;

export const stepRecordSchema = z.object({
  id: z.string(),
  title: z.string(),
  product: z.string(),
  /** Rendered-commands hash of the plan the session currently follows. */
  commandsHash: z.string(),
  history: z.array(stepEventSchema),
  notes: z.array(noteSchema),
});
export type StepRecord = z.infer<typeof stepRecordSchema>;

export const sessionStateSchema = z.object({
  version: z.literal(SESSION_VERSION),
  /** Fixed for the life of a session: a file from another session is never mistaken for this one. */
  lineage: z.uuid(),
  /** +1 on every write; a reader can tell which of two copies is newer. */
  serial: z.number().int().nonnegative(),
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
});
export type SessionState = z.infer<typeof sessionStateSchema>;

export function currentStatus(record: StepRecord | undefined): StepStatus {
  return record?.history.at(-1)?.status ?? 'pending';
}

export function lastEvent(record: StepRecord | undefined): StepEvent | undefined {
  return record?.history.at(-1);
}
