// One operator process of the sessions benchmark (bench/sessions.ts). argv: backend session
// total-steps operators index, where backend is a session folder or a postgres:// URL. It
// connects, prints "ready", waits for "go" on stdin (so every operator starts at once), works its
// share of the steps (every `operators`-th, from `index`), and prints one "result <json>" line:
// - file: each step takes the session's lock (waiting its turn), opens the session, records
//   started and verified, closes (one writer at a time: the file journal's rule);
// - postgres: joined once as one of the team; each step claims its node, records started and
//   verified, and releases the claim.
// The store is wrapped to time the lock or claim and to count compare-and-set retries; an append
// is the time of one recordStarted / recordResult call less the claim work inside it.
import { performance } from 'node:perf_hooks';
import * as path from 'node:path';
import { openSession, type Session } from '../src/session/journal.js';
import { FileSessionStore } from '../src/session/file-store.js';
import type { LockOptions, SessionLock } from '../src/session/lock.js';
import { connectPostgres, isPostgresUrl } from '../src/session/pg-store.js';
import { StaleSessionError, type SessionStore } from '../src/session/store.js';
import { benchTeamPlan } from './sessions-plan.js';

export interface OperatorResult {
  /** ms per event appended (started or verified). */
  append: number[];
  /** ms per step spent taking and giving back the lock (file) or the claim (postgres). */
  lock: number[];
  /** Writes refused by compare-and-set on serial and rebased. */
  retries: number;
  events: number;
}

const [spec, name, total, operators, index] = process.argv.slice(2) as [string, string, string, string, string];
const plan = benchTeamPlan(Number(total));
const mine = plan.steps.map((s) => s.id).filter((_, i) => i % Number(operators) === Number(index));
const pg = isPostgresUrl(spec);
const backend = pg ? await connectPostgres(spec, { env: process.env }) : undefined;
const inner: SessionStore = backend ? backend.store(name) : new FileSessionStore(path.join(spec, `${name}.json`), name);

let lockMs = 0;
let retries = 0;
const timedLock = (l: SessionLock): SessionLock => {
  const team = l.team;
  return {
    ...l,
    async release() {
      const t = performance.now();
      await l.release();
      lockMs += performance.now() - t;
    },
    ...(team
      ? {
          team: {
            async claim(step: string, nodes: readonly string[]) {
              const t = performance.now();
              const c = await team.claim(step, nodes);
              lockMs += performance.now() - t;
              return {
                step: c.step,
                async release() {
                  const t2 = performance.now();
                  await c.release();
                  lockMs += performance.now() - t2;
                },
              };
            },
            claimedByOthers: () => team.claimedByOthers(),
          },
        }
      : {}),
  };
};
const store: SessionStore = {
  name: inner.name,
  location: inner.location,
  async acquire(opts?: LockOptions) {
    const t = performance.now();
    const l = await inner.acquire(opts);
    lockMs += performance.now() - t;
    return timedLock(l);
  },
  ...(inner.join ? { join: async (opts?: LockOptions) => timedLock(await inner.join!(opts)) } : {}),
  ...(inner.writeTurn ? { writeTurn: <T>(write: () => Promise<T>) => inner.writeTurn!(write) } : {}),
  read: () => inner.read(),
  load: () => inner.load(),
  async commit(lock, next, opts) {
    try {
      await inner.commit(lock, next, opts);
    } catch (e) {
      if (e instanceof StaleSessionError) retries++;
      throw e;
    }
  },
  backup: () => inner.backup(),
  holder: () => inner.holder(),
  presence: () => inner.presence(),
};

const open = () => openSession({ plan, inventoryPath: '/nonexistent/bench.yaml', store, team: pg, lock: { timeoutMs: 600_000 } });
const result: OperatorResult = { append: [], lock: [], retries: 0, events: 0 };
/** Times one event's write, less the lock/claim work done inside it. */
async function append(write: () => Promise<void>): Promise<void> {
  const before = lockMs;
  const t = performance.now();
  await write();
  result.append.push(performance.now() - t - (lockMs - before));
  result.events++;
}

const team: Session | undefined = pg ? await open() : undefined;
process.stdout.write('ready\n');
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
for (const id of mine) {
  const before = lockMs;
  const s = team ?? (await open());
  await append(() => s.recordStarted(id, 'node'));
  await append(() => s.recordResult(id, { outcome: 'passed', checkpoint: { method: 'operator', outcome: 'passed' } }));
  if (!team) await s.close();
  result.lock.push(lockMs - before);
}
await team?.close();
await backend?.close();
result.retries = retries;
process.stdout.write(`result ${JSON.stringify(result)}\n`);
