// The wizard without a terminal (CI, pipes, --plain): line-oriented progress on one stream,
// decisions only from flags. It never waits for input that cannot come: when a decision is
// needed and no flag gives it, it stops with exit code 4 and names the flag.
import type { Writable } from 'node:stream';
import { ExitCode } from '../errors.js';
import type { PlannedStep } from '../plan/types.js';
import type { CheckpointResult, NodeJournal } from '../session/index.js';
import type { CertificateFiles } from './certificate-checkpoint.js';
import { isLocalStep, isRunnable, nodeDetails, sendStep, type SendPorts } from './execute.js';
import { stripControls } from '../text/controls.js';
import { driftOf } from './probes.js';
import { beginProblem, resumableRun, resumeWhere } from './rules.js';
import type { CertificatePort, ExecuteStep, LocalPort, RunStep, VerifyStep, WizardSession } from './types.js';
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
  /** The operator did the selected steps by hand (e.g. took the GUI path): nothing is sent, the checkpoint still runs. */
  byHand?: boolean;
  /** Certificate checkpoints: the files per target key (--cert KEY=FILE, --csr KEY=FILE). */
  certificates?: CertificatePort;
  certFiles?: ReadonlyMap<string, CertificateFiles>;
  /** Local openssl steps (--live), and the PKCS#12 export password from the environment. */
  local?: LocalPort;
  exportPassword?: string;
  /** Go on although a verified prerequisite no longer passes its check (noted on the step). */
  acceptDrift?: boolean;
  note?: string;
  executeStep?: ExecuteStep;
  runStep?: RunStep;
  verifyStep?: VerifyStep;
  /**
   * While a live command runs: registers `stop` to be called on the operator's interrupt (SIGINT
   * at the edge) and returns the unregistration. Stopping records the step in doubt.
   */
  onInterrupt?: (stop: () => void) => () => void;
}

/** Where plain mode reads the PKCS#12 export password of a local step (no terminal to ask it). */
export const EXPORT_PASSWORD_ENV = 'COLLABSEC_EXPORT_PASSWORD';

class Stop extends Error {}

export async function runPlain(o: PlainOptions): Promise<number> {
  const { session, out } = o;
  // The one writer: every line (step text, journal values, device lines, summaries, errors) is
  // stripped of escapes, C1 controls, bidi overrides and zero-width characters (issue 19).
  const say = (line = ''): void => void out.write(`${stripControls(line)}\n`);
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
    // A reopened live session: settle interrupted steps by their probes before anything else.
    if (o.verifyStep !== undefined && session.resumed === true)
      for (const id of session.interruptedOnOpen) {
        const step = stepById(session, id);
        if (step.checkpoint.verify === undefined || o.steps.includes(step.id) || session.status(id) !== 'interrupted') continue;
        // Interrupted mid-run on some nodes: its check alone cannot tell which nodes were done (a
        // restart check passes on a node never restarted); it goes on node by node when named.
        if (resumable(o, step) !== undefined) {
          say(`${id} was interrupted mid-run on some of its nodes: name it with --steps ${id} to go on node by node (nodes recorded ok are not sent again).`);
          continue;
        }
        say(`${id} was interrupted: probing whether it was applied (read-only, nothing is re-sent).`);
        await conclude(o, step, 'recheck', say, stop);
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

/** The run's node journal when it can go on node by node (the one rule in rules.ts). */
function resumable(o: PlainOptions, step: PlannedStep): NodeJournal | undefined {
  return o.byHand === true ? undefined : resumableRun(o.session, step, o.runStep !== undefined);
}

async function actOn(o: PlainOptions, step: PlannedStep, say: (l?: string) => void, stop: (m: string) => never): Promise<void> {
  const { session } = o;
  const status = session.status(step.id);
  if (status === 'verified' || status === 'overridden') return say(`${step.id} is already ${status}.`);
  say();
  for (const l of stepText(step)) say(l);
  if (status === 'interrupted' || status === 'started') {
    const journal = status === 'interrupted' ? resumable(o, step) : undefined;
    if (journal === undefined) {
      say(`${step.id} was interrupted: its checkpoint is re-run first; it is never re-run blindly.`);
      return conclude(o, step, 'recheck', say, stop);
    }
    if (step.disruptive && !o.yes) stop(`${step.id} was interrupted mid-run and goes on node by node; it is disruptive and needs a typed confirmation ("${confirmationWord(step)}") that cannot be asked without a terminal: pass --yes to confirm.`);
    const where = resumeWhere(step, journal);
    say(`${step.id} was interrupted mid-run (${where}): nodes recorded ok are not sent again; a node in doubt is settled by its read-only probe first.`);
    await session.recordResumed!(step.id, `resumed after an interruption: ${where}`);
    say(`${step.id} resumed.`);
    return sendAndConclude(o, step, o, say, stop);
  }
  const problem = beginProblem(session, step, 'start');
  if (problem) stop(problem.text);
  // Resumed live session: what this step builds on is re-checked on its nodes first.
  if ((o.runStep !== undefined || o.executeStep !== undefined) && isRunnable(step) && o.verifyStep !== undefined && session.resumed === true) {
    const drift = await driftOf(session, step, o.verifyStep);
    for (const d of drift) say(`! drift: ${d.stepId} no longer passes its check: ${d.summary}`);
    // A prerequisite that no longer holds stops the step; --yes (confirming disruption) does not
    // cover it: going on needs its own flag, and is noted on the step.
    if (drift.length > 0 && o.acceptDrift !== true) stop(`${step.id} builds on ${drift.map((d) => d.stepId).join(', ')}, which no longer pass their checks: fix them, or pass --accept-drift to go on anyway.`);
    if (drift.length > 0) await session.addNote(step.id, `Started with drift accepted (--accept-drift): ${drift.map((d) => `${d.stepId} ${d.summary}`).join('; ')}`);
  }
  if (step.disruptive && !o.yes) {
    for (const w of stepWarnings(step)) say(`! ${w}`);
    stop(`${step.id} is disruptive and needs a typed confirmation ("${confirmationWord(step)}") that cannot be asked without a terminal: pass --yes to confirm.`);
  }
  // Local openssl steps run here with --live (sftp is left to the operator, with the reason).
  const local = o.local !== undefined && isLocalStep(step) && o.byHand !== true ? o.local.prepare(step) : undefined;
  if (local?.runnable === false) say(`! ${local.reason}`);
  let ports: SendPorts | undefined;
  if (local?.runnable === true) {
    const password = o.exportPassword;
    if (local.needsPassword && (password === undefined || password === '')) stop(`${step.id} needs the PKCS#12 export password, and there is no terminal to ask it: set ${EXPORT_PASSWORD_ENV} (it is passed to openssl on a file descriptor, never stored).`);
    ports = { runStep: (s, hooks) => o.local!.run(s, { ...hooks, ...(local.needsPassword ? { password } : {}) }) };
  } else if ((o.runStep !== undefined || o.executeStep !== undefined) && isRunnable(step) && o.byHand !== true) ports = o;
  if (ports !== undefined) {
    await session.recordStarted(step.id, [...new Set(step.actions.map((a) => a.target))].join(','));
    say(`${step.id} started.`);
    return sendAndConclude(o, step, ports, say, stop);
  }
  return conclude(o, step, 'self', say, stop);
}

/** Sends a started step (its nodes journaled when it runs through the step-level runner) and concludes it. */
async function sendAndConclude(o: PlainOptions, step: PlannedStep, given: SendPorts, say: (l?: string) => void, stop: (m: string) => never): Promise<void> {
  const { session } = o;
  let ports = given;
  if (given.runStep !== undefined && given.runStep === o.runStep && session.nodeJournal !== undefined) {
    const journal = session.nodeJournal(step.id);
    const run = given.runStep;
    // The live runner journals each node (RunHooks.journal); other runners ignore it.
    ports = { runStep: (s, h) => run(s, { ...h, journal }) };
  }
  {
    const ctl = new AbortController();
    const off = o.onInterrupt?.(() => {
      if (ctl.signal.aborted) return;
      say(`${step.id}: stop waiting (interrupt): the command in flight is abandoned; the step is recorded in doubt.`);
      ctl.abort();
    });
    // Lines only for results: a log gets no per-second elapsed-time updates.
    const seen = new Set<string>();
    let r;
    try {
      r = await sendStep(
        step,
        ports,
        (lines, done, finished) => {
          const line = finished ?? lines.at(-1);
          if (!done || line === undefined) return;
          seen.add(line);
          say(`  ${line}`);
        },
        ctl.signal,
      );
    } finally {
      off?.();
    }
    if (!r.ok) {
      await session.recordResult(step.id, { outcome: r.outcome, target: r.target, transcripts: r.transcripts, checkpoint: { method: 'automatic', outcome: r.outcome, summary: r.summary, details: nodeDetails(r.nodes) } });
      for (const n of r.nodes ?? []) if (!seen.has(n.summary)) say(`  ${n.summary}`);
      stop(r.inDoubt === true ? `${step.id} is in doubt (it may have applied; nothing is retried): ${r.summary}. Resume re-checks it with its probe.` : `${step.id} failed: ${r.summary}`);
    }
    if ((r.nodes?.length ?? 0) > 1) await session.addNote(step.id, `Sent over SSH: ${r.nodes!.map((n) => n.summary).join('; ')}`);
    return conclude(o, step, 'run', say, stop);
  }
}

async function conclude(o: PlainOptions, step: PlannedStep, via: 'run' | 'self' | 'recheck', say: (l?: string) => void, stop: (m: string) => never): Promise<void> {
  let result: CheckpointResult;
  const certTargets = o.certificates?.targets(step) ?? [];
  const certGiven = certTargets.filter((t) => o.certFiles?.has(t.key) === true);
  if (o.verifyStep !== undefined && step.checkpoint.verify !== undefined) {
    say(`Verifying: ${step.checkpoint.verify.command}`);
    result = await o.verifyStep(step);
  } else if (certTargets.length > 0 && (certGiven.length > 0 || !o.checkpointPassed)) {
    // A certificate checkpoint is checked from the files named with --cert (and --csr), the same
    // check as `collabsec cert check`; without them only the operator's --checkpoint-passed is left.
    const missing = certTargets.filter((t) => o.certFiles?.has(t.key) !== true);
    if (missing.length > 0) stop(`${step.id}: its checkpoint checks the certificate the CA returned; name it with ${missing.map((t) => `--cert ${t.key}=FILE`).join(' ')} (and --csr KEY=FILE for the CSR it answers), or pass --checkpoint-passed to answer for it yourself.`);
    say(`Checking the certificate${certTargets.length > 1 ? 's' : ''}: ${certTargets.map((t) => t.label).join(', ')}`);
    const outcome = await o.certificates!.check(step, certTargets, o.certFiles!);
    for (const l of outcome.lines) say(`  ${l}`);
    result = outcome.result;
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
