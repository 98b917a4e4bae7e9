// Paste files are parsed, never copied byte for byte (issue 18): one certificate (or a declared
// chain), re-encoded from its DER; anything else refused with one line naming the file.
import { createHash, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeCsr, newKeyPair, selfSigned, signCsr, type KeyPair } from '../../src/lab/pki.js';
import { fingerprintMismatch } from '../../src/transport/executor.js';
import { declaresChain, MAX_PASTE_BYTES, parsePaste, PasteFileError, PasteRefused, readPasteFile } from '../../src/transport/paste.js';
import { ios } from '../../src/transport/platforms/ios.js';
import { PEM, tmp } from './helpers.js';

const canonical = PEM.trimEnd().split('\n');
const der = new X509Certificate(PEM).raw;
let root: { pem: string; keys: KeyPair };
let leaf: string;
let csr: string;

beforeAll(async () => {
  const keys = await newKeyPair();
  root = { keys, pem: await selfSigned('CN=Paste Root CA', keys, true) };
  csr = await makeCsr('CN=cube1.example.com', await newKeyPair());
  leaf = await signCsr(csr, root.pem, root.keys);
});

function refused(input: string | Uint8Array, opts: { chain?: boolean } = {}): string {
  try {
    parsePaste(input, opts);
  } catch (e) {
    expect(e).toBeInstanceOf(PasteRefused);
    return (e as Error).message;
  }
  throw new Error('not refused');
}

describe('parsePaste', () => {
  it('re-encodes a certificate from its DER: CRLF, indentation, blank lines, long lines and a BOM are gone', () => {
    const body = der.toString('base64');
    const messy = `\uFEFF\r\n\r\n  -----BEGIN CERTIFICATE-----\r\n  ${body.slice(0, 76)}  \r\n\t${body.slice(76)}\r\n-----END CERTIFICATE-----   \r\n\r\n\r\n`;
    const p = parsePaste(messy);
    expect(p.lines).toEqual(canonical);
    expect(p.certs).toHaveLength(1);
    expect(p.certs[0]!.md5).toBe(createHash('md5').update(der).digest('hex').toUpperCase());
    expect(parsePaste(Buffer.from(messy)).lines).toEqual(canonical);
  });

  it('a binary DER certificate is re-armoured as PEM', () => {
    expect(parsePaste(der).lines).toEqual(canonical);
  });

  it.each([
    ['quit / yes / a backdoor user appended', `${PEM}quit\nyes\nusername backdoor privilege 15 secret 0 x\n`, /text outside the certificate's PEM armour at line 12 \("quit"\)/],
    ['a command before the block', `end\n${PEM}`, /text outside .* at line 1 \("end"\)/],
    ['text between two blocks', `${PEM}write memory\n${PEM}`, /text outside .*"write memory"/],
    ['a private key', generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), /holds a private key, not a certificate/],
    ['two certificates where one is expected', PEM + PEM, /holds 2 certificates; exactly one/],
    ['an empty file', '\n  \n', /holds no certificate/],
    ['base64 that is not a certificate', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', /is not an X\.509 certificate/],
    ['a control character inside the block', PEM.replace('MIIB', 'MI\x03IB'), /not PEM text \(0x03/],
    ['a header line', PEM.replace('-----\n', '-----\nProc-Type: 4,ENCRYPTED\n'), /carries headers/],
    ['mismatched armour', PEM.replace('END CERTIFICATE', 'END PRIVATE KEY'), /begins as "CERTIFICATE" but ends as "PRIVATE KEY"/],
    ['a missing END line', PEM.replace('-----END CERTIFICATE-----', ''), /without its END line/],
    ['non-ASCII text', `${PEM}é\n`, /not PEM text/],
  ])('refuses %s', (_what, input, why) => {
    expect(refused(input)).toMatch(why);
  });

  it('refuses a CSR, non-certificate DER, DER with trailing bytes and an oversize file', () => {
    expect(refused(csr)).toMatch(/holds a certificate signing request \(CSR\), not a certificate/);
    const csrDer = Buffer.from(csr.replace(/-----[^-]+-----/g, '').replace(/\s/g, ''), 'base64');
    expect(refused(csrDer)).toMatch(/the DER file is not an X\.509 certificate/);
    expect(refused(Buffer.concat([der, Buffer.from([0x0a, 0x71])]))).toMatch(/bytes after the certificate's DER/);
    expect(refused(PEM + ' '.repeat(MAX_PASTE_BYTES))).toMatch(/more than the 256 KiB/);
  });

  it('a chain only where declared, ordered from the leaf up', () => {
    expect(refused(leaf + root.pem)).toMatch(/holds 2 certificates/);
    expect(parsePaste(leaf + root.pem, { chain: true }).certs).toHaveLength(2);
    expect(refused(root.pem + leaf, { chain: true })).toMatch(/did not issue certificate 1/);
    expect(declaresChain({ label: 'ENT-PA CA chain' })).toBe(true);
    expect(declaresChain({ label: 'ENT-PA Enterprise Root CA' })).toBe(false);
  });
});

describe('readPasteFile', () => {
  it('names the file in a one-line refusal; missing, oversize (checked before reading), a device and appended text', async () => {
    const dir = tmp();
    const bad = path.join(dir, 'ca-backdoor.pem');
    writeFileSync(bad, `${PEM}quit\nyes\n`);
    const big = path.join(dir, 'big.pem');
    writeFileSync(big, Buffer.alloc(MAX_PASTE_BYTES + 1, 0x20));
    for (const [file, why] of [[bad, /text outside/], [path.join(dir, 'nope.pem'), /not found/], [big, /is too large \(257 KiB; at most 256 KiB is read\)/], ['/dev/zero', /not a regular file|character device/]] as const) {
      const e = await readPasteFile(file).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(PasteFileError);
      expect((e as Error).message).toMatch(new RegExp(`^paste file ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: `));
      expect((e as Error).message).toMatch(why);
      expect((e as Error).message).not.toContain('\n');
    }
    const good = path.join(dir, 'ca.cer');
    writeFileSync(good, der);
    expect((await readPasteFile(good)).lines).toEqual(canonical);
  });
});

describe('fingerprintMismatch (IOS, cli-facts §2.3)', () => {
  const content = parsePaste(PEM);
  const md5 = content.certs[0]!.md5;
  const sha1 = content.certs[0]!.sha1;
  const g = (h: string) => h.match(/.{8}/g)!.join(' ');
  it('matches the grouping IOS prints, or colons, in any case', () => {
    expect(fingerprintMismatch(ios, `Certificate has the following attributes:\n       Fingerprint MD5: ${g(md5)}\n      Fingerprint SHA1: ${g(sha1)}\n`, content, 'ca.pem')).toBeNull();
    expect(fingerprintMismatch(ios, `Fingerprint MD5: ${md5.toLowerCase().match(/../g)!.join(':')}\n`, content, 'ca.pem')).toBeNull();
  });
  it('names both sides on a mismatch, and refuses when none is shown', () => {
    const why = fingerprintMismatch(ios, `Fingerprint MD5: ${g(md5)}\nFingerprint SHA1: 0000000 11111111\n`, content, 'ca.pem');
    expect(why).toContain('fingerprint mismatch: the device shows MD5');
    expect(why).toContain(`ca.pem has MD5 ${g(md5)}, SHA1 ${g(sha1)}`);
    expect(fingerprintMismatch(ios, 'Certificate has the following attributes:\n', content, 'ca.pem')).toMatch(/without showing its fingerprint/);
  });
});
