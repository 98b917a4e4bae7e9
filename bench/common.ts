// Shared benchmark helpers. Every timing is reported as a ratio to a baseline measured in the
// same run on the same machine (a bare `node -e 0`), so numbers from a loaded CI box and a
// laptop can be compared.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

/** Wall time in ms of one `node <args>` run. */
function runNode(args: string[], cwd?: string): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr.toString().slice(0, 500)}`);
  return ms;
}

/** The middle value (the upper of the two middle ones for an even count); NaN for none. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

/**
 * `node <args>` against a bare `node -e 0`, run in turns (`runs` of each): a burst of load on the
 * machine then weighs on both sides of the ratio alike, where a baseline taken once before drifted
 * from the runs it was compared with (on the bench VM the baseline alone moved 106–174 ms between
 * runs). Medians in ms, and their ratio.
 */
export function timeAgainstNode(args: string[], runs: number, cwd?: string): { ms: number; base: number; ratio: number; spread: string } {
  const { subject: ms, base, pairs } = inTurns(runNode, args, runs, cwd);
  return { ms, base, ratio: ms / base, spread: spreadOf(pairs.map(([s, b]) => s / b)) };
}

/**
 * The middle half of the runs' own ratios (each run over the `node -e 0` beside it), `p25–p75×`:
 * how much the machine moved during the measurement. On the bench VM one build's 50 × 10 median
 * was 3.0× in one run and 4.4× in the next; a wide spread says to measure again.
 */
export function spreadOf(ratios: number[]): string {
  const s = [...ratios].sort((a, b) => a - b);
  // Nearest rank: the smallest ratio with at least q of the runs at or below it.
  const at = (q: number) => s[Math.max(0, Math.ceil(q * s.length) - 1)]!;
  return s.length === 0 ? '' : `${at(0.25).toFixed(2)}–${at(0.75).toFixed(2)}×`;
}

/** Medians of `measure` on a bare `node -e 0` and on `node <args>`, taken in turns, `runs` of each. */
function inTurns(measure: (args: string[], cwd?: string) => number, args: string[], runs: number, cwd?: string): { subject: number; base: number; pairs: [number, number][] } {
  const subject: number[] = [];
  const base: number[] = [];
  for (let i = 0; i < runs; i++) {
    base.push(measure(['-e', '0']));
    subject.push(measure(args, cwd));
  }
  return { subject: median(subject), base: median(base), pairs: subject.map((s, i) => [s, base[i]!]) };
}

/**
 * A preload that writes the process's minor page faults to stderr as it exits. `--require` is a
 * Node option, not a V8 flag: the bundles' code caches are still taken (src/code-cache.ts).
 */
let faultsPreload: string | undefined;
const FAULTS_MARK = 'collabsec-bench-minor-faults=';

function preload(): string {
  if (faultsPreload === undefined) {
    const file = join(mkdtempSync(join(tmpdir(), 'collabsec-bench-faults-')), 'faults.cjs');
    // Gone with the bench's process, whatever ends it: every run made a directory and left it.
    process.on('exit', () => rmSync(dirname(file), { recursive: true, force: true }));
    faultsPreload = file;
    writeFileSync(faultsPreload, `process.on('exit', () => process.stderr.write('\\n${FAULTS_MARK}' + process.resourceUsage().minorPageFault + '\\n'));\n`);
  }
  return faultsPreload;
}

/** Minor page faults of one `node <args>` run, as the process counts them at exit. */
function faultsOf(args: string[], cwd?: string): number {
  const r = spawnSync(process.execPath, ['--require', preload(), ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  const m = new RegExp(`${FAULTS_MARK}(\\d+)`).exec(r.stderr.toString());
  if (r.status !== 0 || !m) throw new Error(`node ${args.join(' ')} exited ${r.status} without its fault count: ${r.stderr.toString().slice(0, 500)}`);
  return Number(m[1]);
}

/**
 * Median minor page faults of `node <args>` and of a bare `node -e 0`, `runs` of each. On a virtual
 * machine a page touched for the first time costs ~15 µs, and start-up is mostly that; unlike wall
 * time, the count does not move with the load of the machine, so it compares builds run apart.
 */
export function faultsAgainstNode(args: string[], runs: number, cwd?: string): { faults: number; base: number } {
  const { subject: faults, base } = inTurns(faultsOf, args, runs, cwd);
  return { faults, base };
}
