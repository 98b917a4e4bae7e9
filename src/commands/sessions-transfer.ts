// `collabsec sessions export` / `import` (issue 24): a session moved between the file journal and
// a database, losslessly. What travels is the session file's own format — every event with its
// chain seq and hash — so the hash chain checked on export is the one checked again on import:
// a session damaged or edited outside collabsec is refused either way, and nothing is re-sealed.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { ExitCode, UserError } from '../errors.js';
import { describeBreak, verifyJournal } from '../session/chain.js';
import { FileSessionBackend, sessionText } from '../session/file-store.js';
import { parseSessionText, readSessionText } from '../session/load.js';
import { defaultSessionDir, defaultSessionName, SESSION_DIR_NAME, validateSessionName } from '../session/paths.js';
import type { SessionState } from '../session/state.js';
import type { SessionBackend } from '../session/store.js';
import { writeFileAtomic } from '../session/atomic-write.js';
import { stripLine } from '../text/controls.js';
import { backendOption, backendUsage, openBackend } from './backend.js';
import type { Io } from './types.js';

export const transferUsage = `Usage: collabsec sessions export [--backend URL | --inventory FILE | --dir DIR] [--session NAME] --out FILE
       collabsec sessions import FILE [--backend URL | --inventory FILE | --dir DIR]

Moves a session between the session file beside an inventory and a team's database, with its
whole history and hash chain: export writes the session as a session file (the file journal's
format); import stores such a file as a new session of that name (refused if one exists).

Options:
  -i, --inventory FILE   the sessions in .collabsec/ beside this inventory
  -d, --dir DIR          the sessions in DIR (default ./.collabsec)
  -s, --session NAME     the session to export (default: the inventory's name, or the only one)
  -o, --out FILE         export: where to write the session (must not exist)
${backendUsage}
  -h, --help             show this help

Examples:
  collabsec sessions export -i site.yaml --out site-session.json
  collabsec sessions import site-session.json --backend postgres://ops@db.example.com/rollouts

Exit codes: 0 done, 2 bad usage, 5 the session is damaged, edited, or already there.`;

/** Refuses a session whose chain is broken: what moves must be what was recorded. */
function checkChain(state: SessionState, where: string): void {
  const integrity = verifyJournal(state);
  if (integrity.kind === 'tampered')
    throw new UserError(`The session ${where} was edited outside collabsec (${describeBreak(integrity.first)}); it is not moved.`, 'Run collabsec resume --accept-tampered on it first, if the edit is known and accepted.', ExitCode.sessionUnavailable);
  if (integrity.kind === 'not-chained')
    throw new UserError(`The session ${where} has no hash chain yet (written by an older collabsec); it is not moved.`, 'Open it once with collabsec resume, which seals it, then move it.', ExitCode.sessionUnavailable);
}

/** The session in `backend` as a session file's text, its chain checked. */
export async function exportSession(backend: SessionBackend, name: string): Promise<string> {
  const store = backend.store(name);
  const state = await store.load();
  checkChain(state, store.location);
  return sessionText(state);
}

/** A session file's text stored in `backend` as a new session; returns its name. */
export async function importSession(backend: SessionBackend, text: string, from: string): Promise<string> {
  const parsed = parseSessionText(text);
  if (!parsed.ok) throw new UserError(`${from} ${parsed.problem}; nothing was imported.`, 'Import a file written by collabsec sessions export (or a session file).', ExitCode.sessionUnavailable);
  const state = parsed.state;
  checkChain(state, from);
  const store = backend.store(validateSessionName(state.name));
  const lock = await store.acquire();
  try {
    if ((await store.read()) !== undefined)
      throw new UserError(`A session named ${state.name} already exists in ${backend.location}; nothing was imported.`, 'Export and remove that one first, or import into another place.', ExitCode.sessionUnavailable);
    await store.commit(lock, state, { expectSerial: undefined });
  } finally {
    await lock.release();
  }
  return state.name;
}

export async function runTransfer(sub: 'export' | 'import', argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      inventory: { type: 'string', short: 'i' },
      dir: { type: 'string', short: 'd' },
      session: { type: 'string', short: 's' },
      out: { type: 'string', short: 'o' },
      ...backendOption,
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    io.stdout.write(`${transferUsage}\n`);
    return ExitCode.ok;
  }
  if (sub === 'export' && (values.out === undefined || positionals.length > 0)) throw new UserError('sessions export needs --out FILE (and no other argument)', transferUsage, ExitCode.usage);
  if (sub === 'import' && (positionals.length !== 1 || values.out !== undefined || values.session !== undefined)) throw new UserError('sessions import takes one session FILE', transferUsage, ExitCode.usage);
  const db = await openBackend(values.backend, io);
  const dir = values.dir !== undefined ? path.resolve(io.cwd, values.dir) : values.inventory !== undefined ? defaultSessionDir(path.resolve(io.cwd, values.inventory)) : path.join(io.cwd, SESSION_DIR_NAME);
  const backend: SessionBackend = db ?? new FileSessionBackend(dir);
  try {
    if (sub === 'export') {
      const name = values.session ?? (values.inventory !== undefined ? defaultSessionName(values.inventory) : await onlySession(backend));
      const text = await exportSession(backend, name);
      const out = path.resolve(io.cwd, values.out!);
      if (await fs.stat(out).then(() => true, () => false)) throw new UserError(`${out} exists; nothing was written`, 'Choose another --out file.', ExitCode.usage);
      await writeFileAtomic(out, text);
      io.stderr.write(`Exported session ${stripLine(name)} from ${stripLine(backend.location)} to ${stripLine(out)}\n`);
    } else {
      const from = path.resolve(io.cwd, positionals[0]!);
      const read = await readSessionText(from).catch((e: unknown) => {
        throw new UserError(`Cannot read ${from}: ${(e as Error).message}`, undefined, ExitCode.usage);
      });
      if ('problem' in read) throw new UserError(`${from} ${read.problem}; nothing was imported.`, undefined, ExitCode.sessionUnavailable);
      const name = await importSession(backend, read.text, from);
      io.stderr.write(`Imported session ${stripLine(name)} into ${stripLine(backend.location)}\n`);
    }
  } finally {
    await db?.close();
  }
  return ExitCode.ok;
}

async function onlySession(backend: SessionBackend): Promise<string> {
  const all = await backend.list();
  if (all.length === 1) return all[0]!.name;
  if (all.length === 0) throw new UserError(`No session in ${backend.location}`, undefined, ExitCode.usage);
  throw new UserError(`Several sessions in ${backend.location}: ${all.map((s) => s.name).join(', ')}`, 'Choose one with --session NAME.', ExitCode.usage);
}
