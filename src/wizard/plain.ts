// The wizard without a terminal (CI, pipes, --plain): line-oriented progress on one stream,
// decisions only from flags. It never waits for input that cannot come: when a decision is
// needed and no flag gives it, it stops with exit code 4 and names the flag. The steps run on the
// shared engine (./engine): this file maps flags to its decisions and its events to lines.
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { ExitCode } from '../errors.js';
import type { PlannedStep } from '../plan/types.js';
import type { CertificateFiles } from './certificate-checkpoint.js';
import { StepEngine, type DecisionPort, type EngineEvent, type StepEnd } from './engine/index.js';
import { unsettledStatuses } from '../session/index.js';
import type { PresentOperator } from '../session/presence.js';
import { stripControls } from '../text/controls.js';
import { othersKey, othersOf, othersText, presenceSourceOf, problemText } from './presence-poll.js';
import { EXPORT_PASSWORD_ENV } from './credentials.js';
import { refuseUnknown } from './start.js';
import * as words from './messages.js';
import { ASK_CSR, type CertificatePort, type ExecuteStep, type Interruption, type LocalPort, type RunStep, type VerifyStep, type WizardSession } from './types.js';
import { interruption } from './rules.js';
import { displayStatus, groupByProduct, statusLabel, statusMark, stepText, stepWarnings, confirmationWord } from './view-model.js';

/** Changed lines printed per step when a changed plan is reviewed. */
const PLAIN_DIFF_LINES = 40;

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
  /**
   * Decisions on steps in doubt (each step named here is acted on, after --steps): re-check by
   * the read-only probe, accept the probe's verdict, override with a reason, or send again (the
   * only way a step in doubt is re-sent). A step named in --steps alone is re-checked.
   */
  recheck?: readonly string[];
  acceptVerdict?: readonly string[];
  override?: ReadonlyMap<string, string>;
  resend?: readonly string[];
  /** Reopen verified, skipped or overridden steps, with the reason (recorded first, nothing is run). */
  reopen?: ReadonlyMap<string, string>;
  /** Disruptive steps whose back-out was carried out, with the reason (recorded first, nothing is run). */
  backedOut?: ReadonlyMap<string, string>;
  executeStep?: ExecuteStep;
  runStep?: RunStep;
  verifyStep?: VerifyStep;
  /**
   * While a live command runs: registers `stop` to be called on the operator's interrupt (SIGINT
   * at the edge) and returns the unregistration. Stopping records the step in doubt.
   */
  onInterrupt?: (stop: () => void) => () => void;
  /** The folder transcript paths are recorded relative to (the session folder): each is printed resolved against it. */
  transcriptRoot?: string;
}


class Stop extends Error {}

type Say = (line?: string) => void;
type StopWith = (msg: string) => never;

export async function runPlain(o: PlainOptions): Promise<number> {
  const { session, out } = o;
  // The one writer: every line (step text, journal values, device lines, summaries, errors) is
  // stripped of escapes, C1 controls, bidi overrides and zero-width characters (issue 19).
  const say: Say = (line = '') => void out.write(`${stripControls(line)}\n`);
  const stop: StopWith = (msg) => {
    say(`collabsec: ${msg}`);
    throw new Stop(msg);
  };
  // What the journal knows of an interrupted step (every node answered ok, a rehearsal, …).
  const known = (id: string): Interruption => {
    const step = session.plan.steps.find((s) => s.id === id);
    return step !== undefined ? interruption(session, step) : { kind: 'unknown' };
  };
  const lines = plainLines(say, o.transcriptRoot, known);
  const engine = new StepEngine({
    session,
    decide: plainDecisions(o, say, stop),
    emit: lines.on,
    unsent: 'by-hand',
    ...(o.onInterrupt !== undefined ? { interrupts: o.onInterrupt } : {}),
    executeStep: o.executeStep,
    runStep: o.runStep,
    verifyStep: o.verifyStep,
    certificates: o.certificates,
    local: o.local,
  });
  try {
    say(`${session.plan.title} · session ${session.name} (${session.file})`);
    if (session.needsPlanAcceptance) {
      const d = session.diff;
      say(`The inventory or catalogue changed since this session began; steps whose commands changed: ${d.changed.map((c) => `${c.id}${c.flagged ? ' (verified with the OLD commands)' : ''}`).join(', ') || 'none'}`);
      // What changed in each step: its lines before (-) and now (+).
      for (const c of d.changed) {
        if (c.diff === undefined) continue;
        say(`  ${c.id} ${c.title}:${c.diff.length === 0 ? ' same lines; its checkpoint or device dialogue changed' : ''}`);
        for (const l of c.diff.slice(0, PLAIN_DIFF_LINES)) say(`    ${l.op} ${l.line}`);
        if (c.diff.length > PLAIN_DIFF_LINES) say(`    … ${c.diff.length - PLAIN_DIFF_LINES} more changed lines (collabsec status --json lists them)`);
      }
      if (d.added.length > 0) say(`New steps: ${d.added.join(', ')}`);
      if (o.steps !== undefined) await engine.acceptChangedPlan();
    }
    for (const id of session.interruptedOnOpen) say(`! ${words.interrupted(id, known(id))}`);
    const others = othersSaid(session, say);
    await others();
    if (o.steps === undefined) {
      list(session, say);
      const next = session.next();
      say(next ? `Next: ${next.step.id} ${next.step.title}${next.recheckFirst ? ' (re-check its checkpoint first)' : ''}` : 'Every step is done.');
      say('No terminal: nothing was changed. Act on steps with --steps ID,… (and --checkpoint-passed, --yes, --note); see `collabsec run --help`.');
      return ExitCode.ok;
    }
    const how = { byHand: o.byHand === true };
    // Records that only change a step's status, first: what follows may build on them.
    for (const [id, reason] of o.reopen ?? []) {
      await engine.reopen(stepById(session, id), reason);
      say(`${id} reopened (the reason is recorded); it may run again.`);
    }
    for (const [id, reason] of o.backedOut ?? []) {
      await engine.backedOut(stepById(session, id), reason);
      say(`${id} backed out (the reason is recorded); it may run again.`);
    }
    const acted = actedOn(o);
    // A reopened live session: steps in doubt that were not named are probed (read-only, nothing
    // is re-sent) and their verdict said; what was asked runs after, or says why it cannot.
    for (const step of session.plan.steps) {
      if (acted.includes(step.id) || !unsettledStatuses.includes(session.status(step.id))) continue;
      const end = session.resumed === true ? await engine.probe(step, how) : undefined;
      // Interrupted mid-run on some nodes: its check alone cannot tell which nodes were done (a
      // restart check passes on a node never restarted); it goes on node by node when named.
      if (end?.kind === 'resumable') say(`${step.id} was interrupted mid-run on some of its nodes: name it with --steps ${step.id} to go on node by node (nodes recorded ok are not sent again).`);
      else if (end?.kind === 'checked' && end.result.outcome === 'passed') say(`${step.id} verified by its read-only probe.`);
      else if (end?.kind === 'checked') say(`! ${words.stillInDoubt(step.id, end.result.summary ?? end.result.outcome, 'flags')}`);
      else if (!session.interruptedOnOpen.includes(step.id)) say(`! ${words.settleDoubt(step.id, 'flags')}`);
    }
    for (const id of acted) {
      const step = stepById(session, id);
      const status = session.status(step.id);
      if (status === 'verified' || status === 'overridden') {
        say(`${step.id} is already ${status}.`);
        continue;
      }
      say();
      await others();
      for (const l of stepText(step, { live: o.executeStep !== undefined || o.runStep !== undefined, local: o.local !== undefined })) say(l);
      await settle(o, step, await engine.run(step, how), lines, say, stop);
    }
    const p = session.progress();
    say(`Progress ${p.done}/${p.total}.`);
    return ExitCode.ok;
  } catch (e) {
    if (e instanceof Stop) return ExitCode.stepFailed;
    throw e;
  }
}

/**
 * Who else works on the session: said at the start when someone is, then again (before a step)
 * each time the set of other operators changed; their recorded steps are read in first. A failed read is
 * said once and never stops the run.
 */
function othersSaid(session: WizardSession, say: Say): () => Promise<void> {
  const source = presenceSourceOf(session);
  let known = '';
  let failed = false;
  return async () => {
    if (source === undefined) return;
    let others: PresentOperator[];
    try {
      // What the others recorded meanwhile (a prerequisite they verified), before this step is judged.
      await source.refresh?.();
      others = othersOf(await source.read(), source.self);
    } catch (e) {
      if (!failed) say(`! Who else works on this session could not be read: ${problemText(e)}`);
      failed = true;
      return;
    }
    const key = othersKey(others);
    if (key === known) return;
    known = key;
    say(others.length > 0 ? `Also here: ${othersText(others, Date.now())}` : 'No one else works on this session now.');
  };
}

/** The steps acted on, in order: --steps, then those named only by a decision on a step in doubt. */
function actedOn(o: PlainOptions): string[] {
  return [...new Set([...(o.steps ?? []), ...(o.recheck ?? []), ...(o.acceptVerdict ?? []), ...(o.override?.keys() ?? []), ...(o.resend ?? [])])];
}

/** Decisions from flags; a decision no flag gives stops the run (exit 4), naming the flag. */
function plainDecisions(o: PlainOptions, say: Say, stop: StopWith): DecisionPort {
  return {
    // --yes answers, or nothing does: asked before any re-check, so a refusal logs in nowhere.
    confirmsFromSettings: true,
    // Plain mode's messages name its flags (the TUI names its keys).
    wording: 'flags',
    settleDoubt: ({ step, verdict, probe }) => {
      if (o.resend?.includes(step.id) === true) return Promise.resolve({ kind: 'resend', by: '--resend' });
      const reason = o.override?.get(step.id);
      if (reason !== undefined) return Promise.resolve({ kind: 'override', reason });
      if (o.acceptVerdict?.includes(step.id) === true) {
        if (verdict === undefined) stop(`${step.id} has no probe verdict to accept yet: re-check it first (--recheck ${step.id}${probe ? '' : ' with --live'}).`);
        return Promise.resolve({ kind: 'accept' });
      }
      // Named with --steps or --recheck: its read-only probe (or --checkpoint-passed) settles it.
      return Promise.resolve({ kind: 'recheck' });
    },
    confirmDisruptive: ({ step, resuming }) => {
      if (o.yes) return Promise.resolve(true);
      if (resuming !== undefined) stop(`${step.id} was interrupted mid-run and goes on node by node; ${words.disruptive('it', confirmationWord(step))} that cannot be asked without a terminal: pass --yes to confirm.`);
      for (const w of stepWarnings(step)) say(`! ${w}`);
      return stop(`${words.disruptive(step.id, confirmationWord(step))} that cannot be asked without a terminal: pass --yes to confirm.`);
    },
    answerCheckpoint: ({ step, certificates, deviceCheck }) => {
      const given = certificates.filter((t) => o.certFiles?.has(t.key) === true);
      // A certificate checkpoint is checked from the files named with --cert (and --csr), the same
      // check as `collabsec cert check`; without them the device check decides, or the operator's
      // --checkpoint-passed.
      if (certificates.length > 0 && (given.length > 0 || (!deviceCheck && !o.checkpointPassed))) {
        const missing = certificates.filter((t) => o.certFiles?.has(t.key) !== true);
        if (missing.length > 0) stop(`${step.id}: its checkpoint checks the certificate the CA returned; name it with ${missing.map((t) => `--cert ${t.key}=FILE${t.csr === ASK_CSR ? ` --csr ${t.key}=FILE` : ''}`).join(' ')} (--csr names the CSR it answers), or pass --checkpoint-passed to answer for it yourself.`);
        return Promise.resolve({ kind: 'files', files: o.certFiles! });
      }
      if (deviceCheck) return Promise.resolve({ kind: 'device' });
      if (o.checkpointPassed) return Promise.resolve({ kind: 'answer', passed: true, by: '--checkpoint-passed' });
      return stop(`${step.id}: its checkpoint needs an operator answer that cannot be asked without a terminal ("${step.checkpoint.question}"). Do and check the step, then pass --checkpoint-passed.`);
    },
    acceptChangedPlan: () => (o.yes ? Promise.resolve(true) : stop('accepting the changed plan needs a confirmation that cannot be asked without a terminal: review it, then pass --yes.')),
    acceptHostKey: (host, fp) => refuseUnknown(say).hostKey(host, fp),
    // A prerequisite that no longer holds stops the step; --yes (confirming disruption) does not
    // cover it: going on needs its own flag, and is noted on the step.
    acceptDrift: (step, drift) =>
      o.acceptDrift === true ? Promise.resolve('--accept-drift') : stop(words.driftStops(step.id, drift, 'pass --accept-drift')),
    exportPassword: (step) =>
      o.exportPassword !== undefined && o.exportPassword !== ''
        ? Promise.resolve(o.exportPassword)
        : stop(`${step.id} needs the PKCS#12 export password, and there is no terminal to ask it: set ${EXPORT_PASSWORD_ENV} (it is passed to openssl on a file descriptor, never stored).`),
  };
}

interface PlainLines {
  on: (e: EngineEvent) => void;
  /** Node lines already printed for the step being sent (a failure prints only the others). */
  seen: Set<string>;
}

/**
 * The engine's events as lines: only results, so a log gets no per-second elapsed-time updates
 * (and no device output: its transcript's path is printed once the step's commands were sent).
 */
function plainLines(say: Say, transcriptRoot: string | undefined, known: (id: string) => Interruption): PlainLines {
  const seen = new Set<string>();
  const on = (e: EngineEvent): void => {
    const id = e.kind === 'plan-accepted' ? '' : e.step.id;
    switch (e.kind) {
      case 'plan-accepted':
        return say('New plan accepted (--yes).');
      case 'recheck':
        return say(words.recheckFirst(id, known(id)));
      case 'probing':
        return say(words.probing(id, known(id)));
      case 'resumed':
        seen.clear();
        say(words.resumableFound(id, e.where));
        return say(`${id} resumed.`);
      case 'started':
        seen.clear();
        return say(`${id} started.`);
      case 'drift':
        for (const d of e.drift) say(`! ${words.driftLine(d)}`);
        return;
      case 'local-unavailable':
        return say(`! ${e.reason}`);
      case 'progress': {
        const line = e.finished ?? e.lines.at(-1);
        if (!e.done || line === undefined) return;
        seen.add(line);
        return say(`  ${line}`);
      }
      case 'stopping':
        return say(words.stopWaiting(id, ' (interrupt)'));
      case 'verifying':
        return say(`Verifying: ${e.command}`);
      case 'checking-certificates':
        return say(`Checking the certificate${e.targets.length > 1 ? 's' : ''}: ${e.targets.map((t) => t.label).join(', ')}`);
      case 'certificate-lines':
        for (const l of e.lines) say(`  ${l}`);
        return;
      case 'transcripts':
        for (const p of e.paths) say(`  transcript: ${transcriptRoot !== undefined ? resolve(transcriptRoot, p) : p}`);
        return;
      case 'output':
      case 'verdict':
        return;
    }
  };
  return { on, seen };
}

/** How a step ended, as plain mode says it: anything but verified stops the run (exit 4). */
async function settle(o: PlainOptions, step: PlannedStep, end: StepEnd, lines: PlainLines, say: Say, stop: StopWith): Promise<void> {
  switch (end.kind) {
    case 'already':
      return say(`${step.id} is already ${end.status}.`);
    case 'blocked':
      return stop(end.problem.text);
    case 'settled':
      if (o.note !== undefined) await o.session.addNote(step.id, o.note);
      return say(end.status === 'overridden' ? `${step.id} overridden (the reason is recorded).` : `${step.id} failed: the probe's verdict is accepted; it may run again (--steps ${step.id}).`);
    case 'declined':
    case 'waiting':
      // Plain decisions stop by themselves and its unsent steps are done by hand: not reached.
      return stop(`${step.id}: no decision could be taken without a terminal.`);
    case 'send-failed': {
      const f = end.failure;
      for (const n of f.nodes ?? []) if (!lines.seen.has(n.summary)) say(`  ${n.summary}`);
      return stop(f.inDoubt === true ? `${words.inDoubt(f.summary, 'resume re-checks it with its probe', step.id)} ${words.settleDoubt(step.id, 'flags')}` : `${step.id} failed: ${f.summary}`);
    }
    case 'checked':
      if (o.note !== undefined) await o.session.addNote(step.id, o.note);
      if (end.result.outcome !== 'passed' && o.session.status(step.id) === 'in-doubt') stop(words.stillInDoubt(step.id, end.result.summary ?? end.result.outcome, 'flags'));
      if (end.result.outcome !== 'passed') stop(`${step.id} checkpoint ${end.result.outcome}: ${end.result.summary ?? ''}`);
      return say(`${step.id} verified.`);
  }
}

function stepById(session: WizardSession, id: string): PlannedStep {
  const step = session.plan.steps.find((s) => s.id === id || s.slug === id);
  if (!step) throw new Error(`step ${id} is not in the plan (checked by the command)`);
  return step;
}

function list(session: WizardSession, say: Say): void {
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
