// Crash-safe replacement of a small file. Terraform truncates and rewrites its local state and
// users have found it empty or NUL-filled after an interruption; write-file-atomic renames but
// never fsyncs the directory and creates files 0666 minus umask. So, in order:
//   1. write a temp file in the same directory (rename is atomic only within one filesystem),
//      created 0600 and fchmod'ed 0600 so the mode holds from the first byte even under umask 000;
//   2. fsync it, so the rename can never expose a name pointing at unwritten blocks;
//   3. hard-link the current file to `<file>.backup` (via a temp name and rename, so the backup is
//      also always whole) — the old inode simply gets a second name, no copy;
//   4. rename the temp file over the target, then fsync the directory so the rename itself
//      survives a power cut.
// A reader therefore always sees either the previous or the next complete content.
import { randomBytes } from 'node:crypto';
import { constants as fsc } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { guardSessionPath, writeFailure } from './folder.js';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

export interface AtomicWriteOptions {
  /** Keep the replaced content as `<file>.backup` (default true). */
  backup?: boolean;
  /** File mode (default 0o600). */
  mode?: number;
}

export function backupPath(file: string): string {
  return `${file}.backup`;
}

/** Temp names carry the writer's pid so cleanup can tell a live writer's file from a leftover. */
function tempPath(file: string, tag: string): string {
  const dir = path.dirname(file);
  return path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.${tag}`);
}

/** Temp files left by a writer killed mid-write match this; they are never read as state. */
export function isTempFor(file: string, candidate: string): boolean {
  const prefix = `.${path.basename(file)}.`;
  const name = path.basename(candidate);
  return name.startsWith(prefix) && /^\.\d+\.[0-9a-f]{12}\.(tmp|bak)$/.test(name.slice(prefix.length - 1));
}

/**
 * Creates `dir` (and missing parents) as 0700. mkdir's mode is filtered by the umask, so every
 * directory this call created is chmod'ed explicitly; directories that already existed are left
 * alone (they may be shared on purpose).
 */
export async function ensurePrivateDir(dir: string): Promise<void> {
  const abs = path.resolve(dir);
  const missing: string[] = [];
  let cur = abs;
  for (;;) {
    try {
      await fs.stat(cur);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      missing.unshift(cur);
      const parent = path.dirname(cur);
      if (parent === cur) break;
      cur = parent;
    }
  }
  for (const d of missing) {
    try {
      await fs.mkdir(d, { mode: PRIVATE_DIR_MODE });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      continue; // someone else created it concurrently: not ours to chmod
    }
    await fs.chmod(d, PRIVATE_DIR_MODE);
  }
}

/** fsync a directory so a rename or unlink inside it is durable. Some platforms refuse; that is not fatal. */
export async function fsyncDir(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, fsc.O_RDONLY);
    await handle.sync();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EINVAL' && code !== 'EPERM') throw e;
  } finally {
    await handle?.close();
  }
}

/** Writes a new file exclusively with `mode` from creation on, and fsyncs it. */
export async function writePrivateFile(file: string, data: string | Uint8Array, mode = PRIVATE_FILE_MODE): Promise<void> {
  // O_NOFOLLOW: a link planted under this name is never written through.
  const handle = await fs.open(file, fsc.O_WRONLY | fsc.O_CREAT | fsc.O_EXCL | fsc.O_NOFOLLOW, mode);
  try {
    // open()'s mode is masked by the umask; fchmod is not, and runs before any byte is written.
    await handle.chmod(mode);
    await handle.writeFile(data);
    await handle.sync();
  } catch (e) {
    // Disk full mid-write: leave no half-written file behind.
    await handle.close().catch(() => undefined);
    await fs.rm(file, { force: true });
    throw e;
  }
  await handle.close();
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.lstat(file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

/** Points `<file>.backup` at the current content of `file`, atomically. */
async function refreshBackup(file: string, mode: number): Promise<void> {
  const tmp = tempPath(file, 'bak');
  try {
    try {
      await fs.link(file, tmp);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return; // nothing to back up
      // Filesystems without hard links (some network mounts): copy instead.
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV' && code !== 'EMLINK') throw e;
      await writePrivateFile(tmp, await fs.readFile(file), mode);
    }
    await fs.rename(tmp, backupPath(file));
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}

export async function writeFileAtomic(file: string, data: string | Uint8Array, opts: AtomicWriteOptions = {}): Promise<void> {
  const mode = opts.mode ?? PRIVATE_FILE_MODE;
  const dir = path.dirname(path.resolve(file));
  await ensurePrivateDir(dir);
  guardSessionPath(dir, 'dir');
  guardSessionPath(file, 'file');
  const tmp = tempPath(file, 'tmp');
  try {
    await writePrivateFile(tmp, data, mode);
    if (opts.backup !== false && (await exists(file))) await refreshBackup(file, mode);
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw writeFailure(file, e) ?? e;
  }
  await fsyncDir(dir);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes temp files a killed writer left beside `file`. Only files whose writer pid is dead (or
 * is this process, which is not writing right now because the caller holds the session lock)
 * are removed. Returns the removed paths.
 */
export async function cleanTempFiles(file: string): Promise<string[]> {
  const dir = path.dirname(path.resolve(file));
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!isTempFor(file, name)) continue;
    const pid = Number(/\.(\d+)\.[0-9a-f]{12}\.(?:tmp|bak)$/.exec(name)?.[1]);
    if (pid !== process.pid && pidAlive(pid)) continue;
    const p = path.join(dir, name);
    await fs.rm(p, { force: true });
    removed.push(p);
  }
  return removed;
}
