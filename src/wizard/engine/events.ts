// What the engine tells the mode running it, in the order it happens. Each mode words them its
// own way (plain mode prints lines, the TUI changes screens); the engine writes no text for people.
import type { PlannedStep } from '../../plan/types.js';
import type { CheckpointResult } from '../../session/index.js';
import type { CertificateTarget } from '../certificate-checkpoint.js';
import type { Drift } from '../probes.js';
import type { CheckpointVia } from '../types.js';

export type EngineEvent =
  /** Intent is on disk (recordStarted): the step may run from here on; `sending`: collabsec sends it now (else the operator does). */
  | { kind: 'started'; step: PlannedStep; sending: boolean }
  /** An interrupted run goes on node by node (recordResumed): `where` is each node's state. */
  | { kind: 'resumed'; step: PlannedStep; where: string }
  /** A local step collabsec does not run here (sftp): why; the operator does it. */
  | { kind: 'local-unavailable'; step: PlannedStep; reason: string }
  /** The command in flight: the whole progress list (one line per node); `done` once a node has its result. */
  | { kind: 'progress'; step: PlannedStep; lines: string[]; done: boolean; finished?: string }
  /** Device output of the command in flight, as it arrives (redacted, one fold per line break). */
  | { kind: 'output'; step: PlannedStep; node: string; text: string }
  /** The send ended (ok or not): the transcript files it wrote, relative to the session folder. */
  | { kind: 'transcripts'; step: PlannedStep; paths: readonly string[] }
  /** The operator's interrupt reached a running step: the command in flight is abandoned, the step ends in doubt. */
  | { kind: 'stopping'; step: PlannedStep }
  /** Verified prerequisites that no longer pass, found before `step` starts on a resumed live session. */
  | { kind: 'drift'; step: PlannedStep; drift: readonly Drift[] }
  /** An interrupted or started step is settled by its checkpoint (never re-sent blindly). */
  | { kind: 'recheck'; step: PlannedStep }
  /** A reopened live session probes an interrupted step (read-only, nothing re-sent). */
  | { kind: 'probing'; step: PlannedStep }
  | { kind: 'verifying'; step: PlannedStep; via: CheckpointVia; command: string }
  | { kind: 'checking-certificates'; step: PlannedStep; targets: readonly CertificateTarget[] }
  | { kind: 'certificate-lines'; step: PlannedStep; lines: readonly string[]; table?: readonly string[] }
  /** The checkpoint's result, as recorded. */
  | { kind: 'verdict'; step: PlannedStep; result: CheckpointResult }
  | { kind: 'plan-accepted' }
  /** The operator's decision recorded: a step in doubt failed (verdict accepted) or overridden, a step reopened, or backed out. */
  | { kind: 'settled'; step: PlannedStep; status: 'failed' | 'overridden' | 'pending' | 'backed-out' };
