// Test PKI built at test time with @peculiar/x509 and WebCrypto: roots, intermediates, leaves
// and CSRs with exactly the defect a test wants. Nothing is checked in.
import { webcrypto } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';

const subtle = webcrypto.subtle;

type CryptoKey = webcrypto.CryptoKey;
export type Keys = webcrypto.CryptoKeyPair;
const RSA = 'RSASSA-PKCS1-v1_5';
const DAY = 86_400_000;

export async function rsaKeys(bits = 2048, hash = 'SHA-256'): Promise<Keys> {
  return subtle.generateKey({ name: RSA, modulusLength: bits, publicExponent: new Uint8Array([1, 0, 1]), hash }, true, ['sign', 'verify']);
}

export async function ecKeys(): Promise<Keys> {
  return subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
}

/** Same private key, bound to another hash: WebCrypto signs with the key's hash, not the call's. */
export async function withHash(keys: Keys, hash: string): Promise<CryptoKey> {
  const pkcs8 = await subtle.exportKey('pkcs8', keys.privateKey);
  return subtle.importKey('pkcs8', pkcs8, { name: RSA, hash }, false, ['sign']);
}

export interface Issuer {
  cert: x509.X509Certificate;
  keys: Keys;
}

let serial = 1;
const nextSerial = () => (serial++).toString(16).padStart(4, '0') + 'a1';

export async function rootCa(name: string, keys?: Keys): Promise<Issuer> {
  const k = keys ?? (await rsaKeys());
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: nextSerial(),
    name: `CN=${name}, O=collabsec test`,
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + 3650 * DAY),
    keys: k,
    signingAlgorithm: { name: RSA, hash: 'SHA-256' },
    extensions: [new x509.BasicConstraintsExtension(true, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true)],
  });
  return { cert, keys: k };
}

export async function intermediateCa(name: string, issuer: Issuer, opts: { notAfter?: Date; ca?: boolean } = {}): Promise<Issuer> {
  const keys = await rsaKeys();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: nextSerial(),
    subject: `CN=${name}, O=collabsec test`,
    issuer: issuer.cert.subject,
    notBefore: new Date(Date.now() - DAY),
    notAfter: opts.notAfter ?? new Date(Date.now() + 1825 * DAY),
    publicKey: keys.publicKey,
    signingKey: issuer.keys.privateKey,
    signingAlgorithm: { name: RSA, hash: 'SHA-256' },
    extensions: [new x509.BasicConstraintsExtension(opts.ca ?? true, 0, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true)],
  });
  return { cert, keys };
}

const F = x509.KeyUsageFlags;
export const KU = {
  ucm: F.digitalSignature | F.keyEncipherment | F.dataEncipherment,
  expressway: F.digitalSignature | F.keyEncipherment,
};
export const EKU = { server: '1.3.6.1.5.5.7.3.1', client: '1.3.6.1.5.5.7.3.2' };

export interface LeafOpts {
  cn: string;
  sans?: string[];
  ku?: number | null;
  eku?: string[] | null;
  keys: Keys;
  notBefore?: Date;
  notAfter?: Date;
  /** Extensions added as given (malformed or unusual ones). */
  raw?: x509.Extension[];
  /** Sign with this private key instead of the issuer's (hash variants, wrong signer). */
  signingKey?: CryptoKey;
  hash?: string;
  ca?: boolean;
}

function leafExtensions(o: Omit<LeafOpts, 'keys'>): x509.Extension[] {
  const ext: x509.Extension[] = [];
  if (o.ca) ext.push(new x509.BasicConstraintsExtension(true, undefined, true));
  if (o.ku !== null) ext.push(new x509.KeyUsagesExtension(o.ku ?? KU.ucm, true));
  if (o.eku !== null) ext.push(new x509.ExtendedKeyUsageExtension(o.eku ?? [EKU.server, EKU.client]));
  if (o.sans && o.sans.length > 0) ext.push(new x509.SubjectAlternativeNameExtension(o.sans.map((value) => ({ type: 'dns' as const, value }))));
  ext.push(...(o.raw ?? []));
  return ext;
}

export async function leaf(issuer: Issuer, o: LeafOpts): Promise<x509.X509Certificate> {
  return x509.X509CertificateGenerator.create({
    serialNumber: nextSerial(),
    subject: `CN=${o.cn}, O=collabsec test`,
    issuer: issuer.cert.subject,
    notBefore: o.notBefore ?? new Date(Date.now() - DAY),
    notAfter: o.notAfter ?? new Date(Date.now() + 365 * DAY),
    publicKey: o.keys.publicKey,
    signingKey: o.signingKey ?? issuer.keys.privateKey,
    signingAlgorithm: { name: RSA, hash: o.hash ?? 'SHA-256' },
    extensions: leafExtensions(o),
  });
}

export async function csr(o: Omit<LeafOpts, 'signingKey' | 'notBefore' | 'notAfter'>): Promise<x509.Pkcs10CertificateRequest> {
  return x509.Pkcs10CertificateRequestGenerator.create({
    name: `CN=${o.cn}, O=collabsec test`,
    keys: o.keys,
    signingAlgorithm: { name: RSA, hash: o.hash ?? 'SHA-256' },
    extensions: leafExtensions(o),
  });
}

export const pem = (...items: { toString(format: 'pem'): string }[]) => items.map((i) => i.toString('pem')).join('\n') + '\n';

export async function tempDir(prefix = 'collabsec-cert-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function put(dir: string, name: string, content: string | Uint8Array): Promise<string> {
  const p = join(dir, name);
  await writeFile(p, content);
  return p;
}

export async function privateKeyPem(keys: Keys): Promise<string> {
  const der = await subtle.exportKey('pkcs8', keys.privateKey);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

export const der = (x: { rawData: ArrayBuffer }) => new Uint8Array(x.rawData);
