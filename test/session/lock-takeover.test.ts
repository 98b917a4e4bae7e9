// Issue 19 (issue 12, "Faults in the session folder"): a holder alive on this host but stalled
// past the stale time (SIGSTOP here) keeps its lock; a holder whose lock was taken anyway is told
// of the takeover on its next write, which is refused. Real processes, as in processes.test.ts.
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { acquireLock, lockPathFor, processStart, SessionLockedError } from '../../src/session/lock.js';
import { type Child, bundleChild, killHard, removeTempDirs, spawnChild, tempDir } from './helpers.js';

afterAll(removeTempDirs);

let script = '';
beforeAll(async () => {
  script = await bundleChild();
});

const children: Child[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) await killHard(c);
});

function start(args: string[]): Child {
  const c = spawnChild(script, args);
  children.push(c);
  return c;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The child's next line starting with `prefix` after the first `seen` such lines. Patient (60 s):
 * a child just continued from SIGSTOP on a busy 2-core machine took over 10 s to write.
 */
async function nth(child: Child, prefix: string, seen: number): Promise<string> {
  for (let i = 0; i < 2400; i++) {
    const hits = child.lines.filter((l) => l.startsWith(prefix));
    if (hits.length > seen) return hits[seen]!;
    await sleep(25);
  }
  let state = '?';
  try { state = (await fs.readFile(`/proc/${child.proc.pid}/status`, 'utf8')).split('\n').filter((l) => /^(State|SigPnd|ShdPnd|SigBlk|SigCgt)/.test(l)).join(' | '); } catch { /* gone */ }
  throw new Error(`no line "${prefix}" #${seen + 1}; stdout: ${JSON.stringify(child.lines)}; exit: ${child.proc.exitCode}/${child.proc.signalCode}; ${state}; stderr: ${child.stderr()}`);
}

describe('a live holder on this host', () => {
  it('keeps its lock while stalled past the stale time, and writes on when it continues', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'lab.json');
    const holder = start(['note', dir, 'lab']);
    const pid = Number(/pid=(\d+)/.exec(await holder.waitFor('ready'))![1]);
    holder.proc.kill('SIGSTOP');
    try {
      // Far past the contender's stale time: the holder's last refresh is old, yet it is alive.
      await sleep(900);
      const err = await acquireLock(file, { staleMs: 300 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SessionLockedError);
      expect((err as SessionLockedError).message).toContain(`process ${pid} on host ${os.hostname()}`);
      expect((err as SessionLockedError).tryMessage).toMatch(/still running on this host/);
      expect((err as SessionLockedError).exitCode).toBe(5);
    } finally {
      holder.proc.kill('SIGCONT');
    }
    holder.proc.kill('SIGUSR2');
    expect(await nth(holder, 'wrote', 0)).toMatch(/^wrote \d+$/);
    expect(JSON.parse(await fs.readFile(lockPathFor(file), 'utf8'))).toMatchObject({ pid });
  }, 120_000);

  it.runIf(processStart(process.pid) !== undefined)('whose pid was reused by another process is stale (the start time differs)', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'x.json');
    const old = new Date(Date.now() - 120_000).toISOString();
    // A live pid on this host (ours), recorded with another process's start time.
    const record = (extra: object) => JSON.stringify({ pid: process.pid, host: os.hostname(), user: 'ops', startedAt: old, refreshedAt: old, token: 'previous', ...extra });
    await fs.writeFile(lockPathFor(file), record({ pidStart: '1' }), { mode: 0o600 });
    const lock = await acquireLock(file, { staleMs: 300 });
    expect(await lock.isHeld()).toBe(true);
    await lock.release();
    // The same record without a start time (an older lock): a live pid keeps it.
    await fs.writeFile(lockPathFor(file), record({}), { mode: 0o600 });
    await expect(acquireLock(file, { staleMs: 300 })).rejects.toBeInstanceOf(SessionLockedError);
  });
});

describe('a holder whose lock was taken over', () => {
  it('is told so on its next write, which is refused; it never writes again', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'lab.json');
    const holder = start(['note', dir, 'lab']);
    await holder.waitFor('ready');
    // Someone removes the lock by hand and another collabsec (this test) takes it.
    await fs.rm(lockPathFor(file));
    const successor = await acquireLock(file);
    const before = await fs.readFile(file, 'utf8');

    holder.proc.kill('SIGUSR2');
    const told = await nth(holder, 'refused', 0);
    expect(told).toContain(`lost its session lock: it was taken over by process ${process.pid} on host ${os.hostname()}`);
    expect(told).toContain('nothing more is written to the session');
    expect(await fs.readFile(file, 'utf8')).toBe(before);

    // Free again: the old holder still does not write (it would not know what happened meanwhile).
    await successor.release();
    holder.proc.kill('SIGUSR2');
    expect(await nth(holder, 'refused', 1)).toContain('lost its session lock');
    expect(await fs.readFile(file, 'utf8')).toBe(before);
    await expect(fs.access(lockPathFor(file))).rejects.toThrow();
  }, 180_000);
});
