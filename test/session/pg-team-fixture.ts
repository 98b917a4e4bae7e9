// The shared set-up of the PostgreSQL team tests: one throwaway cluster per test file (real
// server, test/support/pg-cluster.ts), a fresh database per test, and everything a test opened
// (operator processes, sessions, backends) closed after it, so no test sees another's leftovers.
import pg from 'pg';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Session } from '../../src/session/journal.js';
import type { PgSessionBackend } from '../../src/session/pg-store.js';
import { startCluster, type Cluster } from '../support/pg-cluster.js';
import { bundleChild, killHard, removeTempDirs, type Child } from './helpers.js';

export interface PgTeamFixture {
  readonly cluster: Cluster;
  /** The bundled fixtures/team-child.ts, when asked for. */
  readonly script: string;
  /** A new empty database on the cluster; its URL. */
  freshDatabase(): Promise<string>;
  /** Killed / closed after each test. */
  children: Child[];
  sessions: Session[];
  backends: PgSessionBackend[];
}

/** Registers the hooks; the fields are valid inside tests. `prefix` names the databases. */
export function usePgTeam(prefix: string, opts: { child?: boolean } = {}): PgTeamFixture {
  let cluster: Cluster | undefined;
  let admin: pg.Pool | undefined;
  let script = '';
  let n = 0;
  const f: PgTeamFixture = {
    get cluster() {
      return cluster!;
    },
    get script() {
      return script;
    },
    async freshDatabase() {
      const name = `${prefix}${process.pid}_${++n}`;
      await admin!.query(`CREATE DATABASE ${name}`);
      return cluster!.url(name);
    },
    children: [],
    sessions: [],
    backends: [],
  };
  beforeAll(async () => {
    [cluster, script] = await Promise.all([startCluster(), opts.child ? bundleChild('team-child.ts') : Promise.resolve('')]);
    admin = new pg.Pool({ connectionString: cluster.url('postgres'), max: 2 });
    admin.on('error', () => undefined);
  }, 180_000);
  afterAll(async () => {
    await admin?.end();
    await cluster?.stop();
    await removeTempDirs();
  });
  afterEach(async () => {
    for (const c of f.children.splice(0)) await killHard(c);
    for (const s of f.sessions.splice(0)) await s.close().catch(() => undefined);
    for (const b of f.backends.splice(0)) await b.close().catch(() => undefined);
  });
  return f;
}
