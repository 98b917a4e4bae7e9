// Files chosen at run time in the wizard (issue 18 slice 4, TUI half of `--paste NODE=FILE`): a
// live step whose dialogue pastes a file known only at run time (S013, S034, S069, S111) asks for
// it per node before anything is recorded or sent, checks it is a readable regular file, hands it
// to the live port through the shared map, and forgets it once the step was sent. Esc sends
// nothing. A file answering a CSR the same step prints (S034) may not exist yet.
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadPlan } from '../../src/plan/load-plan.js';
import type { Plan, PlannedStep } from '../../src/plan/types.js';
import type { Session } from '../../src/session/index.js';
import { runtimeFileQuestions, WizardController } from '../../src/wizard/controller.js';
import type { RunStep, VerifyStep } from '../../src/wizard/types.js';
import { put, tempDir } from '../cert/pki.js';
import { tempSession } from './fixtures.js';

const lp = loadPlan('examples/ent-pa.yaml');
/** The example plan's steps, keeping only preconditions among them. */
const planOf = (...ids: string[]): Plan => ({
  ...lp.plan,
  steps: ids.map((id): PlannedStep => {
    const s = lp.plan.steps.find((x) => x.id === id);
    if (!s) throw new Error(`no ${id}`);
    return { ...s, requires: s.requires.filter((r) => ids.includes(r)) };
  }),
});

let dir: string;
const open: Session[] = [];
beforeAll(async () => {
  dir = await tempDir('collabsec-ctl-runtime-');
  await put(dir, 'signed.pem', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
  await fs.mkdir(join(dir, 'a-folder'));
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

/** A live controller whose runner records the file the map holds for each node when the step is sent. */
async function make(plan: Plan, opts: { live?: boolean } = {}) {
  const { session } = await tempSession(plan);
  open.push(session);
  const files = new Map<string, string>();
  const sent: { step: string; files: Record<string, string | undefined> }[] = [];
  const runStep: RunStep = (step) => {
    sent.push({ step: step.id, files: Object.fromEntries(runtimeFileQuestions(step).map((q) => [q.node, files.get(q.node)])) });
    const nodes = step.actions.map((a) => ({ node: a.target, outcome: 'ok' as const, summary: `${a.target}: ok` }));
    return Promise.resolve({ outcome: 'ok', summary: 'ok', nodes });
  };
  const verifyStep: VerifyStep = () => Promise.resolve({ method: 'automatic', outcome: 'passed', summary: 'checked' });
  const c = new WizardController(session, { ...(opts.live !== false ? { runStep, verifyStep } : {}), runtimePastes: files, runtimePasteDirs: [join(dir, 'nowhere'), dir] });
  return { c, session, files, sent };
}
const statuses = (s: Session, id: string) => (s.state.steps[id]?.history ?? []).map((e) => e.status);

describe('run-time files in the wizard', () => {
  it('names the nodes and files of the catalogue steps that paste one chosen at run time', () => {
    const q = (id: string) => runtimeFileQuestions(lp.plan.steps.find((s) => s.id === id)!);
    expect(q('S069')).toEqual([{ node: 'US-CUBE1', label: 'CA-signed router certificate for US-CUBE1.ent-pa.com', midStep: false }]);
    expect(q('S013')).toMatchObject([{ node: 'us-cm-pub', midStep: false }]);
    expect(q('S111')).toMatchObject([{ node: 'us-pcd', midStep: false }]);
    // S034 enrols and imports in one action: the certificate answers the CSR printed mid-step.
    expect(q('S034')).toMatchObject([{ node: 'US-SRST1', midStep: true }]);
    expect(q('S066')).toEqual([]);
  });

  it('asks for the file before anything is recorded; an empty, missing or non-regular answer is refused and asked again', async () => {
    const { c, session, sent } = await make(planOf('S069'));
    await c.start();
    expect(c.getView().mode).toMatchObject({ kind: 'runtime-file', stepId: 'S069', node: 'US-CUBE1', position: '1 of 1', checking: false });
    expect(statuses(session, 'S069')).toEqual([]);
    await c.answerRuntimeFile('  ');
    expect(c.getView().message?.text).toMatch(/Name the file to paste on US-CUBE1/);
    await c.answerRuntimeFile('absent.pem');
    expect(c.getView().mode.kind).toBe('runtime-file');
    expect(c.getView().message).toMatchObject({ level: 'error' });
    expect(c.getView().message?.text).toContain(`${join(dir, 'nowhere', 'absent.pem')} does not exist`);
    await c.answerRuntimeFile('a-folder');
    expect(c.getView().message?.text).toContain('is a folder, not a regular file');
    await c.answerRuntimeFile('/dev/null');
    expect(c.getView().message?.text).toContain('not a regular file');
    expect(statuses(session, 'S069')).toEqual([]);
    expect(sent).toEqual([]);
  });

  it('a good file (relative: the first folder holding it) goes to the live port, the step is sent and verified, and the file is forgotten', async () => {
    const { c, session, sent, files } = await make(planOf('S069'));
    await c.start();
    await c.answerRuntimeFile('signed.pem');
    expect(sent).toEqual([{ step: 'S069', files: { 'US-CUBE1': join(dir, 'signed.pem') } }]);
    expect(statuses(session, 'S069')).toEqual(['started', 'verified']);
    expect(files.size).toBe(0);
  });

  it('Esc at the question sends and records nothing', async () => {
    const { c, session, sent, files } = await make(planOf('S069'));
    await c.start();
    c.back();
    expect(c.getView().mode.kind).toBe('browse');
    expect(statuses(session, 'S069')).toEqual([]);
    expect(sent).toEqual([]);
    expect(files.size).toBe(0);
  });

  it('a disruptive step asks the file first, then the typed confirmation; Esc at the confirmation forgets the file', async () => {
    const { c, session, sent, files } = await make(planOf('S111'));
    await c.start();
    expect(c.getView().mode).toMatchObject({ kind: 'runtime-file', node: 'us-pcd' });
    await c.answerRuntimeFile(join(dir, 'signed.pem'));
    expect(c.getView().mode).toMatchObject({ kind: 'confirm', stepId: 'S111', expected: 'S111' });
    expect(files.get('us-pcd')).toBe(join(dir, 'signed.pem'));
    c.back();
    expect(files.size).toBe(0);
    expect(statuses(session, 'S111')).toEqual([]);
    await c.start();
    await c.answerRuntimeFile(join(dir, 'signed.pem'));
    await c.confirm('S111');
    expect(sent).toEqual([{ step: 'S111', files: { 'us-pcd': join(dir, 'signed.pem') } }]);
    expect(statuses(session, 'S111')).toEqual(['started', 'verified']);
  });

  it('mid-step (S034): a file that does not exist yet is accepted when its folder does, and said so; a missing folder is refused', async () => {
    const { c, sent } = await make(planOf('S034'));
    await c.start();
    expect(c.getView().mode).toMatchObject({ kind: 'runtime-file', node: 'US-SRST1', midStep: true });
    await c.answerRuntimeFile(join(dir, 'no-such-folder', 'US-SRST1.pem'));
    expect(c.getView().message?.text).toContain('does not exist');
    expect(sent).toEqual([]);
    const later = join(dir, 'US-SRST1.pem');
    const answered = c.answerRuntimeFile(later);
    await answered;
    expect(sent).toEqual([{ step: 'S034', files: { 'US-SRST1': later } }]);
  });

  it('a rehearsal (no live port) asks nothing: the operator types the commands', async () => {
    const { c } = await make(planOf('S069'), { live: false });
    await c.start();
    expect(c.getView().mode).toMatchObject({ kind: 'running', stepId: 'S069', live: false });
  });
});
