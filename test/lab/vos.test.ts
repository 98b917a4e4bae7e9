// VOS simulator over real SSH on loopback: banner, pagination, certificates, mixed mode, CTL,
// SQL checks and services (cli-facts §1).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newVosCluster, startVos, type DeviceHandle, type VosNodeState } from '../../src/lab/server.js';
import { newKeyPair, selfSigned, signCsr } from '../../src/lab/pki.js';
import { cmd, openShell, type Shell } from './helpers.js';

const P = /admin:$/;
const users = { administrator: 'S3cret!' };
let pub: DeviceHandle<VosNodeState>;
let sub: DeviceHandle<VosNodeState>;

async function login(h: DeviceHandle, rows = 50): Promise<Shell> {
  const sh = await openShell(h.port, { username: 'administrator', password: 'S3cret!' }, rows);
  await sh.expect(P);
  return sh;
}

beforeAll(async () => {
  const cluster = newVosCluster();
  pub = await startVos({ hostname: 'us-cm-pub', role: 'publisher', users, cluster });
  sub = await startVos({ hostname: 'us-cm-sub1', role: 'subscriber', users, cluster });
});
afterAll(async () => {
  await pub.close();
  await sub.close();
});

describe('VOS simulator', () => {
  it('prints the banner sequence before admin: (cli-facts §1.1)', async () => {
    const sh = await openShell(pub.port, { username: 'administrator', password: 'S3cret!' });
    const text = await sh.expect(P);
    expect(text).toMatch(/Command Line Interface is starting up, please wait \.\.\.\n\n {3}Welcome to the Platform Command Line Interface\n\nVMware Installation:/);
    expect(sh.out()).not.toContain('\r'); // every line ends CRLF (the helper folds CRLF to \n)
    sh.close();
    const ansi = await startVos({ hostname: 'a', role: 'subscriber', users, promptStyle: 'ansi', bannerMs: 0 });
    const s2 = await openShell(ansi.port, { username: 'administrator', password: 'S3cret!' });
    await s2.expect(/\r\x1b\[Kadmin:$/);
    s2.close();
    await ansi.close();
  });

  it('accepts keyboard-interactive auth and rejects a wrong password', async () => {
    const sh = await openShell(pub.port, { username: 'administrator', tryKeyboard: true, kbd: 'S3cret!', authHandler: ['keyboard-interactive'] });
    await sh.expect(P);
    sh.close();
    await expect(openShell(pub.port, { username: 'administrator', password: 'wrong' })).rejects.toThrow(/authentication/i);
  });

  it('refuses exec (cli-facts §1.1: CUCM does not support exec)', async () => {
    const sh = await login(pub);
    const err = await new Promise<Error | undefined>((resolve) => sh.client.exec('show ctl', (e) => resolve(e)));
    expect(err).toBeInstanceOf(Error);
    sh.close();
  });

  it('pages long output until pagination is off (cli-facts §1.2)', async () => {
    const sh = await login(pub, 3); // 2 lines per page, 6 services
    sh.line('utils service list');
    await sh.expect(/\x1b\[1mPress <enter> for 1 line, <space> for one page, or <q> to quit\x1b\[0m/);
    sh.send(' ');
    await sh.expect(/or <q> to quit/);
    sh.send('q');
    await sh.expect(P);
    expect(pub.received.slice(-2)).toEqual(['<key " ">', '<key "q">']);
    expect(await cmd(sh, 'set cli pagination off', P)).toContain('Automatic pagination is turned off');
    expect(await cmd(sh, 'show cli pagination', P)).toContain('Automatic Pagination : Off.');
    const list = await cmd(sh, 'utils service list', P);
    expect(list).toContain('Cisco Tomcat[STARTED]');
    expect(list).not.toContain('quit');
    sh.close();
  });

  it('mixed mode: confirmation, 12.5 texts, SQL answer and CTL change (cli-facts §1.4)', async () => {
    const sh = await login(pub);
    await cmd(sh, 'set cli pagination off', P);
    expect(await cmd(sh, 'show ctl', P)).toContain('CTL File not found.');
    const sql = "run sql select paramname,paramvalue from processconfig where paramname='ClusterSecurityMode'";
    expect(await cmd(sh, sql, P)).toBe('paramname           paramvalue\n=================== ==========\nClusterSecurityMode 0\n');
    sh.line('utils ctl set-cluster mixed-mode');
    await sh.expect(/This operation will set the cluster to Mixed mode\.\nDo you want to continue\? \(y\/n\):$/);
    sh.line('maybe');
    await sh.expect(/Do you want to continue\? \(y\/n\):$/);
    sh.line('n');
    await sh.expect(P);
    expect(pub.state.cluster.clusterSecurityMode).toBe(0);
    sh.line('utils ctl set-cluster mixed-mode');
    await sh.expect(/\(y\/n\):$/);
    sh.line('y');
    const out = await sh.expect(P);
    expect(out).toMatch(/Moving Cluster to Mixed Mode\nCluster set to Mixed Mode\nYou must reset all phones/);
    expect(await cmd(sh, sql, P)).toContain('ClusterSecurityMode 1');
    const ctl = await cmd(sh, 'show ctl', P);
    expect(ctl).toMatch(/^The checksum value of the CTL file: [0-9a-f]{32}\(MD5\) [0-9a-f]{40}\(SHA1\)/);
    for (const f of ['System Administrator Security Token', 'CCM+TFTP', 'CAPF']) expect(ctl).toContain(f);
    expect(ctl).toContain('The CTL file was verified successfully.');
    sh.close();
    // The subscriber shares the cluster: it sees mixed mode too, but may not run the command.
    const s2 = await login(sub);
    expect(await cmd(s2, sql, P)).toContain('ClusterSecurityMode 1');
    expect(await cmd(s2, 'utils ctl set-cluster mixed-mode', P)).toContain('Executed command unsuccessfully');
    s2.close();
  });

  it('CTL update and SIP OAuth mode', async () => {
    const sh = await login(pub);
    sh.line('utils ctl update CTLFile');
    await sh.expect(/This operation updates the CTLFile\. Do you want to continue\? \(y\/n\):$/);
    sh.line('y');
    expect(await sh.expect(P)).toMatch(/Updating CTL file\nCTL file Updated/);
    await cmd(sh, 'utils sipOAuth-mode enable', P);
    expect(await cmd(sh, "run sql select paramvalue FROM processconfig WHERE paramname = 'ClusterSIPOAuthMode'", P)).toBe('paramvalue\n==========\n1\n');
    sh.close();
  });

  it('imports a trust cert on the publisher that the subscriber lists (cli-facts §1.3)', async () => {
    const ca = await newKeyPair();
    const caPem = await selfSigned('CN=ENT-PA Root CA', ca, true);
    const sh = await login(pub);
    await cmd(sh, 'set cli pagination off', P);
    sh.line('set cert import trust tomcat');
    await sh.expect(/Paste the Certificate and Hit Enter\n/);
    for (const l of caPem.trimEnd().split('\n')) sh.line(l);
    sh.line('');
    const out = await sh.expect(P);
    expect(out).toContain('Successfully imported certificate for tomcat.\nPlease restart services related to tomcat for the new certificate to become active.');
    sh.close();
    const s2 = await login(sub);
    await cmd(s2, 'set cli pagination off', P);
    expect(await cmd(s2, 'show cert list trust', P)).toContain('tomcat-trust/ENT-PA_Root_CA.pem: Certificate Signed by ENT-PA Root CA');
    // CSR → sign → import own, then the own list shows the CA as issuer.
    expect(await cmd(s2, 'set csr gen tomcat', P)).toMatch(/Successfully\s+Generated\s+CSR\s+for\s+tomcat/);
    expect(await cmd(s2, 'show csr list own', P)).toContain('tomcat/tomcat.csr');
    const csr = await cmd(s2, 'show csr own tomcat/tomcat.csr', P);
    expect(csr).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----\n[\s\S]+-----END CERTIFICATE REQUEST-----\n$/);
    const signed = await signCsr(csr, caPem, ca);
    s2.line('set cert import own tomcat tomcat-trust/ENT-PA_Root_CA.pem');
    await s2.expect(/Paste the Certificate and Hit Enter\n/);
    s2.send(`${signed.trimEnd().split('\n').join('\r\n')}\r\n\r\n`);
    expect(await s2.expect(P)).toContain('Successfully imported certificate for tomcat.');
    expect(await cmd(s2, 'show cert list own', P)).toContain('tomcat/tomcat.pem: Certificate Signed by ENT-PA Root CA');
    expect(await cmd(s2, 'show cert own tomcat/tomcat.pem', P)).toMatch(/Issuer Name: CN=ENT-PA Root CA[\s\S]*To:/);
    s2.close();
  });

  it('CTL lists CAPF only once CAPF is active and the CTL is updated (seed-outline S021/S024)', async () => {
    const noCapf = await startVos({ hostname: 'x-pub', role: 'publisher', users, services: ['Cisco Tomcat', 'Cisco CallManager', 'Cisco Tftp'], bannerMs: 0 });
    const sh = await login(noCapf);
    await cmd(sh, 'set cli pagination off', P);
    sh.line('utils ctl set-cluster mixed-mode');
    await sh.expect(/\(y\/n\):$/);
    sh.line('y');
    await sh.expect(P);
    expect(await cmd(sh, 'show ctl', P)).not.toContain('CAPF');
    noCapf.state.services['Cisco Certificate Authority Proxy Function'] = 'STARTED'; // activated in Serviceability (GUI)
    sh.line('utils ctl update CTLFile');
    await sh.expect(/\(y\/n\):$/);
    sh.line('y');
    await sh.expect(P);
    expect(await cmd(sh, 'show ctl', P)).toMatch(/FUNCTION +CAPF/);
    sh.close();
    await noCapf.close();
  });

  it('restarts a service with progress lines and fails on unknown names (cli-facts §1.6)', async () => {
    const sh = await login(sub);
    const t0 = Date.now();
    sh.line('utils service restart Cisco Tomcat');
    await sh.expect(/Cisco Tomcat\[STOPPING\]\n/);
    expect(sub.state.services['Cisco Tomcat']).not.toBe('STARTED');
    expect(await sh.expect(P)).toContain('Cisco Tomcat[STARTED]');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(sub.state.restartMs);
    expect(sub.state.restarts.map((r) => r.service)).toEqual(['Cisco Tomcat']);
    sub.state.restartMs = 400;
    sh.line('utils service restart Cisco CallManager');
    await sh.expect(/Cisco CallManager\[STOPPING\]\n/);
    sh.send('\x03'); // Ctrl-C stops waiting; the restart itself goes on (cli-facts §6.8)
    expect(await sh.expect(P)).toContain('^C');
    expect(sub.state.services['Cisco CallManager']).not.toBe('STARTED');
    await new Promise((r) => setTimeout(r, 500));
    expect(sub.state.services['Cisco CallManager']).toBe('STARTED');
    sub.state.restartMs = 100;
    expect(await cmd(sh, 'utils service restart Cisco tomcat', P)).toContain('Executed command unsuccessfully');
    expect(await cmd(sh, 'utils service restart Cisco Certificate Authority Proxy Function', P)).toContain('Executed command unsuccessfully');
    expect(await cmd(sh, 'no such command', P)).toContain('Executed command unsuccessfully');
    sh.line('exit');
    await new Promise((r) => sh.channel.on('close', r));
    sh.close();
    expect(sub.received).toContain('no such command');
  });
});
