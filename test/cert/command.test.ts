// `collabsec cert check` end to end, in-process: files on disk, an inventory whose trust files are
// the test PKI's roots, text and JSON output, exit codes, and bad input named file by file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import command from '../../src/commands/cert-check.js';
import { UserError } from '../../src/errors.js';
import { US_CM, US_IMP, makeFixture, type Fixture } from './fixture.js';
import { EKU, csr, der, leaf, pem, privateKeyPem, put, tempDir } from './pki.js';
import { captureIo } from './io.js';

let f: Fixture;
let dir: string;
let inv: string;
const p = (name: string) => join(dir, name);
const CN = 'us-cm-pub-ms.ent-pa.com';

beforeAll(async () => {
  f = await makeFixture();
  dir = await tempDir();
  const doc = parseDocument(readFileSync(new URL('../../examples/ent-pa.yaml', import.meta.url), 'utf8'));
  doc.setIn(['ca', 'enterprise', 'rootCertFile'], 'root.pem');
  doc.setIn(['ca', 'public', 'rootCertFile'], 'public-root.pem');
  doc.setIn(['ca', 'b2bPartnerRootFiles'], ['partner-missing.pem']);
  inv = await put(dir, 'inv.yaml', doc.toString());
  await put(dir, 'root.pem', pem(f.entRoot.cert));
  await put(dir, 'public-root.pem', pem(f.pubRoot.cert));
  await put(dir, 'chain.pem', pem(f.entCa.cert));
  const good = await leaf(f.entCa, { cn: CN, sans: [...US_CM, ...US_IMP], keys: f.leafKeys });
  await put(dir, 'tomcat.pem', pem(good));
  await put(dir, 'tomcat.der', der(good));
  await put(dir, 'tomcat-noclient.pem', pem(await leaf(f.entCa, { cn: CN, sans: [...US_CM, ...US_IMP], keys: f.leafKeys, eku: [EKU.server] })));
  await put(dir, 'tomcat.csr', pem(await csr({ cn: CN, sans: [...US_CM, ...US_IMP], keys: f.leafKeys, eku: null, ku: null })));
  await put(dir, 'key.pem', await privateKeyPem(f.leafKeys));
  await put(dir, 'bundle.p7b', new Uint8Array(new x509.X509Certificates([good, f.entCa.cert]).export('raw')));
  await put(dir, 'garbage.bin', new Uint8Array([0xde, 0xad, 0xbe, 0xef, 1, 2, 3]));
  await put(dir, 'empty.pem', '');
});

async function run(args: string[], io = captureIo()) {
  const code = await command.run(['check', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe('collabsec cert check', () => {
  it('passes a good certificate: text report, exit 0, no colour off a TTY', async () => {
    const r = await run(['--inventory', inv, '--for', 'cucm/tomcat', '--chain', p('chain.pem'), p('tomcat.pem')]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`tomcat.pem: certificate checked as cucm/tomcat (Unified CM and IM and Presence tomcat)`);
    expect(r.out).toMatch(/ {2}PASS {2}extended-key-usage +Extended Key Usage: TLS Web Server Authentication, TLS Web Client Authentication \(Table 7-10\)/);
    expect(r.out).toMatch(/PASS {2}chain +verifies to the enterprise root CN=ENT-PA Root CA/);
    // The partner root file is missing: a warning, not a crash.
    // The field and path the inventory names, said to be missing (issue 25), not "names no root".
    expect(r.out).toMatch(/WARN {2}trust +the file named by the inventory is missing: ca\.b2bPartnerRootFiles\[0\] is partner-missing\.pem \(\/.*partner-missing\.pem\); chains cannot be compared with that root/);
    expect(r.out).toMatch(/\nOK: 0 failed, 1 warning\(s\), \d+ passed\n$/);
    expect(r.out).not.toContain('\u001b[');
  });

  it('DER certificates are read too', async () => {
    const r = await run(['-i', inv, '--for', 'cucm/tomcat', '-c', p('chain.pem'), p('tomcat.der')]);
    expect(r.code).toBe(0);
  });

  it('fails (exit 1) a tomcat without client authentication, in JSON', async () => {
    const r = await run(['--inventory', inv, '--for', 'cucm/tomcat', '--chain', p('chain.pem'), '--json', p('tomcat-noclient.pem')]);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j.ok).toBe(false);
    expect(j.role).toBe('cucm/tomcat');
    expect(j.summary.extendedKeyUsage).toEqual(['TLS Web Server Authentication']);
    expect(j.verdicts.find((v: { check: string }) => v.check === 'extended-key-usage')).toMatchObject({ status: 'fail', message: expect.stringContaining('ILS and UDS breaks (L857)') });
  });

  it('checks the CSR match with --csr', async () => {
    const r = await run(['-i', inv, '--for', 'cucm/tomcat', '-c', p('chain.pem'), '--csr', p('tomcat.csr'), '--json', p('tomcat.pem')]);
    expect(JSON.parse(r.out).verdicts).toContainEqual({ check: 'csr-match', status: 'pass', message: `public key matches ${p('tomcat.csr')}` });
  });

  it('inspects a CSR: subject, SANs, requested usages', async () => {
    const r = await run(['-i', inv, '--for', 'cucm/tomcat', p('tomcat.csr')]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('tomcat.csr: certificate signing request checked as cucm/tomcat');
    expect(r.out).toContain('(what the CA will be asked for; pick or create a CA template that matches)');
    expect(r.out).toMatch(/WARN {2}key-usage +no X509v3 Key Usage extension; cucm\/tomcat needs Digital Signature, Key Encipherment, Data Encipherment \(Table 7-10\); the CA template must add them/);
    expect(r.out).toMatch(/PASS {2}subject-cn +CN is us-cm-pub-ms\.ent-pa\.com/);
    expect(r.out).toMatch(/PASS {2}ca +submit to the enterprise CA \(Table 7-5\)/);
  });

  it('colours only on a TTY without NO_COLOR', async () => {
    const tty = await run(['--for', 'cucm/tomcat', p('tomcat.pem')], captureIo({ tty: true, env: { TERM: 'xterm' } }));
    expect(tty.out).toContain('\u001b[32mPASS\u001b[0m');
    const noColor = await run(['--for', 'cucm/tomcat', p('tomcat.pem')], captureIo({ tty: true, env: { NO_COLOR: '1', TERM: 'xterm' } }));
    expect(noColor.out).not.toContain('\u001b[');
    expect(noColor.out).toContain('no inventory: names and the trusted root were not checked');
  });

  const bad: [string, string, RegExp][] = [
    ['garbage', 'garbage.bin', /garbage\.bin holds neither PEM nor DER certificate data, not a certificate \(expected a PEM "-----BEGIN CERTIFICATE-----" block or DER\)$/],
    ['an empty file', 'empty.pem', /empty\.pem holds nothing \(the file is empty\), not a certificate$/],
    ['a private key', 'key.pem', /key\.pem holds a private key, not a certificate; keep the key private and point at the certificate the CA returned$/],
    ['a PKCS#7 bundle', 'bundle.p7b', /bundle\.p7b holds a PKCS#7 bundle with 2 certificate\(s\), not a single certificate; export the server certificate as PEM \(Base-64\) or DER$/],
    ['a missing file', 'nope.pem', /nope\.pem does not exist$/],
  ];
  for (const [what, file, message] of bad) {
    it(`names the file and what it holds: ${what}`, async () => {
      const e = await run(['--for', 'cucm/tomcat', p(file)]).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(UserError);
      expect((e as UserError).message).toMatch(message);
      expect((e as UserError).exitCode).toBe(1);
    });
  }

  it('a certificate given as --csr, and a key given as --chain, are named', async () => {
    await expect(run(['--for', 'cucm/tomcat', '--csr', p('tomcat.pem'), p('tomcat.pem')])).rejects.toThrow(/tomcat\.pem holds an X\.509 certificate, not a certificate signing request$/);
    await expect(run(['--for', 'cucm/tomcat', '--chain', p('key.pem'), p('tomcat.pem')])).rejects.toThrow(/key\.pem holds a private key, not CA certificates/);
    // A PKCS#7 is fine as a chain (CAs hand out .p7b).
    const ok = await run(['-i', inv, '--for', 'cucm/tomcat', '--chain', p('bundle.p7b'), p('tomcat.pem')]);
    expect(ok.code).toBe(0);
  });

  it('usage errors exit 2 and list what is valid', async () => {
    await expect(run([p('tomcat.pem')])).rejects.toMatchObject({ message: '--for ROLE is required', exitCode: 2, tryMessage: expect.stringContaining('expressway-e/server') });
    await expect(run(['--for', 'cucm/nope', p('tomcat.pem')])).rejects.toMatchObject({ message: 'unknown role "cucm/nope"', exitCode: 2 });
    await expect(run(['--for', 'cucm/tomcat'])).rejects.toMatchObject({ message: 'give the certificate (or CSR) file to check', exitCode: 2 });
    await expect(run(['--for', 'cucm/tomcat', '--bogus', p('tomcat.pem')])).rejects.toMatchObject({ exitCode: 2 });
    await expect(run(['--for', 'cucm/tomcat', '--expiry-days', 'soon', p('tomcat.pem')])).rejects.toMatchObject({ exitCode: 2 });
    await expect(run(['-i', inv, '--for', 'ios/router', '--node', 'nope', p('tomcat.pem')])).rejects.toThrow(/inv\.yaml: --node nope: no such IOS router in the inventory \(US-CUBE1/);
    await expect(command.run(['verify'], captureIo())).rejects.toMatchObject({ exitCode: 2 });
  });

  it('--help and --for list', async () => {
    const h = await run(['--help']);
    expect(h.code).toBe(0);
    expect(h.out).toMatch(/^Usage: collabsec cert check --for ROLE/);
    const l = await run(['--for', 'list']);
    expect(l.out.trim().split('\n')).toHaveLength(15);
    expect(l.out).toMatch(/cucm\/capf +Unified CM CAPF \(reference only\)/);
  });
});
