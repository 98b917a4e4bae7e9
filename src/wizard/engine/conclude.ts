// A step's checkpoint and its recorded verdict. Order (the TUI's): the certificate files first
// when the checkpoint checks certificates, then the read-only device check when the step has one
// and something can reach the devices (it decides after files that pass), else the operator's
// yes/no answer.
import type { PlannedStep } from '../../plan/types.js';
import { unsettledStatuses, type CheckpointResult } from '../../session/index.js';
import { automaticCheckLabel, hasAutomaticCheck } from '../reach.js';
import type { CheckpointVia, VerifyExtra } from '../types.js';
import type { CheckpointAnswer } from './decisions.js';
import type { EngineOptions } from './options.js';

export type Concluded = { kind: 'checked'; result: CheckpointResult } | { kind: 'declined'; decision: 'checkpoint' };

/**
 * `extra`: what the run that just made the step's files knows — the export password the operator
 * typed opens the bundle its file checks read (held for this call only, never recorded).
 * `transcripts`: the files the ok send before this checkpoint wrote, recorded with the verdict.
 */
export async function conclude(o: EngineOptions, step: PlannedStep, via: CheckpointVia, extra?: VerifyExtra, transcripts?: readonly string[]): Promise<Concluded> {
  const emit = o.emit ?? (() => undefined);
  const targets = o.certificates?.targets(step) ?? [];
  const verify = hasAutomaticCheck(step) ? o.verifyStep : undefined;
  let result: CheckpointResult | undefined;
  if (targets.length > 0 || verify === undefined) {
    const a = await o.decide.answerCheckpoint({ step, via, certificates: targets, deviceCheck: verify !== undefined });
    if (a.kind === 'later') return { kind: 'declined', decision: 'checkpoint' };
    if (a.kind === 'device' && verify === undefined) throw new Error(`${step.id}: the checkpoint was left to a device check it does not have`);
    if (a.kind === 'files') {
      emit({ kind: 'checking-certificates', step, targets });
      const outcome = await o.certificates!.check(step, targets, a.files);
      emit({ kind: 'certificate-lines', step, lines: outcome.lines, ...(outcome.table !== undefined ? { table: outcome.table } : {}) });
      result = outcome.result;
    } else if (a.kind === 'answer') result = operatorResult(step, via, a);
  }
  // Files that pass are followed by the device check; an operator's answer is final.
  if (verify !== undefined && (result === undefined || (result.method === 'certificate' && result.outcome === 'passed'))) {
    emit({ kind: 'verifying', step, via, command: automaticCheckLabel(step) });
    const device = await verify(step, extra);
    const details = [...(result?.details ?? []), ...(device.details ?? [])];
    result = details.length > 0 ? { ...device, details } : device;
  }
  // A skipped or overridden step re-checked: a pass is its verdict; anything else leaves the skip
  // or override (and its reason) standing, and the look is noted for the evidence pack.
  if (via === 'again' && result!.outcome !== 'passed') {
    await o.session.addNote(step.id, `Re-checked while ${o.session.status(step.id)}: ${result!.outcome} (${result!.summary ?? 'no summary'}); it stays ${o.session.status(step.id)}.`);
    emit({ kind: 'verdict', step, result: result! });
    return { kind: 'checked', result: result! };
  }
  // A machine check that cannot tell after lines were sent, or a probe of a step that may have
  // applied that does not confirm it, leaves the step in doubt (not failed): nothing says it did
  // not apply. An operator's answer is a verdict of its own.
  const unsettled = unsettledStatuses.includes(o.session.status(step.id));
  const inDoubt = result!.outcome !== 'passed' && result!.method !== 'operator' && ((result!.outcome === 'unknown' && via !== 'self') || (via === 'recheck' && unsettled));
  // The transcripts of the send this verdict concludes (an ok send records nothing of its own).
  await o.session.recordResult(step.id, { outcome: result!.outcome, checkpoint: result!, ...(inDoubt ? { inDoubt: true, probed: via === 'recheck' } : {}), ...(transcripts !== undefined && transcripts.length > 0 ? { transcripts: [...transcripts] } : {}) });
  emit({ kind: 'verdict', step, result: result! });
  return { kind: 'checked', result: result! };
}

/** The operator's answer as the journal keeps it: "yes (--checkpoint-passed): <question> (how)". */
function operatorResult(step: PlannedStep, via: CheckpointVia, a: Extract<CheckpointAnswer, { kind: 'answer' }>): CheckpointResult {
  const how = via === 'self' ? ' (done by the operator outside collabsec)' : via === 'recheck' ? ' (re-checked after an interruption)' : via === 'again' ? ' (re-checked after it was skipped or overridden)' : '';
  return { method: 'operator', outcome: a.passed ? 'passed' : 'failed', summary: `${a.passed ? 'yes' : 'no'}${a.by !== undefined ? ` (${a.by})` : ''}: ${step.checkpoint.question}${how}` };
}
