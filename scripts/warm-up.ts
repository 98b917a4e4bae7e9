// The warm-up runs of `npm run build` (scripts/bundle.ts): each code-cached bundle runs its
// command once on the shipped example, in the build's own process (plain `node`, the flags users
// run with), so V8's cache holds the functions a real start calls, not only the top level. Output
// is discarded; a failure fails the build.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import type { Command, Io } from '../src/commands/types.js';

const sink = (): Writable => new Writable({ write: (_chunk, _enc, done) => done() });

/** The dry-run in every format. */
export async function warmPlan(plan: Command, root: string): Promise<void> {
  const io: Io = { stdout: sink(), stderr: sink(), stdin: new PassThrough(), env: { NO_COLOR: '1' }, cwd: root };
  for (const format of ['text', 'markdown', 'json']) {
    const code = await plan.run(['--inventory', join(root, 'examples', 'ent-pa.yaml'), '--format', format], io);
    if (code !== 0) throw new Error(`warm-up: plan --format ${format} exited ${code}`);
  }
}

/** The key help is the last line ink draws: seeing it means the whole first frame is drawn. */
const FIRST_FRAME = 'Enter begin';

/**
 * The wizard to its first frame and out again (`q`), on a terminal of 120×50 made of streams: a
 * rehearsal on a copy of the example in a temporary folder, where its session file is written
 * and removed again.
 */
export async function warmWizard(run: Command, root: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'collabsec-warm-up-'));
  // ink draws no frame until it ends when it believes it runs in CI (is-in-ci reads CI and
  // CONTINUOUS_INTEGRATION of the process when ink's module first runs, which is in this run): a
  // build in CI would wait for a first frame that never comes.
  const ciVars = Object.fromEntries(['CI', 'CONTINUOUS_INTEGRATION'].map((k) => [k, process.env[k]]));
  for (const k of Object.keys(ciVars)) delete process.env[k];
  try {
    const inventory = join(dir, 'ent-pa.yaml');
    copyFileSync(join(root, 'examples', 'ent-pa.yaml'), inventory);
    const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => stdin, ref: () => stdin, unref: () => stdin });
    let screen = '';
    let quit = false;
    const stdout = Object.assign(
      new Writable({
        write(chunk: Buffer, _enc, done) {
          screen = `${screen}${chunk.toString()}`.slice(-20_000);
          if (!quit && screen.includes(FIRST_FRAME)) {
            quit = true;
            setImmediate(() => stdin.write('q'));
          }
          done();
        },
      }),
      { isTTY: true, columns: 120, rows: 50 },
    );
    const io: Io = { stdout, stderr: sink(), stdin, env: { NO_COLOR: '1', TERM: 'xterm-256color' }, cwd: dir };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`warm-up: no first frame of the wizard within 60 s; last output: ${screen.slice(-300)}`)), 60_000);
    });
    try {
      const code = await Promise.race([run.run(['--inventory', inventory, '--session', 'warm-up'], io), timeout]);
      if (code !== 0 || !quit) throw new Error(`warm-up: the wizard exited ${code} ${quit ? 'after' : 'before'} its first frame`);
    } finally {
      clearTimeout(timer);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    for (const [k, v] of Object.entries(ciVars)) if (v !== undefined) process.env[k] = v;
  }
}
