import * as fs from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { Session } from '../../src/session/index.js';
import { WizardController } from '../../src/wizard/controller.js';
import type { ExecuteStep, VerifyStep } from '../../src/wizard/types.js';
import { tempSession, wizardPlan } from './fixtures.js';

const open: Session[] = [];
async function make(opts: ConstructorParameters<typeof WizardController>[1] = {}, plan = wizardPlan(), dir?: string) {
  const t = await tempSession(plan, dir);
  open.push(t.session);
  return { ...t, c: new WizardController(t.session, opts) };
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function onDisk(session: Session) {
  return JSON.parse(await fs.readFile(session.file, 'utf8')) as Session['state'];
}
const statuses = (s: Session['state'], id: string) => s.steps[id]!.history.map((e) => e.status);

describe('WizardController', () => {
  it('starts on the first step to do, browsing', async () => {
    const { c } = await make();
    expect(c.getView().cursor).toBe('S001');
    expect(c.getView().mode.kind).toBe('browse');
    expect(c.getView().progress).toMatchObject({ done: 0, total: 4 });
  });

  it('refuses to start a step whose preconditions are not verified, naming them, and records nothing', async () => {
    const { c, session } = await make();
    c.select('S002');
    await c.start();
    expect(c.getView().mode.kind).toBe('browse');
    expect(c.getView().message?.text).toContain('first verify S001');
    expect(statuses(await onDisk(session), 'S002')).toEqual([]);
  });

  it('records "started" on disk before the step is shown running, then verifies on a yes', async () => {
    const { c, session } = await make();
    await c.start();
    expect(c.getView().mode).toMatchObject({ kind: 'running', stepId: 'S001', live: false });
    expect(statuses(await onDisk(session), 'S001')).toEqual(['started']);
    await c.checkpoint();
    expect(c.getView().mode).toMatchObject({ kind: 'checkpoint', via: 'run' });
    await c.answer(true);
    const disk = await onDisk(session);
    expect(statuses(disk, 'S001')).toEqual(['started', 'verified']);
    expect(disk.steps.S001!.history[1]!.checkpoint).toMatchObject({ method: 'operator', outcome: 'passed' });
    expect(c.getView().cursor).toBe('S002');
  });

  it('asks a typed confirmation for a disruptive step and starts nothing on a wrong word', async () => {
    const { c, session } = await make();
    await c.doneMyself();
    await c.answer(true);
    await c.start();
    expect(c.getView().mode).toEqual({ kind: 'confirm', stepId: 'S002', expected: 'S002' });
    await c.confirm('us-cm-pub');
    expect(c.getView().message?.text).toContain('not "S002"');
    expect(statuses(await onDisk(session), 'S002')).toEqual([]);
    await c.confirm('S002');
    expect(c.getView().mode.kind).toBe('running');
    expect(statuses(await onDisk(session), 'S002')).toEqual(['started']);
  });

  it('"done myself" records no start; a failed checkpoint offers retry and an override that needs a reason', async () => {
    const { c, session } = await make();
    await c.doneMyself();
    expect(c.getView().mode).toMatchObject({ kind: 'checkpoint', via: 'self' });
    await c.answer(false);
    expect(c.getView().mode.kind).toBe('failed');
    await c.retry();
    expect(c.getView().mode.kind).toBe('checkpoint');
    await c.answer(false);
    await c.override('   ');
    expect(c.getView().message?.text).toContain('A reason is required');
    await c.override('CA upload checked by the PKI team');
    const ev = (await onDisk(session)).steps.S001!.history;
    expect(ev.map((e) => e.status)).toEqual(['failed', 'failed', 'overridden']);
    expect(ev[2]).toMatchObject({ outcome: 'failed', reason: 'CA upload checked by the PKI team' });
  });

  it('skips with a reason and adds notes', async () => {
    const { c, session } = await make();
    c.requestInput('skip');
    await c.submitInput('');
    expect(c.getView().mode.kind).toBe('input');
    await c.submitInput('done by the previous team');
    c.select('S004');
    c.requestInput('note');
    await c.submitInput('ticket CHG-42');
    const disk = await onDisk(session);
    expect(disk.steps.S001!.history.at(-1)).toMatchObject({ status: 'skipped', reason: 'done by the previous team' });
    expect(disk.steps.S004!.notes.map((n) => n.text)).toEqual(['ticket CHG-42']);
  });

  it('on reopen, an interrupted step asks for its checkpoint first and cannot be re-run or skipped', async () => {
    const first = await make();
    await first.c.start();
    await first.session.close(); // the process ends with the step started: outcome unknown
    const { c, session } = await make({}, wizardPlan(), first.dir);
    expect(session.interruptedOnOpen).toEqual(['S001']);
    expect(c.getView().mode).toMatchObject({ kind: 'checkpoint', stepId: 'S001', via: 'recheck' });
    c.back();
    // Enter on it: the in-doubt screen (re-check, override, send again) — nothing is re-sent by Enter.
    await c.start();
    expect(c.getView().mode).toMatchObject({ kind: 'in-doubt', stepId: 'S001', verdict: false });
    c.back();
    expect(statuses(await onDisk(session), 'S001')).toEqual(['started', 'interrupted']);
    c.requestInput('skip');
    expect(c.getView().mode.kind).toBe('browse');
    await c.checkpoint();
    await c.answer(true);
    expect(statuses(await onDisk(session), 'S001')).toEqual(['started', 'interrupted', 'verified']);
  });

  it('with --live, an interrupted step is settled by its automatic probe, not by a re-run', async () => {
    const first = await make();
    await first.c.doneMyself();
    await first.c.answer(true);
    first.c.select('S003');
    await first.c.start();
    await first.session.close();
    let sent = 0;
    const executeStep: ExecuteStep = () => (sent++, Promise.resolve({ outcome: 'ok', summary: 'sent' }));
    const verifyStep: VerifyStep = () => Promise.resolve({ method: 'automatic', outcome: 'passed', summary: 'CTL lists 3 records' });
    const { c, session } = await make({ executeStep, verifyStep }, wizardPlan(), first.dir);
    expect(c.getView().mode).toMatchObject({ kind: 'checkpoint', stepId: 'S003', via: 'recheck' });
    await c.checkpoint();
    expect(sent).toBe(0);
    const ev = (await onDisk(session)).steps.S003!.history;
    expect(ev.map((e) => e.status)).toEqual(['started', 'interrupted', 'verified']);
    expect(ev[2]!.checkpoint).toMatchObject({ method: 'automatic', outcome: 'passed' });
  });

  it('after an inventory change, shows the diff first and flags verified steps whose commands changed', async () => {
    const first = await make();
    await first.c.doneMyself();
    await first.c.answer(true);
    await first.session.close();
    const { c } = await make({}, wizardPlan('-v2'), first.dir);
    const m = c.getView().mode;
    expect(m.kind).toBe('review-changes');
    if (m.kind === 'review-changes') expect(m.diff.changed).toEqual([expect.objectContaining({ id: 'S001', flagged: true })]);
    c.select('S004');
    await c.start();
    expect(c.getView().mode.kind).toBe('review-changes');
    await c.acceptChanges();
    expect(c.getView().mode.kind).toBe('browse');
    expect(c.getView().flagged).toEqual(['S001']);
    // The cursor goes to the step verified with the old commands, whatever was selected before.
    expect(c.getView().cursor).toBe('S001');
    expect(c.getView().message?.text).toMatch(/S001 was verified with the old commands: r reopens it/);
  });

  it('with the SSH port, runs each action only after "started" is on disk, then verifies automatically', async () => {
    const seen: string[][] = [];
    const box: { session?: Session; c?: WizardController } = {};
    const executeStep: ExecuteStep = async (_step, _action, progress) => {
      seen.push(statuses(await onDisk(box.session!), 'S003'));
      progress?.('show ctl… 5 s');
      const m = box.c!.getView().mode;
      seen.push(m.kind === 'running' ? m.lines : []);
      return { outcome: 'ok', summary: '1 command sent' };
    };
    const verifyStep: VerifyStep = () => Promise.resolve({ method: 'automatic', outcome: 'passed', summary: 'CTL lists 3 records' });
    const t = await make({ executeStep, verifyStep });
    box.session = t.session;
    box.c = t.c;
    t.c.select('S003');
    await t.c.start();
    expect(seen).toEqual([['started'], ['us-cm-pub: show ctl… 5 s']]);
    const ev = (await onDisk(t.session)).steps.S003!.history;
    expect(ev.map((e) => e.status)).toEqual(['started', 'verified']);
    expect(ev[1]!.checkpoint).toMatchObject({ method: 'automatic', summary: 'CTL lists 3 records' });
  });

  it('a run in doubt is recorded with an unknown outcome and goes to the failed-checkpoint choices', async () => {
    const executeStep: ExecuteStep = () => Promise.resolve({ outcome: 'in-doubt', summary: 'timeout after 60 s' });
    const { c, session } = await make({ executeStep });
    c.select('S003');
    await c.start();
    expect(c.getView().mode).toMatchObject({ kind: 'failed', summary: 'us-cm-pub: timeout after 60 s' });
    expect((await onDisk(session)).steps.S003!.history.at(-1)).toMatchObject({ status: 'failed', outcome: 'unknown' });
  });

  it('finishes when every step is done', async () => {
    const { c } = await make();
    for (const id of ['S001', 'S002', 'S003', 'S004']) {
      c.select(id);
      await c.doneMyself();
      await c.answer(true);
    }
    expect(c.getView().mode.kind).toBe('finished');
    expect(c.getView().progress.done).toBe(4);
  });
});
