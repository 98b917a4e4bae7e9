// Issue 20: `collabsec lab` removes its temp folder on Ctrl-C. The built CLI runs as a real child
// process; SIGINT is sent once it says it is running, and the folder its inventory was written to
// must be gone when it exits (0: stopping is the lab's normal end, as its --help says).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('collabsec lab on Ctrl-C', () => {
  it('closes the simulators, removes its temp folder and exits 0', async () => {
    const child = spawn(process.execPath, [join(root, 'dist', 'src', 'cli.js'), 'lab', '--json'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    // Generous: nineteen simulators generate their keys on a busy machine.
    for (let i = 0; i < 1200 && !err.includes('Lab running'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(err).toContain('Lab running');
    const { inventory, knownHosts } = JSON.parse(out) as { inventory: string; knownHosts: string };
    const dir = dirname(inventory);
    expect(dir).toMatch(/collabsec-lab-/);
    expect(existsSync(inventory) && existsSync(knownHosts)).toBe(true);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(err).toContain('Lab stopped.');
    expect(existsSync(dir)).toBe(false);
  }, 180_000);
});
