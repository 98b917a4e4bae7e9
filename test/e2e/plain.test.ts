// `collabsec run` without a TTY: plain lines on stderr, decisions only from flags, never waiting.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import report from '../../src/commands/report.js';
import { loadPlan } from '../../src/plan/load-plan.js';
import type { SessionState } from '../../src/session/index.js';
import { captureIo } from '../cli/io.js';
import { bundleLauncher, repo, runPlain, workspace } from './helpers.js';

let launcher: string;
beforeAll(async () => {
  launcher = await bundleLauncher();
});
afterAll(async () => {
  await fs.rm(launcher, { force: true });
});

describe('collabsec run without a terminal', () => {
  it('lists the plan grouped by product and creates no session file', async () => {
    const { dir, inventory } = await workspace();
    const r = await runPlain(launcher, ['run', '--inventory', inventory], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^cucm \d+\/\d+$/m);
    expect(r.stderr).toMatch(/^ {2}\[ \] S001 .* \(pending\)$/m);
    expect(r.stderr).toContain('Act on steps with --steps');
    await expect(fs.access(path.join(dir, '.collabsec'))).rejects.toThrow();
  });

  it('stops with exit 4 naming the flag when a decision is needed, and records with the flags', async () => {
    const { dir, inventory } = await workspace();
    const ask = await runPlain(launcher, ['run', '--inventory', inventory, '--steps', 'S001'], dir);
    expect(ask.code).toBe(4);
    expect(ask.stderr).toContain('pass --checkpoint-passed');

    const ok = await runPlain(launcher, ['run', '--inventory', inventory, '--steps', 'S001', '--checkpoint-passed', '--note', 'checked on the GUI'], dir);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toContain('S001 verified.');
    const state = JSON.parse(await fs.readFile(path.join(dir, '.collabsec', 'ent-pa.json'), 'utf8')) as SessionState;
    // A run without --live records every event as a rehearsal, and the evidence pack says so first.
    expect(state.steps.S001!.history.at(-1)).toMatchObject({ status: 'verified', checkpoint: { method: 'operator', outcome: 'passed' }, mode: 'rehearsal' });
    expect(state.steps.S001!.notes[0]!.text).toBe('checked on the GUI');
    const pack = captureIo();
    expect(await report.run(['--inventory', inventory], pack)).toBe(0);
    expect(pack.out().split('\n')[0]).toBe('# REHEARSAL — Evidence pack: ENT-PA security rollout (chapter example)');
  });

  it('refuses a disruptive step without --yes, after printing its warnings', async () => {
    const { plan } = loadPlan(path.join(repo, 'examples', 'ent-pa.yaml'));
    const byId = new Map(plan.steps.map((s) => [s.id, s]));
    const target = plan.steps.find((s) => s.disruptive);
    expect(target).toBeDefined();
    // Its prerequisites, in plan order, done by hand first.
    const need = new Set<string>();
    const visit = (id: string): void => byId.get(id)!.requires.forEach((r) => (need.has(r) ? undefined : (need.add(r), visit(r))));
    visit(target!.id);
    const prereq = plan.steps.filter((s) => need.has(s.id)).map((s) => s.id);
    const { dir, inventory } = await workspace();
    if (prereq.length > 0) expect((await runPlain(launcher, ['run', '--inventory', inventory, '--steps', prereq.join(','), '--checkpoint-passed'], dir)).code).toBe(0);
    const r = await runPlain(launcher, ['run', '--inventory', inventory, '--steps', target!.id, '--checkpoint-passed'], dir);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('! Disruptive:');
    expect(r.stderr).toMatch(/is disruptive and needs a typed confirmation .* pass --yes/);
  });

  it('--live refuses to start without the device passwords, naming the variable', async () => {
    const { dir, inventory } = await workspace();
    const env = { ...process.env };
    delete env.COLLABSEC_VOS_PASSWORD;
    delete env.CI;
    const r = await runPlain(launcher, ['run', '--inventory', inventory, '--live', '--steps', 'S001'], dir, env);
    // No terminal to ask the password on: a step cannot run (exit 4), nothing was created.
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('set COLLABSEC_VOS_PASSWORD');
  });
});
