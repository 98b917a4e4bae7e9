// The journal's contract (contract.ts) on a REAL PostgreSQL server (test/support/pg-cluster.ts:
// initdb in a temp folder, unix socket only), each test in a database of its own; then what only
// the database backend has: its schema migrations, append-only events enforced by the server,
// the lease of a dead holder, and a database that is down at start.
import * as os from 'node:os';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKEND_ENV } from '../../src/commands/backend.js';
import sessions from '../../src/commands/sessions.js';
import status from '../../src/commands/status.js';
import { UserError } from '../../src/errors.js';
import { openSession } from '../../src/session/journal.js';
import { makePlan } from './fixtures/plan.js';
import { io as sessionIo } from './io.js';
import { SCHEMA_VERSION, SchemaTooNewError } from '../../src/session/pg-schema.js';
import { connectPostgres, SessionBackendUnavailableError, type PgSessionBackend } from '../../src/session/pg-store.js';
import { startCluster, type Cluster } from '../support/pg-cluster.js';
import { sessionContract } from './contract.js';

let cluster: Cluster;
let admin: pg.Pool;
let n = 0;

beforeAll(async () => {
  cluster = await startCluster();
  admin = new pg.Pool({ connectionString: cluster.url('postgres'), max: 2 });
}, 180_000);
afterAll(async () => {
  await admin?.end();
  await cluster?.stop();
});

async function freshDatabase(): Promise<string> {
  const name = `t${process.pid}_${++n}`;
  await admin.query(`CREATE DATABASE ${name}`);
  return cluster.url(name);
}

/** Runs `sql` as the server's superuser with triggers off: someone editing the tables by hand. */
async function asDba(b: PgSessionBackend, sql: string, params: unknown[]): Promise<number> {
  const c = await b.pool.connect();
  try {
    await c.query('SET session_replication_role = replica');
    return (await c.query(sql, params)).rowCount ?? 0;
  } finally {
    await c.query('RESET session_replication_role');
    c.release();
  }
}

sessionContract('postgres', {
  backend: async () => connectPostgres(await freshDatabase(), { env: {} }),
  async editEvent(b, name, seq, patch) {
    const changed = await asDba(b as PgSessionBackend, `UPDATE collabsec.events SET event = event || $3::jsonb WHERE session = $1 AND seq = $2 AND generation = (SELECT generation FROM collabsec.sessions WHERE name = $1)`, [name, seq, JSON.stringify(patch)]);
    expect(changed).toBe(1);
  },
  async damage(b, name) {
    expect(await asDba(b as PgSessionBackend, `UPDATE collabsec.sessions SET head = '{"version": 1}' WHERE name = $1`, [name])).toBe(1);
  },
});

describe('the PostgreSQL backend', () => {
  it('creates its schema once, records the migration, and refuses a schema newer than it knows', async () => {
    const url = await freshDatabase();
    const b = await connectPostgres(url, { env: {} });
    const again = await connectPostgres(url, { env: {} });
    const rows = (await b.pool.query<{ version: number; applied_by: string }>('SELECT version, applied_by FROM collabsec.schema_migrations ORDER BY version')).rows;
    expect(rows.map((r) => r.version)).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1));
    expect(rows[0]!.applied_by).toEqual(expect.any(String));
    await again.close();
    await b.pool.query(`INSERT INTO collabsec.schema_migrations (version, name, applied_by) VALUES ($1, 'from the future', 'someone')`, [SCHEMA_VERSION + 1]);
    await b.close();
    const e = (await connectPostgres(url, { env: {} }).catch((x: unknown) => x)) as SchemaTooNewError;
    expect(e).toBeInstanceOf(SchemaTooNewError);
    expect(e.exitCode).toBe(5);
    expect(e.message).toContain(`schema version ${SCHEMA_VERSION + 1}, newer than this collabsec knows (${SCHEMA_VERSION})`);
  });

  it('keeps events append-only in the database itself: UPDATE, DELETE and TRUNCATE are refused', async () => {
    const b = await connectPostgres(await freshDatabase(), { env: {} });
    try {
      const s = await openSession({ plan: makePlan(), inventoryPath: '/srv/inv.yaml', store: b.store('lab') });
      await s.recordStarted('S001');
      await s.close();
      await expect(b.pool.query(`UPDATE collabsec.events SET step = 'S002'`)).rejects.toThrow(/append-only/);
      await expect(b.pool.query('DELETE FROM collabsec.events')).rejects.toThrow(/append-only/);
      await expect(b.pool.query('TRUNCATE collabsec.events CASCADE')).rejects.toThrow(/append-only/);
      expect((await b.pool.query('SELECT count(*)::int AS n FROM collabsec.events')).rows[0]).toEqual({ n: 1 });
    } finally {
      await b.close();
    }
  });

  it('takes over at once the lease of a holder on this host whose process is gone', async () => {
    const b = await connectPostgres(await freshDatabase(), { env: {} });
    try {
      // A pid that is certainly not running: beyond the kernel's pid_max.
      await b.pool.query(`INSERT INTO collabsec.leases VALUES ('lab', gen_random_uuid(), 99999999, $1, 'ops', NULL, now(), now(), now() + interval '1 hour')`, [os.hostname()]);
      const lock = await b.store('lab').acquire();
      expect(await lock.isHeld()).toBe(true);
      expect(await b.store('lab').holder()).toMatchObject({ pid: process.pid });
      await lock.release();
      // The same lease held from another host is respected until it expires.
      await b.pool.query(`INSERT INTO collabsec.leases VALUES ('lab', gen_random_uuid(), 99999999, 'jump-2.example.com', 'ops', NULL, now(), now(), now() + interval '1 hour')`);
      const e = (await b.store('lab').acquire().catch((x: unknown) => x)) as UserError;
      expect(e.message).toContain('process 99999999 on host jump-2.example.com (user ops');
      expect(e.exitCode).toBe(5);
    } finally {
      await b.close();
    }
  });

  it('says once, with exit 5, that a database that is down at start cannot be used', async () => {
    const url = cluster.url('postgres').replace(encodeURIComponent(cluster.socketDir), encodeURIComponent(`${cluster.socketDir}/nothing-here`));
    const e = (await connectPostgres(url, { env: {} }).catch((x: unknown) => x)) as SessionBackendUnavailableError;
    expect(e).toBeInstanceOf(SessionBackendUnavailableError);
    expect(e.exitCode).toBe(5);
    expect(e.message).toMatch(/cannot be used: .*Nothing was run\./);
  });

  it('refuses a URL that carries a password (exit 2), never repeating it', async () => {
    const e = (await connectPostgres('postgres://ops:s3cret-pw@db.example.com/rollouts', { env: {} }).catch((x: unknown) => x)) as UserError;
    expect(e.exitCode).toBe(2);
    expect(`${e.message} ${e.tryMessage ?? ''}`).not.toContain('s3cret-pw');
  });
});

describe('status and sessions with --backend / COLLABSEC_BACKEND', () => {
  const io = (env: NodeJS.ProcessEnv = {}) => sessionIo(os.tmpdir(), env);

  it('shows a session kept in the database and who holds it, and lists it', async () => {
    const url = await freshDatabase();
    const b = await connectPostgres(url, { env: {} });
    const s = await openSession({ plan: makePlan({ steps: 6 }), inventoryPath: '/srv/inv.yaml', store: b.store('lab') });
    try {
      await s.recordStarted('S001');
      await s.recordResult('S001', { outcome: 'passed' });
      const st = io();
      expect(await status.run(['--backend', url, '--session', 'lab', '--json'], st)).toBe(0);
      expect(JSON.parse(st.out())).toMatchObject({ name: 'lab', progress: { done: 1, total: 6 }, lockedBy: { pid: process.pid, host: os.hostname() } });
      const ls = io({ [BACKEND_ENV]: url });
      expect(await sessions.run(['--json'], ls)).toBe(0);
      expect(JSON.parse(ls.out()).sessions).toMatchObject([{ name: 'lab', summary: { done: 1 } }]);
    } finally {
      await s.close();
      await b.close();
    }
  });

  it('stops with exit 5 when the database is down, before reading anything', async () => {
    const url = cluster.url('postgres').replace(encodeURIComponent(cluster.socketDir), encodeURIComponent(`${cluster.socketDir}/nothing-here`));
    const e = (await status.run(['--backend', url], io()).catch((x: unknown) => x)) as UserError;
    expect(e).toBeInstanceOf(SessionBackendUnavailableError);
    expect(e.exitCode).toBe(5);
  });
});
