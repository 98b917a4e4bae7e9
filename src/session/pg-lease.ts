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
import { currentUser, pidAlive, processStart, SessionLockedError, type LockOptions, type LockOwner, type SessionLock } from './lock.js';

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

export async function acquireLease(pool: Pool, session: string, where: string, opts: LockOptions = {}): Promise<SessionLock> {
  const ttlMs = opts.staleMs ?? 30_000;
  const refreshMs = opts.refreshMs ?? Math.max(50, Math.floor(ttlMs / 3));
  const deadline = Date.now() + (opts.timeoutMs ?? 0);
  const token = randomUUID();
  const pidStart = processStart(process.pid) ?? null;
  let reclaim: string | null = null;
  let owner: LockOwner;
  for (;;) {
    // Taken when free, expired, or held by a process of this host that is gone (`reclaim`).
    const r = await pool.query<LeaseRow>(
      `INSERT INTO collabsec.leases AS l (session, token, pid, host, os_user, pid_start, started_at, refreshed_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, now(), now(), now() + make_interval(secs => $7::double precision / 1000))
       ON CONFLICT (session) DO UPDATE SET token = EXCLUDED.token, pid = EXCLUDED.pid, host = EXCLUDED.host, os_user = EXCLUDED.os_user,
         pid_start = EXCLUDED.pid_start, started_at = EXCLUDED.started_at, refreshed_at = EXCLUDED.refreshed_at, expires_at = EXCLUDED.expires_at
       WHERE l.expires_at <= now() OR l.token::text = $8
       RETURNING ${COLUMNS}`,
      [session, token, process.pid, os.hostname(), currentUser(), pidStart, ttlMs, reclaim],
    );
    if (r.rows[0] !== undefined) {
      owner = ownerOf(r.rows[0]);
      break;
    }
    const held = await leaseRow(pool, session);
    if (held !== undefined && holderGone(held)) {
      reclaim = held.token;
      continue;
    }
    const holder = held !== undefined && held.live ? ownerOf(held) : undefined;
    if (Date.now() >= deadline) throw new SessionLockedError(where, holder, false, leaseRemedy(where, holder, false));
    await sleep(Math.min(100, Math.max(10, deadline - Date.now())));
  }
  return holdLease(pool, session, where, owner, ttlMs, refreshMs, opts.onCompromised);
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
