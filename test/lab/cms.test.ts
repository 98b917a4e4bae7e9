// CMS MMP simulator: pki csr output, SFTP put/get then `pki list`, service certs with the
// SUCCESS:/FAILURE: lines, database cluster (cli-facts §3, seed-outline S080–S091).
import type { SFTPWrapper } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCms, type CmsState, type DeviceHandle } from '../../src/lab/server.js';
import { newKeyPair, selfSigned, signCsr } from '../../src/lab/pki.js';
import { cmd, openShell, type Shell } from './helpers.js';

let dev: DeviceHandle<CmsState>;
let sh: Shell;
const P = /us-acano1>$/;

function sftpOf(s: Shell): Promise<SFTPWrapper> {
  return new Promise((resolve, reject) => s.client.sftp((err, sftp) => (err ? reject(err) : resolve(sftp))));
}
const put = (sftp: SFTPWrapper, name: string, data: string) =>
  new Promise<void>((resolve, reject) => sftp.writeFile(name, data, (err) => (err ? reject(err) : resolve())));
const get = (sftp: SFTPWrapper, name: string) =>
  new Promise<string>((resolve, reject) => sftp.readFile(name, (err, d) => (err ? reject(err) : resolve(d.toString('utf8')))));

beforeAll(async () => {
  dev = await startCms({ hostname: 'us-acano1', users: { admin: 'pw' } });
  sh = await openShell(dev.port, { username: 'admin', password: 'pw' });
  await sh.expect(P);
});
afterAll(async () => {
  sh.close();
  await dev.close();
});

describe('CMS simulator', () => {
  it('pki csr prints the TAC texts and writes key + csr (cli-facts §3)', async () => {
    const out = await cmd(sh, 'pki csr CAsignedCluster CN:cms.ent-pa.com OU:"TME" O:"Cisco" L:"San Jose" ST:California C:US subjectAltName:us-acano1.ent-pa.com,cms.ent-pa.com', P);
    expect(out).toBe('Created key file CAsignedCluster.key and CSR CAsignedCluster.csr\nCSR file CAsignedCluster.csr ready for download via SFTP\n');
    expect(dev.state.files.get('CAsignedCluster.csr')?.toString()).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----/);
  });

  it('SFTP get/put on the same connection; uploads show in pki list; enable checks the pair', async () => {
    const sftp = await sftpOf(sh);
    const csr = await get(sftp, 'CAsignedCluster.csr');
    const ca = await newKeyPair();
    const caPem = await selfSigned('CN=ENT-PA Root CA', ca, true);
    await put(sftp, '/CAsignedCluster.cer', await signCsr(csr, caPem, ca));
    await put(sftp, 'rootCAcert.cer', caPem);
    const names = await new Promise<string[]>((resolve, reject) => sftp.readdir('/', (err, l) => (err ? reject(err) : resolve(l.map((e) => e.filename)))));
    expect(names).toContain('CAsignedCluster.cer');
    expect(await cmd(sh, 'pki list', P)).toMatch(/^User supplied certificates and keys:\nCAsignedCluster\.cer\nCAsignedCluster\.csr\nCAsignedCluster\.key\nrootCAcert\.cer\n$/);
    expect(await cmd(sh, 'pki match CAsignedCluster.key CAsignedCluster.cer', P)).toBe('SUCCESS: Key and certificate pair match\n');
    expect(await cmd(sh, 'pki verify CAsignedCluster.cer rootCAcert.cer', P)).toMatch(/^SUCCESS:/);

    expect(await cmd(sh, 'webadmin listen a 445', P)).toBe('');
    expect(await cmd(sh, 'webadmin enable', P)).toBe('FAILURE: TLS port set but no certificates configured\n');
    await cmd(sh, 'webadmin disable', P);
    expect(await cmd(sh, 'webadmin certs CAsignedCluster.key CAsignedCluster.cer', P)).toBe('');
    expect(await cmd(sh, 'webadmin enable', P)).toBe('SUCCESS: Key and certificate pair match\n');
    expect(dev.state.services.webadmin?.enabled).toBe(true);
    expect(await cmd(sh, 'callbridge certs CAsignedCluster.key missing.cer', P)).toMatch(/^FAILURE:/);
    await cmd(sh, 'callbridge certs CAsignedCluster.key CAsignedCluster.cer', P);
    expect(await cmd(sh, 'callbridge restart', P)).toContain('SUCCESS: Key and certificate pair match');
    for (const l of ['xmpp disable', 'xmpp certs none', 'xmpp certs CAsignedCluster.key CAsignedCluster.cer']) expect(await cmd(sh, l, P)).toBe('');
    expect(await cmd(sh, 'xmpp enable', P)).toContain('SUCCESS');
    expect(await cmd(sh, 'webbridge trust rootCAcert.cer', P)).toBe('');
  });

  it('database cluster certs, initialize and status (S089–S091)', async () => {
    expect(await cmd(sh, 'database cluster certs CAsignedCluster.key CAsignedCluster.cer rootCAcert.cer', P)).toBe('');
    await cmd(sh, 'database cluster localnode a', P);
    await cmd(sh, 'database cluster initialize', P);
    expect(dev.state.database.mode).toBe('initialized');
    expect(await cmd(sh, 'database cluster status', P)).toContain('Enabled');
    expect(await cmd(sh, 'frobnicate', P)).not.toBe('');
  });
});
