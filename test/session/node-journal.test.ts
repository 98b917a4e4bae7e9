// Per-node intent and outcome of a multi-node step (issue 18 slice 5): each write is on disk
// before it resolves; after a crash the node with intent and no outcome is in doubt, the nodes
// without a record are pending; files written before the field existed still load.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openSession, type Session } from '../../src/session/journal.js';
import { loadSession } from '../../src/session/load.js';
import type { SessionState } from '../../src/session/state.js';
import { makePlan } from './fixtures/plan.js';
import { removeTempDirs, tempDir } from './temp-dirs.js';

afterAll(removeTempDirs);
const open: Session[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});
const plan = makePlan({ steps: 2 });
async function session(dir: string): Promise<Session> {
  const s = await openSession({ plan, inventoryPath: path.join(dir, 'inv.yaml'), dir: path.join(dir, '.collabsec'), name: 'lab' });
  open.push(s);
  return s;
}
const onDisk = async (dir: string) => JSON.parse(await fs.readFile(path.join(dir, '.collabsec', 'lab.json'), 'utf8')) as SessionState;

describe('per-node journal', () => {
  it('writes intent before and outcome after, each on disk when it resolves; a crash leaves ok / in doubt / pending', async () => {
    const dir = await tempDir();
    const s = await session(dir);
    await s.recordStarted('S001', 'pub,sub1,sub2');
    const j = s.nodeJournal('S001');
    await j.intent('pub', { evidence: { 'Cisco Tftp': 't0' }, lines: ['utils service restart Cisco Tftp'] });
    expect((await onDisk(dir)).steps.S001!.nodes).toMatchObject([{ node: 'pub', run: 0, evidence: { 'Cisco Tftp': 't0' } }]);
    expect((await onDisk(dir)).steps.S001!.nodes![0]!.outcome).toBeUndefined();
    await j.outcome('pub', { outcome: 'ok', health: { ok: true, details: ['Cisco Tftp STARTED'] }, summary: 'ok' });
    await j.intent('sub1', { evidence: { 'Cisco Tftp': 't1' } });
    await s.close(); // killed: no outcome for sub1, nothing for sub2

    const again = await session(dir);
    expect(again.interruptedOnOpen).toEqual(['S001']);
    const states = again.nodeJournal('S001').nodes();
    expect(Object.fromEntries([...states].map(([n, x]) => [n, x.state]))).toEqual({ pub: 'ok', sub1: 'in-doubt' });
    expect(states.get('pub')!.record.health).toEqual({ ok: true, details: ['Cisco Tftp STARTED'] });
    // Resumed: the run goes on, its node records still count.
    await again.recordResumed('S001', 'resumed after an interruption');
    const j2 = again.nodeJournal('S001');
    await j2.outcome('sub1', { outcome: 'not-run', summary: 'probe: never restarted' });
    expect(j2.nodes().get('sub1')!.state).toBe('pending');
    await j2.intent('sub1', { evidence: { 'Cisco Tftp': 't1' }, done: [] });
    await j2.outcome('sub1', { outcome: 'ok' });
    expect([...j2.nodes().values()].map((x) => x.state)).toEqual(['ok', 'ok']);
    const statuses = (await onDisk(dir)).steps.S001!.history.map((e) => `${e.status}${e.resumed === true ? ' (resumed)' : ''}`);
    expect(statuses).toEqual(['started', 'interrupted', 'started (resumed)']);
    // A fresh run of the step (after it concluded) starts with no node done.
    await again.recordResult('S001', { outcome: 'failed' });
    await again.recordStarted('S001');
    expect(again.nodeJournal('S001').nodes().size).toBe(0);
    expect((await onDisk(dir)).steps.S001!.nodes).toHaveLength(3); // the history stays for the evidence pack
  });

  it('refuses a node intent outside a started step, and a resume of a step with no node records', async () => {
    const dir = await tempDir();
    const s = await session(dir);
    await expect(s.nodeJournal('S001').intent('pub', {})).rejects.toThrow(/not started/);
    await s.recordStarted('S001');
    await s.close();
    const again = await session(dir);
    await expect(again.recordResumed('S001', 'x')).rejects.toThrow(/per-node records/);
  });

  it('loads a session file written before per-node records existed (the field is optional)', async () => {
    const dir = await tempDir();
    const s = await session(dir);
    await s.recordStarted('S001');
    await s.recordResult('S001', { outcome: 'passed' });
    await s.close();
    const file = path.join(dir, '.collabsec', 'lab.json');
    const old = await onDisk(dir);
    for (const r of Object.values(old.steps)) delete r.nodes;
    await fs.writeFile(file, JSON.stringify(old));
    expect((await loadSession(file)).steps.S001!.nodes).toBeUndefined();
    const again = await session(dir);
    expect(again.status('S001')).toBe('verified');
    expect(again.nodeJournal('S001').nodes().size).toBe(0);
  });
});
