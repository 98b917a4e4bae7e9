// Issue 25 / issue 12 finding 36: a step quit while it waited for the operator's checkpoint answer
// comes back saying what the journal knows of it, not "may or may not have run" for everything:
// sent with every node answering ok (only its checkpoint is left, and nothing is sent again), a
// rehearsal (collabsec sent nothing), or truly in doubt on the nodes whose intent has no result.
// Each first process runs through the real controller and session journal; the live runner is a
// stand-in that journals each node as the SSH runner does (its real journal writes are in
// test/live/tui-node-resume.test.ts, over SSH to the lab).
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/plan/types.js';
import { openSession, type EventMode, type Session } from '../../src/session/index.js';
import { WizardApp } from '../../src/ui/App.js';
import { WizardController } from '../../src/wizard/controller.js';
import { runPlain } from '../../src/wizard/plain.js';
import type { RunStep } from '../../src/wizard/types.js';
import { showCtlAction, step } from '../wizard/fixtures.js';
import { plain, until } from './helpers.js';

const NODES = ['us-cm-pub', 'us-cm-sub1', 'us-cm-sub2'];
// No machine check: after the send the engine waits for the operator's answer.
const plan: Plan = {
  inventoryHash: 'inv',
  catalogueHash: 'cat',
  title: 'Interrupted rollout',
  summary: [],
  steps: [
    step('A1', { title: 'One node', actions: [showCtlAction('us-cm-pub')] }),
    step('M1', { title: 'Three nodes', actions: NODES.map((n) => showCtlAction(n)) }),
  ],
};
const stepOf = (id: string) => plan.steps.find((s) => s.id === id)!;

const open: Session[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function opened(dir: string, mode: EventMode): Promise<Session> {
  const session = await openSession({ plan, inventoryPath: path.join(dir, 'inv.yaml'), dir, name: 'test', mode });
  open.push(session);
  return session;
}

/** A live runner that journals each node's intent and ok outcome, as the SSH runner does; counts sends. */
function devices() {
  const sent: string[] = [];
  const runStep: RunStep = async (s, hooks) => {
    for (const a of s.actions) {
      await hooks.journal?.intent(a.target, { lines: a.commands });
      sent.push(`${s.id} ${a.target}`);
      await hooks.journal?.outcome(a.target, { outcome: 'ok', summary: `${a.target}: ok — 1 command(s) ok` });
    }
    return { outcome: 'ok', summary: 'sent', nodes: s.actions.map((a) => ({ node: a.target, outcome: 'ok' as const, summary: `${a.target}: ok` })) };
  };
  return { sent, runStep };
}

/** The first process: `id` sent live (every node ok), then quit at its checkpoint question. */
async function quitAtCheckpoint(id: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'collabsec-interrupted-'));
  const first = await opened(dir, 'live');
  const d = devices();
  const c = new WizardController(first, { runStep: d.runStep });
  c.select(id);
  await c.start();
  expect(c.getView().mode).toMatchObject({ kind: 'checkpoint', stepId: id, via: 'run' });
  expect(d.sent).toEqual(stepOf(id).actions.map((a) => `${id} ${a.target}`));
  await first.close(); // quit (or killed) before the answer: the step stays started
  open.splice(open.indexOf(first), 1);
  return dir;
}

/** The wizard screen on a reopened session, its text unboxed (wrapped lines joined). */
function screen(c: WizardController) {
  const r = render(<WizardApp controller={c} modeLabel="LIVE (SSH)" />);
  return () => plain(r.lastFrame()).replace(/[│\s]*\n[│\s]*/g, ' ');
}

function output(): { out: Writable; text: () => string } {
  let text = '';
  return { out: new Writable({ write: (ch: Buffer, _e, cb) => ((text += ch.toString()), cb()) }), text: () => text };
}

describe('a step quit at its checkpoint after every node answered ok', () => {
  it('a single-node step: sent, its node answered ok; only the checkpoint is asked, nothing is sent again', async () => {
    const dir = await quitAtCheckpoint('A1');
    const s = await opened(dir, 'live');
    expect(s.interruptedOnOpen).toEqual(['A1']);
    const d = devices();
    const c = new WizardController(s, { runStep: d.runStep });
    expect(c.getView().mode).toMatchObject({ kind: 'checkpoint', stepId: 'A1', via: 'recheck' });
    const text = c.getView().message?.text ?? '';
    expect(text).toBe('A1 was sent, and its node us-cm-pub answered ok; its checkpoint was not answered. Check its checkpoint before anything else; it is never re-run blindly.');
    const frame = screen(c);
    await until(() => frame().includes('Checkpoint · A1'), 'the checkpoint');
    expect(frame()).toContain('This step was sent, and its node us-cm-pub answered ok; its checkpoint was not answered. Is A1 done?');
    expect(frame()).not.toContain('may or may not');
    await c.answer(true);
    expect(s.status('A1')).toBe('verified');
    expect(d.sent).toEqual([]);
  });

  it('a three-node step: all 3 nodes answered ok, not "interrupted mid-run"; Enter asks the checkpoint and sends nothing', async () => {
    const dir = await quitAtCheckpoint('M1');
    const s = await opened(dir, 'live');
    const d = devices();
    const c = new WizardController(s, { runStep: d.runStep });
    // Not offered as a node-by-node resume: there is nothing left to send.
    expect(c.getView().mode).toMatchObject({ kind: 'checkpoint', stepId: 'M1', via: 'recheck' });
    const text = c.getView().message?.text ?? '';
    expect(text).toContain('M1 was sent, and all 3 nodes (us-cm-pub, us-cm-sub1, us-cm-sub2) answered ok; its checkpoint was not answered.');
    expect(text).not.toMatch(/mid-run|may or may not/);
    const frame = screen(c);
    await until(() => frame().includes('This step was sent, and all 3 nodes'), 'the checkpoint');
    // Later, then Enter on it: its checkpoint again (not the in-doubt choices, not a re-send).
    c.back();
    await c.start();
    expect(c.getView().mode).toMatchObject({ kind: 'checkpoint', stepId: 'M1', via: 'recheck' });
    await c.answer(true);
    expect(s.status('M1')).toBe('verified');
    expect(s.state.steps.M1!.history.map((e) => e.status)).toEqual(['started', 'interrupted', 'verified']);
    expect(d.sent).toEqual([]);
  });

  it('plain mode says the same, and --steps asks only the checkpoint (nothing is sent again)', async () => {
    const dir = await quitAtCheckpoint('M1');
    const s = await opened(dir, 'live');
    const d = devices();
    const o = output();
    await runPlain({ session: s, out: o.out, steps: ['M1'], yes: false, checkpointPassed: true, runStep: d.runStep });
    expect(o.text()).toContain('! M1 was sent, and all 3 nodes (us-cm-pub, us-cm-sub1, us-cm-sub2) answered ok; its checkpoint was not answered. Check its checkpoint before anything else');
    expect(o.text()).toContain('M1 was sent, and all 3 nodes (us-cm-pub, us-cm-sub1, us-cm-sub2) answered ok; its checkpoint was not answered: it is asked first; nothing is sent again.');
    expect(o.text()).not.toMatch(/mid-run|may or may not/);
    expect(s.status('M1')).toBe('verified');
    expect(d.sent).toEqual([]);
  });
});

describe('a step that is truly in doubt, or was never sent', () => {
  it('intent recorded without a result on one node: "may or may not have run on" that node, the others named', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'collabsec-interrupted-'));
    const first = await opened(dir, 'live');
    await first.recordStarted('M1', NODES.join(','));
    const j = first.nodeJournal('M1');
    await j.intent('us-cm-pub', { lines: ['show ctl'] });
    await j.outcome('us-cm-pub', { outcome: 'ok', summary: 'ok' });
    await j.intent('us-cm-sub1', { lines: ['show ctl'] }); // killed before its result
    await first.close();
    open.splice(open.indexOf(first), 1);

    const s = await opened(dir, 'live');
    const c = new WizardController(s, { runStep: devices().runStep });
    expect(c.getView().message?.text).toBe('M1 was interrupted: it may or may not have run on us-cm-sub1 (us-cm-pub answered ok; us-cm-sub2 not sent). Check its checkpoint before anything else; it is never re-run blindly.');
    const frame = screen(c);
    await until(() => frame().includes('Checkpoint · M1'), 'the checkpoint');
    expect(frame()).toContain('This step was interrupted: it may or may not have run on us-cm-sub1 (us-cm-pub answered ok; us-cm-sub2 not sent). Check it on the device before anything else.');
  });

  it('a rehearsal: started, nothing sent by collabsec, its checkpoint not answered', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'collabsec-interrupted-'));
    const first = await opened(dir, 'rehearsal');
    const c1 = new WizardController(first);
    c1.select('A1');
    await c1.start();
    expect(first.status('A1')).toBe('started');
    await first.close();
    open.splice(open.indexOf(first), 1);

    const s = await opened(dir, 'rehearsal');
    const c = new WizardController(s);
    expect(c.getView().message?.text).toBe('A1 was started in a rehearsal (collabsec sent nothing), and its checkpoint was not answered. Check its checkpoint before anything else; it is never re-run blindly.');
    const frame = screen(c);
    await until(() => frame().includes('Checkpoint · A1'), 'the checkpoint');
    expect(frame()).toContain('This step was started in a rehearsal (collabsec sent nothing), and its checkpoint was not answered. Is A1 done?');
    expect(frame()).not.toContain('may or may not');

    const o = output();
    await runPlain({ session: s, out: o.out, yes: false, checkpointPassed: false });
    expect(o.text()).toContain('! A1 was started in a rehearsal (collabsec sent nothing), and its checkpoint was not answered.');
  });

  it('no node records (nothing journaled per node): it may or may not have run, as before', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'collabsec-interrupted-'));
    const first = await opened(dir, 'live');
    await first.recordStarted('A1', 'us-cm-pub');
    await first.close();
    open.splice(open.indexOf(first), 1);
    const s = await opened(dir, 'live');
    const c = new WizardController(s, { runStep: devices().runStep });
    expect(c.getView().message?.text).toBe('A1 was interrupted: it may or may not have run. Check its checkpoint before anything else; it is never re-run blindly.');
  });
});
