// Issue 20 slice 3: a step in doubt (a line was sent, its result unknown), reopen and backed out,
// in both modes on the one engine. Each decision runs twice from the same journal — once through
// runPlain (its flag), once through the TUI's controller (its key's method) — and the journals
// are compared record by record; nothing is re-sent but by the explicit re-send.
import { Writable } from 'node:stream';
import * as fs from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import type { Plan } from '../../src/plan/types.js';
import { verifyJournal, type Session } from '../../src/session/index.js';
import { WizardController } from '../../src/wizard/controller.js';
import { runPlain, type PlainOptions } from '../../src/wizard/plain.js';
import type { RunStep, VerifyStep } from '../../src/wizard/types.js';
import { showCtlAction, showCtlVerify, step } from './fixtures.js';
import { openedSession } from './open-sessions.js';

const check = (id: string) => ({ question: `${id} ok?`, origin: 'suggested' as const, verify: showCtlVerify });
// A1 has a machine check; B1 builds on it; C1 does not; D1 is disruptive with a back-out.
const plan: Plan = {
  inventoryHash: 'inv',
  catalogueHash: 'cat',
  title: 'In-doubt rollout',
  summary: [],
  steps: [
    step('A1', { actions: [showCtlAction()], checkpoint: check('A1') }),
    step('B1', { requires: ['A1'], actions: [showCtlAction()], checkpoint: check('B1') }),
    step('C1', { actions: [showCtlAction()], checkpoint: check('C1') }),
    step('D1', { disruptive: true, actions: [showCtlAction()], checkpoint: check('D1'), backout: { text: ['Set the cluster back to non-secure mode.'], commands: ['utils ctl set-cluster non-secure-mode'] } }),
  ],
};

const session = (dir?: string) => openedSession(plan, dir);

/** Fake devices: each send is counted; the check answers `passes(stepId)`. */
function devices(passes: (id: string) => boolean = () => true) {
  const sent: string[] = [];
  const runStep: RunStep = (s) => (sent.push(s.id), Promise.resolve({ outcome: 'ok', summary: 'sent', nodes: [{ node: 'us-cm-pub', outcome: 'ok', summary: 'us-cm-pub: ok' }] }));
  const verifyStep: VerifyStep = (s) => Promise.resolve({ method: 'automatic', outcome: passes(s.id) ? 'passed' : 'failed', summary: `show ctl on ${s.id}` });
  return { sent, runStep, verifyStep };
}

function output(): { out: Writable; text: () => string } {
  let text = '';
  return { out: new Writable({ write: (c: Buffer, _e, cb) => ((text += c.toString()), cb()) }), text: () => text };
}

async function records(s: Session) {
  const state = JSON.parse(await fs.readFile(s.file, 'utf8')) as Session['state'];
  return Object.fromEntries(
    Object.entries(state.steps).map(([id, r]) => [id, r.history.map((e) => ({ status: e.status, outcome: e.outcome, checkpoint: e.checkpoint && { method: e.checkpoint.method, outcome: e.checkpoint.outcome } }))]),
  );
}
const statuses = async (s: Session, id: string) => (await records(s))[id]!.map((e) => e.status);

/** A first process whose send of A1 ended in doubt; `probed`: a later probe did not confirm it (its verdict kept). */
async function inDoubtA1(probed = false): Promise<string> {
  const first = await session();
  await first.session.recordStarted('A1', 'us-cm-pub');
  await first.session.recordResult('A1', { outcome: 'unknown', inDoubt: true, checkpoint: { method: 'automatic', outcome: 'unknown', summary: 'timeout after 60 s' } });
  if (probed) await first.session.recordResult('A1', { outcome: 'failed', inDoubt: true, probed: true, checkpoint: { method: 'automatic', outcome: 'failed', summary: 'show ctl on A1' } });
  await first.session.close();
  return first.dir;
}

/** A first process that verified `ids` by their machine check (and skipped `skip`). */
async function done(ids: string[], skip: string[] = []): Promise<string> {
  const first = await session();
  for (const id of ids) await first.session.recordResult(id, { outcome: 'passed', checkpoint: { method: 'automatic', outcome: 'passed', summary: `show ctl on ${id}` } });
  for (const id of skip) await first.session.recordSkip(id, 'not at this site');
  await first.session.close();
  return first.dir;
}

const plain = (s: Session, d: ReturnType<typeof devices>, more: Partial<PlainOptions>) => {
  const o = output();
  return { o, run: runPlain({ session: s, out: o.out, steps: [], yes: false, checkpointPassed: false, runStep: d.runStep, verifyStep: d.verifyStep, ...more }) };
};

describe('a step in doubt, settled in both modes by the same decision', () => {
  it('status and list show "in doubt", not failed; Enter or --steps alone never re-sends it', async () => {
    const p = await session(await inDoubtA1());
    expect(p.session.status('A1')).toBe('in-doubt');
    const o = output();
    expect(await runPlain({ session: p.session, out: o.out, yes: false, checkpointPassed: false })).toBe(ExitCode.ok);
    expect(o.text()).toContain('[~] A1 Title of A1 (in doubt)');
    expect(p.session.next()).toMatchObject({ reason: 'in-doubt', recheckFirst: true });
  });

  it('re-check (--recheck / c): the read-only probe settles it; nothing is sent', async () => {
    const p = await session(await inDoubtA1());
    const pd = devices();
    expect(await plain(p.session, pd, { recheck: ['A1'] }).run).toBe(ExitCode.ok);

    const t = await session(await inDoubtA1());
    const td = devices();
    const c = new WizardController(t.session, { runStep: td.runStep, verifyStep: td.verifyStep });
    c.select('A1');
    await c.start();
    expect(c.getView().mode).toMatchObject({ kind: 'in-doubt', stepId: 'A1', verdict: false });
    await c.settleDoubt({ kind: 'recheck' });

    expect(await records(t.session)).toEqual(await records(p.session));
    expect(await statuses(t.session, 'A1')).toEqual(['started', 'in-doubt', 'verified']);
    expect([pd.sent, td.sent]).toEqual([[], []]);
  });

  it("a probe that does not pass keeps it in doubt; accepting the verdict (--accept-verdict / a) records it failed, and it may run again", async () => {
    const p = await session(await inDoubtA1(true));
    const pd = devices();
    const pr = plain(p.session, pd, { acceptVerdict: ['A1'] });
    expect(await pr.run).toBe(ExitCode.ok);
    expect(pr.o.text()).toContain("A1 failed: the probe's verdict is accepted");

    const t = await session(await inDoubtA1(true));
    const td = devices();
    const c = new WizardController(t.session, { runStep: td.runStep, verifyStep: td.verifyStep });
    c.select('A1');
    await c.start();
    expect(c.getView().mode).toMatchObject({ kind: 'in-doubt', stepId: 'A1', verdict: true });
    await c.settleDoubt({ kind: 'accept' });

    expect(await records(t.session)).toEqual(await records(p.session));
    expect((await records(t.session)).A1!.at(-1)).toEqual({ status: 'failed', outcome: 'failed', checkpoint: { method: 'automatic', outcome: 'failed' } });
    expect([pd.sent, td.sent]).toEqual([[], []]);
  });

  it('accepting a verdict no probe gave stops and says to re-check first', async () => {
    const p = await session(await inDoubtA1());
    const pr = plain(p.session, devices(), { acceptVerdict: ['A1'] });
    expect(await pr.run).toBe(ExitCode.stepFailed);
    expect(pr.o.text()).toContain('no probe verdict to accept yet: re-check it first (--recheck A1)');
    expect(p.session.status('A1')).toBe('in-doubt');
  });

  it('override with a reason (--override A1=REASON / o): recorded overridden, outcome unknown kept', async () => {
    const p = await session(await inDoubtA1());
    const pd = devices();
    expect(await plain(p.session, pd, { override: new Map([['A1', 'checked on the GUI']]) }).run).toBe(ExitCode.ok);

    const t = await session(await inDoubtA1());
    const td = devices();
    const c = new WizardController(t.session, { runStep: td.runStep, verifyStep: td.verifyStep });
    c.select('A1');
    await c.start();
    c.requestOverride();
    expect(c.getView().mode).toMatchObject({ kind: 'input', purpose: 'override', stepId: 'A1' });
    await c.submitInput('checked on the GUI');

    expect(await records(t.session)).toEqual(await records(p.session));
    expect(t.session.state.steps.A1!.history.at(-1)).toMatchObject({ status: 'overridden', outcome: 'unknown', reason: 'checked on the GUI' });
    expect([pd.sent, td.sent]).toEqual([[], []]);
  });

  it('re-send (--resend / R) is the only way it is sent again, and the choice is recorded', async () => {
    const p = await session(await inDoubtA1());
    const pd = devices();
    expect(await plain(p.session, pd, { resend: ['A1'] }).run).toBe(ExitCode.ok);

    const t = await session(await inDoubtA1());
    const td = devices();
    const c = new WizardController(t.session, { runStep: td.runStep, verifyStep: td.verifyStep });
    c.select('A1');
    await c.start();
    await c.settleDoubt({ kind: 'resend', by: 'the operator, in the wizard (R)' });

    expect(await records(t.session)).toEqual(await records(p.session));
    expect(await statuses(t.session, 'A1')).toEqual(['started', 'in-doubt', 'started', 'verified']);
    expect(p.session.state.steps.A1!.history[2]).toMatchObject({ status: 'started', reason: 're-sent: --resend' });
    expect([pd.sent, td.sent]).toEqual([['A1'], ['A1']]);
  });

  it('a disruptive step in doubt is re-sent only with --yes as well', async () => {
    const first = await session();
    await first.session.recordStarted('D1', 'us-cm-pub');
    await first.session.recordResult('D1', { outcome: 'unknown', inDoubt: true });
    await first.session.close();
    const p = await session(first.dir);
    const pd = devices();
    const pr = plain(p.session, pd, { resend: ['D1'] });
    expect(await pr.run).toBe(ExitCode.stepFailed);
    expect(pr.o.text()).toContain('pass --yes to confirm');
    expect(pd.sent).toEqual([]);
  });
});

describe('run --steps <other> after a step in doubt', () => {
  it('runs what was asked when it does not build on the step in doubt (which is probed and said, not re-sent)', async () => {
    const p = await session(await inDoubtA1());
    const pd = devices((id) => id !== 'A1');
    const pr = plain(p.session, pd, { steps: ['C1'] });
    expect(await pr.run).toBe(ExitCode.ok);
    expect(pr.o.text()).toContain('A1 stays in doubt (its probe: show ctl on A1)');
    expect(pr.o.text()).toContain('C1 verified.');
    expect(pd.sent).toEqual(['C1']);
    expect(p.session.state.steps.A1!.history.at(-1)).toMatchObject({ status: 'in-doubt', checkpoint: { outcome: 'failed' } });
  });

  it('says exactly why not when what was asked builds on it: the step, and each way to settle it', async () => {
    const p = await session(await inDoubtA1());
    const pd = devices((id) => id !== 'A1');
    const pr = plain(p.session, pd, { steps: ['B1'] });
    expect(await pr.run).toBe(ExitCode.stepFailed);
    expect(pr.o.text()).toContain('Cannot start B1: first verify A1. A1 is in doubt');
    for (const flag of ['--recheck A1', '--accept-verdict A1', '--override A1=REASON', '--resend A1']) expect(pr.o.text()).toContain(flag);
    expect(pd.sent).toEqual([]);
  });

  it('a skipped prerequisite says how to unblock what follows', async () => {
    const p = await session(await done([], ['A1']));
    const pr = plain(p.session, devices(), { steps: ['B1'] });
    expect(await pr.run).toBe(ExitCode.stepFailed);
    expect(pr.o.text()).toContain('A1 was skipped: reopen it with a reason (--reopen A1=REASON)');
    expect(pr.o.text()).not.toMatch(/\bkey [a-zR]\b/);
  });
});

describe('the TUI names its keys, never a flag (issue 12: "messages speak of TUI keys, not CLI flags")', () => {
  it('a prerequisite in doubt: the ways out are the in-doubt screen\'s keys', async () => {
    const t = await session(await inDoubtA1());
    const td = devices();
    const c = new WizardController(t.session, { runStep: td.runStep, verifyStep: td.verifyStep });
    c.select('B1');
    await c.start();
    const text = c.getView().message?.text ?? '';
    expect(text).toContain('Cannot start B1: first verify A1. A1 is in doubt');
    for (const key of ['(key c)', '(key a)', '(key o)', '(key R)']) expect(text).toContain(key);
    expect(text).not.toMatch(/--[a-z]/);
    expect(td.sent).toEqual([]);
  });

  it('a skipped prerequisite: reopen it with r', async () => {
    const t = await session(await done([], ['A1']));
    const c = new WizardController(t.session, {});
    c.select('B1');
    await c.start();
    const text = c.getView().message?.text ?? '';
    expect(text).toContain('A1 was skipped: reopen it with a reason (key r on it)');
    expect(text).not.toMatch(/--[a-z]/);
  });
});

describe('reopen and backed out, in both modes', () => {
  it('reopen (--reopen ID=REASON / r): a verified or skipped step is pending again with the reason; the chain stays intact', async () => {
    const p = await session(await done(['A1'], ['C1']));
    expect(await plain(p.session, devices(), { reopen: new Map([['A1', 'wrong CA chain'], ['C1', 'needed after all']]) }).run).toBe(ExitCode.ok);

    const t = await session(await done(['A1'], ['C1']));
    const c = new WizardController(t.session, {});
    for (const [id, why] of [['A1', 'wrong CA chain'], ['C1', 'needed after all']] as const) {
      c.select(id);
      c.requestInput('reopen');
      await c.submitInput(why);
    }

    expect(await records(t.session)).toEqual(await records(p.session));
    expect(t.session.state.steps.A1!.history.at(-1)).toMatchObject({ status: 'pending', reason: 'reopened: wrong CA chain' });
    expect(t.session.status('C1')).toBe('pending');
    expect(verifyJournal(t.session.state).kind).toBe('chained');
    expect(verifyJournal(p.session.state).kind).toBe('chained');
  });

  it('reopen is refused for a step that is not verified, skipped or overridden', async () => {
    const p = await session();
    await expect(plain(p.session, devices(), { reopen: new Map([['A1', 'why not']]) }).run).rejects.toThrow('only a verified, skipped or overridden step is reopened');
    const c = new WizardController(p.session, {});
    c.select('A1');
    c.requestInput('reopen');
    expect(c.getView()).toMatchObject({ mode: { kind: 'browse' }, message: { text: expect.stringContaining('only a verified, skipped or overridden step is reopened') } });
  });

  it('backed out (--backed-out ID=REASON / b): a disruptive step with a back-out, once it ran; it may run again', async () => {
    const p = await session(await done(['D1']));
    expect(await plain(p.session, devices(), { backedOut: new Map([['D1', 'non-secure mode set again']]) }).run).toBe(ExitCode.ok);

    const t = await session(await done(['D1']));
    const c = new WizardController(t.session, {});
    c.select('D1');
    c.requestInput('backed-out');
    await c.submitInput('non-secure mode set again');

    expect(await records(t.session)).toEqual(await records(p.session));
    expect(t.session.state.steps.D1!.history.at(-1)).toMatchObject({ status: 'backed-out', reason: 'non-secure mode set again' });
    expect(verifyJournal(t.session.state).kind).toBe('chained');
    // A step without a back-out cannot be marked.
    c.select('A1');
    c.requestInput('backed-out');
    expect(c.getView().message?.text).toContain('A1 is not disruptive');
  });
});
