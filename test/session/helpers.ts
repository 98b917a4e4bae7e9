// Spawning real child processes for the session tests. The child is TypeScript; esbuild (already
// installed with vitest) bundles it once into a plain .mjs so each spawn costs a bare node start.
// Temp folders live in ./temp-dirs.ts, so the tests that spawn nothing (the unit project) need not
// import this file; they are re-exported here for the tests that do.
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { build } from 'esbuild';
import { tempDir } from './temp-dirs.js';

export { removeTempDirs, tempDir } from './temp-dirs.js';

export async function bundleChild(entry = 'child.ts'): Promise<string> {
  const outdir = await tempDir('collabsec-child-');
  const outfile = path.join(outdir, 'child.mjs');
  await build({
    entryPoints: [path.join(import.meta.dirname, 'fixtures', entry)],
    // CommonJS dependencies (pg) require node's own modules: give the ESM bundle a require.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    external: ['pg-native'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    // Smaller source parses faster: each of the 200 kills pays one node start.
    minify: true,
    logLevel: 'silent',
  });
  return outfile;
}

export interface Child {
  proc: ChildProcess;
  lines: string[];
  /** Resolves with the first line starting with `prefix`. */
  waitFor(prefix: string, timeoutMs?: number): Promise<string>;
  /** Resolves once the process exited and its stdout is fully read. */
  closed: Promise<void>;
  stderr(): string;
}

/** Runs the child under `umask 000`, so every file it creates proves its own mode handling. */
export function spawnChild(script: string, args: string[]): Child {
  const proc = spawn('sh', ['-c', 'umask 000 && exec "$0" "$@"', process.execPath, script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let buf = '';
  let err = '';
  const waiters: { prefix: string; resolve: (l: string) => void }[] = [];
  proc.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buf += chunk;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      lines.push(line);
      for (const w of [...waiters]) if (line.startsWith(w.prefix)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(line); }
    }
  });
  proc.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  const closed = new Promise<void>((r) => proc.on('close', () => r()));
  return {
    proc,
    lines,
    closed,
    stderr: () => err,
    waitFor(prefix, timeoutMs = 60_000) {
      const hit = lines.find((l) => l.startsWith(prefix));
      if (hit !== undefined) return Promise.resolve(hit);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`child did not print "${prefix}" within ${timeoutMs} ms; stderr: ${err}`)), timeoutMs);
        waiters.push({ prefix, resolve: (l) => { clearTimeout(t); resolve(l); } });
        void closed.then(() => setTimeout(() => reject(new Error(`child exited before "${prefix}"; stderr: ${err}`)), 50));
      });
    },
  };
}

export async function killHard(child: Child): Promise<void> {
  child.proc.kill('SIGKILL');
  await child.closed;
}
