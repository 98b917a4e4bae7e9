// One collabsec per session. The lock is `<session>.lock`, created by hard-linking a fully
// written temp file to that name: link() fails with EEXIST when the name exists, so creation is
// atomic AND the owner record is complete from the first moment (an `open wx` + write leaves an
// empty lock behind if the process dies in between; proper-lockfile's mkdir has no owner at all).
// The holder refreshes the record periodically. On this host a lock is stale only when its
// holder is gone: its pid is dead, or now belongs to another process (the start time recorded
// with the lock differs). A live holder keeps its lock however long it stalls (SIGSTOP, a long
// event-loop block): taking it would let two processes write one journal. A holder on another
// host is judged by its refreshes (stale after `staleMs`). A holder that loses its lock anyway
// (removed by hand, reclaimed from another host) is told so on its next write, which is refused.
import { randomUUID } from 'node:crypto';
import { constants as fsConstants, readFileSync, rmSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as z from 'zod/mini';
// English messages and the memoizer, installed before ownerSchema is built (zod.ts says why).
import '../zod.js';
import { ExitCode, UserError } from '../errors.js';
import { LOCK_MAX_BYTES, readBounded } from '../io/bounded-read.js';
import { ensurePrivateDir, writePrivateFile } from './atomic-write.js';
import { SessionFolderError, writeFailure } from './folder.js';

const ownerSchema = z.object({
  pid: z.number().check(z.int()),
  host: z.string(),
  user: z.string(),
  startedAt: z.string(),
  /** When the record was written; later refreshes only touch the file's mtime. */
  refreshedAt: z.string(),
  /** Random per acquisition: lets the holder tell its own lock from a successor's. */
  token: z.string(),
  /** The holder's process start time (Linux: /proc/<pid>/stat), so a reused pid is not taken for it. */
  pidStart: z.optional(z.string()),
});
export type LockOwner = z.infer<typeof ownerSchema>;

export interface LockOptions {
  /** How long to keep trying while another live process holds the lock (default 0: refuse at once). */
  timeoutMs?: number;
  /** A lock not refreshed for this long is stale (default 30 s). */
  staleMs?: number;
  /** Refresh period (default staleMs / 3). */
  refreshMs?: number;
  /** Called when the lock was taken over by someone else while we held it. */
  onCompromised?: (holder: LockOwner | undefined) => void;
}

export interface SessionLock {
  readonly path: string;
  readonly owner: LockOwner;
  /** True while the lock file still carries our token. */
  isHeld(): Promise<boolean>;
  /** Throws SessionLockedError when the lock was lost; call before durable writes (fencing). */
  assertHeld(): Promise<void>;
  release(): Promise<void>;
  /**
   * Present when this process joined the session as one of a team (a database session several
   * operators work at once): it holds no session-wide lock, its writes are rebased onto what the
   * others wrote, and a step claims its nodes before its intent is written.
   */
  readonly team?: TeamLock;
}

/** A step's nodes, held by this operator from the step's intent to its outcome. */
export interface NodeClaim {
  readonly step: string;
  release(): Promise<void>;
}

export interface TeamLock {
  /** Claims the step and its nodes, or throws NodeClaimedError naming who holds one of them. */
  claim(step: string, nodes: readonly string[]): Promise<NodeClaim>;
  /** Steps claimed by another live operator (their "started" is theirs, not in doubt). */
  claimedByOthers(): Promise<Set<string>>;
}

/** Another operator holds a node (or the step) a step needs. */
export class NodeClaimedError extends UserError {
  constructor(
    readonly step: string,
    readonly node: string,
    readonly holder: LockOwner,
    readonly holderStep: string,
    readonly since: string,
    /**
     * What was refused: starting the step, doing it by hand (its nodes claimed as a sent step's
     * are), or recording an outcome for a step another operator has in flight (skip, override…).
     */
    readonly refused: 'start' | 'by-hand' | 'record' = 'start',
  ) {
    const what = node.startsWith('step:') ? `step ${node.slice(5)}` : `node ${node.replace(/^node:/, '')}`;
    const doing = refused === 'start' ? 'cannot start' : refused === 'by-hand' ? 'cannot be done by hand now' : 'cannot be recorded from here';
    super(
      `Step ${step} ${doing}: ${what} is claimed by ${holder.user} on host ${holder.host} (process ${holder.pid}, since ${since}, for step ${holderStep}).`,
      `Work on another node meanwhile, or ask ${holder.user} to finish step ${holderStep}. A claim of a collabsec that is gone expires once it is no longer renewed.`,
      ExitCode.sessionUnavailable,
    );
    this.name = 'NodeClaimedError';
  }
}

export class SessionLockedError extends UserError {
  constructor(
    readonly lockPath: string,
    readonly holder: LockOwner | undefined,
    /** This process held the lock and lost it (a takeover), rather than failing to get it. */
    readonly lost = false,
    /** What to do, for a lock that is not a file (a database lease). */
    remedy?: string,
  ) {
    const who = (h: LockOwner) => `process ${h.pid} on host ${h.host} (user ${h.user}, since ${h.startedAt})`;
    const [message, fix] = lost
      ? [
          `This collabsec lost its session lock: ${holder ? `it was taken over by ${who(holder)}` : 'the lock file was removed or replaced by someone else'}; nothing more is written to the session: ${lockPath}`,
          holder ? 'Another collabsec now owns the session: close this one and go on in that one (or close it and run collabsec resume).' : 'Close this collabsec and run collabsec resume to take the session again.',
        ]
      : [
          `Session is locked by ${holder ? who(holder) : 'another process (owner record unreadable)'}: ${lockPath}`,
          holder
            ? holder.host === os.hostname()
              ? `Close that collabsec first (it is still running on this host, even if it seems stuck). If that process is not a collabsec, remove ${lockPath}.`
              : `Close that collabsec first. If it is gone (crashed, or its host is down), the lock becomes reclaimable once it is stale; as a last resort remove ${lockPath}.`
            : `If no collabsec is running on this session, remove ${lockPath}.`,
        ];
    super(message, remedy ?? fix, ExitCode.sessionUnavailable);
    this.name = 'SessionLockedError';
  }
}

export function lockPathFor(sessionFile: string): string {
  return `${sessionFile}.lock`;
}

export function currentUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    // No passwd entry (some containers): fall back to the environment.
    return process.env.USER ?? process.env.LOGNAME ?? `uid:${process.getuid?.() ?? '?'}`;
  }
}

export async function readLockOwner(lockPath: string): Promise<LockOwner | undefined> {
  try {
    // Bounded: a lock file is one small record; anything else is not a lock collabsec wrote.
    const parsed = ownerSchema.safeParse(JSON.parse((await readBounded(lockPath, { maxBytes: LOCK_MAX_BYTES })).toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A process's start time in clock ticks since boot (field 22 of /proc/<pid>/stat), or undefined
 * where /proc is not available. With the pid it names one process for the life of the host.
 */
export function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from its closing one.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Why a lock is stale, or undefined while its holder is believed alive. */
export async function staleReason(lockPath: string, owner: LockOwner | undefined, staleMs: number): Promise<string | undefined> {
  if (owner && owner.host === os.hostname()) return staleReasonOf(owner, 0, staleMs);
  let mtimeMs: number;
  try {
    mtimeMs = (await fs.stat(lockPath)).mtimeMs;
  } catch {
    return 'lock vanished';
  }
  return staleReasonOf(owner, mtimeMs, staleMs);
}

/** One lock file as read: which file it was (device and inode), its owner record, its mtime. */
export interface LockSnapshot {
  /** Undefined when the file is empty or not a record collabsec wrote. */
  readonly owner: LockOwner | undefined;
  readonly dev: number;
  readonly ino: number;
  readonly mtimeMs: number;
}

/**
 * Reads the lock file at `lockPath` through one descriptor, so the record, inode and mtime are
 * of one and the same file; undefined when there is none. A lock is never rewritten in place
 * (each is a new file linked to the name; refreshes only touch the mtime), so the record is fixed
 * for the life of the inode.
 */
export async function snapshotLock(lockPath: string): Promise<LockSnapshot | undefined> {
  let fh: fs.FileHandle;
  try {
    fh = await fs.open(lockPath, fsConstants.O_RDONLY | (fsConstants.O_NOFOLLOW ?? 0) | (fsConstants.O_NONBLOCK ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw e;
  }
  try {
    const st = await fh.stat();
    let owner: LockOwner | undefined;
    // Bounded: a lock file is one small record; anything else is not a lock collabsec wrote.
    if (st.isFile() && st.size <= LOCK_MAX_BYTES) {
      const buf = Buffer.alloc(LOCK_MAX_BYTES + 1);
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      try {
        const parsed = ownerSchema.safeParse(JSON.parse(buf.subarray(0, bytesRead).toString('utf8')));
        owner = parsed.success ? parsed.data : undefined;
      } catch {
        owner = undefined;
      }
    }
    return { owner, dev: st.dev, ino: st.ino, mtimeMs: st.mtimeMs };
  } finally {
    await fh.close();
  }
}

/** Why a lock is stale, from what was read of it, or undefined while its holder is believed alive. */
export function staleReasonOf(owner: LockOwner | undefined, mtimeMs: number, staleMs: number): string | undefined {
  if (owner && owner.host === os.hostname()) {
    if (!pidAlive(owner.pid)) return `process ${owner.pid} is not running`;
    const start = owner.pidStart === undefined ? undefined : processStart(owner.pid);
    if (start !== undefined && start !== owner.pidStart) return `process ${owner.pid} is no longer the collabsec that took the lock (its pid was reused)`;
    // Alive on this host: however long since its last refresh, it keeps its lock.
    return undefined;
  }
  const last = owner ? Math.max(mtimeMs, Date.parse(owner.refreshedAt) || 0) : mtimeMs;
  const age = Date.now() - last;
  return age > staleMs ? `not refreshed for ${Math.round(age / 1000)} s` : undefined;
}

/** The same lock file, told by its record: a random token, or (no record) its inode and staleness. */
function sameLock(moved: LockSnapshot, judged: LockSnapshot, staleMs: number): boolean {
  if (judged.owner !== undefined) return moved.owner?.token === judged.owner.token;
  // An unreadable record has no token. Every lock collabsec makes has a record from its first
  // moment, so an unreadable one is never a newcomer's; and the inode (which a file system may
  // reuse) must match and still be old by its own mtime (kept across the rename).
  return moved.owner === undefined && moved.dev === judged.dev && moved.ino === judged.ino && staleReasonOf(undefined, moved.mtimeMs, staleMs) !== undefined;
}

/**
 * Removes the stale lock we judged (`judged`, as read before), and only that one. Renaming it to
 * a unique name first means only one reclaimer wins; if the file we moved is not the one we
 * judged stale (someone reclaimed and re-locked between our read and our rename), we put it back.
 * Nothing judged (the lock had vanished) means nothing to remove: whatever is there now is a
 * newcomer's. Returns whether the judged lock was removed.
 *
 * Should a third collabsec lock in the instant the newcomer's file is aside, the put-back fails
 * and the newcomer has lost its lock: its next refresh or write sees another token and is
 * refused (fencing), so two holders never both write.
 */
export async function reclaimStale(lockPath: string, judged: LockSnapshot | undefined, staleMs: number): Promise<boolean> {
  if (judged === undefined) return false;
  const aside = `${lockPath}.stale.${process.pid}.${randomUUID()}`;
  try {
    await fs.rename(lockPath, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
  try {
    const moved = await snapshotLock(aside);
    if (moved !== undefined && sameLock(moved, judged, staleMs)) return true;
    await fs.link(aside, lockPath).catch(() => undefined);
    return false;
  } finally {
    await fs.rm(aside, { force: true });
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function acquireLock(sessionFile: string, opts: LockOptions = {}): Promise<SessionLock> {
  const staleMs = opts.staleMs ?? 30_000;
  const refreshMs = opts.refreshMs ?? Math.max(50, Math.floor(staleMs / 3));
  const deadline = Date.now() + (opts.timeoutMs ?? 0);
  const lockPath = lockPathFor(sessionFile);
  await ensurePrivateDir(path.dirname(path.resolve(lockPath)));
  const now = new Date().toISOString();
  const pidStart = processStart(process.pid);
  const owner: LockOwner = { pid: process.pid, host: os.hostname(), user: currentUser(), startedAt: now, refreshedAt: now, token: randomUUID(), ...(pidStart !== undefined ? { pidStart } : {}) };

  // A lock that is a folder (or a link) is nothing collabsec made: refuse it, naming it.
  const st = await fs.lstat(lockPath).catch(() => undefined);
  if (st !== undefined && !st.isFile()) throw new SessionFolderError(lockPath, st.isDirectory() ? 'is a folder, not a lock file' : 'is not a regular lock file', `Make sure no collabsec is running on this session, then remove it: rm -r '${lockPath}'`);
  for (;;) {
    const tmp = `${lockPath}.${process.pid}.${owner.token}.new`;
    try {
      await writePrivateFile(tmp, JSON.stringify(owner));
    } catch (e) {
      throw writeFailure(lockPath, e) ?? e;
    }
    try {
      await fs.link(tmp, lockPath);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      await fs.rm(tmp, { force: true });
    }
    const seen = await snapshotLock(lockPath);
    // Gone since our link failed (released or reclaimed): try again to create it.
    if (seen === undefined) continue;
    if (staleReasonOf(seen.owner, seen.mtimeMs, staleMs) !== undefined) {
      await reclaimStale(lockPath, seen, staleMs);
      continue;
    }
    if (Date.now() >= deadline) throw new SessionLockedError(lockPath, seen.owner);
    await sleep(Math.min(100, Math.max(10, deadline - Date.now())));
  }
  return startHolding(lockPath, owner, refreshMs, opts.onCompromised);
}

function startHolding(lockPath: string, owner: LockOwner, refreshMs: number, onCompromised: LockOptions['onCompromised']): SessionLock {
  let released = false;
  let compromised = false;
  const isHeld = async () => !released && !compromised && (await readLockOwner(lockPath))?.token === owner.token;

  const refresh = async () => {
    if (released || compromised) return;
    const current = await readLockOwner(lockPath);
    if (current?.token !== owner.token) {
      compromised = true;
      clearInterval(timer);
      onCompromised?.(current);
      return;
    }
    // Touch, not rewrite: a rename would resurrect a lock file someone removed between our
    // read and our write, while utimes on a vanished file just fails.
    const now = new Date();
    await fs.utimes(lockPath, now, now);
  };
  // unref: a held lock must not keep the process alive on its own.
  const timer = setInterval(() => void refresh().catch(() => undefined), refreshMs);
  timer.unref();

  // Best effort on normal exit; a SIGKILL leaves the file, which the pid check then reclaims.
  const onExit = () => {
    if (released || compromised) return;
    try {
      // Only synchronous calls run inside 'exit'. Remove the file only if it is still ours.
      if (readFileSync(lockPath, 'utf8').includes(owner.token)) rmSync(lockPath, { force: true });
    } catch {
      /* nothing more can be done while exiting */
    }
  };
  process.once('exit', onExit);

  return {
    path: lockPath,
    owner,
    isHeld,
    async assertHeld() {
      if (await isHeld()) return;
      if (released) throw new SessionLockedError(lockPath, await readLockOwner(lockPath));
      // Ours until now: whoever has it took it over (or it was removed). Said as such, and final.
      const successor = await readLockOwner(lockPath);
      if (!compromised) {
        compromised = true;
        clearInterval(timer);
        onCompromised?.(successor);
      }
      throw new SessionLockedError(lockPath, successor, true);
    },
    async release() {
      if (released) return;
      clearInterval(timer);
      process.removeListener('exit', onExit);
      const held = await isHeld();
      released = true;
      if (held) await fs.rm(lockPath, { force: true });
    },
  };
}
