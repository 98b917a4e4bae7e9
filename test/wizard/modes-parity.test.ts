// Issue 20 slice 2: the TUI and plain mode run steps on one engine, so the same scenario leaves
// the same records in the journal whichever mode ran it. Each scenario runs twice on its own
// session folder — once through runPlain (decisions from flags), once through the TUI's
// controller (decisions by its methods, as keys call them) — with the same fake device ports,
// and the journals are compared record by record (times and users left out).
import { Writable } from 'node:stream';
import * as fs from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import type { Plan } from '../../src/plan/types.js';
import type { Session } from '../../src/session/index.js';
import { WizardController } from '../../src/wizard/controller.js';
import { runPlain } from '../../src/wizard/plain.js';
import type { RunStep, StepRunOutcome, VerifyStep } from '../../src/wizard/types.js';
import { showCtlAction, showCtlVerify, step } from './fixtures.js';
import { openedSession } from './open-sessions.js';

// A1 has a machine check; B1 builds on it (its drift is A1 no longer passing).
const plan: Plan = {
  inventoryHash: 'inv',
  catalogueHash: 'cat',
  title: 'Parity rollout',
  summary: [],
  steps: [
    step('A1', { title: 'Check the CTL', actions: [showCtlAction()], checkpoint: { question: 'CTL ok?', origin: 'suggested', verify: showCtlVerify } }),
    step('B1', { title: 'Builds on A1', requires: ['A1'], actions: [showCtlAction()], checkpoint: { question: 'B1 ok?', origin: 'suggested', verify: showCtlVerify } }),
  ],
};

const session = (dir?: string) => openedSession(plan, dir);

/** Fake devices: each send is counted; the check answers `passes(stepId)`. */
function devices(outcome: StepRunOutcome['outcome'] = 'ok', passes: (id: string) => boolean = () => true) {
  const sent: string[] = [];
  const runStep: RunStep = (s) => (sent.push(s.id), Promise.resolve({ outcome, summary: outcome === 'ok' ? 'sent' : 'no answer', nodes: [{ node: 'us-cm-pub', outcome, summary: `us-cm-pub: ${outcome}` }] }));
  const verifyStep: VerifyStep = (s) => Promise.resolve({ method: 'automatic', outcome: passes(s.id) ? 'passed' : 'failed', summary: `show ctl on ${s.id}` });
  return { sent, runStep, verifyStep };
}

const quiet = (): Writable => new Writable({ write: (_c, _e, cb) => cb() });

/** The journal as both modes must write it: per step, each record's status, outcome and checkpoint, and the notes. */
async function records(s: Session) {
  const state = JSON.parse(await fs.readFile(s.file, 'utf8')) as Session['state'];
  return Object.fromEntries(
    Object.entries(state.steps).map(([id, r]) => [
      id,
      {
        history: r.history.map((e) => ({ status: e.status, outcome: e.outcome, checkpoint: e.checkpoint && { method: e.checkpoint.method, outcome: e.checkpoint.outcome, summary: e.checkpoint.summary } })),
        notes: r.notes.map((n) => n.text),
      },
    ]),
  );
}

/** A first process that started A1 and died before any outcome was recorded. */
async function crashedDuringA1(): Promise<string> {
  const first = await session();
  await first.session.recordStarted('A1', 'us-cm-pub');
  await first.session.close();
  return first.dir;
}

/** A first process that verified A1 by its machine check. */
async function verifiedA1(): Promise<string> {
  const first = await session();
  await first.session.recordResult('A1', { outcome: 'passed', checkpoint: { method: 'automatic', outcome: 'passed', summary: 'show ctl on A1' } });
  await first.session.close();
  return first.dir;
}

describe('the TUI and plain mode write the same journal for the same scenario', () => {
  it('start: a live step is recorded started, sent once, then verified by its machine check', async () => {
    const p = await session();
    const pd = devices();
    expect(await runPlain({ session: p.session, out: quiet(), steps: ['A1'], yes: false, checkpointPassed: false, runStep: pd.runStep, verifyStep: pd.verifyStep })).toBe(ExitCode.ok);

    const t = await session();
    const td = devices();
    const c = new WizardController(t.session, { runStep: td.runStep, verifyStep: td.verifyStep });
    c.select('A1');
    await c.start();

    expect(await records(t.session)).toEqual(await records(p.session));
    expect((await records(t.session)).A1!.history.map((e) => e.status)).toEqual(['started', 'verified']);
    expect([pd.sent, td.sent]).toEqual([['A1'], ['A1']]);
  });

  it('a send that ends in doubt is recorded in doubt (not failed) with an unknown outcome, and is not re-sent', async () => {
    const p = await session();
    const pd = devices('in-doubt');
    expect(await runPlain({ session: p.session, out: quiet(), steps: ['A1'], yes: false, checkpointPassed: false, runStep: pd.runStep, verifyStep: pd.verifyStep })).toBe(ExitCode.stepFailed);

    const t = await session();
    const td = devices('in-doubt');
    const c = new WizardController(t.session, { runStep: td.runStep, verifyStep: td.verifyStep });
    c.select('A1');
    await c.start();
    expect(c.getView().mode).toMatchObject({ kind: 'in-doubt', stepId: 'A1', verdict: false });

    expect(await records(t.session)).toEqual(await records(p.session));
    expect((await records(t.session)).A1!.history.at(-1)).toMatchObject({ status: 'in-doubt', outcome: 'unknown' });
    expect([pd.sent, td.sent]).toEqual([['A1'], ['A1']]);
  });

  it('in doubt after a crash: the step is settled by its checkpoint when the operator asks for it, never re-sent', async () => {
    const p = await session(await crashedDuringA1());
    const pd = devices();
    expect(await runPlain({ session: p.session, out: quiet(), steps: ['A1'], yes: false, checkpointPassed: false, runStep: pd.runStep, verifyStep: pd.verifyStep })).toBe(ExitCode.ok);

    const t = await session(await crashedDuringA1());
    const td = devices();
    const c = new WizardController(t.session, { runStep: td.runStep, verifyStep: td.verifyStep });
    expect(c.getView().mode).toMatchObject({ kind: 'checkpoint', stepId: 'A1', via: 'recheck' });
    await c.checkpoint();

    expect(await records(t.session)).toEqual(await records(p.session));
    expect((await records(t.session)).A1!.history.map((e) => e.status)).toEqual(['started', 'interrupted', 'verified']);
    expect([pd.sent, td.sent]).toEqual([[], []]);
  });

  it('probe on resume: a reopened live session settles the interrupted step by its read-only probe first', async () => {
    // Plain mode probes interrupted steps it was not asked to run; the TUI probes before anything can be chosen.
    const p = await session(await crashedDuringA1());
    const pd = devices('ok', () => false);
    expect(await runPlain({ session: p.session, out: quiet(), steps: ['B1'], yes: false, checkpointPassed: false, runStep: pd.runStep, verifyStep: pd.verifyStep })).toBe(ExitCode.stepFailed);

    const t = await session(await crashedDuringA1());
    const td = devices('ok', () => false);
    const c = new WizardController(t.session, { runStep: td.runStep, verifyStep: td.verifyStep });
    await c.probeOnResume();
    // A probe that does not pass leaves the step in doubt, its verdict kept for the operator to accept.
    expect(c.getView().mode).toMatchObject({ kind: 'in-doubt', stepId: 'A1', verdict: true });

    expect(await records(t.session)).toEqual(await records(p.session));
    expect((await records(t.session)).A1!.history.map((e) => `${e.status} ${e.checkpoint?.method ?? ''}`)).toEqual(['started ', 'interrupted ', 'in-doubt automatic']);
    expect([pd.sent, td.sent]).toEqual([[], []]);
  });

  it('drift stop: a verified prerequisite that no longer passes stops the step before anything of it is recorded or sent', async () => {
    const p = await session(await verifiedA1());
    const pd = devices('ok', (id) => id !== 'A1');
    // --yes confirms disruption, not drift: plain mode stops without --accept-drift.
    expect(await runPlain({ session: p.session, out: quiet(), steps: ['B1'], yes: true, checkpointPassed: false, runStep: pd.runStep, verifyStep: pd.verifyStep })).toBe(ExitCode.stepFailed);

    const t = await session(await verifiedA1());
    const td = devices('ok', (id) => id !== 'A1');
    const c = new WizardController(t.session, { runStep: td.runStep, verifyStep: td.verifyStep });
    c.select('B1');
    await c.start();
    expect(c.getView().mode).toEqual({ kind: 'drift', stepId: 'B1', lines: ['drift: A1 no longer passes its check: failed: show ctl on A1'] });
    c.back(); // the TUI's "stop"

    expect(await records(t.session)).toEqual(await records(p.session));
    expect((await records(t.session)).A1!.notes).toEqual(['Drift found on resume (before B1): failed: show ctl on A1']);
    expect((await records(t.session)).B1).toEqual({ history: [], notes: [] });
    expect([pd.sent, td.sent]).toEqual([[], []]);
  });

  it('drift accepted in the TUI goes on and is noted on the step, as --accept-drift is in plain mode', async () => {
    const t = await session(await verifiedA1());
    const td = devices('ok', (id) => id !== 'A1');
    const c = new WizardController(t.session, { runStep: td.runStep, verifyStep: td.verifyStep });
    c.select('B1');
    await c.start();
    await c.acceptDrift();
    expect(td.sent).toEqual(['B1']);
    const r = await records(t.session);
    expect(r.B1!.history.map((e) => e.status)).toEqual(['started', 'verified']);
    expect(r.B1!.notes).toEqual(['Started with drift accepted (the operator, in the wizard): A1 failed: show ctl on A1']);
  });
});
