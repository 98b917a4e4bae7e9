// Where sessions live: `.collabsec/` beside the inventory (so a rollout's state travels with
// its inventory folder), one `<name>.json` per session, the name defaulting to the inventory's
// base name so two inventories in one folder never share a session.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { ExitCode, UserError } from '../errors.js';
import { backupPath } from './atomic-write.js';
import { isTampered, verifyJournal } from './chain.js';
import { lockPathFor, readLockOwner, type LockOwner } from './lock.js';
import { filePresence, type PresentOperator } from './presence.js';
import { parseSessionText, readSessionText } from './load.js';
import { lastActivity, progress } from './resume.js';
import type { SessionState } from './state.js';

export const SESSION_DIR_NAME = '.collabsec';

/** Names are file names: no separators, no leading dot, nothing a shell or a path would reinterpret. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function defaultSessionDir(inventoryPath: string): string {
  return path.join(path.dirname(path.resolve(inventoryPath)), SESSION_DIR_NAME);
}

export function defaultSessionName(inventoryPath: string): string {
  const base = path.basename(inventoryPath).replace(/\.(ya?ml|json)$/i, '');
  const cleaned = base.replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return cleaned.slice(0, 64) || 'default';
}

export function validateSessionName(name: string): string {
  if (!NAME.test(name) || name.endsWith('.backup') || name.endsWith('.lock')) {
    throw new UserError(`Invalid session name "${name}"`, 'Use letters, digits, ".", "_" and "-" (up to 64 characters), starting with a letter or digit.', ExitCode.usage);
  }
  return name;
}

export function sessionFilePath(dir: string, name: string): string {
  return path.join(path.resolve(dir), `${validateSessionName(name)}.json`);
}

export interface ResolvedSession {
  dir: string;
  name: string;
  file: string;
}

/** `--inventory` and `--session` → the session file (`--session` may also be a path to a .json). */
export function resolveSession(opts: { inventoryPath?: string; session?: string; cwd: string }): ResolvedSession {
  if (opts.session !== undefined && (opts.session.includes('/') || opts.session.endsWith('.json'))) {
    const file = path.resolve(opts.cwd, opts.session);
    return { dir: path.dirname(file), name: path.basename(file, '.json'), file };
  }
  const dir = opts.inventoryPath !== undefined ? defaultSessionDir(path.resolve(opts.cwd, opts.inventoryPath)) : path.join(opts.cwd, SESSION_DIR_NAME);
  const name = opts.session ?? (opts.inventoryPath !== undefined ? defaultSessionName(opts.inventoryPath) : 'default');
  return { dir, name, file: sessionFilePath(dir, name) };
}

export interface SessionListing {
  name: string;
  file: string;
  /** Undefined when the file does not parse (then `error` says why). */
  summary?: {
    planTitle: string;
    inventoryPath: string;
    createdAt: string;
    lastActivity: string;
    serial: number;
    done: number;
    total: number;
    interrupted: number;
    failed: number;
    /** The journal's hash chain: intact, absent (an older file) or broken (edited outside collabsec). */
    journal: 'chained' | 'not-chained' | 'tampered';
    /** Edited outside collabsec, now or before an operator accepted it. */
    tampered: boolean;
  };
  error?: string;
  hasBackup: boolean;
  lockedBy?: LockOwner;
  /** Who is in the session now (store.presence()); absent when no one is. */
  presence?: PresentOperator[];
}

/** What `sessions` shows of a session that loads. */
export function sessionSummary(state: SessionState): NonNullable<SessionListing['summary']> {
  const p = progress(state);
  const integrity = verifyJournal(state);
  return {
    planTitle: state.planTitle,
    inventoryPath: state.inventory.path,
    createdAt: state.createdAt,
    lastActivity: lastActivity(state),
    serial: state.serial,
    done: p.done,
    total: p.total,
    interrupted: p.byStatus.interrupted + p.byStatus.started,
    failed: p.byStatus.failed,
    journal: integrity.kind,
    tampered: isTampered(integrity),
  };
}

async function fileExists(p: string): Promise<boolean> {
  return fs.access(p).then(
    () => true,
    () => false,
  );
}

/** Every `<name>.json` in `dir`, sorted by name; unreadable files are listed with their error. */
export async function listSessions(dir: string): Promise<SessionListing[]> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const out: SessionListing[] = [];
  for (const entry of names.filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort()) {
    const file = path.join(dir, entry);
    const listing: SessionListing = { name: entry.slice(0, -'.json'.length), file, hasBackup: await fileExists(backupPath(file)) };
    const owner = await readLockOwner(lockPathFor(file));
    if (owner) listing.lockedBy = owner;
    const presence = await filePresence(file);
    if (presence.length > 0) listing.presence = presence;
    try {
      // The same reading and parsing as loadSession: bounded, and a parser message (which quotes
      // the file's text) is never shown — only what is wrong and where.
      const read = await readSessionText(file);
      const parsed = 'problem' in read ? ({ ok: false, problem: read.problem } as const) : parseSessionText(read.text);
      if (!parsed.ok) {
        listing.error = parsed.problem;
        out.push(listing);
        continue;
      }
      listing.summary = sessionSummary(parsed.state);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      listing.error = 'disappeared while being listed';
    }
    out.push(listing);
  }
  return out;
}

/**
 * The session folders an existing session is looked for in, first match wins: `.collabsec/`
 * beside the inventory (when one is named), then `./.collabsec/` (`sessions` lists both).
 */
export function sessionDirs(opts: { inventoryPath?: string; cwd: string }): string[] {
  const here = path.join(opts.cwd, SESSION_DIR_NAME);
  const beside = opts.inventoryPath !== undefined ? defaultSessionDir(path.resolve(opts.cwd, opts.inventoryPath)) : undefined;
  return beside === undefined || beside === here ? [here] : [beside, here];
}

/**
 * For commands on an existing session (`resume`, `status`, `report`): like resolveSession, but
 * `--session NAME` is found beside the inventory or in `./.collabsec/` (sessionDirs), and with
 * neither `--session` nor `--inventory` it picks the only session in `./.collabsec/`, and says
 * which exist when there are several.
 */
export async function findSession(opts: { inventoryPath?: string; session?: string; cwd: string }): Promise<ResolvedSession> {
  if (opts.session !== undefined && !(opts.session.includes('/') || opts.session.endsWith('.json'))) {
    const dirs = sessionDirs(opts);
    for (const dir of dirs) {
      const file = sessionFilePath(dir, opts.session);
      if (await fileExists(file)) return { dir, name: opts.session, file };
    }
    throw new UserError(`No session ${opts.session} in ${dirs.join(' or ')}`, 'Run collabsec sessions (with --inventory FILE) to see the sessions there, or pass --session FILE.', ExitCode.usage);
  }
  if (opts.session !== undefined || opts.inventoryPath !== undefined) return resolveSession(opts);
  const dir = path.join(opts.cwd, SESSION_DIR_NAME);
  const found = await listSessions(dir);
  const only = found[0];
  if (found.length === 1 && only) return { dir, name: only.name, file: only.file };
  if (found.length === 0)
    throw new UserError(`No session found in ${dir}`, 'Pass --inventory FILE (sessions live in .collabsec/ beside it) or --session FILE.', ExitCode.usage);
  throw new UserError(`Several sessions in ${dir}: ${found.map((f) => f.name).join(', ')}`, 'Choose one with --session NAME.', ExitCode.usage);
}
