// `collabsec plan` never hands its code to TurboFan (src/optimising-tier.ts): a run is over before
// optimised code repays its compilation. V8's --trace-opt prints a line naming "TURBOFAN" for every
// function it optimises; the control runs the same bundle and command without the launcher, hence
// without the cap, and there V8 optimises hundreds of functions. The plan's bytes are the same
// either way (test/plan/young-generation.test.ts compares the two runs' output).
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { largeInventory } from '../../bench/plan.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'dist', 'bin', 'cli.js');

let inventory: string;
beforeAll(() => {
  inventory = largeInventory(root);
});
afterAll(() => {
  rmSync(dirname(inventory), { recursive: true, force: true });
});

/** The functions V8 optimised with TurboFan while running `args` (node --trace-opt). */
function turbofanned(args: string[]): string[] {
  const r = spawnSync(process.execPath, ['--trace-opt', ...args], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.split('\n').filter((l) => /^\[completed (compiling|optimizing) .*TURBOFAN/.test(l));
}

describe('`collabsec plan` and the optimising compiler', () => {
  it('optimises nothing with TurboFan on a 50 clusters × 10 nodes plan, where without the cap V8 optimises', { timeout: 120_000 }, () => {
    expect(turbofanned([cli, 'plan', '--inventory', inventory])).toEqual([]);
    const control = `const { loadBundle } = await import(${JSON.stringify(join(root, 'dist', 'src', 'code-cache.js'))});
const plan = loadBundle(${JSON.stringify(join(root, 'dist', 'bin', 'plan.cjs'))}).exports.default;
process.exitCode = await plan.run(['--inventory', ${JSON.stringify(inventory)}], { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() });`;
    // Measured: 264 functions. Any is enough to show the cap is what keeps the other run at none.
    expect(turbofanned(['--input-type=module', '-e', control]).length).toBeGreaterThan(10);
  });
});
