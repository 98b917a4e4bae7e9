// The live CUPI runner (issue 21: S042, S043, S044, S125) on the example plan's actions, against
// the lab's CUPI simulator over real HTTPS on 127.0.0.1: read first, write only what is missing,
// read back; state in place recorded with nothing written; a write whose answer is lost leaves
// the step in doubt and is not sent again; 401 and 403 worded; the certificate pinned.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { seedCupiState, startCupiSimulator, type CupiSimulator } from '../../src/lab/cupi.js';
import type { Action, PlannedStep } from '../../src/plan/types.js';
import { cupiRunner } from '../../src/wizard/live-cupi.js';
import type { ApiRunner } from '../../src/wizard/live-controlcenter.js';
import type { RunHooks } from '../../src/wizard/types.js';
import { planOf, step } from '../golden/harness.js';

const USER = 'cuc-admin';
const PASSWORD = 'pa:ss"w<rd>';
const example = planOf();

let sim: CupiSimulator | undefined;
let runner: ApiRunner | undefined;
let dir: string | undefined;
afterEach(async () => {
  runner?.close();
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  sim = runner = dir = undefined;
});

async function setup(password = PASSWORD): Promise<{ sim: CupiSimulator; runner: ApiRunner; asked: string[] }> {
  dir = mkdtempSync(join(tmpdir(), 'collabsec-live-cupi-'));
  sim = await startCupiSimulator({ users: { [USER]: PASSWORD }, state: seedCupiState({ portGroup: 'PhoneSystem-1', callManagers: ['192.0.2.10', '192.0.2.11'] }) });
  const asked: string[] = [];
  runner = cupiRunner({ credential: { username: USER, password }, pinsFile: join(dir, 'tls_pins'), confirmCertificate: (node) => (asked.push(node), Promise.resolve(true)), timeoutMs: 30_000 });
  return { sim, runner, asked };
}

/** The example's step with its Unity Connection target pointed at the simulator. */
function stepAt(id: string, s: CupiSimulator): { st: PlannedStep; actions: Action[] } {
  const st = structuredClone(step(example, id)!);
  for (const a of st.actions) if (a.apiEndpoint) a.apiEndpoint = { api: 'cupi', host: s.host, port: s.port };
  return { st, actions: st.actions.filter((a) => a.apiEndpoint !== undefined) };
}

const hooks = (): RunHooks => ({ progress: () => undefined, signal: new AbortController().signal });
const writes = (s: CupiSimulator) => s.requests.filter((r) => r.method !== 'GET');

describe('live CUPI runner against the simulator', () => {
  it('runs S042..S044 and S125 in order, then finds everything in place and writes nothing', async () => {
    const { sim, runner, asked } = await setup();
    for (const id of ['S042', 'S043', 'S044', 'S125']) {
      const { st, actions } = stepAt(id, sim);
      expect(await runner.verify(st, actions)).toMatchObject({ outcome: 'failed' });
      const r = await runner.run(st, actions, hooks());
      expect(r.outcome, r.summary).toBe('ok');
      expect(r.summary).toContain('read back');
      expect(await runner.verify(st, actions)).toMatchObject({ outcome: 'passed' });
    }
    // The device state the steps ask for.
    const prof = sim.state.sipSecurityProfiles.find((p) => p.Port === '5061')!;
    expect(prof).toMatchObject({ DoTLS: 'true', DisplayName: '5061/TLS' });
    const pg = sim.state.portGroups[0]!;
    expect(pg).toMatchObject({ MediaSipSecurityProfileObjectId: prof.ObjectId, SipDoSRTP: 'true', SipEnableNextGenSecurity: 'true' });
    const servers = sim.state.portGroupServers.get(pg.ObjectId!)!;
    expect(servers.filter((s) => s.MediaRemoteServiceEnum === '100').map((s) => s.TlsPort)).toEqual(['5061', '5061']);
    expect(servers.filter((s) => s.MediaRemoteServiceEnum === '101').map((s) => s.HostOrIpAddress)).toEqual(['us-cm-pub.ent-pa.com', 'us-cm-tftp1.ent-pa.com']);
    const transfer = sim.state.restrictionTables.find((t) => t.DisplayName === 'Default Transfer')!;
    const pats = sim.state.restrictionPatterns.get(transfer.ObjectId!)!;
    expect(pats.map((p) => [p.NumberPattern, p.Blocked])).toEqual([['9011*', 'true'], ['91900???????', 'true'], ['91976???????', 'true'], ['*', 'false']]);
    // Default Fax is not named: untouched.
    const fax = sim.state.restrictionTables.find((t) => t.DisplayName === 'Default Fax')!;
    expect(sim.state.restrictionPatterns.get(fax.ObjectId!)).toHaveLength(1);
    // 1 profile + 1 port group + 2 servers + 2 TFTP + 9 patterns; the certificate asked about once.
    expect(writes(sim)).toHaveLength(15);
    expect(asked).toHaveLength(1);

    // A second run: everything in place, recorded, nothing written.
    const before = writes(sim).length;
    for (const id of ['S042', 'S043', 'S044', 'S125']) {
      const { st, actions } = stepAt(id, sim);
      const r = await runner.run(st, actions, hooks());
      expect(r.outcome).toBe('ok');
      expect(r.summary).toContain('state in place, nothing written');
    }
    expect(writes(sim).length).toBe(before);
  });

  it('a pattern the operator permitted is reported, never changed', async () => {
    const { sim, runner } = await setup();
    const t = sim.state.restrictionTables.find((x) => x.DisplayName === 'Default Outdial')!;
    sim.state.restrictionPatterns.get(t.ObjectId!)!.unshift({ ObjectId: '7e0a6b4e-5a7f-4c33-9a0e-3c4b2f0d8a11', NumberPattern: '9011*', Blocked: 'false', SequenceNumber: '0' });
    const { st, actions } = stepAt('S125', sim);
    const r = await runner.run(st, actions, hooks());
    expect(r.outcome).toBe('failed');
    expect(r.summary).toMatch(/Default Outdial 9011\* differs \(the pattern is there and permitted\)/);
    expect(sim.state.restrictionPatterns.get(t.ObjectId!)![0]).toMatchObject({ NumberPattern: '9011*', Blocked: 'false' });
  });

  it('a write whose answer is lost leaves the step in doubt and is not sent again', async () => {
    const { sim, runner } = await setup();
    sim.fault('lose-write-answer');
    const { st, actions } = stepAt('S042', sim);
    const r = await runner.run(st, actions, hooks());
    expect(r.outcome).toBe('in-doubt');
    expect(r.summary).toMatch(/in doubt/);
    expect(writes(sim)).toHaveLength(1);
    // The write took effect: the resume's read finds it and sends nothing.
    sim.fault(null);
    const again = await runner.run(st, actions, hooks());
    expect(again.outcome).toBe('ok');
    expect(again.summary).toContain('state in place, nothing written');
    expect(writes(sim)).toHaveLength(1);
  });

  it('401 and 403 are worded, naming the user and what to change; nothing is written', async () => {
    const bad = await setup('wrong');
    const { st, actions } = stepAt('S043', bad.sim);
    const r = await bad.runner.run(st, actions, hooks());
    expect(r.outcome).toBe('failed');
    expect(r.summary).toMatch(/us-cuc: S043 CUPI .*administrator "cuc-admin" was refused \(HTTP 401/);
    expect(r.summary).not.toContain('wrong');
    const v = await bad.runner.verify(st, actions);
    expect(v.outcome).toBe('unknown');
    bad.runner.close();
    await bad.sim.close();
    runner = sim = undefined;

    const { sim: s2, runner: r2 } = await setup();
    s2.fault('forbidden');
    const x = stepAt('S125', s2);
    const out = await r2.run(x.st, x.actions, hooks());
    expect(out.outcome).toBe('failed');
    expect(out.summary).toMatch(/the user "cuc-admin" may not use CUPI \(HTTP 403\)/);
    expect(writes(s2)).toHaveLength(0);
  });

  it('a changed certificate stops the node before anything is sent', async () => {
    const first = await setup();
    const sim = first.sim;
    const { st, actions } = stepAt('S042', sim);
    expect(await first.runner.verify(st, actions)).toMatchObject({ outcome: 'failed' });
    first.runner.close();
    await sim.rotateCertificate();
    // A fresh runner on the same pins file: the pinned certificate no longer matches.
    const again = cupiRunner({ credential: { username: USER, password: PASSWORD }, pinsFile: join(dir!, 'tls_pins'), confirmCertificate: () => Promise.resolve(true), timeoutMs: 30_000 });
    runner = again;
    const n = sim.requests.length;
    const r = await again.run(st, actions, hooks());
    expect(r.outcome).toBe('failed');
    expect(r.summary).toMatch(/certificate/i);
    expect(sim.requests.length).toBe(n);
  });
});
