// Time to the wizard's first full frame on the shipped example, in a real pseudo-terminal
// (util-linux `script`), as a ratio to a bare `node -e 0` measured in the same run: the ratio
// stays comparable across machines and load, where milliseconds do not (issue 25 aim: ≤ 3×).
// Runs from the build (dist/bench/wizard.js) and starts the built `collabsec run` (dist/bin/cli.js).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { median, spreadOf } from './common.js';

const RUNS = 5;
/** The key help is the last line ink draws: seeing it means the whole first frame is on screen. */
const FIRST_FRAME = 'Enter begin';

function env(): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', TERM: 'xterm-256color', COLUMNS: '120', LINES: '50' };
  delete e.CI;
  delete e.CONTINUOUS_INTEGRATION;
  return e;
}

function timeNode(): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    p.on('error', reject);
    p.on('close', () => resolve(performance.now() - t0));
  });
}

const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** Spawns the wizard under `script` and resolves when the first frame is complete, then kills it. */
function timeFirstFrame(cli: string, inventory: string, session: string, cwd: string): Promise<number> {
  const cmd = `stty cols 120 rows 50 2>/dev/null; exec ${q(process.execPath)} ${q(cli)} run --inventory ${q(inventory)} --session ${q(session)}`;
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn('script', ['-qfec', cmd, '/dev/null'], { cwd, env: env(), stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    let out = '';
    let done = false;
    const finish = (err?: Error): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      const ms = performance.now() - t0;
      try {
        process.kill(-p.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
      if (err) reject(err);
      else resolve(ms);
    };
    const timer = setTimeout(() => finish(new Error(`no first frame within 60 s; output: ${stripVTControlCharacters(out).slice(-500)}`)), 60_000);
    p.on('error', (e) => finish(e));
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (stripVTControlCharacters(out).includes(FIRST_FRAME)) finish();
    });
    p.on('close', () => finish(new Error(`wizard exited before its first frame: ${stripVTControlCharacters(out).slice(-500)}`)));
  });
}

export async function benchWizard(): Promise<{ name: string; value: number; unit: string; note?: string }[]> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  // The `collabsec` command as installed: the bundle `npm run build` writes (scripts/bundle.ts).
  const cli = path.resolve(here, '..', 'bin', 'cli.js');
  const example = path.resolve(here, '..', '..', 'examples', 'ent-pa.yaml');
  // A copy, so the session the wizard opens is created in a temp folder, not beside the example.
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'collabsec-bench-wizard-'));
  try {
    const inventory = path.join(dir, 'ent-pa.yaml');
    await fs.copyFile(example, inventory);
    const node: number[] = [];
    const wizard: number[] = [];
    // Interleaved, so a burst of load affects both sides of the ratio alike.
    for (let i = 0; i < RUNS; i++) {
      node.push(await timeNode());
      wizard.push(await timeFirstFrame(cli, inventory, `bench-${i}`, dir));
    }
    const n = median(node);
    const w = median(wizard);
    return [
      { name: 'wizard: time to first frame / node -e 0', value: Math.round((w / n) * 100) / 100, unit: 'ratio', note: `median of ${RUNS}: ${Math.round(w)} ms vs ${Math.round(n)} ms, runs' ratios ${spreadOf(wizard.map((x, i) => x / node[i]!))}, example inventory (${path.basename(example)}), in a pty; aim ≤ 3×` },
      { name: 'wizard: time to first frame', value: Math.round(w), unit: 'ms' },
    ];
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
