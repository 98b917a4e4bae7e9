// Reliability cases 3 and the "killed mid-run" half of case 1, with real processes: a child
// holds the session; this test process is the second collabsec.
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { UserError } from '../../src/errors.js';
import { openSession, type Session } from '../../src/session/journal.js';
import { acquireLock, lockPathFor, SessionLockedError } from '../../src/session/lock.js';
import { makePlan } from './fixtures/plan.js';
import { type Child, bundleChild, killHard, removeTempDirs, spawnChild, tempDir } from './helpers.js';

afterAll(removeTempDirs);

let script = '';
beforeAll(async () => {
  script = await bundleChild();
});

const children: Child[] = [];
const sessions: Session[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) await killHard(c);
  for (const s of sessions.splice(0)) await s.close();
});

function start(args: string[]): Child {
  const c = spawnChild(script, args);
  children.push(c);
  return c;
}

const plan = makePlan({ steps: 12 });
const open = async (dir: string, timeoutMs = 300) => {
  const s = await openSession({ plan, inventoryPath: path.join(dir, 'inventory.yaml'), dir, name: 'lab', lock: { timeoutMs } });
  sessions.push(s);
  return s;
};

describe('two processes on one session', () => {
  it('refuses the second within the lock timeout, naming pid and host; reclaimable after SIGKILL', async () => {
    const dir = await tempDir();
    const holder = start(['hold', dir, 'lab']);
    const pid = Number(/pid=(\d+)/.exec(await holder.waitFor('ready'))![1]);

    const t0 = Date.now();
    const err = await open(dir, 400).catch((e: unknown) => e);
    const elapsed = Date.now() - t0;
    expect(err).toBeInstanceOf(SessionLockedError);
    const msg = (err as Error).message;
    expect(msg).toContain(`process ${pid}`);
    expect(msg).toContain(`host ${os.hostname()}`);
    expect((err as SessionLockedError).exitCode).toBe(5);
    expect(elapsed).toBeGreaterThanOrEqual(400);
    expect(elapsed).toBeLessThan(3_000);

    await killHard(holder); // no cleanup runs: the lock file stays behind
    await expect(fs.access(lockPathFor(path.join(dir, 'lab.json')))).resolves.toBeUndefined();
    const s = await open(dir, 0);
    expect(s.lockOwner.pid).toBe(process.pid);
  });

  it('waits for a holder that releases within the timeout', async () => {
    const dir = await tempDir();
    const first = await acquireLock(path.join(dir, 'x.json'));
    setTimeout(() => void first.release(), 150);
    const second = await acquireLock(path.join(dir, 'x.json'), { timeoutMs: 2_000 });
    expect(await second.isHeld()).toBe(true);
    await second.release();
  });

  it('treats a lock from another host as stale only once it is not refreshed', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'x.json');
    const foreign = (refreshedAt: string) =>
      JSON.stringify({ pid: 1, host: 'other-host.example', user: 'ops', startedAt: refreshedAt, refreshedAt, token: 't' });
    await fs.writeFile(lockPathFor(file), foreign(new Date().toISOString()));
    await expect(acquireLock(file, { staleMs: 5_000 })).rejects.toThrow(/process 1 on host other-host\.example/);
    const old = new Date(Date.now() - 60_000);
    await fs.writeFile(lockPathFor(file), foreign(old.toISOString()));
    await fs.utimes(lockPathFor(file), old, old);
    const lock = await acquireLock(file, { staleMs: 5_000 });
    expect(await lock.isHeld()).toBe(true);
    await lock.release();
    await expect(fs.access(lockPathFor(file))).rejects.toThrow();
  });

  it('refreshes its lock so a live holder is never judged stale, and notices a takeover', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'x.json');
    let lost = false;
    const lock = await acquireLock(file, { staleMs: 300, refreshMs: 50, onCompromised: () => (lost = true) });
    await new Promise((r) => setTimeout(r, 600));
    await expect(acquireLock(file, { staleMs: 300 })).rejects.toBeInstanceOf(SessionLockedError);
    // Someone removes the lock by hand and another process takes it: the old holder must notice.
    await fs.rm(lockPathFor(file));
    const thief = await acquireLock(file, { staleMs: 300 });
    await new Promise((r) => setTimeout(r, 200));
    expect(lost).toBe(true);
    await expect(lock.assertHeld()).rejects.toBeInstanceOf(SessionLockedError);
    await lock.release();
    expect(await thief.isHeld()).toBe(true); // releasing a lost lock does not delete the thief's
    await thief.release();
  });
});

describe('a step killed mid-run', () => {
  it('comes back as interrupted, and cannot be re-run before its checkpoint', async () => {
    const dir = await tempDir();
    const child = start(['hang', dir, 'lab']);
    expect(await child.waitFor('started')).toBe('started S001');
    await killHard(child);

    const s = await open(dir, 0);
    expect(s.interruptedOnOpen).toEqual(['S001']);
    expect(s.status('S001')).toBe('interrupted');
    const next = s.next()!;
    expect(next.step.id).toBe('S001');
    expect(next.recheckFirst).toBe(true);
    const refused = (await s.recordStarted('S001').then(() => undefined, (e: unknown) => e)) as UserError;
    expect(refused.message).toMatch(/S001 is interrupted/);
    expect(refused.tryMessage).toMatch(/checkpoint first/);
    const history = s.state.steps.S001!.history.map((e) => e.status);
    expect(history).toEqual(['started', 'interrupted']);

    // The checkpoint shows the command did not take effect: the step fails, then may be re-run.
    await s.recordResult('S001', { outcome: 'failed', checkpoint: { method: 'automatic', outcome: 'failed', summary: 'old certificate still present' } });
    await s.recordStarted('S001', 'cucm-pub');
    expect(s.status('S001')).toBe('started');
  });
});
