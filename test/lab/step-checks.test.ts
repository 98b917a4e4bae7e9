// The machine checks of the IOS and Meeting Server steps (issue 22) against the simulators: each
// check, exactly as the example plan renders it, fails before its step's lines reach the device
// and passes after them — the simulators keep the state those shows read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedRegistrar } from '../../src/lab/ios.js';
import { makeCsr, newKeyPair, privateKeyPem, selfSigned, signCsr } from '../../src/lab/pki.js';
import { startCms, startIos, type CmsState, type DeviceHandle, type IosState } from '../../src/lab/server.js';
import { loadPlan } from '../../src/plan/load-plan.js';
import type { Plan, PlannedStep } from '../../src/plan/types.js';
import { parsers } from '../../src/verify/parsers/index.js';
import { openShell, type Shell } from './helpers.js';
import { verifications } from '../../src/plan/verifications.js';

const { plan } = loadPlan('examples/ent-pa.yaml');
// The chapter's example pins Meeting Server 2.x (XMPP server, first Web Bridge); ent-pa runs 3.x.
const plans: Record<string, Plan> = { 'examples/ent-pa.yaml': plan, 'examples/chapter-2019.yaml': loadPlan('examples/chapter-2019.yaml').plan };
let current = plan;
const step = (id: string): PlannedStep => current.steps.find((s) => s.id === id)!;
// Generous: RSA key generation on a loaded 2-core machine.
const WAIT = 60_000;

/** Runs `command` at the prompt and returns its output (without the echo line and the prompt). */
async function run(sh: Shell, line: string, prompt: RegExp): Promise<string> {
  sh.line(line);
  const text = await sh.expect(prompt, WAIT);
  return text.replace(prompt, '').split('\n').slice(1).join('\n');
}

/** The verdict of `id`'s machine check on `node` (its per-target check, else the step's). */
async function check(sh: Shell, prompt: RegExp, id: string, node: string): Promise<{ ok: boolean; details: string[] }> {
  const s = step(id);
  const v = verifications(s.actions.find((a) => a.target === node)?.checkpoint ?? s.checkpoint)[0];
  expect(v, `${id} has a machine check`).toBeDefined();
  // Read-only: a show / a bare MMP status command, never a configuration line.
  expect(v!.command).toMatch(/^(show |callbridge$|xmpp$|webbridge3?$|database cluster status$)/);
  return parsers[v!.parser]!(await run(sh, v!.command, prompt), v!.args);
}

/** Sends the planned lines of `id` on `node`, answering the declared dialogue questions. */
async function apply(sh: Shell, prompt: RegExp, id: string, node: string): Promise<void> {
  const a = step(id).actions.find((x) => x.target === node)!;
  for (const c of a.exchanges) {
    sh.line(c.line);
    for (const d of c.dialogue) {
      expect(d.answer, `${id}: only answered questions here`).toBeDefined();
      await sh.expect(new RegExp(`${d.expect.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`), WAIT);
      sh.line(d.answer!);
    }
    const out = await sh.expect(prompt, WAIT);
    expect(out, `${id}: ${c.line}`).not.toMatch(/Invalid input|FAILURE:/);
  }
}

describe('IOS step checks (US-CUBE1 of the example)', () => {
  let dev: DeviceHandle<IosState>;
  let sh: Shell;
  const PRIV = /US-CUBE1#$/;
  const CONF = /US-CUBE1\([\w-]+\)#$/;
  beforeAll(async () => {
    dev = await startIos({ hostname: 'US-CUBE1', users: { admin: 'pw' } });
    // As the lab does for a CUBE that is no registrar (src/lab/lab.ts).
    seedRegistrar(dev.state);
    sh = await openShell(dev.port, { username: 'admin', password: 'pw' });
    await sh.expect(/US-CUBE1>$/);
    await run(sh, 'enable', PRIV);
    await run(sh, 'terminal length 0', PRIV);
  });
  afterAll(async () => {
    sh.close();
    await dev.close();
  });

  /** A step's check fails, its lines go in (config mode), then the check passes. */
  async function failThenPass(id: string, between?: () => Promise<void>): Promise<void> {
    const before = await check(sh, PRIV, id, 'US-CUBE1');
    expect(before.ok, `${id} before: ${before.details.join('; ')}`).toBe(false);
    await run(sh, 'configure terminal', CONF);
    await apply(sh, CONF, id, 'US-CUBE1');
    await run(sh, 'end', PRIV);
    await between?.();
    const after = await check(sh, PRIV, id, 'US-CUBE1');
    expect(after.ok, `${id} after: ${after.details.join('; ')}`).toBe(true);
  }

  it('S064 key pair, S067 certificate request: shown only once made', { timeout: 180_000 }, async () => {
    await failThenPass('S064');
    expect(await run(sh, 'show crypto key mypubkey rsa CUBE', PRIV)).toMatch(/^% Key pair was generated at: .+\nKey name: CUBE\nKey type: RSA KEYS\n Storage Device: private-config\n Usage: General Purpose Key\n Key is not exportable\. Redundancy enabled\.\n Key Data:\n {2}[0-9A-F]{8} /);
    // S065 (trustpoint) and S066 (the CA pasted) come before the enrolment.
    await run(sh, 'configure terminal', CONF);
    await apply(sh, CONF, 'S065', 'US-CUBE1');
    const caKeys = await newKeyPair();
    const caPem = await selfSigned('CN=ENT-PA Root CA', caKeys, true);
    sh.line('crypto pki authenticate CUBE-Certificate');
    await sh.expect(/on a line by itself\n/, WAIT);
    for (const l of caPem.trimEnd().split('\n')) sh.line(l);
    sh.line('quit');
    await sh.expect(/\[yes\/no\]: $/, WAIT);
    sh.line('yes');
    await sh.expect(CONF, WAIT);
    await run(sh, 'end', PRIV);
    await failThenPass('S067');
    expect(dev.state.pki['CUBE-Certificate']?.csr).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----/);
  });

  it('S071 sip-ua default trustpoint, S073 remote-addr lines, S072 dial-peer transport, S078 registrar removed', { timeout: 120_000 }, async () => {
    await failThenPass('S071');
    await failThenPass('S073');
    await failThenPass('S072');
    // The seeded line is the registrar the check must not see; `no registrar server` removes it.
    expect(await run(sh, 'show running-config | section voice service voip', PRIV)).toContain('  registrar server expires max 600 min 60');
    await failThenPass('S078');
    expect(await run(sh, 'show running-config | section voice service voip', PRIV)).not.toContain('registrar server');
  });

  it('a dial-peer section without TLS does not borrow the lines of another dial-peer', async () => {
    await run(sh, 'configure terminal', CONF);
    for (const l of ['dial-peer voice 301 voip', 'session protocol sipv2', 'session transport udp', 'end']) await run(sh, l, /US-CUBE1(\([\w-]+\))?#$/);
    const out = await run(sh, 'show running-config | section dial-peer voice', PRIV);
    expect(parsers['ios-config-sections']!(out, { sections: ['dial-peer voice 300 voip'], lines: ['session transport tcp tls'] }).ok).toBe(true);
    expect(parsers['ios-config-sections']!(out, { sections: ['dial-peer voice 300 voip', 'dial-peer voice 301 voip'], lines: ['session transport tcp tls'] }).ok).toBe(false);
  });
});

describe.each([
  ['examples/ent-pa.yaml', '3.x'],
  ['examples/chapter-2019.yaml', '2.x'],
] as const)('Meeting Server step checks (the nodes of %s, Meeting Server %s)', (example, release) => {
  const devs: Record<string, { dev: DeviceHandle<CmsState>; sh: Shell; p: RegExp }> = {};
  const shared = ['CAsignedCluster.key', 'CAsignedCluster.cer'];
  const client = ['dbclusterclient.key', 'dbclusterclient.cer'];
  beforeAll(async () => {
    const caKeys = await newKeyPair();
    const caPem = await selfSigned('CN=ENT-PA Root CA', caKeys, true);
    // What S080–S084 leave on every node: the shared and client pairs and the root (made here directly).
    const pair = async (cn: string) => {
      const k = await newKeyPair();
      return { key: await privateKeyPem(k), cert: await signCsr(await makeCsr(`CN=${cn}`, k), caPem, caKeys) };
    };
    const s = await pair('cms.ent-pa.com');
    const c = await pair('postgres');
    for (const name of ['us-acano1', 'us-acano2', 'us-cmsdb', 'us-cmscb']) {
      const dev = await startCms({ hostname: name, users: { admin: 'pw' }, release });
      for (const [f, t] of [[shared[0], s.key], [shared[1], s.cert], [client[0], c.key], [client[1], c.cert], ['rootCAcert.cer', caPem]] as const) dev.state.files.set(f!, Buffer.from(t));
      const p = new RegExp(`${name}>$`);
      const sh = await openShell(dev.port, { username: 'admin', password: 'pw' });
      await sh.expect(p);
      devs[name] = { dev, sh, p };
    }
  });
  afterAll(async () => {
    for (const d of Object.values(devs)) {
      d.sh.close();
      await d.dev.close();
    }
  });

  async function failThenPass(id: string, node: string): Promise<void> {
    current = plans[example]!;
    const { sh, p } = devs[node]!;
    const before = await check(sh, p, id, node);
    expect(before.ok, `${id} ${node} before: ${before.details.join('; ')}`).toBe(false);
    await apply(sh, p, id, node);
    const after = await check(sh, p, id, node);
    expect(after.ok, `${id} ${node} after: ${after.details.join('; ')}`).toBe(true);
  }

  it('S086 Call Bridge, S087 XMPP (2.x), S088 Web Bridge: the pair (and trust) in use once installed', { timeout: 60_000 }, async () => {
    for (const n of ['us-acano1', 'us-acano2', 'us-cmscb']) await failThenPass('S086', n);
    if (release === '2.x') await failThenPass('S087', 'us-acano1');
    else expect(step('S087'), 'no XMPP server step on 3.x').toBeUndefined();
    for (const n of ['us-acano1', 'us-acano2']) await failThenPass('S088', n);
    // TAC 221729 layout of the bare callbridge output.
    expect(await run(devs['us-acano1']!.sh, 'callbridge', devs['us-acano1']!.p)).toMatch(/^Listening interfaces {2}: none\nPreferred interface {3}: none\nKey file {14}: CAsignedCluster\.key\nCertificate file {6}: CAsignedCluster\.cer\n/);
  });

  it('S086 on 3.x requires the C2W trust; S088 reads the release\'s own Web Bridge', () => {
    current = plans[example]!;
    const v = verifications(step('S088').checkpoint)[0]!;
    expect(v.command).toBe(release === '3.x' ? 'webbridge3' : 'webbridge');
    expect(verifications(step('S086').checkpoint)[0]!.args.trust).toEqual(release === '3.x' ? ['rootCAcert.cer'] : []);
  });

  it('S089 / S090 database certificates, then S091 clustering', { timeout: 60_000 }, async () => {
    for (const n of ['us-acano1', 'us-acano2', 'us-cmsdb']) await failThenPass('S089', n);
    await failThenPass('S090', 'us-cmscb');
    // The first database node initialises before the others join or connect (S091 warning).
    for (const n of ['us-acano1', 'us-acano2', 'us-cmsdb', 'us-cmscb']) await failThenPass('S091', n);
  });

  it('a disabled service with the right pair still fails where enabled is required', async () => {
    current = plans[example]!;
    const { sh, p } = devs['us-acano1']!;
    if (release === '2.x') {
      await run(sh, 'xmpp disable', p);
      expect((await check(sh, p, 'S087', 'us-acano1')).ok).toBe(false);
    } else {
      // [I] webbridge3 disable: the lab treats it as every MMP service's disable.
      await run(sh, 'webbridge3 disable', p);
      expect((await check(sh, p, 'S088', 'us-acano1')).ok).toBe(false);
    }
  });

  it('a 3.x node knows no xmpp or webbridge command; a 2.x node does (TAC 217062)', async () => {
    const { sh, p } = devs['us-acano2']!;
    for (const l of ['xmpp', 'webbridge certs CAsignedCluster.key CAsignedCluster.cer']) {
      const out = await run(sh, l, p);
      if (release === '3.x') expect(out).toMatch(/^Unknown command/);
      else expect(out).not.toMatch(/Unknown command/);
    }
  });
});
