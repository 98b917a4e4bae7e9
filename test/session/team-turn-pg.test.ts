// The write turn of a team on PostgreSQL (PgSessionStore.writeTurn): the team's writers take
// turns instead of racing on the session's serial, so a write loses the compare-and-swap at most
// once (it is rebased on what the others wrote, then goes through) rather than again and again;
// and an operator stalled in its turn only delays the others, never blocks them. Real server
// (test/support/pg-cluster.ts), real stores; the counting wrapper only observes commits.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openSession, type Session } from '../../src/session/journal.js';
import { connectPostgres, type PgSessionStore } from '../../src/session/pg-store.js';
import { StaleSessionError, type SessionStore } from '../../src/session/store.js';
import { teamPlan } from './fixtures/plan.js';
import { usePgTeam } from './pg-team-fixture.js';

const t = usePgTeam('turn');
const { backends, sessions: opened } = t;

const plan = teamPlan(42);

/** The store, with each successful commit's count of compare-and-swap losses before it. */
function counting(inner: PgSessionStore): { store: SessionStore; lossesPerWrite: number[] } {
  const lossesPerWrite: number[] = [];
  let losses = 0;
  const store: SessionStore = {
    name: inner.name,
    location: inner.location,
    acquire: (o) => inner.acquire(o),
    join: (o) => inner.join(o),
    writeTurn: (w) => inner.writeTurn(w),
    read: () => inner.read(),
    load: () => inner.load(),
    backup: () => inner.backup(),
    holder: () => inner.holder(),
    presence: () => inner.presence(),
    async commit(lock, next, opts) {
      try {
        await inner.commit(lock, next, opts);
      } catch (e) {
        if (e instanceof StaleSessionError) losses++;
        throw e;
      }
      lossesPerWrite.push(losses);
      losses = 0;
    },
  };
  return { store, lossesPerWrite };
}

async function join(url: string, store?: (s: PgSessionStore) => SessionStore): Promise<Session> {
  const b = await connectPostgres(url, { env: {} });
  backends.push(b);
  const s = await openSession({ plan, inventoryPath: '/nonexistent/team.yaml', store: store ? store(b.store('lab')) : b.store('lab'), team: true, lock: { timeoutMs: 30_000 } });
  opened.push(s);
  return s;
}

describe('the write turn of a team', () => {
  it('lets each write lose the compare-and-swap at most once, however many operators write at once', async () => {
    const url = await t.freshDatabase();
    const count = 5;
    // Made first, so the counted writes are the steps' events only.
    await (await join(url)).close();
    const counted = Array.from({ length: count }, () => ({ lossesPerWrite: [] as number[] }));
    const sessions = await Promise.all(
      counted.map((c, k) =>
        join(url, (inner) => {
          const w = counting(inner);
          counted[k] = w;
          return w.store;
        }),
      ),
    );
    // S003…S042, each on a node of its own, dealt out: all operators write at once.
    const ids = plan.steps.slice(2).map((s) => s.id);
    await Promise.all(
      sessions.map(async (s, k) => {
        for (const id of ids.filter((_, i) => i % count === k)) {
          await s.recordStarted(id, 'node');
          await s.recordResult(id, { outcome: 'passed' });
        }
      }),
    );
    const all = counted.flatMap((c) => c.lossesPerWrite);
    // Every step's two events, nothing else.
    expect(all).toHaveLength(ids.length * 2);
    expect(Math.max(...all)).toBeLessThanOrEqual(1);
    // The operators did write in between each other's writes (the turn had something to order).
    expect(all.filter((x) => x === 1).length).toBeGreaterThan(0);
    const state = await sessions[0]!.store.load();
    expect(state.chain?.length).toBe(ids.length * 2);
  }, 120_000);

  it('does not block the team while someone holds the turn and never gives it back', async () => {
    const url = await t.freshDatabase();
    const s = await join(url);
    // A writer stalled in its turn: its connection holds the turn's lock.
    const stalled = new pg.Client({ connectionString: url });
    await stalled.connect();
    try {
      await stalled.query(`SELECT pg_advisory_lock(hashtext('collabsec.write:' || $1))`, ['lab']);
      await s.recordStarted('S003', 'node');
      await s.recordResult('S003', { outcome: 'passed' });
      expect(s.status('S003')).toBe('verified');
    } finally {
      await stalled.end();
    }
    // Given back (its connection gone): the turn is had again at once.
    await s.recordStarted('S004', 'node');
    expect((await s.store.load()).steps.S004!.history.at(-1)!.status).toBe('started');
  }, 120_000);
});

describe('a rebase reads only what was appended', () => {
  it('returns what a whole read returns, fetching only the events after the ones it knew', async () => {
    const url = await t.freshDatabase();
    const a = await join(url);
    const b = await join(url);
    await a.recordStarted('S003', 'node');
    await a.recordResult('S003', { outcome: 'passed' });
    const bStore = b.store as PgSessionStore;
    const known = await bStore.read();
    // Someone else appends after b last looked.
    await a.recordStarted('S004', 'node');
    await a.recordResult('S004', { outcome: 'passed' });
    const whole = await bStore.read();
    expect(whole?.chain?.length).toBe((known?.chain?.length ?? 0) + 2);
    // b writes on the state it knew: the write loses the compare-and-swap once and is rebased.
    await b.recordStarted('S005', 'node');
    expect(b.state.chain?.length).toBe((known?.chain?.length ?? 0) + 3);
    const known2 = b.state;
    // a appends again: b's incremental read equals a whole read.
    await a.recordStarted('S006', 'node');
    expect(await bStore.readNewer(known2)).toEqual(await bStore.read());

    // Proof that the old events are not fetched again: an already stored event changed in place
    // (which collabsec never does) shows in a whole read, not in the incremental one.
    const before = (await bStore.read())!;
    await a.recordResult('S006', { outcome: 'passed' });
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      // The table refuses updates (a trigger); a superuser's replica role skips it, as only a DBA could.
      await admin.query(`SET session_replication_role = replica`);
      await admin.query(`UPDATE collabsec.events SET event = jsonb_set(event, '{user}', '"someone-else"') WHERE session = 'lab' AND seq = 0`);
    } finally {
      await admin.end();
    }
    const newer = await bStore.readNewer(before);
    const again = await bStore.read();
    expect(newer?.chain?.length).toBe(again?.chain?.length);
    expect(newer?.steps.S006!.history.at(-1)!.status).toBe('verified');
    const first = (s: typeof newer) => Object.values(s!.steps).flatMap((r) => r.history).find((e) => e.seq === 0)!;
    expect(first(again).user).toBe('someone-else');
    expect(first(newer).user).not.toBe('someone-else');
  }, 120_000);

  it('falls back to a whole read when it does not know the state given', async () => {
    const url = await t.freshDatabase();
    const a = await join(url);
    await a.recordStarted('S003', 'node');
    const b = await connectPostgres(url, { env: {} });
    backends.push(b);
    const fresh = b.store('lab');
    const stale = { ...a.state, serial: a.state.serial - 1 };
    expect(await fresh.readNewer(stale)).toEqual(await fresh.read());
  }, 120_000);
});
