// Sessions in PostgreSQL, for a team sharing one rollout from several jump hosts (issue 24). A
// session is a head row (collabsec.sessions: everything but the step histories, replaced under
// compare-and-swap on serial) and its events (collabsec.events: inserted once, each with its
// chain seq and hash, never updated — the database refuses it). A write is one transaction:
// lease still ours (fencing), serial as expected (CAS), new events inserted, head replaced.
// The password comes from PGPASSWORD or is asked when the server wants one; it is never put in
// a URL collabsec keeps, a message, or the database.
import pg from 'pg';
import { parseIntoClientConfig } from 'pg-connection-string';
import { ExitCode, UserError } from '../errors.js';
import { CorruptSessionError } from './load.js';
import { currentUser, type LockOptions, type LockOwner, type SessionLock } from './lock.js';
import { acquireLease, assertLeaseIn, assertOperatorIn, joinSession, leaseHolder, sessionPresence } from './pg-lease.js';
import type { PresentOperator } from './presence.js';
import { isConnectionError, reason, SessionBackendUnavailableError } from './pg-errors.js';

export { SessionBackendUnavailableError } from './pg-errors.js';
import { ensureSchema } from './pg-schema.js';
import { sessionSummary, validateSessionName, type SessionListing } from './paths.js';
import { sessionStateSchema, type SessionState, type StepEvent } from './state.js';
import { StaleSessionError, type CommitOptions, type SessionBackend, type SessionStore } from './store.js';

export function isPostgresUrl(spec: string): boolean {
  return /^postgres(ql)?:\/\//i.test(spec);
}

/** The database named without credentials, for every message. */
export function describeUrl(spec: string): string {
  const u = new URL(spec);
  u.password = '';
  u.searchParams.delete('password');
  return u.toString();
}

export interface PgConnectOptions {
  env?: NodeJS.ProcessEnv;
  /** Asked only if the server wants a password and PGPASSWORD is not set. */
  askPassword?: (location: string) => Promise<string>;
}

export async function connectPostgres(spec: string, opts: PgConnectOptions = {}): Promise<PgSessionBackend> {
  const env = opts.env ?? process.env;
  let u: URL;
  try {
    u = new URL(spec);
  } catch {
    throw new UserError('--backend is not a valid postgres:// URL', 'Example: --backend postgres://collabsec@db.example.com/rollouts', ExitCode.usage);
  }
  // A URL is kept in shell history and environment files: the password never goes in one.
  if (u.password !== '' || u.searchParams.has('password'))
    throw new UserError(`The --backend URL carries a password: ${describeUrl(spec)}`, 'Remove it from the URL; set PGPASSWORD in the environment instead, or let collabsec ask for it.', ExitCode.usage);
  const location = describeUrl(spec);
  const config = parseIntoClientConfig(spec);
  const envPassword = env.PGPASSWORD;
  const ask = opts.askPassword;
  const pool = new pg.Pool({
    ...config,
    password: envPassword !== undefined && envPassword !== '' ? envPassword : ask ? () => ask(location) : undefined,
    application_name: 'collabsec',
    max: 4,
    connectionTimeoutMillis: 10_000,
    // Connections must not keep a finished collabsec alive.
    allowExitOnIdle: true,
  });
  // An idle connection the server dropped is an error event on the pool, not a crash.
  pool.on('error', () => undefined);
  // So is the server going away under a connection checked out of the pool: the query in flight
  // fails (and is reported), the connection's own error event must not crash collabsec.
  pool.on('connect', (client) => client.on('error', () => undefined));
  try {
    await ensureSchema(pool, location, currentUser());
  } catch (e) {
    await pool.end().catch(() => undefined);
    if (e instanceof UserError) throw e;
    throw new SessionBackendUnavailableError(location, reason(e), 'start');
  }
  return new PgSessionBackend(pool, location);
}

export class PgSessionBackend implements SessionBackend {
  readonly kind = 'postgres';
  constructor(
    readonly pool: pg.Pool,
    readonly location: string,
  ) {}
  store(name: string): PgSessionStore {
    return new PgSessionStore(this.pool, validateSessionName(name), `${this.location}#${name}`);
  }
  async list(): Promise<SessionListing[]> {
    const names = (await guarded(this.location, () => this.pool.query<{ name: string }>('SELECT name FROM collabsec.sessions ORDER BY name COLLATE "C"'))).rows;
    const out: SessionListing[] = [];
    for (const { name } of names) {
      const store = this.store(name);
      const listing: SessionListing = { name, file: store.location, hasBackup: false };
      const holder = await store.holder();
      if (holder) listing.lockedBy = holder;
      const presence = await store.presence();
      if (presence.length > 0) listing.presence = presence;
      try {
        const state = await store.read();
        if (state) listing.summary = sessionSummary(state);
      } catch (e) {
        if (!(e instanceof CorruptSessionError)) throw e;
        listing.error = e.problem;
      }
      out.push(listing);
    }
    return out;
  }
  async close(): Promise<void> {
    await this.pool.end();
  }
}

async function guarded<T>(location: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof UserError || !isConnectionError(e)) throw e;
    throw new SessionBackendUnavailableError(location, reason(e), 'write');
  }
}

/** How long a team member waits for the write turn before writing without it (compare-and-swap still decides). */
const TURN_WAIT_MS = 5_000;

const REMEDY = 'Nothing was changed. Ask whoever administers the database what happened to this session; start a new one with another --session name meanwhile.';

export class PgSessionStore implements SessionStore {
  /** The generation, serial and chain length of the state this store last read or wrote (readNewer). */
  #seen: { generation: number; serial: number; length: number } | undefined;

  constructor(
    private readonly pool: pg.Pool,
    readonly name: string,
    readonly location: string,
  ) {}

  acquire(opts?: LockOptions): Promise<SessionLock> {
    return guarded(this.location, () => acquireLease(this.pool, this.name, this.location, opts));
  }

  join(opts?: LockOptions): Promise<SessionLock> {
    return guarded(this.location, () => joinSession(this.pool, this.name, this.location, opts));
  }

  holder(): Promise<LockOwner | undefined> {
    return guarded(this.location, () => leaseHolder(this.pool, this.name));
  }

  presence(): Promise<PresentOperator[]> {
    return guarded(this.location, () => sessionPresence(this.pool, this.name));
  }

  /**
   * The write turn: a session-level advisory lock on a connection of its own, held while `write`
   * reads, rebases and commits. Waited for at most TURN_WAIT_MS: an operator stalled in its turn
   * (stopped, on a slow link) only slows the others down, and the server frees its turn when its
   * connection goes. A connection that fails is dropped, never handed back still holding the lock.
   */
  async writeTurn<T>(write: () => Promise<T>): Promise<T> {
    let c: pg.PoolClient;
    try {
      c = await this.pool.connect();
    } catch {
      // No turn to be had: the write itself reports the database as unavailable.
      return write();
    }
    let held = false;
    let failed = false;
    try {
      try {
        await c.query(`SELECT set_config('statement_timeout', $1, false)`, [String(TURN_WAIT_MS)]);
        await c.query(`SELECT pg_advisory_lock(hashtext('collabsec.write:' || $1))`, [this.name]);
        held = true;
        await c.query('RESET statement_timeout');
      } catch (e) {
        failed = true;
        // Waited long enough (57014: statement timeout), or the connection failed: write without the turn.
        if ((e as { code?: string }).code !== '57014' && !isConnectionError(e)) throw e;
      }
      return await write();
    } finally {
      if (held && !failed) await c.query(`SELECT pg_advisory_unlock(hashtext('collabsec.write:' || $1))`, [this.name]).catch(() => (failed = true));
      c.release(failed || undefined);
    }
  }

  /** A database keeps no backup copy of its own: restoring is the DBA's point-in-time recovery. */
  backup(): Promise<undefined> {
    return Promise.resolve(undefined);
  }

  /** Head and events read in one snapshot, so a concurrent write is seen whole or not at all. */
  async read(): Promise<SessionState | undefined> {
    return guarded(this.location, async () => {
      const c = await this.pool.connect();
      let failed = false;
      try {
        await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        const head = (await c.query<{ head: unknown; generation: number }>('SELECT head, generation FROM collabsec.sessions WHERE name = $1', [this.name])).rows[0];
        const events = head ? (await c.query<{ step: string; event: StepEvent }>('SELECT step, event FROM collabsec.events WHERE session = $1 AND generation = $2 ORDER BY seq', [this.name, head.generation])).rows : [];
        await c.query('COMMIT');
        return head ? this.#remember(head.generation, this.#assemble(head.head, events)) : undefined;
      } catch (e) {
        failed = true;
        throw e;
      } finally {
        // A connection that failed mid-transaction is dropped, not handed out again.
        c.release(failed);
      }
    });
  }

  /**
   * The state now, given `known`, the state this store last read or wrote: only the events
   * appended since are fetched (a team member rebasing after a lost compare-and-swap would
   * otherwise read the whole journal again on every lost race). Anything unexpected — another
   * generation (a re-seal), a step `known` lacks, a count that does not add up — falls back to a
   * whole read, so the result is always what read() would return.
   */
  async readNewer(known: SessionState): Promise<SessionState | undefined> {
    const seen = this.#seen;
    const length = known.chain?.length ?? 0;
    if (seen === undefined || seen.serial !== known.serial || seen.length !== length) return this.read();
    const got = await guarded(this.location, async () => {
      const c = await this.pool.connect();
      let failed = false;
      try {
        await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        const head = (await c.query<{ head: unknown; generation: number }>('SELECT head, generation FROM collabsec.sessions WHERE name = $1', [this.name])).rows[0];
        if (head === undefined || head.generation !== seen.generation) {
          await c.query('COMMIT');
          return undefined;
        }
        const events = (await c.query<{ step: string; event: StepEvent }>('SELECT step, event FROM collabsec.events WHERE session = $1 AND generation = $2 AND seq >= $3 ORDER BY seq', [this.name, head.generation, length])).rows;
        await c.query('COMMIT');
        return { head: head.head, generation: head.generation, events };
      } catch (e) {
        failed = true;
        throw e;
      } finally {
        c.release(failed);
      }
    });
    if (got === undefined) return this.read();
    const h = got.head as { steps?: Record<string, { history?: unknown[] }>; chain?: { length?: number } };
    const steps = h.steps ?? {};
    if (Object.keys(steps).some((id) => known.steps[id] === undefined) || (h.chain?.length ?? 0) !== length + got.events.length) return this.read();
    for (const [id, rec] of Object.entries(steps)) rec.history = [...known.steps[id]!.history];
    return this.#remember(got.generation, this.#assemble(got.head, got.events));
  }

  #remember(generation: number, state: SessionState): SessionState {
    this.#seen = { generation, serial: state.serial, length: state.chain?.length ?? 0 };
    return state;
  }

  async load(): Promise<SessionState> {
    const state = await this.read();
    if (state) return state;
    throw new UserError(`No session ${this.location}`, 'Start one with `collabsec run --backend …`, or list sessions with `collabsec sessions --backend …`.', ExitCode.sessionUnavailable);
  }

  #assemble(head: unknown, events: { step: string; event: StepEvent }[]): SessionState {
    const h = head as { steps?: Record<string, { history?: unknown[] }> };
    for (const { step, event } of events) {
      const rec = h.steps?.[step];
      if (rec === undefined || !Array.isArray(rec.history)) throw new CorruptSessionError(this.location, `has an event of step ${step}, which the session does not have`, undefined, REMEDY);
      rec.history.push(event);
    }
    const parsed = sessionStateSchema.safeParse(head);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? issue.path.join('.') : '(root)';
      throw new CorruptSessionError(this.location, `does not match the session schema at ${where}: ${issue?.message ?? 'invalid'}`, undefined, REMEDY);
    }
    return parsed.data;
  }

  async commit(lock: SessionLock, next: SessionState, opts: CommitOptions): Promise<void> {
    await guarded(this.location, async () => {
      const c = await this.pool.connect();
      let failed = false;
      try {
        await c.query('BEGIN');
        if (lock.team) await assertOperatorIn(c, this.location, lock, this.name);
        else await assertLeaseIn(c, this.location, lock, this.name);
        const row = (await c.query<{ serial: number; generation: number; length: number }>(`SELECT serial, generation, coalesce((head->'chain'->>'length')::int, 0) AS length FROM collabsec.sessions WHERE name = $1 FOR UPDATE`, [this.name])).rows[0];
        if (row?.serial !== opts.expectSerial) throw new StaleSessionError(this.location, opts.expectSerial, row?.serial);
        const generation = row === undefined ? 0 : opts.resealed === true ? row.generation + 1 : row.generation;
        const from = row === undefined || opts.resealed === true ? 0 : row.length;
        const fresh = newEvents(next, from);
        const head = { ...next, steps: Object.fromEntries(Object.entries(next.steps).map(([id, r]) => [id, { ...r, history: [] }])) };
        if (row === undefined) await c.query('INSERT INTO collabsec.sessions (name, lineage, serial, generation, head) VALUES ($1, $2, $3, 0, $4)', [this.name, next.lineage, next.serial, head]);
        else await c.query('UPDATE collabsec.sessions SET serial = $2, generation = $3, head = $4, updated_at = now() WHERE name = $1', [this.name, next.serial, generation, head]);
        if (fresh.length > 0)
          await c.query(
            `INSERT INTO collabsec.events (session, generation, seq, step, event, serial)
             SELECT $1, $2, e.seq, e.step, e.event, $3 FROM unnest($4::int[], $5::text[], $6::jsonb[]) AS e(seq, step, event)`,
            [this.name, generation, next.serial, fresh.map((f) => f.event.seq), fresh.map((f) => f.step), fresh.map((f) => JSON.stringify(f.event))],
          );
        await c.query('COMMIT');
        this.#seen = { generation, serial: next.serial, length: next.chain?.length ?? 0 };
      } catch (e) {
        // A write refused (stale serial, lost lease) is rolled back and its connection reused: a
        // team member's rebase must not pay for a new connection. One that failed is dropped.
        failed = isConnectionError(e) || !(await c.query('ROLLBACK').then(
          () => true,
          () => false,
        ));
        // Two operators of a team creating the session at once: the second finds it made.
        if ((e as { code?: string }).code === '23505' && opts.expectSerial === undefined) throw new StaleSessionError(this.location, undefined, 0);
        throw e;
      } finally {
        // A connection that failed mid-transaction is dropped, not handed out again.
        c.release(failed);
      }
    });
  }
}

/**
 * The events of `state` from chain number `from` on, in order. They must follow on without a gap
 * and the chain must end with them: anything else would mean an event already stored was
 * changed, which this store never writes (a re-seal is a new generation instead).
 */
function newEvents(state: SessionState, from: number): { step: string; event: StepEvent & { seq: number } }[] {
  const out: { step: string; event: StepEvent & { seq: number } }[] = [];
  for (const [step, r] of Object.entries(state.steps))
    for (const e of r.history) {
      if (e.seq === undefined || e.hash === undefined) throw new Error(`Event of ${step} without a chain hash: the PostgreSQL store keeps chained journals only`);
      if (e.seq >= from) out.push({ step, event: e as StepEvent & { seq: number } });
    }
  out.sort((a, b) => a.event.seq - b.event.seq);
  const length = state.chain?.length ?? 0;
  if (out.some((x, i) => x.event.seq !== from + i) || from + out.length !== length) throw new Error(`Events to append do not follow the stored chain (from #${from} to #${length})`);
  return out;
}
