// The default backend: one JSON file per session in a private folder (`.collabsec/` beside the
// inventory), replaced whole by writeFileAtomic, fenced by `<file>.lock` (lock.ts). Nothing here
// changes what is on disk: the text written is the one the journal always wrote.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { cleanTempFiles, ensurePrivateDir, writeFileAtomic } from './atomic-write.js';
import { CorruptSessionError, inspectBackup, loadSession } from './load.js';
import { acquireLock, lockPathFor, readLockOwner, staleReason, type LockOptions, type LockOwner, type SessionLock } from './lock.js';
import { listSessions, sessionFilePath } from './paths.js';
import { filePresence, type PresentOperator } from './presence.js';
import type { SessionState } from './state.js';
import { StaleSessionError, type CommitOptions, type SessionBackend, type SessionStore } from './store.js';

/** The text of a session file: what every version of collabsec wrote. */
export function sessionText(state: SessionState): string {
  return `${JSON.stringify(state, null, 1)}\n`;
}

const HEAD_BYTES = 4096;

/**
 * The serial of the file on disk, for the compare-and-swap. sessionText puts `serial` in the first
 * lines, so reading a few bytes answers without parsing a large journal; a file laid out otherwise
 * is parsed whole. Undefined when the file is missing.
 */
async function serialOnDisk(file: string): Promise<number | undefined> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  let head: string;
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buf, 0, HEAD_BYTES, 0);
    head = buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
  const m = /^\{\n "version": \d+,\n "lineage": "[^"\n]*",\n "serial": (\d+),\n/.exec(head);
  return m ? Number(m[1]) : (await loadSession(file)).serial;
}

export class FileSessionStore implements SessionStore {
  readonly location: string;
  constructor(
    readonly file: string,
    readonly name = path.basename(file, '.json'),
  ) {
    this.location = file;
  }

  async acquire(opts?: LockOptions): Promise<SessionLock> {
    await ensurePrivateDir(path.dirname(path.resolve(this.file)));
    const lock = await acquireLock(this.file, opts);
    try {
      // Only now: a temp file of a live writer is never ours to remove before we hold the lock.
      await cleanTempFiles(this.file);
    } catch (e) {
      await lock.release();
      throw e;
    }
    return lock;
  }

  async read(): Promise<SessionState | undefined> {
    const exists = await fs.access(this.file).then(
      () => true,
      () => false,
    );
    if (exists) return loadSession(this.file);
    // A missing file whose backup exists is lost state, never "no session": refused, not restarted.
    const backup = await inspectBackup(this.file);
    if (backup) throw new CorruptSessionError(this.file, 'is missing but its backup exists', backup);
    return undefined;
  }

  load(): Promise<SessionState> {
    return loadSession(this.file);
  }

  async commit(lock: SessionLock, next: SessionState, opts: CommitOptions): Promise<void> {
    await lock.assertHeld();
    // Under the lock no other collabsec writes; this catches a writer holding an old state.
    const found = await serialOnDisk(this.file);
    if (found !== opts.expectSerial) throw new StaleSessionError(this.file, opts.expectSerial, found);
    await writeFileAtomic(this.file, sessionText(next));
  }

  backup() {
    return inspectBackup(this.file);
  }

  async holder(): Promise<LockOwner | undefined> {
    const lockPath = lockPathFor(this.file);
    const owner = await readLockOwner(lockPath);
    return owner !== undefined && (await staleReason(lockPath, owner, 30_000)) === undefined ? owner : undefined;
  }

  presence(): Promise<PresentOperator[]> {
    return filePresence(this.file);
  }
}

export class FileSessionBackend implements SessionBackend {
  readonly kind = 'file';
  constructor(readonly location: string) {}
  store(name: string): FileSessionStore {
    return new FileSessionStore(sessionFilePath(this.location, name), name);
  }
  list() {
    return listSessions(this.location);
  }
  async close(): Promise<void> {}
}
