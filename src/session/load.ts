// Reading a session file. A damaged file is refused, never repaired or replaced silently: the
// operator is told which file, what is wrong with it, and which backup exists and from when
// (Terraform users lost state to an empty file that the tool then treated as "no state").
import * as fs from 'node:fs/promises';
import { ExitCode, UserError } from '../errors.js';
import { BoundedReadError, SESSION_MAX_BYTES, readBounded } from '../io/bounded-read.js';
import * as path from 'node:path';
import { backupPath, writeFileAtomic } from './atomic-write.js';
import { guardSessionPath } from './folder.js';
import { sessionStateSchema, type SessionState } from './state.js';

export interface BackupInfo {
  path: string;
  /** `updatedAt` recorded inside the backup, else the file's mtime. */
  savedAt: string;
  serial?: number;
  /** False when the backup is damaged too. */
  valid: boolean;
}

export class CorruptSessionError extends UserError {
  constructor(
    readonly file: string,
    readonly problem: string,
    readonly backup: BackupInfo | undefined,
    /** What to do instead of restoring a backup, for a store that keeps none (a database). */
    remedy?: string,
  ) {
    const offer =
      remedy !== undefined
        ? remedy
        : backup?.valid === true
          ? `A backup from ${backup.savedAt} (serial ${backup.serial ?? '?'}) exists: ${backup.path}. Inspect it, then restore it with: cp -p '${backup.path}' '${file}'`
          : backup
            ? `The backup ${backup.path} (${backup.savedAt}) is damaged too. Move both aside to start a new session deliberately.`
            : `No backup exists. Move the file aside to start a new session deliberately.`;
    super(`Session${remedy === undefined ? ' file' : ''} ${file} ${problem}; refusing to continue.`, offer, ExitCode.sessionUnavailable);
    this.name = 'CorruptSessionError';
  }
}

/** A journal whose hash chain is broken: edited outside collabsec (chain.ts). */
export class TamperedSessionError extends UserError {
  constructor(
    readonly file: string,
    readonly firstBreak: string,
    readonly breaks: number,
    backup: BackupInfo | undefined,
  ) {
    const restore = backup?.valid === true ? ` If the backup from ${backup.savedAt} is what you expect, restore it: cp -p '${backup.path}' '${file}'.` : '';
    super(
      `Session file ${file} was edited outside collabsec (TAMPERED): first broken event: ${firstBreak}${breaks > 1 ? ` (${breaks} breaks in all)` : ''}; refusing to continue.`,
      `See it with: collabsec status --session '${file}'.${restore} To go on with the journal as it is, run: collabsec resume --session '${file}' --accept-tampered (your acceptance is recorded in the journal; status and the evidence pack keep flagging it).`,
      ExitCode.sessionUnavailable,
    );
    this.name = 'TamperedSessionError';
  }
}

type Parsed = { ok: true; state: SessionState } | { ok: false; problem: string };

export function parseSessionText(text: string): Parsed {
  if (text.trim().length === 0) return { ok: false, problem: 'is empty' };
  if (text.includes('\0')) return { ok: false, problem: 'contains NUL bytes (a write was cut off)' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    // The parser's message quotes the text: name the position only, never the content.
    const at = /position (\d+)/.exec((e as Error).message)?.[1];
    return { ok: false, problem: `is not complete JSON${at !== undefined ? ` (at byte ${at})` : ''}` };
  }
  const parsed = sessionStateSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : '(root)';
    return { ok: false, problem: `does not match the session schema at ${where}: ${issue?.message ?? 'invalid'}` };
  }
  return { ok: true, state: parsed.data };
}

/**
 * The text of a session file or its backup, at most SESSION_MAX_BYTES (a 200 MB file used to
 * exhaust the heap inside JSON.parse). ENOENT stays an ENOENT error for the callers that expect it;
 * anything else that is wrong with the file is a `problem` for CorruptSessionError.
 */
export async function readSessionText(file: string): Promise<{ text: string } | { problem: string }> {
  let buf: Buffer;
  try {
    buf = await readBounded(file, { maxBytes: SESSION_MAX_BYTES });
  } catch (e) {
    if (e instanceof BoundedReadError && e.problem === 'missing') throw Object.assign(new Error(e.message), { code: 'ENOENT' });
    if (e instanceof BoundedReadError) return { problem: e.reason };
    throw e;
  }
  return { text: buf.toString('utf8') };
}

export async function inspectBackup(file: string): Promise<BackupInfo | undefined> {
  const p = backupPath(file);
  let text: string;
  let mtime: Date;
  try {
    let read: Awaited<ReturnType<typeof readSessionText>>;
    [read, mtime] = await Promise.all([readSessionText(p), fs.stat(p).then((s) => s.mtime)]);
    if ('problem' in read) return { path: p, savedAt: mtime.toISOString(), valid: false };
    text = read.text;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  const parsed = parseSessionText(text);
  return parsed.ok
    ? { path: p, savedAt: parsed.state.updatedAt, serial: parsed.state.serial, valid: true }
    : { path: p, savedAt: mtime.toISOString(), valid: false };
}

/** Reads and validates a session file; throws CorruptSessionError (with the backup offered) if damaged. */
export async function loadSession(file: string): Promise<SessionState> {
  guardSessionPath(path.dirname(path.resolve(file)), 'dir');
  guardSessionPath(file, 'file');
  let text: string;
  try {
    const read = await readSessionText(file);
    if ('problem' in read) throw new CorruptSessionError(file, read.problem, await inspectBackup(file));
    text = read.text;
  } catch (e) {
    if (e instanceof CorruptSessionError || (e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    const backup = await inspectBackup(file);
    if (backup) throw new CorruptSessionError(file, 'is missing but its backup exists', backup);
    throw new UserError(`No session file ${file}`, 'Start one with `collabsec run`, or list sessions with `collabsec sessions`.', ExitCode.sessionUnavailable);
  }
  const parsed = parseSessionText(text);
  if (!parsed.ok) throw new CorruptSessionError(file, parsed.problem, await inspectBackup(file));
  return parsed.state;
}

/**
 * Replaces a damaged session file with its backup, keeping the damaged file as
 * `<file>.corrupt-<time>` for inspection. Only for an explicit operator decision.
 */
export async function restoreBackup(file: string): Promise<SessionState> {
  const backup = await inspectBackup(file);
  if (!backup?.valid) throw new UserError(`No usable backup for ${file}`, undefined, ExitCode.sessionUnavailable);
  const read = await readSessionText(backup.path);
  if ('problem' in read) throw new CorruptSessionError(backup.path, read.problem, undefined);
  const parsed = parseSessionText(read.text);
  if (!parsed.ok) throw new CorruptSessionError(backup.path, parsed.problem, undefined);
  await fs.rename(file, `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'ENOENT') throw e;
  });
  // backup: false — the file being replaced was just moved aside; the backup stays as it is.
  await writeFileAtomic(file, read.text, { backup: false });
  return parsed.state;
}
