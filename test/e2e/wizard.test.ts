// Drives `collabsec run` and `resume` in a real pseudo-terminal (tmux) and reads the screen.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionState } from '../../src/session/index.js';
import { bundleLauncher, runPlain, Tmux, waitForFile, workspace } from './helpers.js';

let launcher: string;
const terms: Tmux[] = [];
beforeAll(async () => {
  launcher = await bundleLauncher();
});
afterAll(async () => {
  await Promise.all(terms.map((t) => t.kill()));
  await fs.rm(launcher, { force: true });
});

function term(dir: string): Tmux {
  const t = new Tmux(dir);
  terms.push(t);
  return t;
}
const history = (s: SessionState, id: string) => s.steps[id]!.history.map((e) => e.status);

describe('collabsec run in a terminal', () => {
  it('walks a step to verified, skips one with a reason, and refuses a second collabsec on the session', { timeout: 90_000 }, async () => {
    const { dir, inventory } = await workspace();
    const file = path.join(dir, '.collabsec', 'ent-pa.json');
    const t = term(dir);
    t.start(launcher, ['run', '--inventory', inventory]);
    let screen = await t.waitFor('Enter begin (read-only; a rehearsal reads nothing)');
    expect(screen).toContain('rehearsal (nothing is sent)');
    expect(screen).toMatch(/Progress 0\/\d+/);
    expect(screen).toMatch(/› \[ \] P001 /);
    expect(screen).toContain('Checkpoint:');

    // A second process on the same session is refused, naming the holder.
    const second = await runPlain(launcher, ['run', '--inventory', inventory, '--steps', 'P001', '--checkpoint-passed'], dir);
    expect(second.code).toBe(5);
    expect(second.stderr).toMatch(/locked by process \d+ on host/);

    await t.inputReady();
    t.send('Enter');
    await t.waitFor('P001 started (recorded in the session)');
    expect(history(await waitForFile<SessionState>(file, (s) => history(s, 'P001').length > 0), 'P001')).toEqual(['started']);
    t.send('c');
    await t.waitFor('Passed? y yes');
    t.send('y');
    screen = await t.waitFor('P001 verified.');
    expect(screen).toMatch(/\[x\] P001 /);
    expect(screen).toMatch(/Progress 1\/\d+/);

    // The next step was done by hand: straight to its checkpoint, no "started" recorded.
    t.send('d');
    await t.waitFor('You did this step yourself.');
    t.send('y');
    screen = await t.waitFor(/Progress 2\/\d+/);

    t.send('s');
    await t.waitFor(/Why skip [A-Z]\d+\? \(recorded\)/);
    t.type('done by the previous team');
    t.send('Enter');
    await t.waitFor('skipped.');
    t.send('q');
    await t.waitFor('[exit 0]');
    const state = JSON.parse(await fs.readFile(file, 'utf8')) as SessionState;
    expect(history(state, 'P001')).toEqual(['started', 'verified']);
    const skipped = Object.values(state.steps).find((r) => r.history.at(-1)?.status === 'skipped');
    expect(skipped?.history.at(-1)?.reason).toBe('done by the previous team');

    // The inventory changes (the publisher moves): resume shows what changed before anything else.
    await fs.writeFile(inventory, (await fs.readFile(inventory, 'utf8')).replace('ip: 192.0.2.10,', 'ip: 192.0.2.99,'));
    const r = term(dir);
    r.start(launcher, ['resume', '--inventory', inventory]);
    screen = await r.waitFor('changed since this session began');
    // Box lines wrap: compare the text with the borders and line breaks taken out.
    const unboxed = screen.replace(/[│\s]*\n[│\s]*/g, ' ');
    expect(unboxed).toMatch(/[A-Z]00\d .*?\(verified\) — done with the OLD commands: re-check it/);
    // What changed, not only which steps: the publisher's new address among the added lines.
    expect(screen).toMatch(/\+ .*192\.0\.2\.99/);
    expect(screen).toContain('a accept the new plan');
    r.send('a');
    screen = await r.waitFor('New plan accepted');
    expect(screen).toMatch(/\[x\] [A-Z]00\d .*\(commands changed since verified\)/);
    r.send('q');
    await r.waitFor('[exit 0]');
  });

  it('after kill -9 mid-step, resume shows the step interrupted (a rehearsal: nothing was sent) and asks for its checkpoint first', { timeout: 60_000 }, async () => {
    const { dir, inventory } = await workspace();
    const file = path.join(dir, '.collabsec', 'ent-pa.json');
    const t = term(dir);
    t.start(launcher, ['run', '--inventory', inventory]);
    await t.waitFor('Enter begin');
    await t.inputReady();
    t.send('Enter');
    await t.waitFor('P001 started');
    await waitForFile<SessionState>(file, (s) => history(s, 'P001').includes('started'));
    process.kill(await t.pid(), 'SIGKILL');
    await t.waitFor('[exit 137]');

    const r = term(dir);
    r.start(launcher, ['resume', '--inventory', inventory]);
    const screen = await r.waitFor('Passed? y yes');
    expect(screen).toMatch(/\[\?\] P001 /);
    expect(screen).toContain('Checkpoint · P001');
    // A rehearsal sent nothing: the resume says so (issue 12), not "may or may not have run".
    const unboxed = screen.replace(/[│\s]*\n[│\s]*/g, ' ');
    expect(unboxed).toContain('This step was started in a rehearsal (collabsec sent nothing), and its checkpoint was not answered.');
    expect(unboxed).toMatch(/P001 was started in a rehearsal \(collabsec sent nothing\), and its checkpoint was not answered/);
    expect(unboxed).not.toContain('may or may not');
    r.send('y');
    await r.waitFor('P001 verified.');
    r.send('q');
    await r.waitFor('[exit 0]');
    const state = JSON.parse(await fs.readFile(file, 'utf8')) as SessionState;
    expect(history(state, 'P001')).toEqual(['started', 'interrupted', 'verified']);
  });
});
