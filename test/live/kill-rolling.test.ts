// kill -9 of a real `collabsec run --live --plain` process (issue 18 slice 5, reliability case 4):
// mid rolling restart, the node that finished is recorded ok, the node with intent and no
// outcome is in doubt, the untouched nodes are pending; the resumed run settles the in-doubt node
// with its read-only start-time probe and sends only what never ran. And mixed mode reaches the
// publisher exactly once across a SIGKILL and the resume.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../src/lab/lab.js';
import type { VosNodeState } from '../../src/lab/server.js';
import { loadPlan } from '../../src/plan/load-plan.js';
import { openSession } from '../../src/session/journal.js';
import { nodeRunStates, type SessionState } from '../../src/session/state.js';
import { bundleLauncher, runPlain, terminalEnv } from '../e2e/helpers.js';

let launcher: string;
let lab: Lab;
beforeAll(async () => {
  // A slow restart (1.5 s per service) leaves time to kill the process while a node restarts.
  [launcher, lab] = await Promise.all([bundleLauncher(), startLab({ bannerMs: 0, restartMs: 1_500 })]);
}, 120_000);
afterAll(async () => {
  await lab?.close();
  await fs.rm(launcher, { force: true });
});

const device = (name: string) => lab.devices.find((d) => d.name === name)!.handle as (typeof lab.devices)[number]['handle'] & { state: VosNodeState };
const count = (name: string, line: string) => device(name).received.filter((l) => l === line).length;
const sessionFile = (name: string) => path.join(path.dirname(lab.inventoryFile), '.collabsec', `${name}.json`);
const readState = async (name: string) => JSON.parse(await fs.readFile(sessionFile(name), 'utf8')) as SessionState;

/** The prerequisites recorded verified by the operator, as a session before this one would have. */
async function prerequisites(session: string, stepId: string): Promise<void> {
  const { plan } = loadPlan(lab.inventoryFile);
  const s = await openSession({ plan, inventoryPath: lab.inventoryFile, name: session });
  try {
    for (const id of plan.steps.find((x) => x.id === stepId)!.requires) await s.recordResult(id, { outcome: 'passed', checkpoint: { method: 'operator', outcome: 'passed', summary: 'done before this test' } });
  } finally {
    await s.close();
  }
}

function args(session: string, step: string): string[] {
  return ['run', '--inventory', lab.inventoryFile, '--session', session, '--known-hosts', lab.knownHostsFile, '--live', '--plain', '--yes', '--accept-drift', '--steps', step];
}

/** Starts the CLI and SIGKILLs it once `when` holds (polled); resolves when it is gone. */
async function killWhen(a: string[], when: () => boolean): Promise<{ stderr: string; signal: NodeJS.Signals | null }> {
  const child: ChildProcess = spawn(process.execPath, [launcher, ...a], { cwd: path.dirname(lab.inventoryFile), env: terminalEnv(lab.env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout!.resume();
  const gone = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_c, sig) => resolve(sig)));
  let exited = false;
  void gone.then(() => (exited = true));
  while (!when()) {
    if (exited) throw new Error(`the process ended before the kill point:\n${stderr}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  child.kill('SIGKILL');
  return { stderr, signal: await gone };
}

const RESTART = (svc: string) => `utils service restart ${svc}`;

describe('kill -9 mid rolling restart (S023 on four Unified CM nodes, publisher first)', () => {
  it('finished node ok, the restarting node in doubt, the rest pending; the resume probes and sends only what never ran', { timeout: 180_000 }, async () => {
    await prerequisites('roll', 'S023');
    const { plan } = loadPlan(lab.inventoryFile);
    const order = plan.steps.find((s) => s.id === 'S023')!.actions.map((a) => a.target);
    expect(order).toEqual(['us-cm-pub', 'us-cm-sub1', 'us-cm-sub2', 'us-cm-tftp1']);
    // Node 2 (us-cm-sub1) restarts Cisco CallManager then Cisco CTIManager: kill during the first.
    const killed = await killWhen(args('roll', 'S023'), () => count('us-cm-sub1', RESTART('Cisco CallManager')) === 1);
    expect(killed.signal).toBe('SIGKILL');

    const after = await readState('roll');
    const rec = after.steps.S023!;
    expect(rec.history.map((e) => e.status)).toEqual(['started']);
    const nodes = nodeRunStates(rec);
    expect(nodes.get('us-cm-pub')).toMatchObject({ state: 'ok', record: { outcome: 'ok', health: { ok: true } } });
    expect(nodes.get('us-cm-sub1')).toMatchObject({ state: 'in-doubt' });
    expect(nodes.get('us-cm-sub1')!.record.outcome).toBeUndefined();
    // Recorded with the intent, before the first restart line: each service's start time.
    expect(Object.keys(nodes.get('us-cm-sub1')!.record.evidence ?? {}).sort()).toEqual(['Cisco CTIManager', 'Cisco CallManager']);
    expect(nodes.has('us-cm-sub2')).toBe(false); // pending: never started
    expect(nodes.has('us-cm-tftp1')).toBe(false);
    expect(count('us-cm-sub2', RESTART('Cisco CallManager'))).toBe(0);

    // The same command again resumes the run.
    const r = await runPlain(launcher, args('roll', 'S023'), path.dirname(lab.inventoryFile), terminalEnv(lab.env));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/S023 was interrupted mid-run \(us-cm-pub ok, us-cm-sub1 in-doubt, us-cm-sub2 pending, us-cm-tftp1 pending\)/);
    expect(r.stderr).toMatch(/us-cm-pub: ok — recorded before the interruption; not sent again/);
    expect(r.stderr).toMatch(/us-cm-sub1: probe: restarted "utils service restart Cisco CallManager"; never restarted "utils service restart Cisco CTIManager"/);
    expect(r.stderr).toContain('S023 verified.');

    // Every restart reached its node exactly once across the kill and the resume.
    expect(count('us-cm-pub', RESTART('Cisco Tftp'))).toBe(1);
    expect(count('us-cm-sub1', RESTART('Cisco CallManager'))).toBe(1);
    expect(count('us-cm-sub1', RESTART('Cisco CTIManager'))).toBe(1);
    for (const n of ['us-cm-sub2']) for (const svc of ['Cisco CallManager', 'Cisco CTIManager']) expect(count(n, RESTART(svc))).toBe(1);
    expect(count('us-cm-tftp1', RESTART('Cisco Tftp'))).toBe(1);

    const done = await readState('roll');
    expect(done.steps.S023!.history.map((e) => `${e.status}${e.resumed === true ? '+' : ''}`)).toEqual(['started', 'interrupted', 'started+', 'verified']);
    const final = nodeRunStates(done.steps.S023);
    expect([...final].map(([n, x]) => `${n} ${x.state}`)).toEqual(['us-cm-pub ok', 'us-cm-sub1 ok', 'us-cm-sub2 ok', 'us-cm-tftp1 ok']);
    expect(final.get('us-cm-sub1')!.record).toMatchObject({ done: [RESTART('Cisco CallManager')], lines: [RESTART('Cisco CTIManager')] });
  });
});

describe('kill -9 after mixed mode was sent', () => {
  it('reaches the publisher exactly once across the kill and the resume; the probe settles it', { timeout: 120_000 }, async () => {
    const MIXED = 'utils ctl set-cluster mixed-mode';
    const pub = device('us-cm-pub');
    pub.state.cluster.clusterSecurityMode = 0;
    const before = count('us-cm-pub', MIXED);
    await prerequisites('mixed', 'S022');
    const killed = await killWhen(args('mixed', 'S022'), () => count('us-cm-pub', MIXED) === before + 1);
    expect(killed.signal).toBe('SIGKILL');
    expect((await readState('mixed')).steps.S022!.history.at(-1)!.status).toBe('started');

    const r = await runPlain(launcher, args('mixed', 'S022'), path.dirname(lab.inventoryFile), terminalEnv(lab.env));
    expect(r.stderr).toMatch(/S022 was interrupted: its checkpoint is re-run first/);
    expect(count('us-cm-pub', MIXED)).toBe(before + 1);
    const last = (await readState('mixed')).steps.S022!.history.at(-1)!;
    // Whichever way the kill fell (before or after the device applied it), the probe decided.
    expect(last.checkpoint?.method).toBe('automatic');
    const applied = (pub.state.cluster.clusterSecurityMode as number) === 1;
    // A probe that does not pass leaves the step in doubt until the operator accepts its verdict (issue 20).
    expect(last.status).toBe(applied ? 'verified' : 'in-doubt');
    expect(r.code).toBe(applied ? 0 : 4);
  });
});
