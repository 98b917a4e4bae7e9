// Shared benchmark helpers. Every timing is reported as a ratio to a baseline measured in the
// same run on the same machine (a bare `node -e 0`), so numbers from a loaded CI box and a
// laptop can be compared.
import { spawnSync } from 'node:child_process';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

/** Median wall time in ms of running `node <args>` `runs` times. */
export function timeNode(args: string[], runs = 7, cwd?: string): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr.toString().slice(0, 500)}`);
    times.push(ms);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

let baseline: number | undefined;
/** Median wall time of `node -e 0` in this run. */
export function nodeBaseline(): number {
  baseline ??= timeNode(['-e', '0'], 9);
  return baseline;
}
