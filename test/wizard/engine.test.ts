// The step engine with no UI at all (issue 20 slice 1): real session files in temp dirs, fake
// device ports, and a scripted decision port. What is asserted is on disk, read back inside the
// ports where the order matters (intent before anything is sent).
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PlannedStep } from '../../src/plan/types.js';
import { openSession, type CheckpointResult, type Session } from '../../src/session/index.js';
import { StepEngine, type CheckpointAnswer, type CheckpointQuestion, type DecisionPort, type DoubtDecision, type EngineEvent, type EngineOptions } from '../../src/wizard/engine/index.js';
import type { CertificatePort, RunStep, StepRunOutcome, VerifyStep } from '../../src/wizard/types.js';
import { tempSession, wizardPlan } from './fixtures.js';

const open: Session[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function onDisk(session: Session): Promise<Session['state']> {
  return JSON.parse(await fs.readFile(session.file, 'utf8')) as Session['state'];
}
const statuses = (s: Session['state'], id: string): string[] => s.steps[id]?.history.map((e) => e.status) ?? [];

/** A decision port that answers from a script and keeps every question it was asked. */
function scripted(answers: { disruptive?: boolean; checkpoint?: CheckpointAnswer[]; plan?: boolean; doubt?: DoubtDecision[] } = {}) {
  const asked: string[] = [];
  const questions: CheckpointQuestion[] = [];
  const checkpoint = [...(answers.checkpoint ?? [])];
  const doubt = [...(answers.doubt ?? [])];
  const port: DecisionPort = {
    // Unscripted, a step in doubt named to run is re-checked (plain mode's --steps alone).
    settleDoubt: (q) => (asked.push(`doubt ${q.step.id} ${q.status}${q.verdict !== undefined ? ` verdict ${q.verdict.outcome}` : ''}`), Promise.resolve(doubt.shift() ?? { kind: 'recheck' })),
    confirmDisruptive: ({ step, resuming }) => (asked.push(`confirm ${step.id}${resuming !== undefined ? ` resuming ${resuming}` : ''}`), Promise.resolve(answers.disruptive ?? false)),
    answerCheckpoint: (q) => {
      asked.push(`checkpoint ${q.step.id} ${q.via}`);
      questions.push(q);
      const a = checkpoint.shift();
      if (a === undefined) throw new Error(`unexpected checkpoint question for ${q.step.id}`);
      return Promise.resolve(a);
    },
    acceptChangedPlan: () => (asked.push('plan'), Promise.resolve(answers.plan ?? false)),
    acceptHostKey: () => Promise.resolve(false),
    acceptDrift: () => (asked.push('drift'), Promise.resolve(undefined)),
    exportPassword: () => (asked.push('password'), Promise.resolve(undefined)),
  };
  return { port, asked, questions };
}

const outcome = (o: StepRunOutcome['outcome'], summary: string): StepRunOutcome => ({ outcome: o, summary, nodes: [{ node: 'us-cm-pub', outcome: o, summary: `us-cm-pub: ${summary}` }] });
const verdict = (outcome: CheckpointResult['outcome'], summary = `show ctl ${outcome}`): VerifyStep => () => Promise.resolve({ method: 'automatic', outcome, summary });

async function setup(opts: Partial<EngineOptions> & { decide: DecisionPort }, dir?: string) {
  const { session, dir: d } = await tempSession(wizardPlan(), dir);
  open.push(session);
  const events: EngineEvent[] = [];
  const engine = new StepEngine({ session, unsent: 'by-hand', emit: (e) => events.push(e), ...opts });
  const step = (id: string): PlannedStep => session.plan.steps.find((s) => s.id === id)!;
  return { session, dir: d, engine, events, step };
}

describe('the step engine: begin → send → conclude', () => {
  it('records the step started on disk before the send port is called, then verifies it by its device check', async () => {
    const seen: string[][] = [];
    let file = '';
    const runStep: RunStep = async (s) => {
      // Inside the send port: the journal on disk already says started.
      seen.push(statuses(JSON.parse(await fs.readFile(file, 'utf8')) as Session['state'], s.id));
      return outcome('ok', 'sent');
    };
    const { session, engine, events, step } = await setup({ decide: scripted().port, runStep, verifyStep: verdict('passed') });
    file = session.file;
    const end = await engine.run(step('S003'));
    expect(seen).toEqual([['started']]);
    expect(end).toMatchObject({ kind: 'checked', result: { method: 'automatic', outcome: 'passed' } });
    expect(statuses(await onDisk(session), 'S003')).toEqual(['started', 'verified']);
    expect(events.map((e) => e.kind)).toEqual(['started', 'verifying', 'verdict']);
  });

  it('a failed send is recorded failed and its checkpoint never runs', async () => {
    let verified = 0;
    const { session, engine, step } = await setup({ decide: scripted().port, runStep: () => Promise.resolve(outcome('failed', 'Command not found')), verifyStep: (s) => (verified++, verdict('passed')(s)) });
    const end = await engine.run(step('S003'));
    expect(end).toMatchObject({ kind: 'send-failed', failure: { outcome: 'failed', target: 'us-cm-pub' } });
    expect(end.kind === 'send-failed' && end.failure.inDoubt).toBe(false);
    const last = (await onDisk(session)).steps.S003!.history.at(-1)!;
    expect(last).toMatchObject({ status: 'failed', outcome: 'failed', checkpoint: { method: 'automatic', details: [{ target: 'us-cm-pub', outcome: 'failed' }] } });
    expect(verified).toBe(0);
  });

  it('a send in doubt is recorded in doubt with an unknown outcome: nothing is retried, no check runs', async () => {
    let sent = 0;
    let verified = 0;
    const { session, engine, step } = await setup({
      decide: scripted().port,
      runStep: () => (sent++, Promise.resolve(outcome('in-doubt', 'timeout after 60 s'))),
      verifyStep: (s) => (verified++, verdict('passed')(s)),
    });
    const end = await engine.run(step('S003'));
    expect(end).toMatchObject({ kind: 'send-failed', failure: { outcome: 'unknown', inDoubt: true } });
    expect((await onDisk(session)).steps.S003!.history.at(-1)).toMatchObject({ status: 'in-doubt', outcome: 'unknown' });
    expect([sent, verified]).toEqual([1, 0]);
  });

  it("the operator's interrupt ends the command in flight: the step is in doubt, the interrupt unregistered", async () => {
    let interrupt: (() => void) | undefined;
    const runStep: RunStep = (_s, hooks) =>
      new Promise((resolve) => {
        hooks.signal.addEventListener('abort', () => resolve(outcome('in-doubt', 'stopped waiting')));
        interrupt!();
      });
    const { session, engine, events, step } = await setup({
      decide: scripted().port,
      runStep,
      interrupts: (stop) => ((interrupt = stop), () => (interrupt = undefined)),
    });
    expect(await engine.run(step('S003'))).toMatchObject({ kind: 'send-failed', failure: { inDoubt: true } });
    expect(events.map((e) => e.kind)).toEqual(['started', 'stopping']);
    expect(interrupt).toBeUndefined();
    expect((await onDisk(session)).steps.S003!.history.at(-1)).toMatchObject({ status: 'in-doubt', outcome: 'unknown' });
  });

  it('a device check that fails is recorded failed', async () => {
    const { session, engine, step } = await setup({ decide: scripted().port, runStep: () => Promise.resolve(outcome('ok', 'sent')), verifyStep: verdict('failed', 'no CTL file') });
    expect(await engine.run(step('S003'))).toMatchObject({ kind: 'checked', result: { outcome: 'failed', summary: 'no CTL file' } });
    expect(statuses(await onDisk(session), 'S003')).toEqual(['started', 'failed']);
  });

  it('a disruptive step the decision port does not confirm sends and records nothing', async () => {
    let sent = 0;
    const d = scripted({ disruptive: false, checkpoint: [{ kind: 'answer', passed: true }] });
    const { session, engine, step } = await setup({ decide: d.port, runStep: () => (sent++, Promise.resolve(outcome('ok', 'sent'))) });
    expect(await engine.run(step('S001'), { byHand: true })).toMatchObject({ kind: 'checked', result: { outcome: 'passed' } });
    expect(await engine.run(step('S002'))).toEqual({ kind: 'declined', decision: 'disruptive' });
    expect(d.asked).toEqual(['checkpoint S001 self', 'confirm S002']);
    expect(sent).toBe(0);
    expect(statuses(await onDisk(session), 'S002')).toEqual([]);
  });

  it('refuses a step whose preconditions are not verified before asking anything', async () => {
    const d = scripted({ disruptive: true });
    const { session, engine, step } = await setup({ decide: d.port, runStep: () => Promise.reject(new Error('sent')) });
    expect(await engine.run(step('S002'))).toMatchObject({ kind: 'blocked', problem: { level: 'error', text: 'Cannot start S002: first verify S001.' } });
    expect(d.asked).toEqual([]);
    expect(statuses(await onDisk(session), 'S002')).toEqual([]);
  });

  it('a step it does not send is started and waits for the operator (unsent: wait), or is done by hand (by-hand)', async () => {
    const waiting = await setup({ decide: scripted().port, unsent: 'wait' });
    expect(await waiting.engine.run(waiting.step('S004'))).toEqual({ kind: 'waiting' });
    expect(statuses(await onDisk(waiting.session), 'S004')).toEqual(['started']);
    const d = scripted({ checkpoint: [{ kind: 'answer', passed: true, by: '--checkpoint-passed' }] });
    const byHand = await setup({ decide: d.port });
    expect(await byHand.engine.run(byHand.step('S004'))).toMatchObject({ kind: 'checked', result: { method: 'operator', summary: 'yes (--checkpoint-passed): Is S004 done? (done by the operator outside collabsec)' } });
    expect(statuses(await onDisk(byHand.session), 'S004')).toEqual(['verified']);
  });

  it('accepts a changed plan only when the decision port says so', async () => {
    const { session, dir } = await tempSession(wizardPlan());
    await session.close();
    const changed = await openSession({ plan: wizardPlan('-v2'), inventoryPath: path.join(dir, 'inv.yaml'), dir, name: 'test' });
    open.push(changed);
    expect(changed.needsPlanAcceptance).toBe(true);
    const no = scripted({ plan: false });
    expect(await new StepEngine({ session: changed, decide: no.port, unsent: 'by-hand' }).acceptChangedPlan()).toBe(false);
    expect(changed.needsPlanAcceptance).toBe(true);
    const events: EngineEvent[] = [];
    expect(await new StepEngine({ session: changed, decide: scripted({ plan: true }).port, unsent: 'by-hand', emit: (e) => events.push(e) }).acceptChangedPlan()).toBe(true);
    expect(changed.needsPlanAcceptance).toBe(false);
    expect(events).toEqual([{ kind: 'plan-accepted' }]);
  });
});

describe('the step engine: checkpoint decisions', () => {
  const target = { key: 'cucm/tomcat@us-cm', role: 'cucm/tomcat', targets: ['us-cm-pub'], label: 'cucm/tomcat for us-cm' };
  /** A certificate port over S003 whose check passes or fails as told, keeping the files it was given. */
  function certificates(outcome: 'passed' | 'failed', checked: string[]): CertificatePort {
    return {
      targets: (s) => (s.id === 'S003' ? [target] : []),
      check: (_s, _t, files) => {
        checked.push(...[...files.values()].map((f) => f.file));
        return Promise.resolve({ result: { method: 'certificate', outcome, summary: `certificate ${outcome}`, details: [{ target: 'us-cm-pub', outcome, text: 'tomcat' }] }, targets: [], lines: [`tomcat ${outcome}`] });
      },
    };
  }
  const files: CheckpointAnswer = { kind: 'files', files: new Map([[target.key, { file: 'tomcat.pem' }]]) };

  it('the operator answers yes or no; "later" leaves the step as it was', async () => {
    const d = scripted({ checkpoint: [{ kind: 'later' }, { kind: 'answer', passed: false }, { kind: 'answer', passed: true }] });
    const { session, engine, step } = await setup({ decide: d.port });
    expect(await engine.run(step('S001'))).toEqual({ kind: 'declined', decision: 'checkpoint' });
    expect(statuses(await onDisk(session), 'S001')).toEqual([]);
    expect(await engine.run(step('S001'))).toMatchObject({ kind: 'checked', result: { method: 'operator', outcome: 'failed', summary: 'no: Is S001 done? (done by the operator outside collabsec)' } });
    expect(await engine.conclude(step('S001'), 'run')).toMatchObject({ kind: 'checked', result: { outcome: 'passed', summary: 'yes: Is S001 done?' } });
    expect(statuses(await onDisk(session), 'S001')).toEqual(['failed', 'verified']);
    expect(d.questions.map((q) => [q.via, q.certificates.length, q.deviceCheck])).toEqual([['self', 0, false], ['self', 0, false], ['run', 0, false]]);
  });

  it('a step with both a certificate and a device check: the files first, then the device check decides (the TUI order)', async () => {
    const checked: string[] = [];
    const d = scripted({ checkpoint: [files] });
    const { session, engine, events, step } = await setup({ decide: d.port, certificates: certificates('passed', checked), verifyStep: verdict('passed') });
    const end = await engine.conclude(step('S003'), 'self');
    expect(d.questions[0]).toMatchObject({ deviceCheck: true, certificates: [target] });
    expect(checked).toEqual(['tomcat.pem']);
    expect(events.map((e) => e.kind)).toEqual(['checking-certificates', 'certificate-lines', 'verifying', 'verdict']);
    // Recorded as the device check, the certificate's details kept beside it.
    expect(end).toMatchObject({ kind: 'checked', result: { method: 'automatic', outcome: 'passed', details: [{ target: 'us-cm-pub', text: 'tomcat' }] } });
    expect(statuses(await onDisk(session), 'S003')).toEqual(['verified']);
  });

  it('certificate files that fail fail the checkpoint without the device check', async () => {
    let verified = 0;
    const d = scripted({ checkpoint: [files] });
    const { engine, step } = await setup({ decide: d.port, certificates: certificates('failed', []), verifyStep: (s) => (verified++, verdict('passed')(s)) });
    expect(await engine.conclude(step('S003'), 'self')).toMatchObject({ kind: 'checked', result: { method: 'certificate', outcome: 'failed' } });
    expect(verified).toBe(0);
  });

  it('no files: the device check decides ("device"); without a device check the files are the check', async () => {
    const withDevice = await setup({ decide: scripted({ checkpoint: [{ kind: 'device' }] }).port, certificates: certificates('passed', []), verifyStep: verdict('passed') });
    expect(await withDevice.engine.conclude(withDevice.step('S003'), 'self')).toMatchObject({ kind: 'checked', result: { method: 'automatic', outcome: 'passed' } });
    const d = scripted({ checkpoint: [files] });
    const without = await setup({ decide: d.port, certificates: certificates('passed', []) });
    expect(await without.engine.conclude(without.step('S003'), 'self')).toMatchObject({ kind: 'checked', result: { method: 'certificate', outcome: 'passed' } });
    expect(d.questions[0]).toMatchObject({ deviceCheck: false });
  });

  it('a step with a device check and no certificate asks nothing', async () => {
    const d = scripted();
    const { engine, step } = await setup({ decide: d.port, verifyStep: verdict('passed') });
    expect(await engine.conclude(step('S003'), 'run')).toMatchObject({ kind: 'checked', result: { method: 'automatic' } });
    expect(d.asked).toEqual([]);
  });
});

describe('the step engine on resume', () => {
  /** A session with S003 started and then left (collabsec killed), reopened. */
  async function interrupted() {
    const first = await tempSession(wizardPlan());
    await first.session.recordStarted('S003', 'us-cm-pub');
    await first.session.close();
    return first.dir;
  }

  it('an interrupted step is probed (read-only) and never re-sent', async () => {
    const dir = await interrupted();
    let sent = 0;
    let probed = 0;
    const { session, engine, events, step } = await setup({ decide: scripted().port, runStep: () => (sent++, Promise.resolve(outcome('ok', 'sent'))), verifyStep: (s) => (probed++, verdict('passed')(s)) }, dir);
    expect(session.resumed).toBe(true);
    expect(session.status('S003')).toBe('interrupted');
    expect(await engine.probe(step('S003'))).toMatchObject({ kind: 'checked', result: { outcome: 'passed' } });
    expect([sent, probed]).toEqual([0, 1]);
    expect(events.map((e) => e.kind)).toEqual(['probing', 'verifying', 'verdict']);
    expect(statuses(await onDisk(session), 'S003')).toEqual(['started', 'interrupted', 'verified']);
  });

  it('running an interrupted step asks how to settle it; re-checked, a probe that does not pass leaves it in doubt with its verdict', async () => {
    const dir = await interrupted();
    let sent = 0;
    const d = scripted();
    const { session, engine, events, step } = await setup({ decide: d.port, runStep: () => (sent++, Promise.resolve(outcome('ok', 'sent'))), verifyStep: verdict('failed', 'no CTL file') }, dir);
    expect(await engine.run(step('S003'))).toMatchObject({ kind: 'checked', result: { outcome: 'failed' } });
    expect(sent).toBe(0);
    expect(d.asked).toEqual(['doubt S003 interrupted']);
    expect(events[0]).toMatchObject({ kind: 'recheck' });
    expect((await onDisk(session)).steps.S003!.history.at(-1)).toMatchObject({ status: 'in-doubt', checkpoint: { outcome: 'failed', summary: 'no CTL file' } });
    // Named again: the question carries the probe's verdict, which may now be accepted.
    expect(await engine.run(step('S003'))).toMatchObject({ kind: 'checked' });
    expect(d.asked.at(-1)).toBe('doubt S003 in-doubt verdict failed');
  });

  it('without a device check the probe leaves the step to the operator', async () => {
    const dir = await interrupted();
    const d = scripted();
    const { engine, step } = await setup({ decide: d.port }, dir);
    expect(await engine.probe(step('S003'))).toBeUndefined();
    expect(d.asked).toEqual([]);
  });

  it('a step in doubt: the port decides; override and re-send are recorded, nothing is sent but by the re-send', async () => {
    const dir = await interrupted();
    let sent = 0;
    const d = scripted({ doubt: [{ kind: 'later' }, { kind: 'resend', by: 'test' }] });
    const { session, engine, events, step } = await setup({ decide: d.port, runStep: () => (sent++, Promise.resolve(outcome('in-doubt', 'timeout'))), verifyStep: verdict('passed') }, dir);
    expect(await engine.run(step('S003'))).toEqual({ kind: 'declined', decision: 'doubt' });
    expect(sent).toBe(0);
    expect(await engine.run(step('S003'))).toMatchObject({ kind: 'send-failed', failure: { inDoubt: true } });
    expect(sent).toBe(1);
    expect(statuses(await onDisk(session), 'S003')).toEqual(['started', 'interrupted', 'started', 'in-doubt']);
    expect(await engine.settle(step('S003'), { kind: 'override', reason: 'checked by hand' })).toEqual({ kind: 'settled', status: 'overridden' });
    expect(events.at(-1)).toMatchObject({ kind: 'settled', status: 'overridden' });
    expect((await onDisk(session)).steps.S003!.history.at(-1)).toMatchObject({ status: 'overridden', outcome: 'unknown', reason: 'checked by hand' });
    // Overridden: reopened with a reason, it may run again.
    await engine.reopen(step('S003'), 'check it properly');
    expect(session.status('S003')).toBe('pending');
  });
});
