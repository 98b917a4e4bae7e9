// The wizard without a terminal (CI, pipes, --plain): line-oriented progress on one stream,
// decisions only from flags. It never waits for input that cannot come: when a decision is
// needed and no flag gives it, it stops with exit code 4 and names the flag.
import type { Writable } from 'node:stream';
import { ExitCode } from '../errors.js';
import type { PlannedStep } from '../plan/types.js';
import type { CheckpointResult } from '../session/index.js';
import { isRunnable, runActions } from './execute.js';
import { beginProblem } from './rules.js';
import type { ExecuteStep, VerifyStep, WizardSession } from './types.js';
import { displayStatus, groupByProduct, statusLabel, statusMark, stepText, stepWarnings, confirmationWord } from './view-model.js';

export interface PlainOptions {
  session: WizardSession;
  out: Writable;
  /** Step ids to act on, in the order given; undefined = list only. */
  steps?: string[];
  /** Confirms disruptive steps and accepting a changed plan. */
  yes: boolean;
  /** The operator asserts each selected step's checkpoint passed (done and checked by hand). */
  checkpointPassed: boolean;
  note?: string;
  executeStep?: ExecuteStep;
  verifyStep?: VerifyStep;
}

class Stop extends Error {}

export async function runPlain(o: PlainOptions): Promise<number> {
  const { session, out } = o;
  const say = (line = ''): void => void out.write(`${line}\n`);
  const stop = (msg: string): never => {
    say(`collabsec: ${msg}`);
    throw new Stop(msg);
  };
  try {
    say(`${session.plan.title} · session ${session.name} (${session.file})`);
    if (session.needsPlanAcceptance) {
      const d = session.diff;
      say(`The inventory or catalogue changed since this session began; steps whose commands changed: ${d.changed.map((c) => `${c.id}${c.flagged ? ' (verified with the OLD commands)' : ''}`).join(', ') || 'none'}`);
      if (d.added.length > 0) say(`New steps: ${d.added.join(', ')}`);
      if (o.steps !== undefined && !o.yes) stop('accepting the changed plan needs a confirmation that cannot be asked without a terminal: review it, then pass --yes.');
      if (o.steps !== undefined) {
        await session.acceptPlan();
        say('New plan accepted (--yes).');
      }
    }
    for (const id of session.interruptedOnOpen) say(`! ${id} was interrupted: it may or may not have run; re-check its checkpoint before anything else.`);
    if (o.steps === undefined) {
      list(session, say);
      const next = session.next();
      say(next ? `Next: ${next.step.id} ${next.step.title}${next.recheckFirst ? ' (re-check its checkpoint first)' : ''}` : 'Every step is done.');
      say('No terminal: nothing was changed. Act on steps with --steps ID,… (and --checkpoint-passed, --yes, --note); see `collabsec run --help`.');
      return ExitCode.ok;
    }
    for (const id of o.steps) await actOn(o, stepById(session, id), say, stop);
    const p = session.progress();
    say(`Progress ${p.done}/${p.total}.`);
    return ExitCode.ok;
  } catch (e) {
    if (e instanceof Stop) return ExitCode.stepFailed;
    throw e;
  }
}

function stepById(session: WizardSession, id: string): PlannedStep {
  const step = session.plan.steps.find((s) => s.id === id || s.slug === id);
  if (!step) throw new Error(`step ${id} is not in the plan (checked by the command)`);
  return step;
}

function list(session: WizardSession, say: (l: string) => void): void {
  const p = session.progress();
  say(`Progress ${p.done}/${p.total}`);
  for (const g of groupByProduct(session.plan)) {
    const gp = p.byProduct.find((x) => x.product === g.product);
    say(`${g.product} ${gp?.done ?? 0}/${gp?.total ?? g.steps.length}`);
    for (const s of g.steps) {
      const st = displayStatus(session.status(s.id));
      say(`  ${statusMark[st]} ${s.id} ${s.title} (${statusLabel[st]})`);
    }
  }
}

async function actOn(o: PlainOptions, step: PlannedStep, say: (l?: string) => void, stop: (m: string) => never): Promise<void> {
  const { session } = o;
  const status = session.status(step.id);
  if (status === 'verified' || status === 'overridden') return say(`${step.id} is already ${status}.`);
  say();
  for (const l of stepText(step)) say(l);
  if (status === 'interrupted' || status === 'started') {
    say(`${step.id} was interrupted: its checkpoint is re-run first; it is never re-run blindly.`);
    return conclude(o, step, 'recheck', say, stop);
  }
  const problem = beginProblem(session, step, 'start');
  if (problem) stop(problem.text);
  if (step.disruptive && !o.yes) {
    for (const w of stepWarnings(step)) say(`! ${w}`);
    stop(`${step.id} is disruptive and needs a typed confirmation ("${confirmationWord(step)}") that cannot be asked without a terminal: pass --yes to confirm.`);
  }
  if (o.executeStep !== undefined && isRunnable(step)) {
    await session.recordStarted(step.id, [...new Set(step.actions.map((a) => a.target))].join(','));
    say(`${step.id} started.`);
    // Lines only for results: a log gets no per-second elapsed-time updates.
    const r = await runActions(step, o.executeStep, (lines, done) => {
      const last = lines.at(-1);
      if (done && last !== undefined) say(`  ${last}`);
    });
    if (!r.ok) {
      await session.recordResult(step.id, { outcome: r.outcome, target: r.target, transcripts: r.transcripts, checkpoint: { method: 'automatic', outcome: r.outcome, summary: r.summary } });
      stop(`${step.id} failed: ${r.summary}`);
    }
    return conclude(o, step, 'run', say, stop);
  }
  return conclude(o, step, 'self', say, stop);
}

async function conclude(o: PlainOptions, step: PlannedStep, via: 'run' | 'self' | 'recheck', say: (l?: string) => void, stop: (m: string) => never): Promise<void> {
  let result: CheckpointResult;
  if (o.verifyStep !== undefined && step.checkpoint.verify !== undefined) {
    say(`Verifying: ${step.checkpoint.verify.command}`);
    result = await o.verifyStep(step);
  } else if (o.checkpointPassed) {
    const how = via === 'self' ? ' (done by the operator outside collabsec)' : via === 'recheck' ? ' (re-checked after an interruption)' : '';
    result = { method: 'operator', outcome: 'passed', summary: `yes (--checkpoint-passed): ${step.checkpoint.question}${how}` };
  } else {
    stop(`${step.id}: its checkpoint needs an operator answer that cannot be asked without a terminal ("${step.checkpoint.question}"). Do and check the step, then pass --checkpoint-passed.`);
  }
  await o.session.recordResult(step.id, { outcome: result.outcome, checkpoint: result });
  if (o.note !== undefined) await o.session.addNote(step.id, o.note);
  if (result.outcome !== 'passed') stop(`${step.id} checkpoint ${result.outcome}: ${result.summary ?? ''}`);
  say(`${step.id} verified.`);
}
