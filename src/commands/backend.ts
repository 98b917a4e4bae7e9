// Where sessions are kept, chosen once per command: `--backend postgres://…` or COLLABSEC_BACKEND
// for a team's database (issue 24), otherwise the file journal beside the inventory, which needs
// nothing. The database password comes from PGPASSWORD or is asked on a terminal, only when the
// server wants one; it is never put in a file, the session or a message.
import { ExitCode, UserError } from '../errors.js';
import { defaultSessionName } from '../session/paths.js';
import type { PgSessionBackend } from '../session/pg-store.js';
import type { SessionStore } from '../session/store.js';
import type { Io } from './types.js';

export const BACKEND_ENV = 'COLLABSEC_BACKEND';

export const backendOption = { backend: { type: 'string' } } as const;

export const backendUsage = `      --backend URL      keep sessions in PostgreSQL (postgres://user@host/db; default: the
                         file beside the inventory; also COLLABSEC_BACKEND). The password
                         comes from PGPASSWORD or is asked.`;

/** The database backend the command was pointed at, connected and its schema checked; undefined for files. */
export async function openBackend(flag: string | undefined, io: Io): Promise<PgSessionBackend | undefined> {
  const spec = flag ?? io.env[BACKEND_ENV];
  if (spec === undefined || spec === '' || spec === 'file') return undefined;
  // pg (a few dozen CommonJS files) only for a database backend: the file journal, the usual
  // case, starts the wizard without it (issue 25: time to the first frame).
  const { connectPostgres, isPostgresUrl } = await import('../session/pg-store.js');
  if (!isPostgresUrl(spec)) throw new UserError(`Unknown session backend "${spec.replace(/\/\/[^@/]*@/, '//…@')}"`, 'Use --backend postgres://user@host/database, or leave it out for the session file beside the inventory.', ExitCode.usage);
  return connectPostgres(spec, {
    env: io.env,
    ...(io.stdin.isTTY === true
      ? {
          askPassword: async (location: string) => {
            const { askSecret } = await import('../prompts/secrets.js');
            return askSecret({ input: io.stdin, output: io.stderr }, `Password for the session database ${location}`);
          },
        }
      : {}),
  });
}

/**
 * The session in a database: `--session NAME`, else the inventory's name, else the only one
 * there (as findSession does in a folder).
 */
export async function storedSession(backend: PgSessionBackend, opts: { session?: string; inventoryPath?: string }): Promise<SessionStore> {
  if (opts.session !== undefined) return backend.store(opts.session);
  if (opts.inventoryPath !== undefined) return backend.store(defaultSessionName(opts.inventoryPath));
  const all = await backend.list();
  if (all.length === 1) return backend.store(all[0]!.name);
  if (all.length === 0) throw new UserError(`No session in ${backend.location}`, 'Start one with collabsec run --backend … --inventory FILE.', ExitCode.usage);
  throw new UserError(`Several sessions in ${backend.location}: ${all.map((s) => s.name).join(', ')}`, 'Choose one with --session NAME.', ExitCode.usage);
}
