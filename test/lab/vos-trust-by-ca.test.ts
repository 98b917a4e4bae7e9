// Review-2026 A.1: the trust-store checks of S002, S003, S025, S027, S037 and S110 find the
// enterprise root by what it is — the CA that signed itself, named by ca.enterprise.name (its
// subject CN) — not by a file name the inventory guessed, since VOS names an imported trust file
// itself. Real SSH to the lab VOS simulator on 127.0.0.1; each check is the plan's own rendered
// verify, parsed as the wizard parses it. cli-facts §1.3: `set cert import trust <unit>`, paste,
// blank line; `show cert list trust` prints `<unit>-trust/<file>: Certificate Signed by <issuer>`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newVosCluster, startVos, type DeviceHandle, type VosNodeState } from '../../src/lab/server.js';
import { newKeyPair, selfSigned } from '../../src/lab/pki.js';
import { loadPlan } from '../../src/plan/load-plan.js';
import type { VerifyExpectation } from '../../src/plan/types.js';
import { parsers } from '../../src/verify/parsers/index.js';
import { cmd, openShell, type Shell } from './helpers.js';

const P = /admin:$/;
const users = { administrator: 'Trust-pw1' };
const CHECKS = ['S002', 'S003', 'S025', 'S027', 'S037', 'S110'];
let pub: DeviceHandle<VosNodeState> & { state: VosNodeState };
const plan = loadPlan('examples/ent-pa.yaml').plan;
const caName = 'ENT-PA Enterprise Root CA'; // ca.enterprise.name of examples/ent-pa.yaml

beforeAll(async () => {
  pub = await startVos({ hostname: 'us-cm-pub', role: 'publisher', users, cluster: newVosCluster(), bannerMs: 0 });
});
afterAll(async () => {
  await pub.close();
});

async function login(): Promise<Shell> {
  const sh = await openShell(pub.port, { username: 'administrator', password: 'Trust-pw1' });
  await sh.expect(P);
  await cmd(sh, 'set cli pagination off', P);
  return sh;
}

async function importTrust(sh: Shell, unit: string, pem: string): Promise<void> {
  sh.line(`set cert import trust ${unit}`);
  await sh.expect(/Paste the Certificate and Hit Enter\n/);
  for (const l of pem.trimEnd().split('\n')) sh.line(l);
  sh.line('');
  expect(await sh.expect(P)).toContain(`Successfully imported certificate for ${unit}.`);
}

/** Each check step's rendered verify (one per step: every one of them reads `show cert list trust`). */
function verifies(): [string, VerifyExpectation][] {
  return CHECKS.map((id) => {
    const s = plan.steps.find((x) => x.id === id);
    const found = s?.checkpoint.verify ?? s?.actions[0]?.checkpoint?.verify;
    // One read per step here (a list is only for verify.each, e.g. the DNS lookups of P012).
    const v = Array.isArray(found) ? undefined : found;
    expect(v, `${id} has one machine check`).toBeDefined();
    expect(v!.command).toBe('show cert list trust');
    return [id, v!];
  });
}

describe('trust-store checks find the root by its CN (review-2026 A.1)', () => {
  it('no check names a trust file: each asks for the CA by ca.enterprise.name', () => {
    for (const [id, v] of verifies()) {
      expect(v.args.ca, id).toBe(caName);
      expect(v.args.file, id).toBeUndefined();
    }
  });

  it('pass with the root under a file name VOS chose; fail when the CA is missing or another CA holds the old guessed name', { timeout: 60_000 }, async () => {
    const root = await selfSigned(`CN=${caName}`, await newKeyPair(), true);
    const stranger = await selfSigned('CN=Some Other Root CA', await newKeyPair(), true);
    const sh = await login();
    const read = async () => (await cmd(sh, 'show cert list trust', P)).replace(/\r/g, '');
    const judge = async () => {
      const out = await read();
      return verifies().map(([id, v]) => [id, parsers[v.parser]!(out, v.args)] as const);
    };

    // Nothing uploaded yet: every check fails and says the CA is not there.
    for (const [id, r] of await judge()) {
      expect(r.ok, id).toBe(false);
      expect(r.details.join('\n'), id).toContain(`${caName} is not in`);
    }

    // The units of S002/S003/S025/S027/S037/S110 (tomcat, CallManager, cup-xmpp, CAPF trust stores).
    for (const unit of ['tomcat', 'CallManager', 'cup-xmpp', 'CAPF']) await importTrust(sh, unit, root);
    // VOS picks the file name; here it picks one no inventory could have guessed.
    for (const c of pub.state.cluster.trust) c.file = `${c.store}-upload-7f3a.pem`;
    const listed = await read();
    expect(listed).toContain(`tomcat-trust/tomcat-trust-upload-7f3a.pem: Certificate Signed by ${caName}`);
    for (const [id, r] of await judge()) {
      expect(r.ok, `${id}: ${r.details.join('; ')}`).toBe(true);
      expect(r.details.join('\n'), id).toMatch(/ as \S+-trust\/\S+-trust-upload-7f3a\.pem$/);
    }

    // The root gone, another CA under the file name the inventory used to guess: the checks fail.
    pub.state.cluster.trust = [];
    await importTrust(sh, 'tomcat', stranger);
    for (const c of pub.state.cluster.trust) c.file = 'ENT-PA-Root-CA.pem';
    expect(await read()).toContain('tomcat-trust/ENT-PA-Root-CA.pem: Certificate Signed by Some Other Root CA');
    for (const [id, r] of await judge()) expect(r.ok, id).toBe(false);
    sh.close();
  });
});
