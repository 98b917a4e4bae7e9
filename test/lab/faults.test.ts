// Fault injection: latency, silence, drop mid-command, unexpected question, changed host key;
// plus connection counting, received-line log, public-key auth and host key fingerprints.
import { createHash } from 'node:crypto';
import { generateEd25519 } from '../../src/lab/host-key.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knownHostsLine, startIos, startVos, type DeviceHandle, type VosNodeState } from '../../src/lab/server.js';
import { cmd, connect, openShell, type Shell } from './helpers.js';

const P = /admin:$/;
let dev: DeviceHandle<VosNodeState>;
const userKey = generateEd25519();

async function login(): Promise<Shell> {
  const sh = await openShell(dev.port, { username: 'administrator', password: 'pw' });
  await sh.expect(P);
  return sh;
}

beforeAll(async () => {
  dev = await startVos({ hostname: 'us-cm-pub', role: 'publisher', users: { administrator: 'pw' }, authorizedKeys: { administrator: [userKey.public] } });
});
afterAll(async () => {
  await dev.close();
});

describe('faults', () => {
  it('latencyMs delays every answer', async () => {
    const sh = await login();
    dev.faults.latencyMs = 300;
    const t0 = Date.now();
    await cmd(sh, 'show cli pagination', P);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    dev.faults.latencyMs = undefined;
    sh.close();
  });

  it('silentAfter: the prompt never comes, later lines are still recorded', async () => {
    const sh = await login();
    dev.faults.silentAfter = '^utils service restart';
    sh.line('utils service restart Cisco Tomcat');
    await expect(sh.expect(/STOPPING|admin:/, 600)).rejects.toThrow(/timeout/);
    sh.line('show ctl');
    await new Promise((r) => setTimeout(r, 100));
    expect(dev.received.slice(-2)).toEqual(['utils service restart Cisco Tomcat', 'show ctl']);
    dev.faults.silentAfter = undefined;
    sh.close();
  });

  it('dropAfter: the TCP connection dies mid-command', async () => {
    const sh = await login();
    dev.faults.dropAfter = 'mixed-mode';
    const closed = new Promise<void>((resolve) => sh.client.on('close', () => resolve()));
    sh.line('utils ctl set-cluster mixed-mode');
    await closed;
    expect(sh.out()).toContain('This operation will set the cluster to Mixed mode.');
    expect(dev.state.cluster.clusterSecurityMode).toBe(0);
    dev.faults.dropAfter = undefined;
  });

  it('unexpectedQuestion: an unplanned question before the command runs', async () => {
    const sh = await login();
    dev.faults.unexpectedQuestion = { after: '^show ctl$', question: 'Continue (y/n)?' };
    sh.line('show ctl');
    await sh.expect(/Continue \(y\/n\)\?$/);
    sh.line('n');
    expect(await sh.expect(P)).toContain('Length of CTL file: 0');
    dev.faults.unexpectedQuestion = undefined;
    sh.close();
  });

  it('rekeyHostKey: the next connection presents a different key', async () => {
    const seen: string[] = [];
    const verifier = (key: Buffer) => {
      seen.push(`SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`);
      return true;
    };
    const before = dev.hostKeyFingerprint;
    const c1 = await connect(dev.port, { username: 'administrator', password: 'pw', hostVerifier: verifier });
    c1.end();
    expect(seen[0]).toBe(before);
    expect(knownHostsLine(dev)).toMatch(new RegExp(`^\\[127\\.0\\.0\\.1\\]:${dev.port} ssh-ed25519 AAAA`));
    dev.faults.rekeyHostKey = true;
    const c2 = await connect(dev.port, { username: 'administrator', password: 'pw', hostVerifier: verifier });
    c2.end();
    expect(seen[1]).not.toBe(before);
    expect(seen[1]).toBe(dev.hostKeyFingerprint);
    expect(dev.faults.rekeyHostKey).toBe(false);
  });

  it('counts connections and accepts public-key auth', async () => {
    const n = dev.connections;
    const c = await connect(dev.port, { username: 'administrator', privateKey: userKey.private });
    c.end();
    expect(dev.connections).toBe(n + 1);
    expect(dev.auths).toContain('publickey');
    await expect(connect(dev.port, { username: 'administrator', privateKey: generateEd25519().private })).rejects.toThrow();
  });

  it('methods restricts the offered auth methods', async () => {
    const kbdOnly = await startVos({ hostname: 'k', role: 'subscriber', users: { a: 'pw' }, methods: ['keyboard-interactive'], bannerMs: 0 });
    await expect(connect(kbdOnly.port, { username: 'a', password: 'pw' })).rejects.toThrow();
    const c = await connect(kbdOnly.port, { username: 'a', tryKeyboard: true, kbd: 'pw' });
    c.end();
    expect(kbdOnly.auths).toContain('keyboard-interactive');
    await kbdOnly.close();
  });

  it('faults apply to IOS as well (silence after configure terminal)', async () => {
    const ios = await startIos({ hostname: 'R1', users: { admin: 'pw' }, faults: { silentAfter: '^configure terminal$' } });
    const sh = await openShell(ios.port, { username: 'admin', password: 'pw' });
    await sh.expect(/R1>$/);
    sh.line('enable');
    await sh.expect(/R1#$/);
    sh.line('configure terminal');
    await expect(sh.expect(/\(config\)#$/, 500)).rejects.toThrow(/timeout/);
    sh.close();
    await ios.close();
  });
});
