// Reads a file the operator points at and says what it holds. Everything that can go wrong here
// (wrong file, wrong format, a key instead of a certificate) becomes a CertFileError whose message
// names the file and its content, so the command prints one line instead of a stack trace.
// @peculiar/x509 (1.14) imports reflect-metadata itself (its tsyringe container needs it), so no
// polyfill import is needed here; it uses Node's global WebCrypto by default.
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { PemConverter, Pkcs10CertificateRequest, X509Certificate, X509Certificates, X509Crl } from '@peculiar/x509';
import { BoundedReadError, CERT_FILE_MAX_BYTES, readBounded, type BoundedReadProblem } from '../../io/bounded-read.js';
import type { FileKind } from './types.js';

export class CertFileError extends Error {
  constructor(
    readonly file: string,
    readonly kind: FileKind | 'unreadable',
    message: string,
    /** Why an unreadable file could not be read ("missing": it does not exist). */
    readonly problem?: BoundedReadProblem,
  ) {
    super(message);
    this.name = 'CertFileError';
  }
}

export type Loaded =
  | { kind: 'certificate'; file: string; encoding: 'pem' | 'der'; certs: [X509Certificate] }
  | { kind: 'chain'; file: string; encoding: 'pem'; certs: X509Certificate[] }
  | { kind: 'pkcs7'; file: string; encoding: 'pem' | 'der'; certs: X509Certificate[] }
  | { kind: 'csr'; file: string; encoding: 'pem' | 'der'; csr: Pkcs10CertificateRequest }
  | { kind: Exclude<FileKind, 'certificate' | 'chain' | 'pkcs7' | 'csr'>; file: string; encoding: 'pem' | 'der' | 'none' };

export const KIND_LABEL: Record<FileKind, string> = {
  certificate: 'an X.509 certificate',
  undecodable: 'an X.509 certificate or CSR with an extension collabsec cannot decode',
  chain: 'a chain of X.509 certificates',
  csr: 'a certificate signing request (CSR)',
  'private-key': 'a private key',
  'encrypted-private-key': 'an encrypted private key',
  'public-key': 'a bare public key',
  pkcs7: 'a PKCS#7 bundle',
  pkcs12: 'a PKCS#12 (.p12/.pfx) bundle',
  crl: 'a certificate revocation list',
  empty: 'nothing (the file is empty)',
  unknown: 'neither PEM nor DER certificate data',
};

const PEM_KINDS: Record<string, FileKind> = {
  CERTIFICATE: 'certificate',
  'X509 CERTIFICATE': 'certificate',
  'TRUSTED CERTIFICATE': 'certificate',
  'CERTIFICATE REQUEST': 'csr',
  'NEW CERTIFICATE REQUEST': 'csr',
  'PRIVATE KEY': 'private-key',
  'RSA PRIVATE KEY': 'private-key',
  'EC PRIVATE KEY': 'private-key',
  'DSA PRIVATE KEY': 'private-key',
  'ENCRYPTED PRIVATE KEY': 'encrypted-private-key',
  'PUBLIC KEY': 'public-key',
  'RSA PUBLIC KEY': 'public-key',
  PKCS7: 'pkcs7',
  'PKCS #7 SIGNED DATA': 'pkcs7',
  CMS: 'pkcs7',
  'X509 CRL': 'crl',
};

/**
 * @peculiar/x509 decodes extensions lazily and throws on the first it cannot read (an X.400
 * address in a SAN, say), then caches an empty list. Probe once here, so such a file is named
 * for what it is instead of failing later or, worse, looking extension-free.
 */
function decodable(x: { extensions: unknown }): boolean {
  try {
    void x.extensions;
    return true;
  } catch {
    return false;
  }
}

/** Classifies bytes; never throws. `file` is only used as the label in results. */
export function classify(file: string, bytes: Uint8Array): Loaded {
  if (bytes.length === 0 || bytes.every((b) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09)) {
    return { kind: 'empty', file, encoding: 'none' };
  }
  const text = Buffer.from(bytes).toString('latin1');
  if (text.includes('-----BEGIN ')) return classifyPem(file, text);
  return classifyDer(file, bytes);
}

function classifyPem(file: string, text: string): Loaded {
  let blocks;
  try {
    blocks = PemConverter.decodeWithHeaders(text);
  } catch {
    return { kind: 'unknown', file, encoding: 'pem' };
  }
  if (blocks.length === 0) return { kind: 'unknown', file, encoding: 'pem' };
  const kinds = blocks.map((b) => PEM_KINDS[b.type.toUpperCase()] ?? 'unknown');
  const first = kinds[0] ?? 'unknown';
  // A bundle mixing a key with certificates is still "a private key" to the operator: the key is
  // the dangerous part and must not be pasted as a certificate.
  if (kinds.includes('private-key')) return { kind: 'private-key', file, encoding: 'pem' };
  if (kinds.includes('encrypted-private-key')) return { kind: 'encrypted-private-key', file, encoding: 'pem' };
  try {
    if (kinds.every((k) => k === 'certificate')) {
      const certs = blocks.map((b) => new X509Certificate(b.rawData));
      if (!certs.every(decodable)) return { kind: 'undecodable', file, encoding: 'pem' };
      const [one] = certs;
      if (certs.length === 1 && one) return { kind: 'certificate', file, encoding: 'pem', certs: [one] };
      return { kind: 'chain', file, encoding: 'pem', certs };
    }
    if (first === 'csr' && blocks[0]) {
      const csr = new Pkcs10CertificateRequest(blocks[0].rawData);
      return decodable(csr) ? { kind: 'csr', file, encoding: 'pem', csr } : { kind: 'undecodable', file, encoding: 'pem' };
    }
    if (first === 'pkcs7' && blocks[0]) {
      const certs = [...new X509Certificates(blocks[0].rawData)];
      return certs.every(decodable) ? { kind: 'pkcs7', file, encoding: 'pem', certs } : { kind: 'undecodable', file, encoding: 'pem' };
    }
  } catch {
    return { kind: 'unknown', file, encoding: 'pem' };
  }
  if (first === 'public-key' || first === 'crl') return { kind: first, file, encoding: 'pem' };
  return { kind: 'unknown', file, encoding: 'pem' };
}

/** DER has no label, so try each structure in turn; the first that parses wins. */
function classifyDer(file: string, bytes: Uint8Array): Loaded {
  // Every DER structure we accept is a SEQUENCE; anything else is garbage (and saves the parsers).
  if (bytes[0] !== 0x30) return { kind: 'unknown', file, encoding: 'none' };
  const der = Buffer.from(bytes);
  const raw = der.buffer.slice(der.byteOffset, der.byteOffset + der.byteLength);
  try {
    const cert = new X509Certificate(raw);
    return decodable(cert) ? { kind: 'certificate', file, encoding: 'der', certs: [cert] } : { kind: 'undecodable', file, encoding: 'der' };
  } catch {
    /* not a certificate; try the next structure */
  }
  try {
    const csr = new Pkcs10CertificateRequest(raw);
    return decodable(csr) ? { kind: 'csr', file, encoding: 'der', csr } : { kind: 'undecodable', file, encoding: 'der' };
  } catch {
    /* next */
  }
  try {
    const certs = [...new X509Certificates(raw)];
    return certs.every(decodable) ? { kind: 'pkcs7', file, encoding: 'der', certs } : { kind: 'undecodable', file, encoding: 'der' };
  } catch {
    /* next */
  }
  for (const type of ['pkcs8', 'pkcs1', 'sec1'] as const) {
    try {
      createPrivateKey({ key: der, format: 'der', type });
      return { kind: 'private-key', file, encoding: 'der' };
    } catch {
      /* next */
    }
  }
  try {
    createPublicKey({ key: der, format: 'der', type: 'spki' });
    return { kind: 'public-key', file, encoding: 'der' };
  } catch {
    /* next */
  }
  try {
    new X509Crl(raw);
    return { kind: 'crl', file, encoding: 'der' };
  } catch {
    /* next */
  }
  // PFX: SEQUENCE { INTEGER 3, ContentInfo … }. Checking the version is enough to name it; we never
  // open one (it needs the password and holds a key).
  if (looksLikePfx(bytes)) return { kind: 'pkcs12', file, encoding: 'der' };
  return { kind: 'unknown', file, encoding: 'der' };
}

function looksLikePfx(b: Uint8Array): boolean {
  // Skip the outer SEQUENCE header (short or long length form), then expect INTEGER 3.
  const len0 = b[1];
  if (len0 === undefined) return false;
  const off = len0 < 0x80 ? 2 : 2 + (len0 & 0x7f);
  return b[off] === 0x02 && b[off + 1] === 0x01 && b[off + 2] === 0x03;
}

/**
 * Reads and classifies a certificate-type file: a regular file of at most CERT_FILE_MAX_BYTES
 * (no device, FIFO, folder or /proc path); anything else is a one-line CertFileError.
 */
export async function loadFile(path: string): Promise<Loaded> {
  let bytes: Buffer;
  try {
    bytes = await readBounded(path, { maxBytes: CERT_FILE_MAX_BYTES });
  } catch (e) {
    if (e instanceof BoundedReadError) throw new CertFileError(path, 'unreadable', e.message, e.problem);
    throw e;
  }
  return classify(path, bytes);
}

function describe(l: Loaded): string {
  return `${l.file} holds ${KIND_LABEL[l.kind]}`;
}

/** The leaf certificate, optionally followed by its chain (a PEM file with leaf + CAs). */
export function expectCertificate(l: Loaded): X509Certificate[] {
  if (l.kind === 'certificate' || l.kind === 'chain') return l.certs;
  if (l.kind === 'pkcs7') {
    throw new CertFileError(l.file, l.kind, `${describe(l)} with ${l.certs.length} certificate(s), not a single certificate; export the server certificate as PEM (Base-64) or DER`);
  }
  throw new CertFileError(l.file, l.kind, `${describe(l)}, not a certificate` + hint(l));
}

export function expectCsr(l: Loaded): Pkcs10CertificateRequest {
  if (l.kind === 'csr') return l.csr;
  throw new CertFileError(l.file, l.kind, `${describe(l)}, not a certificate signing request` + hint(l));
}

/** Chain files: one or more CA certificates, PEM, DER or PKCS#7 (a CA often hands out .p7b). */
export function expectChain(l: Loaded): X509Certificate[] {
  if (l.kind === 'certificate' || l.kind === 'chain' || l.kind === 'pkcs7') return l.certs;
  throw new CertFileError(l.file, l.kind, `${describe(l)}, not CA certificates` + hint(l));
}

function hint(l: Loaded): string {
  switch (l.kind) {
    case 'private-key':
    case 'encrypted-private-key':
      return '; keep the key private and point at the certificate the CA returned';
    case 'pkcs12':
      return '; it bundles the key with the certificate, give the certificate alone';
    case 'undecodable':
      return '; ask the CA to issue it without that extension (only DNS names and IP addresses belong in the SAN)';
    case 'unknown':
      return ' (expected a PEM "-----BEGIN CERTIFICATE-----" block or DER)';
    default:
      return '';
  }
}
