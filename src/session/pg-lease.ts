// The PostgreSQL backend's session lock: a lease row (collabsec.leases), not an advisory lock.
// An advisory lock belongs to one connection: it names no holder a refused engineer could be
// told about (user, host, since), it vanishes silently when the connection drops (a server
// restart, a NAT timeout) while the holder believes it still writes alone, and it cannot express
// the per-node claims with expiry that come next (issue 24, slice 3). A lease row says who holds
// it, expires on the SERVER's clock (no skew between jump hosts) unless renewed, and every write
// re-checks it inside the write's own transaction (fencing). A holder on this host whose process
// is gone is reclaimed at once, as the file lock does; elsewhere, once its lease expired.
import { randomUUID } from 'node:crypto';
import * as os from 'node:os';
import type { Pool, PoolClient } from 'pg';
import { UserError } from '../errors.js';
import { isConnectionError, reason, SessionBackendUnavailableError } from './pg-errors.js';
import type { PresenceClaim, PresentOperator } from './presence.js';
import { currentUser, NodeClaimedError, pidAlive, processStart, SessionLockedError, type LockOptions, type LockOwner, type NodeClaim, type SessionLock, type TeamLock } from './lock.js';

interface LeaseRow {
  token: string;
  pid: number;
  host: string;
  os_user: string;
  pid_start: string | null;
  started_at: Date;
  refreshed_at: Date;
  live: boolean;
}

const COLUMNS = `token, pid, host, os_user, pid_start, started_at, refreshed_at, expires_at > now() AS live`;

function ownerOf(r: LeaseRow): LockOwner {
  return { token: r.token, pid: r.pid, host: r.host, user: r.os_user, startedAt: r.started_at.toISOString(), refreshedAt: r.refreshed_at.toISOString(), ...(r.pid_start !== null ? { pidStart: r.pid_start } : {}) };
}

/** A lease whose holder ran on this host and is gone (or whose pid now names another process). */
function holderGone(r: LeaseRow): boolean {
  if (r.host !== os.hostname()) return false;
  if (!pidAlive(r.pid)) return true;
  const start = r.pid_start === null ? undefined : processStart(r.pid);
  return start !== undefined && start !== r.pid_start;
}

async function leaseRow(c: Pool | PoolClient, session: string): Promise<LeaseRow | undefined> {
  return (await c.query<LeaseRow>(`SELECT ${COLUMNS} FROM collabsec.leases WHERE session = $1`, [session])).rows[0];
}

/** The live holder of a session's lease, if any. */
export async function leaseHolder(pool: Pool | PoolClient, session: string): Promise<LockOwner | undefined> {
  const r = await leaseRow(pool, session);
  return r !== undefined && r.live && !holderGone(r) ? ownerOf(r) : undefined;
}

/**
 * Who is in the session now: the live lease holder (alone), or the live operators of a team with
 * the steps and nodes they claimed. Expired rows and holders gone from this host are left out,
 * as the next join or claim would sweep them.
 */
export async function sessionPresence(pool: Pool, session: string): Promise<PresentOperator[]> {
  const out: PresentOperator[] = [];
  const lease = await leaseRow(pool, session);
  if (lease !== undefined && lease.live && !holderGone(lease)) out.push({ ...presentOf(lease), mode: 'alone', claims: [] });
  const ops = (await pool.query<LeaseRow>(`SELECT ${COLUMNS} FROM collabsec.operators WHERE session = $1 AND expires_at > now() ORDER BY started_at, token`, [session])).rows.filter((r) => !holderGone(r));
  if (ops.length === 0) return out;
  const rows = (
    await pool.query<{ token: string; step: string; node: string; since: Date }>(`SELECT token::text AS token, step, node, since FROM collabsec.claims WHERE session = $1 AND token = ANY($2::uuid[]) ORDER BY since, step, node`, [
      session,
      ops.map((r) => r.token),
    ])
  ).rows;
  for (const op of ops) {
    const claims = new Map<string, PresenceClaim>();
    for (const r of rows.filter((x) => x.token === op.token)) {
      const c = claims.get(r.step) ?? { step: r.step, nodes: [], since: r.since.toISOString() };
      claims.set(r.step, c);
      // A claim's keys are "step:<id>" (the step itself) and "node:<name>" (each node it changes).
      if (r.node.startsWith('node:')) c.nodes.push(r.node.slice('node:'.length));
      if (r.since.toISOString() < c.since) c.since = r.since.toISOString();
    }
    out.push({ ...presentOf(op), mode: 'team', claims: [...claims.values()] });
  }
  return out;
}

function presentOf(r: LeaseRow): Omit<PresentOperator, 'mode' | 'claims'> {
  return { user: r.os_user, host: r.host, pid: r.pid, since: r.started_at.toISOString(), lastSeen: r.refreshed_at.toISOString() };
}

export function leaseRemedy(location: string, holder: LockOwner | undefined, lost: boolean): string {
  if (lost) return 'Close this collabsec and run collabsec resume: the step in progress is re-checked, never re-sent blindly.';
  return holder
    ? `Close that collabsec first (${holder.host === os.hostname() ? 'it is still running on this host' : `on ${holder.host}`}). If it is gone, its lease on ${location} expires once it is no longer renewed.`
    : 'Try again: the lease was released meanwhile.';
}

/**
 * Fencing inside a write's transaction: the lease must still be ours and unexpired, and it stays
 * so until the transaction ends (FOR UPDATE), so no one takes it over between check and write.
 */
export async function assertLeaseIn(c: PoolClient, where: string, lock: SessionLock, session: string): Promise<void> {
  const ok = await c.query(`SELECT 1 FROM collabsec.leases WHERE session = $1 AND token = $2 AND expires_at > now() FOR UPDATE`, [session, lock.owner.token]);
  if (ok.rowCount === 1) return;
  const holder = await leaseHolder(c, session);
  throw new SessionLockedError(where, holder, true, leaseRemedy(where, holder, true));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `fn` in a transaction holding the session's advisory lock: who takes the session alone and
 * who joins it or claims its nodes are decided one at a time, so no two of them both win.
 */
async function serialised<T>(pool: Pool, session: string, where: string, fn: (c: PoolClient) => Promise<T>): Promise<T> {
  // The database going away (a restart, a dropped link) is the operator's one-line error, exit 5.
  const c = await pool.connect().catch((e: unknown) => {
    throw isConnectionError(e) ? new SessionBackendUnavailableError(where, reason(e), 'write') : e;
  });
  let failed = false;
  try {
    await c.query('BEGIN');
    await c.query(`SELECT pg_advisory_xact_lock(hashtext('collabsec.session:' || $1))`, [session]);
    const out = await fn(c);
    await c.query('COMMIT');
    return out;
  } catch (e) {
    failed = true;
    await c.query('ROLLBACK').catch(() => undefined);
    if (!(e instanceof UserError) && isConnectionError(e)) throw new SessionBackendUnavailableError(where, reason(e), 'write');
    throw e;
  } finally {
    // A connection that failed mid-transaction is dropped, not handed out again.
    c.release(failed);
  }
}

/** Removes the session's operators that are gone (expired, or dead on this host); their claims go with them. */
async function sweepOperators(c: PoolClient, session: string): Promise<void> {
  await c.query('DELETE FROM collabsec.operators WHERE session = $1 AND expires_at <= now()', [session]);
  const here = (await c.query<LeaseRow>(`SELECT ${COLUMNS} FROM collabsec.operators WHERE session = $1 AND host = $2`, [session, os.hostname()])).rows;
  const gone = here.filter(holderGone).map((r) => r.token);
  if (gone.length > 0) await c.query('DELETE FROM collabsec.operators WHERE token = ANY($1::uuid[])', [gone]);
}

/** A live operator of the session other than `token`, if any. */
async function liveOperator(c: PoolClient, session: string, token?: string): Promise<LockOwner | undefined> {
  const r = (await c.query<LeaseRow>(`SELECT ${COLUMNS} FROM collabsec.operators WHERE session = $1 AND expires_at > now() AND token::text <> coalesce($2, '') ORDER BY started_at LIMIT 1`, [session, token ?? null])).rows[0];
  return r === undefined ? undefined : ownerOf(r);
}

export async function acquireLease(pool: Pool, session: string, where: string, opts: LockOptions = {}): Promise<SessionLock> {
  const ttlMs = opts.staleMs ?? 30_000;
  const refreshMs = opts.refreshMs ?? Math.max(50, Math.floor(ttlMs / 3));
  const deadline = Date.now() + (opts.timeoutMs ?? 0);
  const token = randomUUID();
  const pidStart = processStart(process.pid) ?? null;
  let reclaim: string | null = null;
  let owner: LockOwner;
  for (;;) {
    const got = await serialised(pool, session, where, async (c) => {
      // Not alone while a team works on the session.
      await sweepOperators(c, session);
      const operator = await liveOperator(c, session);
      if (operator !== undefined) return { kind: 'held' as const, holder: operator };
      // Taken when free, expired, or held by a process of this host that is gone (`reclaim`).
      const r = await c.query<LeaseRow>(
        `INSERT INTO collabsec.leases AS l (session, token, pid, host, os_user, pid_start, started_at, refreshed_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, now(), now(), now() + make_interval(secs => $7::double precision / 1000))
         ON CONFLICT (session) DO UPDATE SET token = EXCLUDED.token, pid = EXCLUDED.pid, host = EXCLUDED.host, os_user = EXCLUDED.os_user,
           pid_start = EXCLUDED.pid_start, started_at = EXCLUDED.started_at, refreshed_at = EXCLUDED.refreshed_at, expires_at = EXCLUDED.expires_at
         WHERE l.expires_at <= now() OR l.token::text = $8
         RETURNING ${COLUMNS}`,
        [session, token, process.pid, os.hostname(), currentUser(), pidStart, ttlMs, reclaim],
      );
      if (r.rows[0] !== undefined) return { kind: 'owner' as const, owner: ownerOf(r.rows[0]) };
      const held = await leaseRow(c, session);
      if (held !== undefined && holderGone(held)) return { kind: 'reclaim' as const, reclaim: held.token };
      return { kind: 'held' as const, holder: held !== undefined && held.live ? ownerOf(held) : undefined };
    });
    if (got.kind === 'owner') {
      owner = got.owner;
      break;
    }
    if (got.kind === 'reclaim') {
      reclaim = got.reclaim;
      continue;
    }
    if (Date.now() >= deadline) throw new SessionLockedError(where, got.holder, false, leaseRemedy(where, got.holder, false));
    await sleep(Math.min(100, Math.max(10, deadline - Date.now())));
  }
  return holdLease(pool, session, where, owner, ttlMs, refreshMs, opts.onCompromised);
}

/**
 * Joins a session as one operator of a team (issue 24 slice 3): refused while someone holds the
 * session alone; any number of operators may join. The operator's row is renewed like a lease and
 * its node claims live as long as it does.
 */
export async function joinSession(pool: Pool, session: string, where: string, opts: LockOptions = {}): Promise<SessionLock> {
  const ttlMs = opts.staleMs ?? 30_000;
  const refreshMs = opts.refreshMs ?? Math.max(50, Math.floor(ttlMs / 3));
  const deadline = Date.now() + (opts.timeoutMs ?? 0);
  const token = randomUUID();
  const pidStart = processStart(process.pid) ?? null;
  let owner: LockOwner;
  for (;;) {
    const got = await serialised(pool, session, where, async (c) => {
      const held = await leaseRow(c, session);
      if (held !== undefined && held.live && !holderGone(held)) return { kind: 'held' as const, holder: ownerOf(held) };
      await sweepOperators(c, session);
      const r = await c.query<LeaseRow>(
        `INSERT INTO collabsec.operators (session, token, pid, host, os_user, pid_start, started_at, refreshed_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, now(), now(), now() + make_interval(secs => $7::double precision / 1000))
         RETURNING ${COLUMNS}`,
        [session, token, process.pid, os.hostname(), currentUser(), pidStart, ttlMs],
      );
      return { kind: 'owner' as const, owner: ownerOf(r.rows[0]!) };
    });
    if (got.kind === 'owner') {
      owner = got.owner;
      break;
    }
    if (Date.now() >= deadline) throw new SessionLockedError(where, got.holder, false, leaseRemedy(where, got.holder, false));
    await sleep(Math.min(100, Math.max(10, deadline - Date.now())));
  }
  return holdOperator(pool, session, where, owner, ttlMs, refreshMs, opts.onCompromised);
}

/** Fencing of a team member's write: its operator row must still be live (and stays so until the write ends). */
export async function assertOperatorIn(c: PoolClient, where: string, lock: SessionLock, session: string): Promise<void> {
  const ok = await c.query(`SELECT 1 FROM collabsec.operators WHERE session = $1 AND token = $2 AND expires_at > now() FOR SHARE`, [session, lock.owner.token]);
  if (ok.rowCount === 1) return;
  throw new SessionLockedError(where, undefined, true, leaseRemedy(where, undefined, true));
}

interface ClaimRow extends LeaseRow {
  node: string;
  step: string;
  since: Date;
}

function holdOperator(pool: Pool, session: string, where: string, owner: LockOwner, ttlMs: number, refreshMs: number, onCompromised: LockOptions['onCompromised']): SessionLock {
  let released = false;
  let compromised = false;
  const lose = () => {
    if (compromised) return;
    compromised = true;
    clearInterval(timer);
    onCompromised?.(undefined);
  };
  const renew = async () => {
    if (released || compromised) return;
    const r = await pool.query(`UPDATE collabsec.operators SET refreshed_at = now(), expires_at = now() + make_interval(secs => $2::double precision / 1000) WHERE token = $1 AND expires_at > now()`, [owner.token, ttlMs]);
    if (r.rowCount === 0) lose();
  };
  const timer = setInterval(() => void renew().catch(() => undefined), refreshMs);
  timer.unref();
  const isHeld = async () => !released && !compromised && (await pool.query(`SELECT 1 FROM collabsec.operators WHERE token = $1 AND expires_at > now()`, [owner.token])).rowCount === 1;
  const team: TeamLock = {
    async claim(step, nodes) {
      const keys = [...new Set([`step:${step}`, ...nodes.map((n) => `node:${n}`)])].sort();
      await serialised(pool, session, where, async (c) => {
        await sweepOperators(c, session);
        const other = (
          await c.query<ClaimRow>(
            `SELECT cl.node, cl.step, cl.since, o.token, o.pid, o.host, o.os_user, o.pid_start, o.started_at, o.refreshed_at, o.expires_at > now() AS live
             FROM collabsec.claims cl JOIN collabsec.operators o USING (token)
             WHERE cl.session = $1 AND cl.node = ANY($2::text[]) AND cl.token <> $3 ORDER BY cl.node LIMIT 1`,
            [session, keys, owner.token],
          )
        ).rows[0];
        if (other !== undefined) throw new NodeClaimedError(step, other.node, ownerOf(other), other.step, other.since.toISOString());
        const mine = await c.query(`SELECT 1 FROM collabsec.operators WHERE token = $1 AND expires_at > now()`, [owner.token]);
        if (mine.rowCount !== 1) throw new SessionLockedError(where, undefined, true, leaseRemedy(where, undefined, true));
        await c.query(
          `INSERT INTO collabsec.claims (session, node, token, step) SELECT $1, k, $3, $4 FROM unnest($2::text[]) AS k
           ON CONFLICT (session, node) DO UPDATE SET step = EXCLUDED.step, since = now()`,
          [session, keys, owner.token, step],
        );
      });
      let done = false;
      const claim: NodeClaim = {
        step,
        async release() {
          if (done) return;
          done = true;
          await pool.query('DELETE FROM collabsec.claims WHERE session = $1 AND token = $2 AND node = ANY($3::text[])', [session, owner.token, keys]);
        },
      };
      return claim;
    },
    async claimedByOthers() {
      return serialised(pool, session, where, async (c) => {
        await sweepOperators(c, session);
        const rows = (await c.query<{ step: string }>('SELECT DISTINCT step FROM collabsec.claims WHERE session = $1 AND token <> $2', [session, owner.token])).rows;
        return new Set(rows.map((r) => r.step));
      });
    },
  };
  return {
    path: where,
    owner,
    isHeld,
    team,
    async assertHeld() {
      if (await isHeld()) return;
      if (!released) lose();
      throw new SessionLockedError(where, undefined, !released, leaseRemedy(where, undefined, !released));
    },
    async release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      // Its claims go with it (ON DELETE CASCADE).
      await pool.query('DELETE FROM collabsec.operators WHERE token = $1', [owner.token]);
    },
  };
}

function holdLease(pool: Pool, session: string, where: string, owner: LockOwner, ttlMs: number, refreshMs: number, onCompromised: LockOptions['onCompromised']): SessionLock {
  let released = false;
  let compromised = false;
  const lose = async () => {
    if (compromised) return;
    compromised = true;
    clearInterval(timer);
    onCompromised?.(await leaseHolder(pool, session).catch(() => undefined));
  };
  const renew = async () => {
    if (released || compromised) return;
    const r = await pool.query(`UPDATE collabsec.leases SET refreshed_at = now(), expires_at = now() + make_interval(secs => $3::double precision / 1000) WHERE session = $1 AND token = $2 AND expires_at > now()`, [session, owner.token, ttlMs]);
    if (r.rowCount === 0) await lose();
  };
  // unref: a held lease must not keep the process alive; a database that does not answer just
  // lets the lease run out, and the next write is refused (fencing), never written past it.
  const timer = setInterval(() => void renew().catch(() => undefined), refreshMs);
  timer.unref();
  const isHeld = async () => !released && !compromised && (await pool.query(`SELECT 1 FROM collabsec.leases WHERE session = $1 AND token = $2 AND expires_at > now()`, [session, owner.token])).rowCount === 1;
  return {
    path: where,
    owner,
    isHeld,
    async assertHeld() {
      if (await isHeld()) return;
      const holder = await leaseHolder(pool, session);
      if (!released) await lose();
      throw new SessionLockedError(where, holder, !released, leaseRemedy(where, holder, !released));
    },
    async release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      await pool.query('DELETE FROM collabsec.leases WHERE session = $1 AND token = $2', [session, owner.token]);
    },
  };
}
