// Sends a started step through its ports and records a send that did not end ok. The operator's
// stop ends the command in flight; nothing is retried: in doubt, the checkpoint settles it.
import type { PlannedStep } from '../../plan/types.js';
import { nodeDetails, sendStep, type ActionsResult, type SendPorts } from '../execute.js';
import type { RunHooks } from '../types.js';
import type { EngineOptions } from './options.js';

export type SendFailure = Extract<ActionsResult, { ok: false }>;
export type SendOk = Extract<ActionsResult, { ok: true }>;

/**
 * The ports a live step is sent through: the step-level runner gets the step's node journal (each
 * node's intent and outcome on disk) when the session keeps one; other runners ignore it.
 */
export function journaled(o: Pick<EngineOptions, 'session' | 'runStep' | 'executeStep'>, step: PlannedStep): SendPorts {
  const run = o.runStep;
  if (run === undefined || o.session.nodeJournal === undefined) return o;
  const journal = o.session.nodeJournal(step.id);
  return { runStep: (s, hooks: RunHooks) => run(s, { ...hooks, journal }) };
}

/**
 * Sends `step` (already started); a failure or doubt is recorded (with its transcripts). Either
 * way the result is returned: an ok send's transcripts are recorded with its checkpoint's verdict.
 */
export async function send(o: Pick<EngineOptions, 'session' | 'emit' | 'interrupts'>, step: PlannedStep, ports: SendPorts, stop: AbortController): Promise<ActionsResult> {
  const emit = o.emit ?? (() => undefined);
  const off = o.interrupts?.(() => {
    if (stop.signal.aborted) return;
    emit({ kind: 'stopping', step });
    stop.abort();
  });
  let r: ActionsResult;
  try {
    r = await sendStep(
      step,
      ports,
      (lines, done, finished) => emit({ kind: 'progress', step, lines, done, ...(finished !== undefined ? { finished } : {}) }),
      stop.signal,
      (node, text) => emit({ kind: 'output', step, node, text }),
    );
  } finally {
    off?.();
  }
  if ((r.transcripts ?? []).length > 0) emit({ kind: 'transcripts', step, paths: r.transcripts! });
  if (!r.ok) {
    await o.session.recordResult(step.id, { outcome: r.outcome, ...(r.inDoubt === true ? { inDoubt: true } : {}), target: r.target, transcripts: r.transcripts, checkpoint: { method: 'automatic', outcome: r.outcome, summary: r.summary, details: nodeDetails(r.nodes) } });
    return r;
  }
  // Per-node results of a multi-node run stay in the journal (the evidence pack shows notes).
  if ((r.nodes?.length ?? 0) > 1) await o.session.addNote(step.id, `Sent over SSH: ${r.nodes!.map((n) => n.summary).join('; ')}`);
  return r;
}
