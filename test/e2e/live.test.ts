// `--live` end to end against the device lab (simulated IOS router over real SSH): the step is
// recorded started, sent through the transport, verified automatically, with a transcript.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../src/lab/lab.js';
import { loadPlan } from '../../src/plan/load-plan.js';
import type { SessionState } from '../../src/session/index.js';
import { displayOrder } from '../../src/wizard/view-model.js';
import { bundleLauncher, runPlain, terminalEnv, Tmux } from './helpers.js';

let launcher: string;
let lab: Lab;
beforeAll(async () => {
  [launcher, lab] = await Promise.all([bundleLauncher(), startLab({ bannerMs: 0, restartMs: 100 })]);
});
afterAll(async () => {
  await lab?.close();
  await fs.rm(launcher, { force: true });
});

describe('collabsec run --live', () => {
  it('runs an IOS step over SSH after recording it started, and verifies it automatically', async () => {
    const { plan } = loadPlan(lab.inventoryFile);
    // An IOS configuration step with an automatic check whose prerequisites have none of their own.
    const onCube = (s: (typeof plan.steps)[number]) => s.actions.some((a) => a.target === 'US-CUBE1');
    const step = plan.steps.find((s) => s.kind === 'ios-config' && onCube(s) && s.checkpoint.verify && s.requires.every((r) => plan.steps.find((x) => x.id === r)?.requires.length === 0));
    expect(step, 'the catalogue has an IOS config step with a verification').toBeDefined();
    const dir = path.dirname(lab.inventoryFile);
    const env = terminalEnv(lab.env);
    const base = ['run', '--inventory', lab.inventoryFile, '--live', '--known-hosts', lab.knownHostsFile, '--yes'];
    // Prerequisites run live too (operator-confirmed when they have no automatic check).
    if (step!.requires.length > 0) {
      const pre = await runPlain(launcher, [...base, '--steps', step!.requires.join(','), '--checkpoint-passed'], dir, env);
      expect(pre.code, pre.stderr).toBe(0);
    }
    const r = await runPlain(launcher, [...base, '--steps', step!.id], dir, env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`${step!.id} started.`);
    expect(r.stderr).toMatch(/US-CUBE1: ok — \d+ command\(s\) ok/);
    expect(r.stderr).toContain(`${step!.id} verified.`);
    const state = JSON.parse(await fs.readFile(path.join(dir, '.collabsec', 'inventory.json'), 'utf8')) as SessionState;
    const ev = state.steps[step!.id]!.history;
    expect(ev.map((e) => e.status)).toEqual(['started', 'verified']);
    expect(ev[1]!.checkpoint).toMatchObject({ method: 'automatic', outcome: 'passed' });
    const transcript = path.join(dir, '.collabsec', 'transcripts', 'inventory', 'US-CUBE1.log');
    expect((await fs.stat(transcript)).mode & 0o777).toBe(0o600);
    expect(await fs.readFile(transcript, 'utf8')).not.toContain(lab.env.COLLABSEC_IOS_PASSWORD!);
  });

  it('refuses an unknown host key without a terminal: nothing is authenticated or sent', async () => {
    const { plan } = loadPlan(lab.inventoryFile);
    const step = plan.steps.find((s) => s.kind === 'ios-config' && s.requires.length === 0 && s.actions.some((a) => a.target === 'US-CUBE1'))!;
    const dir = path.dirname(lab.inventoryFile);
    const empty = path.join(dir, 'empty_known_hosts');
    const r = await runPlain(launcher, ['run', '--inventory', lab.inventoryFile, '--session', 'nokeys', '--live', '--known-hosts', empty, '--steps', step.id, '--checkpoint-passed'], dir, terminalEnv(lab.env));
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/unknown host key for .* \(SHA256:/);
    expect(r.stderr).toContain('not connected');
  });

  it('a transport failure (the router refuses the password) is exit 4, the code of a failed step, not 1', async () => {
    const { plan } = loadPlan(lab.inventoryFile);
    const step = plan.steps.find((s) => s.kind === 'ios-config' && s.requires.length === 0 && s.actions.some((a) => a.target === 'US-CUBE1'))!;
    const dir = path.dirname(lab.inventoryFile);
    const env = terminalEnv({ ...lab.env, COLLABSEC_IOS_PASSWORD: `${lab.env.COLLABSEC_IOS_PASSWORD ?? ''}-wrong` });
    const r = await runPlain(launcher, ['run', '--inventory', lab.inventoryFile, '--session', 'badpass', '--live', '--known-hosts', lab.knownHostsFile, '--steps', step.id, '--checkpoint-passed'], dir, env);
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toMatch(/US-CUBE1: not connected — .*authentication failed/);
    expect(r.stderr).not.toMatch(/a bug in collabsec|\n\s+at /);
    const state = JSON.parse(await fs.readFile(path.join(dir, '.collabsec', 'badpass.json'), 'utf8')) as SessionState;
    expect(state.steps[step.id]!.history.at(-1)?.status).not.toBe('verified');
  });
});

describe('collabsec run --live in a terminal', () => {
  it('asks for a password whose variable is unset (masked) before the wizard opens; it is never stored', { timeout: 60_000 }, async () => {
    const dir = path.dirname(lab.inventoryFile);
    const vosEnv = Object.keys(lab.env).find((k) => k.includes('VOS'))!;
    const secret = lab.env[vosEnv]!;
    const t = new Tmux(dir);
    try {
      t.start(launcher, ['run', '--inventory', lab.inventoryFile, '--session', 'asked', '--live', '--known-hosts', lab.knownHostsFile], { ...lab.env, [vosEnv]: '' });
      await t.waitFor(`vos password for administrator (${vosEnv} is not set)`);
      t.type(secret);
      t.send('Enter');
      // The IOS enable secret (no variable in the lab inventory) is asked too; empty = none.
      await t.waitFor('ios enable secret for admin');
      t.send('Enter');
      const screen = await t.waitFor('q quit');
      // The header row (below the answered password questions) starts with the mode, in its own style.
      expect(screen).toMatch(/^\[ LIVE \(SSH\) \] collabsec · /m);
      expect(screen).not.toContain(secret);
      t.type('q');
      await t.waitFor('[exit 0]');
      expect(t.screen()).not.toContain(secret);
      expect(await fs.readFile(path.join(dir, '.collabsec', 'asked.json'), 'utf8')).not.toContain(secret);
    } finally {
      await t.kill();
    }
  });

  it('asks to trust the host key on first contact, then runs the step over SSH', { timeout: 90_000 }, async () => {
    const { plan } = loadPlan(lab.inventoryFile);
    const step = plan.steps.find((s) => s.kind === 'ios-config' && s.requires.length === 0 && s.actions.some((a) => a.target === 'US-CUBE1'))!;
    const order = displayOrder(plan);
    const dir = path.dirname(lab.inventoryFile);
    const t = new Tmux(dir);
    try {
      t.start(launcher, ['run', '--inventory', lab.inventoryFile, '--session', 'tui', '--live', '--known-hosts', path.join(dir, 'tui_known_hosts')], lab.env);
      await t.waitFor('ios enable secret for admin');
      t.send('Enter');
      await t.waitFor('q quit');
      t.type('j'.repeat(order.indexOf(step.id))); // the cursor starts on the first step of the list
      await t.waitFor(new RegExp(`› \\[ \\] ${step.id} `));
      await t.waitFor('Enter run over SSH');
      t.send('Enter');
      const screen = await t.waitFor('First SSH contact with US-CUBE1 at 127.0.0.1:');
      expect(screen).toMatch(/SHA256:/);
      t.send('y');
      // The lab router is shared with the tests above, which may have generated this key already:
      // then the router asks to replace it and the runner stops (it never answers an undeclared
      // question). Either way the command went over SSH; the checkpoint or the failure follows. A fresh
      // key passes its automatic check at once and the wizard moves on, saying so; a replace question
      // nobody answers leaves the step in doubt.
      await t.waitFor(new RegExp(`Checkpoint · ${step.id}|Checkpoint failed · ${step.id}|${step.id} verified\\.|${step.id} .*\\[~\\] in doubt`), 40_000);
      const state = JSON.parse(await fs.readFile(path.join(dir, '.collabsec', 'tui.json'), 'utf8')) as SessionState;
      expect(state.steps[step.id]!.history[0]!.status).toBe('started');
      expect(await fs.readFile(path.join(dir, 'tui_known_hosts'), 'utf8')).toMatch(/127\.0\.0\.1/);
      // What was sent is in the node's transcript.
      const transcript = await fs.readFile(path.join(dir, '.collabsec', 'transcripts', 'tui', 'US-CUBE1.log'), 'utf8');
      expect(transcript).toContain(step.actions[0]!.commands[0]!);
    } finally {
      await t.kill();
    }
  });
});
