// The session folder is trusted only when it is what collabsec made: a real directory (not a
// link), owned by the user running collabsec, 0700; session files real files, owned, 0600. A link
// could adopt another session's state or write ours where someone else reads it; a folder that
// others can write lets them swap files in. Problems are refused naming the path and the fix —
// never printing a file's content — with exit 5 (session unavailable). Write failures of the
// disk (full, read-only, quota) become one clear line, with the previous state intact.
import { lstatSync } from 'node:fs';
import { ExitCode, UserError } from '../errors.js';

export class SessionFolderError extends UserError {
  constructor(
    readonly path: string,
    problem: string,
    fix: string,
  ) {
    super(`${path} ${problem}; collabsec does not use it for session state.`, fix, ExitCode.sessionUnavailable);
    this.name = 'SessionFolderError';
  }
}

const octal = (mode: number): string => `0${(mode & 0o777).toString(8)}`;

/**
 * Refuses a session folder or file that is a symbolic link, not ours, or open to others. An
 * absent path passes (it is about to be created, privately). Synchronous: one lstat.
 */
export function guardSessionPath(p: string, kind: 'dir' | 'file'): void {
  let st;
  try {
    st = lstatSync(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  if (st.isSymbolicLink()) throw new SessionFolderError(p, 'is a symbolic link', `Replace the link with a real ${kind === 'dir' ? 'folder' : 'file'} (or pass --session with the real path); collabsec never follows links in its session folder.`);
  if (kind === 'dir' ? !st.isDirectory() : !st.isFile()) throw new SessionFolderError(p, `is not a ${kind === 'dir' ? 'folder' : 'regular file'}`, 'Move it aside.');
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) throw new SessionFolderError(p, `belongs to uid ${st.uid}, not to you (uid ${uid})`, 'Run collabsec as the user who owns the session, or start a new session in a folder of your own.');
  if ((st.mode & 0o077) !== 0) {
    const want = kind === 'dir' ? '700' : '600';
    throw new SessionFolderError(p, `is mode ${octal(st.mode)}: others can ${kind === 'dir' ? 'read or swap files in it' : 'read or change it'}`, `If that was not intended, check it, then: chmod ${want} '${p}'`);
  }
}

/** Disk errors while writing session state, as one line with a documented exit code. */
export function writeFailure(file: string, e: unknown): UserError | undefined {
  const code = (e as NodeJS.ErrnoException).code;
  const why: Record<string, string> = {
    ENOSPC: 'the disk is full',
    EDQUOT: 'the disk quota is exceeded',
    EROFS: 'the file system is read-only',
    EACCES: 'permission is denied',
    EPERM: 'the operation is not permitted',
  };
  if (code === undefined || why[code] === undefined) return undefined;
  return new UserError(`Cannot write ${file}: ${why[code]} (${code}). The session state before this change is intact; nothing was left behind.`, 'Free space or fix the folder, then resume: the step in progress is re-checked, never re-sent blindly.', ExitCode.sessionUnavailable);
}
