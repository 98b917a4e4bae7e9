// The toll-fraud CSS steps through AXL (issue 21 slice 2): S120 (inbound CSS of the PSTN and
// Expressway trunks) and S126 (CSS and rerouting CSS of the Unity Connection trunks) of the example,
// run through the live AXL port against the lab's simulator over HTTPS on 127.0.0.1, seeded as
// `collabsec lab` seeds it; every request validated against the published XSD of the version. The
// checkpoint's read-back (getSipTrunk) proves the write; a second run writes nothing.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/catalogue/root.js';
import { parseInventory } from '../../src/inventory/load.js';
import { startAxlSimulator, type AxlSimulator } from '../../src/lab/axl/index.js';
import { seedTrunks } from '../../src/lab/trunk-seed.js';
import type { PlannedStep } from '../../src/plan/types.js';
import type { AxlVersion } from '../../src/transport/axl/index.js';
import { axlPort, type AxlPort } from '../../src/wizard/live-axl.js';
import type { RunHooks } from '../../src/wizard/types.js';
import { action, planOf, step } from '../golden/harness.js';
import { validateAxlRequest } from '../support/axl-schema.js';

const USER = 'axl-collabsec';
const PASSWORD = 'lab-pw';
const exampleFile = join(packageRoot(), 'examples', 'ent-pa.yaml');
const example = parseInventory(readFileSync(exampleFile, 'utf8'), exampleFile).inventory;
const cluster = example.cucm[0]!;
const plan = planOf();

let sim: AxlSimulator | undefined;
let port: AxlPort | undefined;
let dir: string | undefined;

afterEach(async () => {
  port?.close();
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  sim = port = dir = undefined;
});

async function start(version: AxlVersion, seed = true): Promise<{ sim: AxlSimulator; port: AxlPort }> {
  dir = mkdtempSync(join(tmpdir(), 'collabsec-axl-tf-'));
  sim = await startAxlSimulator({ users: { [USER]: PASSWORD }, cucmVersion: version, validate: validateAxlRequest });
  if (seed) seedTrunks(sim.state, example, cluster);
  port = axlPort({ credential: { username: USER, password: PASSWORD }, pinsFile: join(dir, 'tls_pins'), confirmCertificate: () => Promise.resolve(true), timeoutMs: 5_000 });
  return { sim, port };
}

/** The step as planned, its AXL endpoint aimed at the simulator (schema version of `version`). */
function aimed(id: string, s: AxlSimulator, version: AxlVersion): PlannedStep {
  const p = structuredClone(step(plan, id)!);
  for (const a of p.actions) if (a.axlEndpoint) a.axlEndpoint = { host: s.host, port: s.port, version: version === '12.5' ? '12.5' : `${version}.0` };
  return p;
}

const hooks = (): RunHooks => ({ progress: () => undefined, signal: new AbortController().signal });
const css = cluster.restrictedCss;

describe('S120/S126: restricted CSSs on existing trunks through AXL', () => {
  it('the plan lists each trunk it changes, with its CSS, and nothing else', () => {
    expect(action(plan, 'S120', 'us-cm-pub')?.axl?.map((r) => r.readable)).toEqual([
      `updateSipTrunk name=${cluster.sipTrunks.ios[0]} callingSearchSpaceName=${css.pstnInbound}`,
      `updateSipTrunk name=${cluster.sipTrunks.b2b[0]} callingSearchSpaceName=${css.expresswayInbound}`,
    ]);
    expect(action(plan, 'S126', 'us-cm-pub')?.axl?.map((r) => r.readable)).toEqual([
      `updateSipTrunk name=${cluster.sipTrunks.unity[0]} callingSearchSpaceName=${css.voicemail} rerouteCallingSearchSpaceName=${css.voicemailReroute}`,
    ]);
    // A CSS change is not the trunk's security: no reset, no typed confirmation.
    for (const id of ['S120', 'S126']) {
      expect(action(plan, id, 'us-cm-pub')?.axl?.every((r) => r.after === undefined)).toBe(true);
      expect(step(plan, id)?.disruptive).toBeFalsy();
    }
  });

  it.each(['12.5', '14', '15'] as const)('writes each trunk CSS, reads it back, and a second run writes nothing (%s)', async (version) => {
    const { sim, port } = await start(version);
    for (const id of ['S120', 'S126']) {
      const s = aimed(id, sim, version);
      const out = await port.run(s, hooks());
      expect(out.outcome, out.summary).toBe('ok');
      const v = await port.verify(s);
      expect(v.outcome, v.summary).toBe('passed');
      expect(v.summary).toMatch(/getSipTrunk/);
    }
    const trunk = (name: string) => sim.state.get('SipTrunk', name)!;
    expect(trunk(cluster.sipTrunks.ios[0]!).callingSearchSpaceName).toBe(css.pstnInbound);
    expect(trunk(cluster.sipTrunks.b2b[0]!).callingSearchSpaceName).toBe(css.expresswayInbound);
    expect(trunk(cluster.sipTrunks.unity[0]!)).toMatchObject({ callingSearchSpaceName: css.voicemail, rerouteCallingSearchSpaceName: css.voicemailReroute });
    // The other fields of the trunk (its security, its destinations) are left as they were.
    expect(trunk(cluster.sipTrunks.ios[0]!)).toMatchObject({ securityProfileName: 'Non Secure SIP Trunk Profile', srtpAllowed: 'false' });
    expect(trunk(cluster.sipTrunks.cms[0]!).callingSearchSpaceName).toBeUndefined();
    const writes = sim.requests.filter((r) => r.operation.startsWith('update')).length;
    expect(writes).toBe(3);
    for (const id of ['S120', 'S126']) expect((await port.run(aimed(id, sim, version), hooks())).outcome).toBe('ok');
    expect(sim.requests.filter((r) => r.operation.startsWith('update')).length).toBe(writes);
    expect(sim.requests.some((r) => r.operation.startsWith('reset'))).toBe(false);
    expect(sim.rejected).toEqual([]);
  });

  it('a trunk the cluster does not have stops the step with nothing written, and the read-back fails', async () => {
    const { sim, port } = await start('15', false);
    const s = aimed('S120', sim, '15');
    const out = await port.run(s, hooks());
    expect(out.outcome).toBe('failed');
    expect(out.summary).toMatch(/not found on Unified CM; nothing written/);
    expect((await port.verify(s)).outcome).toBe('failed');
    expect(sim.state.events).toEqual([]);
    expect(sim.rejected).toEqual([]);
  });

  it('a CSS changed by hand after the step is caught by the read-back', async () => {
    const { sim, port } = await start('14');
    const s = aimed('S126', sim, '14');
    expect((await port.run(s, hooks())).outcome).toBe('ok');
    sim.state.find('SipTrunk', cluster.sipTrunks.unity[0]!)!.fields.rerouteCallingSearchSpaceName = 'Everything-CSS';
    const v = await port.verify(s);
    expect(v.outcome).toBe('failed');
    expect(v.summary).toMatch(/rerouteCallingSearchSpaceName is "Everything-CSS", planned "US-Voicemail-Reroute-CSS"/);
  });
});

describe('inventory: restricted CSSs', () => {
  const withCss = (restrictedCss: Record<string, string>) =>
    planOf<{ cucm: { restrictedCss?: Record<string, string> }[] }>((inv) => {
      inv.cucm[0]!.restrictedCss = restrictedCss;
    });

  it('a CSS left out keeps that part on the GUI path; no rerouting CSS, no rerouting element', () => {
    const p = withCss({ pstnInbound: 'PSTN-In', voicemail: 'VM-CSS' });
    expect(action(p, 'S120', 'us-cm-pub')?.axl?.map((r) => r.name)).toEqual([cluster.sipTrunks.ios[0]]);
    expect(action(p, 'S126', 'us-cm-pub')?.axl?.[0]?.fields.map((f) => f.name)).toEqual(['name', 'callingSearchSpaceName']);
    const none = withCss({});
    expect(action(none, 'S120', 'us-cm-pub')?.axl).toBeUndefined();
    expect(action(none, 'S126', 'us-cm-pub')?.axl).toBeUndefined();
    expect(step(none, 'S120')?.gui).toBeDefined();
  });

  it('a CSS name is checked like any Unified CM object name', () => {
    expect(() => withCss({ pstnInbound: 'bad<css>' })).toThrow();
    expect(() => withCss({ pstnInbound: 'X', unknown: 'Y' })).toThrow();
  });
});
