// Reads the facts a checkpoint needs out of a certificate or CSR with @peculiar/x509 and
// node:crypto: names, SANs, KU/EKU, key type and size, signature hash. No text scraping.
import { createPublicKey } from 'node:crypto';
import {
  ExtendedKeyUsageExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  SubjectAlternativeNameExtension,
  BasicConstraintsExtension,
  type Extension,
  type Pkcs10CertificateRequest,
  type PublicKey,
  type X509Certificate,
} from '@peculiar/x509';
import { EXTENDED_KEY_USAGES, KEY_USAGES, type ExtendedKeyUsageName, type KeyUsageName } from './roles.js';
import type { Summary } from './types.js';

const OID = {
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  commonName: '2.5.4.3',
};

const EKU_OID: Record<ExtendedKeyUsageName, string> = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  ocspSigning: '1.3.6.1.5.5.7.3.9',
};

/** The words `openssl x509 -text` prints, which is what the chapter's tables use (Table 7-10). */
export const KU_LABEL: Record<KeyUsageName, string> = {
  digitalSignature: 'Digital Signature',
  nonRepudiation: 'Non Repudiation',
  keyEncipherment: 'Key Encipherment',
  dataEncipherment: 'Data Encipherment',
  keyAgreement: 'Key Agreement',
  keyCertSign: 'Certificate Sign',
  cRLSign: 'CRL Sign',
  encipherOnly: 'Encipher Only',
  decipherOnly: 'Decipher Only',
};

export const EKU_LABEL: Record<ExtendedKeyUsageName, string> = {
  serverAuth: 'TLS Web Server Authentication',
  clientAuth: 'TLS Web Client Authentication',
  codeSigning: 'Code Signing',
  emailProtection: 'E-mail Protection',
  timeStamping: 'Time Stamping',
  ocspSigning: 'OCSP Signing',
};

/** Usages of a certificate or CSR; `undefined` when the extension is absent (≠ present but empty). */
export interface Usages {
  keyUsage?: KeyUsageName[];
  /** Known names (ExtendedKeyUsageName) plus raw OIDs for anything else, kept so the report can show them. */
  extendedKeyUsage?: string[];
}

function findExt(exts: readonly Extension[], oid: string): Extension | undefined {
  return exts.find((e) => e.type === oid);
}

export function usagesOf(exts: readonly Extension[]): Usages {
  const out: Usages = {};
  // A malformed extension reads as empty (so the check fails with "lacks …"), never as a crash.
  const ku = findExt(exts, OID.keyUsage);
  if (ku) {
    try {
      const flags = new KeyUsagesExtension(ku.rawData).usages;
      out.keyUsage = KEY_USAGES.filter((n) => (flags & KeyUsageFlags[n]) !== 0);
    } catch {
      out.keyUsage = [];
    }
  }
  const eku = findExt(exts, OID.extKeyUsage);
  if (eku) {
    try {
      out.extendedKeyUsage = new ExtendedKeyUsageExtension(eku.rawData).usages.map((u) => {
        const oid = String(u);
        return EXTENDED_KEY_USAGES.find((n) => EKU_OID[n] === oid) ?? oid;
      });
    } catch {
      out.extendedKeyUsage = [];
    }
  }
  return out;
}

export interface San {
  dns: string[];
  /** Other name types (IP, e-mail, URI…), shown but never matched against host names. */
  other: string[];
}

export function sansOf(exts: readonly Extension[]): San {
  const ext = findExt(exts, OID.subjectAltName);
  const san: San = { dns: [], other: [] };
  if (!ext) return san;
  let items;
  try {
    items = new SubjectAlternativeNameExtension(ext.rawData).names.items;
  } catch {
    // A name type the library cannot decode (X.400, EDI party…): report it instead of crashing.
    san.other.push('(a SAN entry collabsec cannot decode)');
    return san;
  }
  for (const n of items) {
    if (n.type === 'dns') san.dns.push(n.value);
    else san.other.push(`${n.type}:${n.value}`);
  }
  return san;
}

export function isCa(cert: X509Certificate): boolean {
  const ext = findExt(cert.extensions, OID.basicConstraints);
  if (!ext) return false;
  try {
    return new BasicConstraintsExtension(ext.rawData).ca;
  } catch {
    return false;
  }
}

export function commonNameOf(x: X509Certificate | Pkcs10CertificateRequest): string | undefined {
  return x.subjectName.getField(OID.commonName)[0];
}

export interface KeyInfo {
  type: string;
  bits?: number;
  curve?: string;
  /** DER SubjectPublicKeyInfo, compared byte for byte to match a certificate with its CSR. */
  spki: Buffer;
}

export function keyInfo(pk: PublicKey): KeyInfo {
  const spki = Buffer.from(pk.rawData);
  try {
    const k = createPublicKey({ key: spki, format: 'der', type: 'spki' });
    const d = k.asymmetricKeyDetails ?? {};
    return { type: k.asymmetricKeyType ?? 'unknown', bits: d.modulusLength, curve: d.namedCurve, spki };
  } catch {
    return { type: 'unknown', spki };
  }
}

export function describeKey(k: KeyInfo): string {
  if (k.type === 'rsa' || k.type === 'rsa-pss') return `RSA ${k.bits ?? '?'}-bit`;
  if (k.type === 'ec') return `EC ${k.curve ?? ''}`.trim();
  return k.type;
}

/** Hash of the signature (`SHA-256`), or undefined when the algorithm is not one WebCrypto knows. */
export function signatureHash(x: X509Certificate | Pkcs10CertificateRequest): { algorithm: string; hash?: string } {
  try {
    // Typed against the DOM `Algorithm`, which this project's lib settings do not include.
    const a = x.signatureAlgorithm as unknown as { name?: string; hash?: { name?: string } };
    return { algorithm: a.name ?? 'unrecognised algorithm', hash: a.hash?.name };
  } catch {
    return { algorithm: 'unrecognised algorithm' };
  }
}

function labels(u: Usages): Pick<Summary, 'keyUsage' | 'extendedKeyUsage'> {
  return {
    keyUsage: (u.keyUsage ?? []).map((n) => KU_LABEL[n]),
    extendedKeyUsage: (u.extendedKeyUsage ?? []).map((n) => EKU_LABEL[n as ExtendedKeyUsageName] ?? n),
  };
}

function describeSignature(x: X509Certificate | Pkcs10CertificateRequest): string {
  const s = signatureHash(x);
  return s.hash ? `${s.hash} with ${s.algorithm}` : s.algorithm;
}

/** Certificates carry whole seconds; drop the ".000" so dates read as openssl prints them. */
export const isoSeconds = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export function summarizeCertificate(cert: X509Certificate): Summary {
  const san = sansOf(cert.extensions);
  return {
    kind: 'certificate',
    subject: cert.subject,
    commonName: commonNameOf(cert),
    sans: [...san.dns.map((d) => `DNS:${d}`), ...san.other],
    ...labels(usagesOf(cert.extensions)),
    key: describeKey(keyInfo(cert.publicKey)),
    signature: describeSignature(cert),
    issuer: cert.issuer,
    notBefore: isoSeconds(cert.notBefore),
    notAfter: isoSeconds(cert.notAfter),
  };
}

export function summarizeCsr(csr: Pkcs10CertificateRequest): Summary {
  const san = sansOf(csr.extensions);
  return {
    kind: 'csr',
    subject: csr.subject,
    commonName: commonNameOf(csr),
    sans: [...san.dns.map((d) => `DNS:${d}`), ...san.other],
    ...labels(usagesOf(csr.extensions)),
    key: describeKey(keyInfo(csr.publicKey)),
    signature: describeSignature(csr),
  };
}
