// The session backend port. Session (journal.ts) decides WHAT is written — events chained, intent
// before action, secrets refused; a store decides WHERE and HOW it is kept and fenced: the file
// journal (file-store.ts, the default) or a database a team shares (pg-store.ts). Every store
// keeps the same contract (test/session/contract.ts): one writer at a time, named when another
// is refused; each write compare-and-swaps on `serial`, so a writer that lost the race is told
// and writes nothing; events (each with its chain `seq` and hash) are only ever appended.
import type { BackupInfo } from './load.js';
import type { LockOptions, LockOwner, SessionLock } from './lock.js';
import type { SessionListing } from './paths.js';
import type { PresentOperator } from './presence.js';
import type { SessionState } from './state.js';
import { ExitCode, UserError } from '../errors.js';

export interface CommitOptions {
  /**
   * Serial of the state this write replaces; undefined when it creates the session. A store
   * holding another serial refuses the write (StaleSessionError) and keeps what it has.
   */
  expectSerial: number | undefined;
  /**
   * The whole chain was rebuilt (an edited journal accepted, or an old one sealed): every event
   * is rewritten with new hashes. An appending store keeps the old events and starts a new
   * generation of them instead of updating any in place.
   */
  resealed?: boolean;
}

export interface SessionStore {
  readonly name: string;
  /** Where the session is kept, for messages: a file path, or a database location (never a password). */
  readonly location: string;
  /** Takes the session's lock for this process (SessionLockedError naming the holder when held). */
  acquire(opts?: LockOptions): Promise<SessionLock>;
  /**
   * Joins the session as one operator of a team, where the store allows several writers (a
   * database): the lock it returns has `team`, for claiming a step's nodes. Absent on the file
   * journal, which has one writer at a time.
   */
  join?(opts?: LockOptions): Promise<SessionLock>;
  /**
   * Runs one team member's write (its read-rebase-commit) in the session's write turn, where the
   * store has one (a database): the team's writers take turns instead of racing, so a write is
   * rebased at most once instead of losing the compare-and-swap again and again. Only a hint for
   * speed: the compare-and-swap on serial still decides every write, and a turn that is not had
   * in time (its holder stalled) lets the write go on without it.
   */
  writeTurn?<T>(write: () => Promise<T>): Promise<T>;
  /** The state, or undefined when there is no session; a damaged one throws CorruptSessionError. */
  read(): Promise<SessionState | undefined>;
  /**
   * The state now, where the store can fetch only what was appended since `known` (the state it
   * last read or wrote); same result as read(). For a team member's rebase after a lost write.
   */
  readNewer?(known: SessionState): Promise<SessionState | undefined>;
  /** Like read, but a missing session is an error saying how to start one. */
  load(): Promise<SessionState>;
  /** Durable before it resolves, fenced by `lock` (refused once it was lost) and CAS on serial. */
  commit(lock: SessionLock, next: SessionState, opts: CommitOptions): Promise<void>;
  /** The backup a damaged session can be restored from, where the store keeps one. */
  backup(): Promise<BackupInfo | undefined>;
  /** The live holder of the session's lock (undefined when free or stale), without taking it. */
  holder(): Promise<LockOwner | undefined>;
  /** Who is in the session now (the lock holder, or a team's operators with their claims), without taking anything. */
  presence(): Promise<PresentOperator[]>;
}

/** A place that holds sessions: a folder, or one database. */
export interface SessionBackend {
  readonly kind: 'file' | 'postgres';
  /** For messages; never carries a password. */
  readonly location: string;
  store(name: string): SessionStore;
  /** Every session, sorted by name; a damaged one is listed with its error. */
  list(): Promise<SessionListing[]>;
  /** Releases connections; the sessions opened from it must be closed first. */
  close(): Promise<void>;
}

/** A write based on a state someone else already replaced (compare-and-swap on serial failed). */
export class StaleSessionError extends UserError {
  constructor(
    readonly location: string,
    readonly expected: number | undefined,
    readonly found: number | undefined,
  ) {
    const what = (n: number | undefined) => (n === undefined ? 'no session' : `serial ${n}`);
    super(
      `Session ${location} changed underneath this collabsec (expected ${what(expected)}, found ${what(found)}); nothing was written.`,
      'Another writer got there first. Close this collabsec and run collabsec resume to continue from what is recorded.',
      ExitCode.sessionUnavailable,
    );
    this.name = 'StaleSessionError';
  }
}
