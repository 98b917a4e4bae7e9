// A throwaway PostgreSQL server for tests (issue 24): initdb'd in a temp folder, listening only on
// a unix socket in that folder (no port, nothing global), trust auth for its one superuser, and
// stopped and removed afterwards. The server refuses to run as root, so as root (CI, this
// machine) it runs as `nobody` through runuser. Missing binaries FAIL the tests that need them:
// CI installs Debian's postgresql package (.ci/run), so absence is a broken setup, not a skip.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

export interface Cluster {
  /** The folder holding the server's socket. */
  socketDir: string;
  /** URL of a database on this server, as collabsec's --backend takes it. */
  url(database: string): string;
  /** Stops the server (as a crash would: immediate mode), keeping its data. */
  halt(): void;
  /** Starts a halted server again on the same socket and data. */
  restart(): void;
  stop(): Promise<void>;
}

export const SUPERUSER = 'collabsec';

/** initdb/pg_ctl's folder: pg_config's answer, else the newest /usr/lib/postgresql/<v>/bin. */
export function postgresBinDir(): string {
  const has = (d: string) => existsSync(path.join(d, 'initdb')) && existsSync(path.join(d, 'pg_ctl'));
  try {
    const d = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (has(d)) return d;
  } catch {
    /* no pg_config (it comes with libpq-dev): look where Debian puts the server */
  }
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => has(path.join(root, v, 'bin'))).sort((a, b) => Number(b) - Number(a)) : [];
  if (versions[0] === undefined) throw new Error("PostgreSQL server binaries (initdb, pg_ctl) not found via pg_config --bindir or in /usr/lib/postgresql/*/bin: install Debian's postgresql package (.ci/run does)");
  return path.join(root, versions[0], 'bin');
}

export interface ClusterOptions {
  /** Durable commits (fsync on), as a production server: for benchmarks. Tests leave it off. */
  fsync?: boolean;
}

export async function startCluster(opts: ClusterOptions = {}): Promise<Cluster> {
  const bin = postgresBinDir();
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'collabsec-pg-'));
  const data = path.join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  const run = (tool: string, args: string[]) => {
    const cmd = asRoot ? ['runuser', '-u', 'nobody', '--', path.join(bin, tool), ...args] : [path.join(bin, tool), ...args];
    return execFileSync(cmd[0]!, cmd.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
  };
  if (asRoot) {
    const nobody = Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).trim());
    await fs.chown(dir, nobody, nobody);
  }
  // fsync off: a test cluster's durability is not under test, its speed on 2 busy cores is.
  const fsync = opts.fsync === true ? 'on' : 'off';
  const start = () => run('pg_ctl', ['start', '-w', '-t', '120', '-D', data, '-l', path.join(dir, 'server.log'), '-o', `-k ${dir} -c listen_addresses= -c fsync=${fsync} -c max_connections=80`]);
  try {
    run('initdb', ['-D', data, '-U', SUPERUSER, '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
    start();
  } catch (e) {
    const log = await fs.readFile(path.join(dir, 'server.log'), 'utf8').catch(() => '');
    await fs.rm(dir, { recursive: true, force: true });
    throw new Error(`could not start a test PostgreSQL: ${(e as { stderr?: string }).stderr ?? String(e)}\n${log}`);
  }
  return {
    socketDir: dir,
    url: (database) => `postgres://${SUPERUSER}@localhost/${database}?host=${encodeURIComponent(dir)}`,
    halt: () => void run('pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-w']),
    restart: () => void start(),
    async stop() {
      try {
        run('pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-w']);
      } catch {
        /* already halted */
      } finally {
        await fs.rm(dir, { recursive: true, force: true });
      }
    },
  };
}
