// Who is in a PostgreSQL session now (issue 24): a team's operators with the steps and nodes each
// claimed and when each was last seen, as SessionStore.presence() gives it and as `status` and
// `sessions` show it (text and --json). One operator is a real process (fixtures/team-child.ts),
// the other this test, against a real server (test/support/pg-cluster.ts).
import * as os from 'node:os';
import { describe, expect, it } from 'vitest';
import { BACKEND_ENV } from '../../src/commands/backend.js';
import sessions from '../../src/commands/sessions.js';
import status from '../../src/commands/status.js';
import { openSession, type Session } from '../../src/session/journal.js';
import { connectPostgres, type PgSessionBackend } from '../../src/session/pg-store.js';
import type { PresentOperator } from '../../src/session/presence.js';
import { teamPlan } from './fixtures/plan.js';
import { io } from './io.js';
import { killHard, spawnChild, type Child } from './helpers.js';
import { usePgTeam } from './pg-team-fixture.js';

const t = usePgTeam('presence', { child: true });
const { children, backends, sessions: opened } = t;
/** status / sessions against the PostgreSQL session at `url`. */
const ioFor = (url: string) => io(os.tmpdir(), { [BACKEND_ENV]: url });

const plan = teamPlan(40);

async function backend(url: string): Promise<PgSessionBackend> {
  const b = await connectPostgres(url, { env: {} });
  backends.push(b);
  return b;
}

async function join(url: string): Promise<Session> {
  const s = await openSession({ plan, inventoryPath: '/nonexistent/team.yaml', store: (await backend(url)).store('lab'), team: true, lock: { timeoutMs: 30_000 } });
  opened.push(s);
  return s;
}

/** Polls `f` until `done` holds for its value (generous: the machine is busy). */
async function until<T>(f: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  for (let i = 0; ; i++) {
    const v = await f();
    if (done(v)) return v;
    if (i > 600) throw new Error(`condition never held; last value: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('presence of a team on a PostgreSQL session', () => {
  it('names each operator with its claimed steps and nodes, in presence(), status and sessions; a killed operator drops out', async () => {
    const url = await t.freshDatabase();
    const a = spawnChild(t.script, ['claim', url, 'lab', 'S001']);
    children.push(a);
    await a.waitFor('started S001');
    const childPid = Number(/pid=(\d+)/.exec(await a.waitFor('ready'))![1]);
    const me = await join(url);
    await me.recordStarted('S003');

    const store = (await backend(url)).store('lab');
    const present = await store.presence();
    expect(present).toHaveLength(2);
    const [them, us] = present as [PresentOperator, PresentOperator];
    expect(them).toMatchObject({ pid: childPid, host: os.hostname(), mode: 'team', claims: [{ step: 'S001', nodes: ['shared-node'] }] });
    expect(us).toMatchObject({ pid: process.pid, host: os.hostname(), user: me.lockOwner.user, mode: 'team', claims: [{ step: 'S003', nodes: ['node-3'] }] });
    for (const p of present) {
      expect(Date.parse(p.lastSeen)).toBeGreaterThanOrEqual(Date.parse(p.since));
      expect(Date.parse(p.claims[0]!.since)).toBeGreaterThanOrEqual(Date.parse(p.since));
    }
    // No one holds it alone.
    expect(await store.holder()).toBeUndefined();

    const st = ioFor(url);
    expect(await status.run(['--session', 'lab'], st)).toBe(0);
    expect(st.out()).toContain('In use by a team of 2 operators:');
    expect(st.out()).toContain(`  ${them.user} on ${os.hostname()} (process ${childPid}, since ${them.since}, last seen `);
    expect(st.out()).toMatch(new RegExp(`process ${childPid}, .*\\): working on S001 on shared-node\\n`));
    expect(st.out()).toMatch(new RegExp(`process ${process.pid}, .*\\): working on S003 on node-3\\n`));
    // Both started steps are someone's, in progress: neither is called interrupted.
    expect(st.out()).toMatch(/In progress \(claimed\):\n {2}S001 .*\[claimed by .* process \d+\]\n {2}S003 /);
    expect(st.out()).not.toContain('Interrupted');

    const sj = ioFor(url);
    expect(await status.run(['--session', 'lab', '--json'], sj)).toBe(0);
    const overview = JSON.parse(sj.out()) as { lockedBy?: unknown; presence: PresentOperator[]; interrupted: { id: string; claimedBy?: { pid: number } }[] };
    expect(overview.lockedBy).toBeUndefined();
    expect(overview.presence.map((p) => [p.pid, p.mode, p.claims.map((c) => c.step)])).toEqual([
      [childPid, 'team', ['S001']],
      [process.pid, 'team', ['S003']],
    ]);
    expect(overview.interrupted.map((i) => [i.id, i.claimedBy?.pid])).toEqual([
      ['S001', childPid],
      ['S003', process.pid],
    ]);

    const ls = ioFor(url);
    expect(await sessions.run([], ls)).toBe(0);
    expect(ls.out()).toMatch(new RegExp(`\\n {4}.* \\(process ${childPid}, .*: working on S001 on shared-node\\n {4}.* \\(process ${process.pid}, .*: working on S003 on node-3\\n`));
    const lj = ioFor(url);
    expect(await sessions.run(['--json'], lj)).toBe(0);
    const listed = JSON.parse(lj.out()) as { sessions: { name: string; presence?: PresentOperator[] }[] };
    expect(listed.sessions.map((s) => [s.name, s.presence?.map((p) => p.pid)])).toEqual([['lab', [childPid, process.pid]]]);
    // The claim tokens never leave the database.
    expect(lj.out()).not.toMatch(/token/);

    // kill -9: the operator is gone from this host, so no longer present; its step is interrupted.
    await killHard(a);
    expect((await store.presence()).map((p) => p.pid)).toEqual([process.pid]);
    const after = ioFor(url);
    expect(await status.run(['--session', 'lab'], after)).toBe(0);
    expect(after.out()).toContain('In use by a team of 1 operator:');
    expect(after.out()).toMatch(/Interrupted \(re-run the checkpoint first\):\n {2}S001 /);
    expect(after.out()).toMatch(/In progress \(claimed\):\n {2}S003 /);

    // Its step done, the operator is still present, with nothing claimed.
    await me.recordResult('S003', { outcome: 'passed' });
    expect(await store.presence()).toMatchObject([{ pid: process.pid, claims: [] }]);
    await me.close();
    expect(await store.presence()).toEqual([]);
  }, 180_000);

  it('leaves out an operator whose lease ran out (stopped, never renewed)', async () => {
    const url = await t.freshDatabase();
    const prev = process.env.COLLABSEC_TEAM_TTL_MS;
    process.env.COLLABSEC_TEAM_TTL_MS = '1500';
    let a: Child;
    try {
      a = spawnChild(t.script, ['claim', url, 'lab', 'S001']);
    } finally {
      if (prev === undefined) delete process.env.COLLABSEC_TEAM_TTL_MS;
      else process.env.COLLABSEC_TEAM_TTL_MS = prev;
    }
    children.push(a);
    await a.waitFor('started S001');
    const store = (await backend(url)).store('lab');
    expect((await store.presence()).map((p) => p.claims.map((c) => c.step))).toEqual([['S001']]);
    a.proc.kill('SIGSTOP');
    try {
      // Alive on this host but no longer renewing: present until its lease expires on the server's clock.
      await until(() => store.presence(), (p) => p.length === 0);
    } finally {
      a.proc.kill('SIGCONT');
    }
  }, 180_000);
});
