// A team on one PostgreSQL session (issue 24 slice 3), with real operator processes
// (fixtures/team-child.ts) against a real server (test/support/pg-cluster.ts): per-node claims
// that expire with their holder, a writer killed by SIGKILL mid-append, 2 and 10 operators
// appending at once, and the database restarted under a running operator. No test depends on a
// tight wall-clock bound: waits are for lines the children print, with generous ceilings.
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BACKEND_ENV } from '../../src/commands/backend.js';
import sessions from '../../src/commands/sessions.js';
import type { UserError } from '../../src/errors.js';
import { verifyJournal } from '../../src/session/chain.js';
import { openSession, type Session } from '../../src/session/journal.js';
import { NodeClaimedError, SessionLockedError } from '../../src/session/lock.js';
import { connectPostgres, SessionBackendUnavailableError, type PgSessionBackend } from '../../src/session/pg-store.js';
import type { SessionState } from '../../src/session/state.js';
import { makePlan, teamPlan } from './fixtures/plan.js';
import { io as sessionIo } from './io.js';
import { killHard, spawnChild, tempDir, type Child } from './helpers.js';
import { usePgTeam } from './pg-team-fixture.js';

const t = usePgTeam('team', { child: true });
const { children, backends, sessions: sessions_ } = t;

function operator(args: string[]): Child {
  const c = spawnChild(t.script, args);
  children.push(c);
  return c;
}
// spawnChild passes the parent's environment: the children's knobs go through it.
function withEnv<T>(env: Record<string, string>, f: () => T): T {
  const old = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return f();
  } finally {
    for (const [k, v] of Object.entries(old)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
  }
}

const plan = teamPlan(40);

async function join(url: string, opts: { ttlMs?: number } = {}): Promise<{ b: PgSessionBackend; s: Session }> {
  const b = await connectPostgres(url, { env: {} });
  backends.push(b);
  const s = await openSession({ plan, inventoryPath: '/nonexistent/team.yaml', store: b.store('lab'), team: true, lock: { timeoutMs: 30_000, ...(opts.ttlMs !== undefined ? { staleMs: opts.ttlMs } : {}) } });
  sessions_.push(s);
  return { b, s };
}

/** Every event of the session in chain order, straight from the table. */
async function events(b: PgSessionBackend): Promise<{ seq: number; serial: number; step: string; status: string }[]> {
  return (await b.pool.query<{ seq: number; serial: number; step: string; status: string }>(`SELECT seq, serial, step, event->>'status' AS status FROM collabsec.events WHERE session = 'lab' ORDER BY seq`)).rows;
}

function expectConsistent(rows: { seq: number; serial: number }[], chainLength: number): void {
  expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: rows.length }, (_, i) => i));
  expect(rows.length).toBe(chainLength);
  for (let i = 1; i < rows.length; i++) expect(rows[i]!.serial).toBeGreaterThan(rows[i - 1]!.serial);
}

describe('per-node claims', () => {
  it('lets two operators work different nodes at once, refuses a held node naming who holds it, and frees the claim of a killed holder', async () => {
    const url = await t.freshDatabase();
    const a = operator(['claim', url, 'lab', 'S001']);
    await a.waitFor('started S001');
    const pid = Number(/pid=(\d+)/.exec(await a.waitFor('ready'))![1]);
    const { b, s } = await join(url);

    // S002 changes the node S001 holds: refused, naming the holder.
    const e = (await s.recordStarted('S002').catch((x: unknown) => x)) as NodeClaimedError;
    expect(e).toBeInstanceOf(NodeClaimedError);
    expect(e.message).toContain('node shared-node is claimed by');
    expect(e.message).toContain(`on host ${os.hostname()} (process ${pid}, since `);
    expect(e.message).toContain('for step S001');
    expect(e.exitCode).toBe(5);
    // The same step from a second operator is refused too.
    await expect(s.recordStarted('S001')).rejects.toBeInstanceOf(NodeClaimedError);
    // Another node is free: both operators work the session at once.
    await s.recordStarted('S003');
    await s.recordResult('S003', { outcome: 'passed' });
    expect(s.status('S003')).toBe('verified');
    // No one takes the session alone while the team works on it.
    await expect(b.store('lab').acquire()).rejects.toBeInstanceOf(SessionLockedError);

    // kill -9: no cleanup runs; the holder is gone from this host, its claim is taken at once.
    await killHard(a);
    await s.recordStarted('S002');
    await s.recordResult('S002', { outcome: 'passed' });
    // S001 was left started by an operator who is gone: in doubt for the next who joins.
    const { s: next } = await join(url);
    expect(next.interruptedOnOpen).toEqual(['S001']);
    expect(next.status('S001')).toBe('interrupted');
  });

  it('refuses an outcome recorded for a step another operator has in flight, but not for a step that only shares its node', async () => {
    const url = await t.freshDatabase();
    const a = operator(['claim', url, 'lab', 'S001']);
    await a.waitFor('started S001');
    await a.waitFor('ready');
    const { s } = await join(url);

    // By hand, skipped or overridden from another seat while its operator runs it: refused, naming who.
    for (const write of [() => s.recordResult('S001', { outcome: 'passed' }), () => s.recordSkip('S001', 'done elsewhere'), () => s.recordOverride('S001', 'accepted')]) {
      const e = (await write().catch((x: unknown) => x)) as NodeClaimedError;
      expect(e).toBeInstanceOf(NodeClaimedError);
      expect(e.refused).toBe('record');
      expect(e.message).toContain('Step S001 cannot be recorded from here: step S001 is claimed by');
      expect(e.message).toContain('for step S001');
    }
    expect(s.status('S001')).toBe('started');
    // S002 only shares S001's node: recording its outcome sends nothing to the node, so it goes through.
    await s.recordSkip('S002', 'not in this change');
    expect(s.status('S002')).toBe('skipped');
    // The step's claim taken for the write was given back: the holder of S001 is not blocked by it,
    // and once S001's operator is gone this seat can start S003 (another node) and record S001's outcome.
    await s.recordStarted('S003');
    await s.recordResult('S003', { outcome: 'passed' });
    await killHard(a);
    await s.recordResult('S001', { outcome: 'failed' });
    expect(s.status('S001')).toBe('failed');
  });

  it('claims the nodes of a step done by hand while its checkpoint is open, without journaling it started', async () => {
    const url = await t.freshDatabase();
    const a = operator(['claim', url, 'lab', 'S001']);
    await a.waitFor('started S001');
    const pid = Number(/pid=(\d+)/.exec(await a.waitFor('ready'))![1]);
    const { b, s } = await join(url);
    const claims = async () => (await b.pool.query<{ step: string; node: string }>(`SELECT step, node FROM collabsec.claims WHERE session = 'lab' AND token = $1 ORDER BY node`, [s.lockOwner.token])).rows;

    // S002 shares S001's node: done by hand, it is refused as a start is, naming who holds the node.
    const e = (await s.holdByHand('S002').catch((x: unknown) => x)) as NodeClaimedError;
    expect(e).toBeInstanceOf(NodeClaimedError);
    expect(e.refused).toBe('by-hand');
    expect(e.message).toContain('Step S002 cannot be done by hand now: node shared-node is claimed by');
    expect(e.message).toContain(`on host ${os.hostname()} (process ${pid}, since `);
    expect(e.message).toContain('for step S001');
    // The exit code of a sent step's refusal.
    const start = (await s.recordStarted('S002').catch((x: unknown) => x)) as NodeClaimedError;
    expect(start).toBeInstanceOf(NodeClaimedError);
    expect(e.exitCode).toBe(start.exitCode);
    expect(await claims()).toEqual([]);

    // Another node: held (step and node) until the outcome is recorded, with no "started" on record.
    const held = await s.holdByHand('S003');
    expect(await claims()).toEqual([
      { step: 'S003', node: 'node:node-3' },
      { step: 'S003', node: 'step:S003' },
    ]);
    expect(s.status('S003')).toBe('pending');
    await s.recordResult('S003', { outcome: 'passed', checkpoint: { method: 'operator', outcome: 'passed' } });
    expect(await claims()).toEqual([]);
    await held.release();
    expect((await events(b)).filter((r) => r.step === 'S003').map((r) => r.status)).toEqual(['verified']);

    // Put off (its checkpoint not answered): given back, so another operator may take the node.
    const later = await s.holdByHand('S004');
    expect((await claims()).map((c) => c.node)).toEqual(['node:node-4', 'step:S004']);
    await later.release();
    expect(await claims()).toEqual([]);
    // A step this operator started keeps the claim of its start: a by-hand hold's release leaves it.
    await s.recordStarted('S005');
    await (await s.holdByHand('S005')).release();
    expect((await claims()).map((c) => c.node)).toEqual(['node:node-5', 'step:S005']);
  });

  it('lets the claim of a holder that stopped renewing expire, and only then', async () => {
    const url = await t.freshDatabase();
    // A stopped process (SIGSTOP) is alive on this host: only its lease's expiry frees its claim.
    const a = withEnv({ COLLABSEC_TEAM_TTL_MS: '1500' }, () => operator(['claim', url, 'lab', 'S001']));
    await a.waitFor('started S001');
    const { s } = await join(url);
    a.proc.kill('SIGSTOP');
    try {
      await expect(s.recordStarted('S002')).rejects.toBeInstanceOf(NodeClaimedError);
      let refused = 0;
      for (const deadline = Date.now() + 120_000; ; ) {
        const e = await s.recordStarted('S002').catch((x: unknown) => x);
        if (e === undefined) break;
        expect(e).toBeInstanceOf(NodeClaimedError);
        refused++;
        if (Date.now() > deadline) throw new Error('the claim never expired');
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(refused).toBeGreaterThanOrEqual(0);
      expect(s.status('S002')).toBe('started');
    } finally {
      a.proc.kill('SIGCONT');
    }
  });
});

describe('a writer killed by SIGKILL mid-append', () => {
  it('leaves the session consistent, its step in doubt', async () => {
    const url = await t.freshDatabase();
    const b = await connectPostgres(url, { env: {} });
    backends.push(b);
    let inDoubt = 0;
    for (let round = 0; round < 12 && (inDoubt === 0 || round < 3); round++) {
      const w = operator(['loop', url, 'lab']);
      await w.waitFor('ready');
      // Let it write a few events, then kill it wherever it is.
      const target = round * 7 + 5;
      await w.waitFor(`ok ${target + (await b.store('lab').load()).serial}`).catch(() => undefined);
      await killHard(w);
      const state = await b.store('lab').load();
      expect(verifyJournal(state).kind).toBe('chained');
      expectConsistent(await events(b), state.chain!.length);
      const started = Object.values(state.steps).filter((r) => r.history.at(-1)?.status === 'started').map((r) => r.id);
      expect(started.length).toBeLessThanOrEqual(1);
      // The next operator finds the step in doubt: interrupted, to be re-checked, never re-sent.
      const { s } = await join(url);
      expect(s.interruptedOnOpen).toEqual(started);
      inDoubt += started.length;
      await s.close();
    }
    expect(inDoubt).toBeGreaterThan(0);
  });
});

describe('operators appending at once', () => {
  for (const count of [2, 10]) {
    it(`${count} operator processes: no event lost or duplicated, serial strictly increasing`, async () => {
      const url = await t.freshDatabase();
      // S003…S040 (S001/S002 share a node), dealt out so each operator has its own steps.
      const ids = plan.steps.slice(2).map((s) => s.id);
      const mine = Array.from({ length: count }, (_, k) => ids.filter((_, i) => i % count === k));
      const ops = mine.map((steps) => operator(['work', url, 'lab', steps.join(',')]));
      const done = await Promise.all(ops.map((o) => o.waitFor('done', 240_000)));
      for (const o of ops) expect(o.lines.filter((l) => l.startsWith('refused'))).toEqual([]);
      const total = done.reduce((sum, l) => sum + Number(l.split(' ')[1]), 0);
      expect(total).toBe(ids.length * 2);
      const b = await connectPostgres(url, { env: {} });
      backends.push(b);
      const state = await b.store('lab').load();
      expect(verifyJournal(state).kind).toBe('chained');
      const rows = await events(b);
      expectConsistent(rows, state.chain!.length);
      expect(rows.length).toBe(total);
      for (const id of ids) expect(rows.filter((r) => r.step === id).map((r) => r.status)).toEqual(['started', 'verified']);
      // Each operator's acknowledged writes are all there, each serial once.
      const acked = ops.flatMap((o) => o.lines.filter((l) => l.startsWith('ok ')).map((l) => Number(l.slice(3))));
      expect(new Set(acked).size).toBe(acked.length);
      for (const serial of acked) expect(serial).toBeLessThanOrEqual(state.serial);
    }, 300_000);
  }
});

describe('the database restarted mid-run', () => {
  it('reports a clear error while it is down, goes on when it is back, and loses no event', async () => {
    const url = await t.freshDatabase();
    const w = operator(['retry', url, 'lab']);
    await w.waitFor('ready');
    await w.waitFor('ok 10');
    t.cluster.halt();
    try {
      const err = await w.waitFor('error', 120_000);
      expect(err).toMatch(/The session database .* cannot be used: .*This change was not recorded\./);
    } finally {
      t.cluster.restart();
    }
    const last = Number(w.lines.filter((l) => l.startsWith('ok ')).at(-1)!.slice(3));
    await w.waitFor(`ok ${last + 6}`, 120_000);
    await killHard(w);
    const b = await connectPostgres(url, { env: {} });
    backends.push(b);
    const state = await b.store('lab').load();
    expect(verifyJournal(state).kind).toBe('chained');
    expectConsistent(await events(b), state.chain!.length);
    // Every write the operator was told is durable is there.
    const acked = w.lines.filter((l) => l.startsWith('ok ')).map((l) => Number(l.slice(3)));
    expect(Math.max(...acked)).toBeLessThanOrEqual(state.serial);
    expect(new Set(acked).size).toBe(acked.length);
    // The direct error type, for an in-process client.
    t.cluster.halt();
    try {
      const { s } = await join(url).catch(() => ({ s: undefined }));
      expect(s).toBeUndefined();
      const e = await connectPostgres(url, { env: {} }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(SessionBackendUnavailableError);
    } finally {
      t.cluster.restart();
    }
  }, 300_000);
});

describe('sessions export / import between the file journal and PostgreSQL', () => {
  const io = (env: NodeJS.ProcessEnv = {}) => sessionIo(os.tmpdir(), env);

  it('round-trips a session file → database → file with its history and hash chain unchanged', async () => {
    const url = await t.freshDatabase();
    const dir = await tempDir();
    const s = await openSession({ plan: makePlan({ steps: 6 }), inventoryPath: path.join(dir, 'inv.yaml'), dir, name: 'lab' });
    await s.recordStarted('S001', 'cucm-pub');
    await s.recordResult('S001', { outcome: 'passed', checkpoint: { method: 'operator', outcome: 'passed' } });
    await s.recordStarted('S002');
    await s.recordResult('S002', { outcome: 'failed' });
    await s.recordOverride('S002', 'known cosmetic difference');
    await s.addNote('S001', 'checked by hand too');
    await s.close();
    const original = JSON.parse(await fs.readFile(path.join(dir, 'lab.json'), 'utf8')) as SessionState;

    const out1 = path.join(dir, 'exported.json');
    expect(await sessions.run(['export', '--dir', dir, '--session', 'lab', '--out', out1], io())).toBe(0);
    const toDb = io({ [BACKEND_ENV]: url });
    expect(await sessions.run(['import', out1], toDb)).toBe(0);
    expect(toDb.err()).toContain('Imported session lab into');

    const b = await connectPostgres(url, { env: {} });
    backends.push(b);
    const inDb = await b.store('lab').load();
    expect(inDb).toEqual(original);
    expect(verifyJournal(inDb)).toMatchObject({ kind: 'chained', events: original.chain!.length });
    expect((await events(b)).length).toBe(original.chain!.length);
    // Imported again: refused, nothing changed.
    await expect(sessions.run(['import', out1, '--backend', url], io())).rejects.toMatchObject({ exitCode: 5 });

    const out2 = path.join(dir, 'back.json');
    expect(await sessions.run(['export', '--backend', url, '--out', out2], io())).toBe(0);
    const back = path.join(dir, 'elsewhere');
    expect(await sessions.run(['import', out2, '--dir', back], io())).toBe(0);
    const again = JSON.parse(await fs.readFile(path.join(back, 'lab.json'), 'utf8')) as SessionState;
    expect(again).toEqual(original);
    // The database's copy goes on: opened and written there, its chain still whole.
    const more = await openSession({ plan: makePlan({ steps: 6 }), inventoryPath: path.join(dir, 'inv.yaml'), store: b.store('lab'), team: true });
    sessions_.push(more);
    await more.recordStarted('S003');
    expect(verifyJournal(await b.store('lab').load())).toMatchObject({ kind: 'chained', events: original.chain!.length + 1 });
  });

  it('refuses a session file edited outside collabsec, importing nothing', async () => {
    const url = await t.freshDatabase();
    const dir = await tempDir();
    const s = await openSession({ plan: makePlan({ steps: 3 }), inventoryPath: path.join(dir, 'inv.yaml'), dir, name: 'lab' });
    await s.recordStarted('S001');
    await s.close();
    const state = JSON.parse(await fs.readFile(path.join(dir, 'lab.json'), 'utf8')) as SessionState;
    state.steps.S001!.history[0]!.user = 'someone-else';
    const edited = path.join(dir, 'edited.json');
    await fs.writeFile(edited, JSON.stringify(state));
    const e = (await sessions.run(['import', edited, '--backend', url], io()).catch((x: unknown) => x)) as UserError;
    expect(e.exitCode).toBe(5);
    expect(e.message).toContain('edited outside collabsec');
    const b = await connectPostgres(url, { env: {} });
    backends.push(b);
    expect(await b.list()).toEqual([]);
  });
});
