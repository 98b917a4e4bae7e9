// Real X.509 material for the simulators (keys, CSRs, self-signed certs) so drivers and tests
// parse genuine PEM, never placeholder text. Everything stays in memory.
import { createHash, X509Certificate, webcrypto, createPublicKey, createPrivateKey } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };

export type KeyPair = webcrypto.CryptoKeyPair;

/** An RSA key pair; `modulusLength` other than 2048 only where the device was asked for it (IOS `modulus N`). */
export async function newKeyPair(modulusLength = 2048): Promise<KeyPair> {
  return webcrypto.subtle.generateKey({ ...alg, modulusLength }, true, ['sign', 'verify']);
}

/** PEM CSR ("-----BEGIN CERTIFICATE REQUEST-----"), subject as "CN=a, O=b". */
export async function makeCsr(subject: string, keys: KeyPair, sans: string[] = []): Promise<string> {
  const extensions = sans.length > 0 ? [new x509.SubjectAlternativeNameExtension(sans.map((value) => ({ type: 'dns' as const, value })))] : [];
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: subject, keys, signingAlgorithm: alg, extensions });
  return csr.toString('pem');
}

export async function selfSigned(subject: string, keys: KeyPair, ca = false): Promise<string> {
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: createHash('sha1').update(`${subject}${now}${Math.random()}`).digest('hex').slice(0, 16),
    name: subject,
    notBefore: new Date(now - 3600_000),
    notAfter: new Date(now + 5 * 365 * 86400_000),
    keys,
    signingAlgorithm: alg,
    extensions: ca
      ? [
          new x509.BasicConstraintsExtension(true, undefined, true),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
          await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
        ]
      : [],
  });
  return cert.toString('pem');
}

const KU_FLAG: Record<string, number> = {
  digitalSignature: x509.KeyUsageFlags.digitalSignature,
  nonRepudiation: x509.KeyUsageFlags.nonRepudiation,
  keyEncipherment: x509.KeyUsageFlags.keyEncipherment,
  dataEncipherment: x509.KeyUsageFlags.dataEncipherment,
  keyAgreement: x509.KeyUsageFlags.keyAgreement,
  keyCertSign: x509.KeyUsageFlags.keyCertSign,
  cRLSign: x509.KeyUsageFlags.cRLSign,
};

const EKU_OID: Record<string, string> = {
  serverAuth: x509.ExtendedKeyUsage.serverAuth,
  clientAuth: x509.ExtendedKeyUsage.clientAuth,
  codeSigning: x509.ExtendedKeyUsage.codeSigning,
  emailProtection: x509.ExtendedKeyUsage.emailProtection,
  timeStamping: x509.ExtendedKeyUsage.timeStamping,
  ocspSigning: x509.ExtendedKeyUsage.ocspSigning,
};

export interface IssueOptions {
  /** The request: its public key is certified (its signature is checked first). */
  csrPem: string;
  caCertPem: string;
  caKeys: KeyPair;
  /** Subject DN ("CN=a, O=b"); default the CSR's subject. */
  subject?: string;
  /** dNSName SANs; default those of the CSR. */
  sans?: string[];
  /** Key usage names as in steps/certificates.yaml (digitalSignature, keyEncipherment, …). */
  keyUsage?: readonly string[];
  /** Extended key usage names (serverAuth, clientAuth, …). */
  extendedKeyUsage?: readonly string[];
  /** Validity from now, in days (negative: already expired). */
  days?: number;
  /** Start of validity (default an hour ago); tests make expired certificates with it. */
  notBefore?: Date;
}

/** What a CA template does with a request: the subject, SANs, KU and EKU it grants, chained by SKI/AKI to the CA. */
export async function issueCertificate(o: IssueOptions): Promise<string> {
  const csr = new x509.Pkcs10CertificateRequest(o.csrPem);
  if (!(await csr.verify())) throw new Error('the CSR signature does not verify');
  const ca = new x509.X509Certificate(o.caCertPem);
  const sanExt = csr.getExtension('2.5.29.17');
  const csrSans = sanExt ? new x509.SubjectAlternativeNameExtension(sanExt.rawData).names.items.filter((n) => n.type === 'dns').map((n) => n.value) : [];
  const sans = o.sans ?? csrSans;
  const ku = (o.keyUsage ?? []).reduce((f, n) => f | (KU_FLAG[n] ?? 0), 0);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: createHash('sha1').update(`${csr.subject}${now}${Math.random()}`).digest('hex').slice(0, 16),
    subject: o.subject ?? csr.subject,
    issuer: ca.subject,
    notBefore: o.notBefore ?? new Date(now - 3600_000),
    notAfter: new Date(now + (o.days ?? 2 * 365) * 86400_000),
    publicKey: csr.publicKey,
    signingKey: o.caKeys.privateKey,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      ...(ku !== 0 ? [new x509.KeyUsagesExtension(ku, true)] : []),
      ...((o.extendedKeyUsage ?? []).length > 0 ? [new x509.ExtendedKeyUsageExtension((o.extendedKeyUsage ?? []).map((n) => EKU_OID[n] ?? n))] : []),
      ...(sans.length > 0 ? [new x509.SubjectAlternativeNameExtension(sans.map((value: string) => ({ type: 'dns' as const, value })))] : []),
      await x509.SubjectKeyIdentifierExtension.create(await csr.publicKey.export()),
      await x509.AuthorityKeyIdentifierExtension.create(await ca.publicKey.export()),
    ],
  });
  return cert.toString('pem');
}

/** The CN of a PEM CSR (undefined when it has none). */
export function csrCn(csrPem: string): string | undefined {
  const csr = new x509.Pkcs10CertificateRequest(csrPem);
  return csr.subjectName.getField('CN')[0];
}

/** Sign a PEM CSR with a CA (lab rehearsal helper and tests). */
export async function signCsr(csrPem: string, caCertPem: string, caKeys: KeyPair): Promise<string> {
  const csr = new x509.Pkcs10CertificateRequest(csrPem);
  const ca = new x509.X509Certificate(caCertPem);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: createHash('sha1').update(`${csr.subject}${now}${Math.random()}`).digest('hex').slice(0, 16),
    subject: csr.subject,
    issuer: ca.subject,
    notBefore: new Date(now - 3600_000),
    notAfter: new Date(now + 2 * 365 * 86400_000),
    publicKey: csr.publicKey,
    signingKey: caKeys.privateKey,
    signingAlgorithm: alg,
    extensions: csr.extensions,
  });
  return cert.toString('pem');
}

export async function privateKeyPem(keys: KeyPair): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  // node:crypto writes the PEM armour (no hand-built headers).
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }).export({ format: 'pem', type: 'pkcs8' }).toString();
}

/** PEM blocks of the given label found in free text (pasted lines). */
export function pemBlocks(text: string, label = 'CERTIFICATE'): string[] {
  const re = new RegExp(`-----BEGIN ${label}-----[\\s\\S]*?-----END ${label}-----`, 'g');
  return (text.match(re) ?? []).map((b) => `${b.replace(/\r/g, '')}\n`);
}

export interface CertInfo {
  pem: string;
  subject: string;
  issuer: string;
  cn: string;
  issuerCn: string;
  selfSigned: boolean;
  validFrom: string;
  validTo: string;
  serial: string;
  md5: string;
  sha1: string;
  publicKeyDer: Buffer;
}

function cnOf(dn: string): string {
  return /(?:^|\n)CN=([^\n]*)/.exec(dn)?.[1] ?? dn.split('\n')[0] ?? dn;
}

/** Parses one PEM certificate; undefined when it is not one. */
export function certInfo(pem: string): CertInfo | undefined {
  try {
    const c = new X509Certificate(pem);
    const der = c.raw;
    return {
      pem,
      subject: c.subject,
      issuer: c.issuer,
      cn: cnOf(c.subject),
      issuerCn: cnOf(c.issuer),
      selfSigned: c.subject === c.issuer,
      validFrom: c.validFrom,
      validTo: c.validTo,
      serial: c.serialNumber,
      md5: createHash('md5').update(der).digest('hex').toUpperCase(),
      sha1: createHash('sha1').update(der).digest('hex').toUpperCase(),
      publicKeyDer: c.publicKey.export({ type: 'spki', format: 'der' }),
    };
  } catch {
    return undefined;
  }
}

/** SPKI DER of a CSR, PEM private key or CryptoKey, to match a certificate against its key. */
export function spkiOfCsr(csrPem: string): Buffer {
  return Buffer.from(new x509.Pkcs10CertificateRequest(csrPem).publicKey.rawData);
}

export function spkiOfPrivatePem(pem: string): Buffer | undefined {
  try {
    return createPublicKey(createPrivateKey(pem)).export({ type: 'spki', format: 'der' });
  } catch {
    return undefined;
  }
}

export async function spkiOfKeys(keys: KeyPair): Promise<Buffer> {
  return Buffer.from(await webcrypto.subtle.exportKey('spki', keys.publicKey));
}

/** Does `cert` verify against the public key of `ca`? */
export function issuedBy(cert: string, ca: string): boolean {
  try {
    return new X509Certificate(cert).verify(new X509Certificate(ca).publicKey);
  } catch {
    return false;
  }
}
