// `collabsec sessions`: the sessions beside an inventory (or in ./.collabsec/), read-only.
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { ExitCode } from '../errors.js';
import { listSessions, sessionDirs, type SessionListing } from '../session/paths.js';
import { stripControls, stripLine } from '../text/controls.js';
import { cleanStrings } from './status.js';
import { backendOption, backendUsage, openBackend } from './backend.js';
import { runTransfer } from './sessions-transfer.js';
import { operatorText } from '../session/presence.js';
import type { Command } from './types.js';

const usage = `Usage: collabsec sessions [--inventory FILE | --dir DIR] [--json]
       collabsec sessions export|import …   (see collabsec sessions export --help)

Lists rollout sessions: name, progress, last activity, interrupted and failed steps, who is using
it (the collabsec holding it, or a team's operators with the steps and nodes each claimed), and
damaged files (with whether a backup exists).

Options:
  -i, --inventory FILE   list the sessions in .collabsec/ beside this inventory
  -d, --dir DIR          list the sessions in DIR (default ./.collabsec)
      --json             machine-readable output
  -s, --session NAME     export: the session to export (default: the inventory's name, or the only one)
  -o, --out FILE         export: where to write the session (must not exist)
${backendUsage}
  -h, --help             show this help

Examples:
  collabsec sessions -i site.yaml
  collabsec sessions --dir /srv/rollouts/.collabsec --json
  collabsec sessions export -i site.yaml --out site-session.json
  collabsec sessions import site-session.json --backend postgres://ops@db.example.com/rollouts

Exit codes: 0 listed (also when there are none), 2 bad usage.`;

const command: Command = {
  name: 'sessions',
  summary: 'list rollout sessions',
  usage,
  async run(argv, io) {
    if (argv[0] === 'export' || argv[0] === 'import') return runTransfer(argv[0], argv.slice(1), io);
    const { values } = parseArgs({
      args: argv,
      options: {
        inventory: { type: 'string', short: 'i' },
        dir: { type: 'string', short: 'd' },
        json: { type: 'boolean' },
        ...backendOption,
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
    if (values.help) {
      io.stdout.write(`${usage}\n`);
      return ExitCode.ok;
    }
    const backend = await openBackend(values.backend, io);
    // With --inventory: the sessions beside it and those in ./.collabsec/ (where resume, status
    // and report also look for a session by name), each folder listed on its own.
    const dirs = backend ? [backend.location] : values.dir !== undefined ? [path.resolve(io.cwd, values.dir)] : sessionDirs({ ...(values.inventory !== undefined ? { inventoryPath: values.inventory } : {}), cwd: io.cwd });
    if (dirs.length > 1 && values.json) {
      // One document: the inventory's folder as before, the current folder's under `also`.
      const [first, ...rest] = await Promise.all(dirs.map(async (d) => jsonDoc(d, await listSessions(d))));
      io.stdout.write(`${JSON.stringify({ ...first, also: rest }, null, 2)}\n`);
      return ExitCode.ok;
    }
    if (dirs.length > 1) {
      for (const dir of dirs) await listIn(dir, undefined, false, io);
      return ExitCode.ok;
    }
    return listIn(dirs[0]!, backend, values.json === true, io);
  },
};

/** `--json`: a folder's sessions, cleaned, lock owners without their token. */
function jsonDoc(dir: string, listed: SessionListing[]) {
  const plain = cleanStrings(listed, stripControls).map(({ lockedBy, ...rest }) => (lockedBy ? { ...rest, lockedBy: { pid: lockedBy.pid, host: lockedBy.host, user: lockedBy.user, startedAt: lockedBy.startedAt } } : rest));
  return { dir: stripControls(dir), sessions: plain };
}

/** One folder's (or the database's) sessions, as text or JSON. */
async function listIn(dir: string, backend: Awaited<ReturnType<typeof openBackend>>, json: boolean, io: Parameters<Command['run']>[1]): Promise<number> {
  let listed;
  try {
    listed = backend ? await backend.list() : await listSessions(dir);
  } finally {
    await backend?.close();
  }
  if (json) {
    io.stdout.write(`${JSON.stringify(jsonDoc(dir, listed), null, 2)}\n`);
    return ExitCode.ok;
  }
  // Names, titles, paths, errors and lock owners come from files anyone may have written.
  const list = cleanStrings(listed, stripLine);
  if (list.length === 0) {
    io.stderr.write(`No sessions in ${stripLine(dir)}. Start one with: collabsec run --inventory FILE\n`);
    return ExitCode.ok;
  }
  const out = [`Sessions in ${stripLine(dir)}:`];
  for (const s of list) {
    const lock = s.lockedBy ? `; lock held by process ${s.lockedBy.pid} on ${s.lockedBy.host}` : '';
    if (!s.summary) {
      out.push(`  ${s.name}  DAMAGED: ${s.error ?? 'unreadable'}${s.hasBackup ? ' (a backup exists: see collabsec status --session ' + s.name + ')' : ''}${lock}`);
      for (const p of s.presence ?? []) if (p.mode === 'team') out.push(`    ${operatorText(p)}`);
      continue;
    }
    const m = s.summary;
    const flags = [m.interrupted > 0 && `${m.interrupted} interrupted`, m.failed > 0 && `${m.failed} failed`].filter(Boolean).join(', ');
    out.push(`  ${s.name}  ${m.tampered ? 'TAMPERED (see collabsec status)  ' : ''}${m.done}/${m.total} done${flags ? ` (${flags})` : ''}  last activity ${m.lastActivity}  ${m.planTitle}${lock}`);
    // A team's operators, one line each (a holder alone is the lock above).
    for (const p of s.presence ?? []) if (p.mode === 'team') out.push(`    ${operatorText(p)}`);
  }
  io.stdout.write(`${out.join('\n')}\n`);
  return ExitCode.ok;
}

export default command;
