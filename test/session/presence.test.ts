// Who is in a session file now (issue 24): its live lock holder, as `status` and `sessions` show
// it (text and --json), with when it was last seen (the lock's refreshes touch its mtime). A lock
// whose holder is gone is no one. Real files, a real lock; the dead holder is a real exited pid.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import sessions from '../../src/commands/sessions.js';
import status from '../../src/commands/status.js';
import { openSession, type Session } from '../../src/session/journal.js';
import { lockPathFor } from '../../src/session/lock.js';
import { filePresence, type PresentOperator } from '../../src/session/presence.js';
import { makePlan } from './fixtures/plan.js';
import { io } from './io.js';
import { removeTempDirs, tempDir } from './helpers.js';

afterAll(removeTempDirs);
const opened: Session[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close().catch(() => undefined);
});

describe('presence on the file journal', () => {
  it('is the live lock holder, shown by status and sessions with its last refresh', async () => {
    const dir = await tempDir();
    // Refreshing every 100 ms: "last seen" moves on while the holder lives.
    const s = await openSession({ plan: makePlan({ steps: 4 }), inventoryPath: path.join(dir, 'lab.yaml'), lock: { staleMs: 300 } });
    opened.push(s);
    await s.recordStarted('S001', 'cucm-pub');
    const [first, ...none] = await filePresence(s.file);
    expect(none).toEqual([]);
    expect(first).toEqual({ user: s.lockOwner.user, host: os.hostname(), pid: process.pid, mode: 'alone', since: s.lockOwner.startedAt, lastSeen: expect.any(String), claims: [] });
    const later = await (async () => {
      for (let i = 0; i < 300; i++) {
        await new Promise((r) => setTimeout(r, 50));
        const [p] = await filePresence(s.file);
        if (p && p.lastSeen > first!.lastSeen) return p;
      }
      throw new Error('the holder was never seen again');
    })();
    expect(Date.parse(later.lastSeen)).toBeGreaterThan(Date.parse(first!.lastSeen));

    const st = io(dir);
    expect(await status.run([], st)).toBe(0);
    expect(st.out()).toMatch(new RegExp(`In use by process ${process.pid} on ${os.hostname()} \\(user .*, since ${s.lockOwner.startedAt}, last seen \\d{4}-\\d\\d-\\d\\dT[^)]+\\)\\n`));
    expect(st.out()).toMatch(/In progress:\n {2}S001 .* on cucm-pub/);
    const sj = io(dir);
    expect(await status.run(['--json'], sj)).toBe(0);
    const o = JSON.parse(sj.out()) as { presence: PresentOperator[]; lockedBy: { pid: number } };
    expect(o.presence).toMatchObject([{ pid: process.pid, mode: 'alone', claims: [] }]);
    expect(o.lockedBy.pid).toBe(process.pid);

    const lj = io(dir);
    expect(await sessions.run(['--json'], lj)).toBe(0);
    expect((JSON.parse(lj.out()) as { sessions: { presence?: PresentOperator[] }[] }).sessions[0]!.presence).toMatchObject([{ pid: process.pid, mode: 'alone' }]);
    expect(lj.out()).not.toContain(s.lockOwner.token);
    const lt = io(dir);
    expect(await sessions.run([], lt)).toBe(0);
    expect(lt.out()).toContain(`lock held by process ${process.pid} on ${os.hostname()}`);
  });

  it('is no one when the lock\'s holder is gone, and the started step is interrupted', async () => {
    const dir = await tempDir();
    const s = await openSession({ plan: makePlan({ steps: 4 }), inventoryPath: path.join(dir, 'lab.yaml') });
    await s.recordStarted('S001', 'cucm-pub');
    await s.close();
    // A lock left by a collabsec killed on this host: its pid has exited.
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    const at = new Date().toISOString();
    await fs.writeFile(lockPathFor(s.file), JSON.stringify({ pid: dead, host: os.hostname(), user: 'ops', startedAt: at, refreshedAt: at, token: 'gone' }), { mode: 0o600 });
    expect(await filePresence(s.file)).toEqual([]);
    const st = io(dir);
    expect(await status.run([], st)).toBe(0);
    expect(st.out()).toContain('Not in use');
    expect(st.out()).toMatch(/Interrupted \(re-run the checkpoint first\):\n {2}S001 /);
    const sj = io(dir);
    expect(await status.run(['--json'], sj)).toBe(0);
    expect(JSON.parse(sj.out())).toMatchObject({ presence: [] });
  });
});
