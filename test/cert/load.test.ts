// What a file holds, for every kind an operator may point at by mistake (PEM and DER).
import { beforeAll, describe, expect, it } from 'vitest';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { CertFileError, classify, expectCertificate, expectChain, expectCsr } from '../../src/verify/cert/load.js';
import { csr, der, leaf, pem, privateKeyPem, rootCa, rsaKeys, type Issuer, type Keys } from './pki.js';

let ca: Issuer;
let keys: Keys;
let req: x509.Pkcs10CertificateRequest;
const bytes = (s: string) => new TextEncoder().encode(s);

beforeAll(async () => {
  keys = await rsaKeys();
  ca = await rootCa('Load Test Root', keys);
  req = await csr({ cn: 'x.ent-pa.com', keys });
});

describe('classify', () => {
  it('PEM and DER certificates, chains and CSRs', () => {
    expect(classify('a', bytes(pem(ca.cert)))).toMatchObject({ kind: 'certificate', encoding: 'pem' });
    expect(classify('a', der(ca.cert))).toMatchObject({ kind: 'certificate', encoding: 'der' });
    expect(classify('a', bytes(pem(ca.cert, ca.cert)))).toMatchObject({ kind: 'chain' });
    expect(classify('a', bytes(pem(req)))).toMatchObject({ kind: 'csr', encoding: 'pem' });
    expect(classify('a', der(req))).toMatchObject({ kind: 'csr', encoding: 'der' });
    // Windows CAs write CRLF and "NEW CERTIFICATE REQUEST".
    const win = pem(req).replace('CERTIFICATE REQUEST-----', 'NEW CERTIFICATE REQUEST-----').replace('END CERTIFICATE REQUEST', 'END NEW CERTIFICATE REQUEST').replace(/\n/g, '\r\n');
    expect(classify('a', bytes(win)).kind).toBe('csr');
  });

  it('keys, PKCS#7, public keys', async () => {
    const keyPem = await privateKeyPem(keys);
    expect(classify('k', bytes(keyPem)).kind).toBe('private-key');
    expect(classify('k', bytes(pem(ca.cert) + keyPem)).kind).toBe('private-key');
    const pkcs8 = new Uint8Array(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
    expect(classify('k', pkcs8)).toMatchObject({ kind: 'private-key', encoding: 'der' });
    expect(classify('k', bytes('-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n')).kind).toBe('encrypted-private-key');
    const p7 = new x509.X509Certificates([ca.cert]);
    expect(classify('p', new Uint8Array(p7.export('raw')))).toMatchObject({ kind: 'pkcs7', encoding: 'der' });
    expect(classify('p', bytes(p7.export('pem')))).toMatchObject({ kind: 'pkcs7', encoding: 'pem' });
    const spki = new Uint8Array(await webcrypto.subtle.exportKey('spki', keys.publicKey));
    expect(classify('p', spki).kind).toBe('public-key');
  });

  it('garbage, empty, truncated and text files', () => {
    expect(classify('g', new Uint8Array([1, 2, 3])).kind).toBe('unknown');
    expect(classify('g', new Uint8Array(0)).kind).toBe('empty');
    expect(classify('g', bytes(' \n\r\n')).kind).toBe('empty');
    expect(classify('g', der(ca.cert).slice(0, 200)).kind).toBe('unknown');
    expect(classify('g', bytes('-----BEGIN CERTIFICATE-----\nnot base64 at all!!\n-----END CERTIFICATE-----\n')).kind).toBe('unknown');
    expect(classify('g', bytes('Certificate:\n    Data:\n        Version: 3 (0x2)\n')).kind).toBe('unknown');
  });

  it('expect* helpers throw CertFileError naming the file and its content', () => {
    const key = classify('tomcat.key', bytes('-----BEGIN RSA PRIVATE KEY-----\nAA==\n-----END RSA PRIVATE KEY-----\n'));
    expect(() => expectCertificate(key)).toThrow(new CertFileError('tomcat.key', 'private-key', 'tomcat.key holds a private key, not a certificate; keep the key private and point at the certificate the CA returned'));
    expect(() => expectCsr(classify('c.pem', bytes(pem(ca.cert))))).toThrow('c.pem holds an X.509 certificate, not a certificate signing request');
    expect(() => expectChain(classify('r.csr', bytes(pem(req))))).toThrow('r.csr holds a certificate signing request (CSR), not CA certificates');
    expect(expectChain(classify('p7', new Uint8Array(new x509.X509Certificates([ca.cert, ca.cert]).export('raw'))))).toHaveLength(2);
  });

  it('a certificate whose SAN the library cannot decode (X.400 address) is named, not a crash', async () => {
    const x400San = new x509.Extension('2.5.29.17', false, new Uint8Array([0x30, 0x04, 0xa3, 0x02, 0x30, 0x00]));
    const cert = await leaf(ca, { cn: 'x.ent-pa.com', keys, raw: [x400San] });
    for (const content of [bytes(pem(cert)), der(cert)]) {
      const l = classify('odd.pem', content);
      expect(l.kind).toBe('undecodable');
      expect(() => expectCertificate(l)).toThrow('odd.pem holds an X.509 certificate or CSR with an extension collabsec cannot decode, not a certificate; ask the CA to issue it without that extension');
    }
  });
});
