// IOS simulator over real SSH: modes and prompts, RSA keys, trustpoint, authenticate / enroll /
// import dialogues, CUBE config lines, running-config and verification shows (cli-facts §2).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIos, type DeviceHandle, type IosState } from '../../src/lab/server.js';
import { newKeyPair, selfSigned, signCsr, type KeyPair } from '../../src/lab/pki.js';
import { cmd, openShell, type Shell } from './helpers.js';

let dev: DeviceHandle<IosState>;
let sh: Shell;
let ca: KeyPair;
let caPem: string;
const PRIV = /US-CUBE1#$/;
const CONF = /US-CUBE1\(config\)#$/;

beforeAll(async () => {
  ca = await newKeyPair();
  caPem = await selfSigned('CN=ENT-PA Root CA', ca, true);
  dev = await startIos({ hostname: 'US-CUBE1', users: { admin: 'pw' }, enableSecret: 'en' });
  sh = await openShell(dev.port, { username: 'admin', password: 'pw' }, 24);
  await sh.expect(/US-CUBE1>$/);
});
afterAll(async () => {
  sh.close();
  await dev.close();
});

function paste(pem: string): void {
  for (const l of pem.trimEnd().split('\n')) sh.line(l);
}

describe('IOS simulator', () => {
  it('enable with secret, terminal length 0, configure terminal (cli-facts §2.1)', async () => {
    sh.line('enable');
    await sh.expect(/Password: $/);
    sh.line('en');
    await sh.expect(PRIV);
    expect(await cmd(sh, 'show bogus', PRIV)).toContain("% Invalid input detected at '^' marker.");
    await cmd(sh, 'terminal length 0', PRIV);
    expect(await cmd(sh, 'configure terminal', CONF)).toContain('Enter configuration commands, one per line.  End with CNTL/Z.');
  });

  it('generates keys and asks before replacing them (cli-facts §2.2)', async () => {
    const out = await cmd(sh, 'crypto key generate rsa general-keys label CUBE modulus 2048', CONF);
    expect(out).toContain('The name for the keys will be: CUBE\n% The key modulus size is 2048 bits\n% Generating 2048 bit RSA keys, keys will be non-exportable...[OK]');
    sh.line('crypto key generate rsa general-keys label CUBE modulus 2048');
    await sh.expect(/% You already have RSA keys defined named CUBE\.\n% Do you really want to replace them\? \[yes\/no\]: $/);
    sh.line('no');
    await sh.expect(CONF);
  });

  it('trustpoint sub-mode, authenticate, enroll, import (cli-facts §2.2–§2.5)', async () => {
    for (const l of ['crypto pki trustpoint CUBE-Certificate', 'enrollment terminal pem', 'subject-name CN=US-CUBE1.ent-pa.com', 'revocation-check none', 'rsakeypair CUBE', 'hash sha256']) {
      sh.line(l);
      await sh.expect(/US-CUBE1\(ca-trustpoint\)#$/);
    }
    sh.line('crypto pki authenticate CUBE-Certificate'); // leaves the sub-mode like IOS does
    await sh.expect(/Enter the base 64 encoded CA certificate\.\nEnd with a blank line or the word "quit" on a line by itself\n/);
    paste(caPem);
    sh.line('quit');
    await sh.expect(/Certificate has the following attributes:\n\s+Fingerprint MD5: [0-9A-F ]+\n\s+Fingerprint SHA1: [0-9A-F ]+\n\n% Do you accept this certificate\? \[yes\/no\]: $/);
    sh.line('yes');
    expect(await sh.expect(CONF)).toContain('Trustpoint CA certificate accepted.\n% Certificate successfully imported');

    sh.line('crypto pki enroll CUBE-Certificate');
    await sh.expect(/% Start certificate enrollment \.\.\n% The subject name in the certificate will include: CN=US-CUBE1\.ent-pa\.com\n[\s\S]*% Include the router serial number in the subject name\? \[yes\/no\]: $/);
    sh.line('no');
    await sh.expect(/% Include an IP address in the subject name\? \[no\]: $/);
    sh.line('no');
    await sh.expect(/Display Certificate Request to terminal\? \[yes\/no\]: $/);
    sh.line('yes');
    const req = await sh.expect(/Redisplay enrollment request\? \[yes\/no\]: $/);
    expect(req).toContain('Certificate Request follows:');
    expect(req).toContain('---End - This line not part of the certificate request---');
    const csr = /-----BEGIN CERTIFICATE REQUEST-----[\s\S]+?-----END CERTIFICATE REQUEST-----/.exec(req)?.[0] ?? '';
    sh.line('no');
    await sh.expect(CONF);

    const cert = await signCsr(csr, caPem, ca);
    sh.line('crypto pki import CUBE-Certificate certificate');
    await sh.expect(/Enter the base 64 encoded certificate\.\n/);
    paste(cert);
    sh.line('');
    expect(await sh.expect(CONF)).toContain('% Router Certificate successfully imported');
  });

  it('accepts the CUBE lines in their sub-modes (cli-facts §2.7)', async () => {
    const steps: [string, RegExp][] = [
      ['sip-ua', /\(config-sip-ua\)#$/],
      ['crypto signaling default trustpoint CUBE-Certificate', /\(config-sip-ua\)#$/],
      ['crypto signaling remote-addr 192.0.2.11 255.255.255.255 trustpoint CUBE-Certificate', /\(config-sip-ua\)#$/],
      // An ECDSA router key (review-2026 A.14): ecdsa-cipher per §2.7 on default, [I] on remote-addr.
      ['crypto signaling default trustpoint CUBE-Certificate ecdsa-cipher', /\(config-sip-ua\)#$/],
      ['crypto signaling remote-addr 192.0.2.12 255.255.255.255 trustpoint CUBE-Certificate ecdsa-cipher', /\(config-sip-ua\)#$/],
      ['dial-peer voice 300 voip', /\(config-dial-peer\)#$/],
      ['session protocol sipv2', /\(config-dial-peer\)#$/],
      ['session transport tcp tls', /\(config-dial-peer\)#$/],
      ['voice service voip', /\(conf-voi-serv\)#$/],
      ['ip address trusted authenticate', /\(conf-voi-serv\)#$/],
      ['srtp fallback', /\(conf-voi-serv\)#$/],
      ['sip', /\(conf-serv-sip\)#$/],
      ['srtp-auth sha1-80', /\(conf-serv-sip\)#$/],
      ['srtp negotiate cisco', /\(conf-serv-sip\)#$/],
    ];
    for (const [line, prompt] of steps) {
      sh.line(line);
      const out = await sh.expect(prompt);
      expect(out).not.toContain('Invalid input');
    }
    expect(await cmd(sh, 'session transport tcp tls bogus', /\(conf-serv-sip\)#$/)).toContain("% Invalid input detected at '^' marker.");
    sh.line('end');
    expect(await sh.expect(PRIV)).toContain('%SYS-5-CONFIG_I: Configured from console by admin');
    expect(await cmd(sh, 'write memory', PRIV)).toBe('Building configuration...\n[OK]\n');
    expect(dev.state.writes).toBe(1);
  });

  it('show running-config and the PKI verification shows (cli-facts §2.6)', async () => {
    const run = await cmd(sh, 'show running-config', PRIV);
    expect(run).toContain('crypto pki trustpoint CUBE-Certificate\n enrollment terminal pem\n subject-name CN=US-CUBE1.ent-pa.com');
    expect(run).toContain('voice service voip\n ip address trusted authenticate\n srtp fallback\n sip\n  srtp-auth sha1-80\n  srtp negotiate cisco');
    expect(run).toContain('dial-peer voice 300 voip\n session protocol sipv2\n session transport tcp tls');
    const st = await cmd(sh, 'show crypto pki trustpoints CUBE-Certificate status', PRIV);
    for (const f of ['Trustpoint CUBE-Certificate:', 'Issuing CA certificate configured:', 'Router General Purpose certificate configured:', 'Last enrollment status: Granted', 'State:', 'Keys generated ............. Yes (General Purpose, non-exportable)', 'Issuing CA authenticated ....... Yes', 'Certificate request(s) ..... Yes']) {
      expect(st).toContain(f);
    }
    const certs = await cmd(sh, 'show crypto pki certificates CUBE-Certificate', PRIV);
    expect(certs).toMatch(/^Certificate\n {2}Status: Available\n[\s\S]*cn=US-CUBE1\.ent-pa\.com[\s\S]*CA Certificate\n {2}Status: Available/);
    expect(certs).toContain('Associated Trustpoints: CUBE-Certificate');
  });

  it('pages with --More-- when terminal length is set', async () => {
    await cmd(sh, 'terminal length 5', PRIV);
    sh.line('show running-config');
    await sh.expect(/ --More-- $/);
    sh.send('q');
    await sh.expect(PRIV);
    await cmd(sh, 'terminal length 0', PRIV);
  });

  // The S034 / S064 / S065 back-outs (review 2026 A.10): both commands ask a [yes/no] question
  // (genielibs-pki unconfigure_trustpoint / unconfigure_crypto_key); "no" keeps what is there.
  it('asks before removing an enrolled trustpoint or a key pair', async () => {
    await cmd(sh, 'configure terminal', CONF);
    sh.line('no crypto pki trustpoint CUBE-Certificate');
    await sh.expect(/% Removing an enrolled trustpoint will destroy all certificates\nreceived from the related Certificate Authority\.\n\nAre you sure you want to do this\? \[yes\/no\]: $/);
    sh.line('no');
    await sh.expect(CONF);
    expect(dev.state.pki['CUBE-Certificate']?.cert).toBeDefined();
    sh.line('no crypto pki trustpoint CUBE-Certificate');
    await sh.expect(/\[yes\/no\]: $/);
    sh.line('yes');
    expect(await sh.expect(CONF)).toContain('% Be sure to ask the CA administrator to revoke your certificates.');
    expect(dev.state.pki['CUBE-Certificate']).toBeUndefined();

    sh.line('crypto key zeroize rsa CUBE');
    await sh.expect(/% All router certs issued using these keys will also be removed\.\nDo you really want to remove these keys\? \[yes\/no\]: $/);
    sh.line('no');
    await sh.expect(CONF);
    expect(dev.state.keys.CUBE).toBeDefined();
    sh.line('crypto key zeroize rsa CUBE');
    await sh.expect(/\[yes\/no\]: $/);
    sh.line('yes');
    await sh.expect(CONF);
    expect(dev.state.keys.CUBE).toBeUndefined();
    await cmd(sh, 'end', PRIV);
  });
});
