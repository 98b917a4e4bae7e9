// Reclaiming a stale session lock removes the lock that was judged stale and nothing else: a
// lock a newcomer made between the judgement and the removal stays in place (and held). The
// race is set up step by step (judge, then let the newcomer lock, then reclaim) on real files.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireLock, lockPathFor, reclaimStale, SessionLockedError, snapshotLock } from '../../src/session/lock.js';
import { removeTempDirs, tempDir } from './helpers.js';

afterAll(removeTempDirs);

const STALE_MS = 300;

/** The pid of a process that has exited (a node that did nothing). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '']);
  expect(r.status).toBe(0);
  return r.pid;
}

/** A lock record of a collabsec on this host that is gone. */
async function writeDeadHolderLock(lockPath: string, token: string): Promise<void> {
  const at = new Date().toISOString();
  await fs.writeFile(lockPath, JSON.stringify({ pid: deadPid(), host: os.hostname(), user: 'ops', startedAt: at, refreshedAt: at, token }), { mode: 0o600 });
}

/** An empty lock file, last touched a minute ago (older than STALE_MS). */
async function writeOldEmptyLock(lockPath: string): Promise<void> {
  await fs.writeFile(lockPath, '', { mode: 0o600 });
  const old = new Date(Date.now() - 60_000);
  await fs.utimes(lockPath, old, old);
}

async function setup(): Promise<{ file: string; lockPath: string; dir: string }> {
  const dir = await tempDir();
  const file = path.join(dir, 'lab.json');
  return { file, lockPath: lockPathFor(file), dir };
}

/** Nothing left aside by a reclaim. */
async function leftovers(dir: string): Promise<string[]> {
  return (await fs.readdir(dir)).filter((n) => n.includes('.stale.'));
}

describe('reclaiming a stale lock', () => {
  it('leaves a newcomer\'s lock alone when the judged lock had vanished', async () => {
    const { file, lockPath, dir } = await setup();
    // Judged: no lock at all (it vanished between a failed link and the read).
    const judged = await snapshotLock(lockPath);
    expect(judged).toBeUndefined();
    const newcomer = await acquireLock(file);
    try {
      const before = await fs.readFile(lockPath, 'utf8');
      expect(await reclaimStale(lockPath, judged, STALE_MS)).toBe(false);
      expect(await fs.readFile(lockPath, 'utf8')).toBe(before);
      expect(await newcomer.isHeld()).toBe(true);
      expect(await leftovers(dir)).toEqual([]);
    } finally {
      await newcomer.release();
    }
  });

  it('leaves a newcomer\'s lock alone when the judged lock (a gone holder) was reclaimed by someone else first', async () => {
    const { file, lockPath, dir } = await setup();
    await writeDeadHolderLock(lockPath, 'gone-holder');
    const judged = await snapshotLock(lockPath);
    expect(judged?.owner?.token).toBe('gone-holder');
    // Another collabsec reclaims it and locks before our rename.
    await fs.rm(lockPath);
    const newcomer = await acquireLock(file);
    try {
      expect(await reclaimStale(lockPath, judged, STALE_MS)).toBe(false);
      expect(await newcomer.isHeld()).toBe(true);
      expect((await snapshotLock(lockPath))?.owner?.token).toBe(newcomer.owner.token);
      expect(await leftovers(dir)).toEqual([]);
    } finally {
      await newcomer.release();
    }
  });

  it('leaves a newcomer\'s lock alone when the judged lock was an old unreadable file', async () => {
    const { file, lockPath, dir } = await setup();
    await writeOldEmptyLock(lockPath);
    const judged = await snapshotLock(lockPath);
    expect(judged).toBeDefined();
    expect(judged!.owner).toBeUndefined();
    await fs.rm(lockPath);
    const newcomer = await acquireLock(file);
    try {
      expect(await reclaimStale(lockPath, judged, STALE_MS)).toBe(false);
      expect(await newcomer.isHeld()).toBe(true);
      expect(await leftovers(dir)).toEqual([]);
    } finally {
      await newcomer.release();
    }
  });

  it('leaves a fresh unreadable file alone when the judged one was another (old) unreadable file', async () => {
    const { lockPath, dir } = await setup();
    await writeOldEmptyLock(lockPath);
    const judged = await snapshotLock(lockPath);
    // Replaced by a new empty file: created before the old one goes, so it cannot reuse its inode.
    const fresh = `${lockPath}.fresh`;
    await fs.writeFile(fresh, '', { mode: 0o600 });
    await fs.rename(fresh, lockPath);
    const now = await snapshotLock(lockPath);
    expect(now!.ino).not.toBe(judged!.ino);
    expect(await reclaimStale(lockPath, judged, STALE_MS)).toBe(false);
    expect((await snapshotLock(lockPath))?.ino).toBe(now!.ino);
    expect(await leftovers(dir)).toEqual([]);
  });

  it('removes the judged lock when it is still the one in place (a gone holder, or an old unreadable file)', async () => {
    const { lockPath, dir } = await setup();
    await writeDeadHolderLock(lockPath, 'gone-holder');
    expect(await reclaimStale(lockPath, await snapshotLock(lockPath), STALE_MS)).toBe(true);
    expect(await snapshotLock(lockPath)).toBeUndefined();

    await writeOldEmptyLock(lockPath);
    expect(await reclaimStale(lockPath, await snapshotLock(lockPath), STALE_MS)).toBe(true);
    expect(await snapshotLock(lockPath)).toBeUndefined();
    expect(await leftovers(dir)).toEqual([]);
  });

  it('does not remove an unreadable file that was touched since it was judged old', async () => {
    const { lockPath } = await setup();
    await writeOldEmptyLock(lockPath);
    const judged = await snapshotLock(lockPath);
    const now = new Date();
    await fs.utimes(lockPath, now, now);
    expect(await reclaimStale(lockPath, judged, STALE_MS)).toBe(false);
    expect((await snapshotLock(lockPath))?.ino).toBe(judged!.ino);
  });
});

describe('acquiring over a lock that is not a live holder\'s', () => {
  it('takes an old unreadable lock and refuses a fresh one', async () => {
    const { file, lockPath } = await setup();
    await writeOldEmptyLock(lockPath);
    const lock = await acquireLock(file, { staleMs: STALE_MS });
    expect(await lock.isHeld()).toBe(true);
    await lock.release();

    await fs.writeFile(lockPath, '', { mode: 0o600 });
    await expect(acquireLock(file, { staleMs: 60_000 })).rejects.toBeInstanceOf(SessionLockedError);
  });

  it('gives the lock to exactly one of many contenders racing to reclaim a gone holder\'s lock', async () => {
    const { file, lockPath } = await setup();
    await writeDeadHolderLock(lockPath, 'gone-holder');
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => acquireLock(file, { staleMs: STALE_MS })));
    const won = results.filter((r) => r.status === 'fulfilled').map((r) => r.value);
    const lost = results.filter((r) => r.status === 'rejected').map((r) => r.reason as unknown);
    try {
      // Every winner still holding: at most one (a put-back that lost to a third contender is
      // told so by isHeld, never two holders at once).
      const holding = (await Promise.all(won.map((l) => l.isHeld()))).filter(Boolean);
      expect(holding).toHaveLength(1);
      for (const e of lost) expect(e).toBeInstanceOf(SessionLockedError);
    } finally {
      for (const l of won) await l.release();
    }
  });
});
