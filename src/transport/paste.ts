// A file pasted into a device is parsed, never copied byte for byte: it must be exactly one
// X.509 certificate (or, where the dialogue entry declares a chain, an ordered chain of them),
// and what is typed is re-encoded from the DER (base64, 64-character lines, BEGIN/END
// CERTIFICATE armour). Anything around or between the PEM blocks (a CA file with `quit`, `yes`
// or a `username … privilege 15` line appended), a private key, a CSR, DER that is not a
// certificate or an oversize file is refused with one line naming the file, before any line of
// the action is sent.
import { createHash, X509Certificate } from 'node:crypto';
import { BoundedReadError, readBounded } from '../io/bounded-read.js';
import type { DialogueEntry } from '../plan/types.js';

/** Largest file accepted for a paste: a certificate is a few KiB, a long chain some tens. */
export const MAX_PASTE_BYTES = 256 * 1024;

export interface PastedCert {
  der: Buffer;
  subject: string;
  /** Upper-case hex without separators. */
  md5: string;
  sha1: string;
}

export interface PasteContent {
  certs: PastedCert[];
  /** Exactly the lines to type: each certificate re-encoded from its DER. */
  lines: string[];
}

/** Refusal of a paste file; the message is one line and names the file. */
export class PasteFileError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`paste file ${file}: ${reason}`);
    this.name = 'PasteFileError';
  }
}

/** Why a paste body is refused (pure part; the caller adds the file name). */
export class PasteRefused extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'PasteRefused';
  }
}

/**
 * A dialogue entry takes a chain only when it says so: its label names a chain ("CA chain",
 * "certificate chain"). Otherwise exactly one certificate: cli-facts §1.3 (one certificate per
 * `set cert import`, multi-certificate pastes unknown) and §2.3/§2.5 (one CA certificate per
 * `crypto pki authenticate`, one identity certificate per `crypto pki import`).
 */
export function declaresChain(entry: Pick<DialogueEntry, 'label'>): boolean {
  return /\bchain\b/i.test(entry.label ?? '');
}

/** The name a refusal uses for an entry's file: its path, or its label for a run-time file. */
export function pasteName(entry: Pick<DialogueEntry, 'paste' | 'label' | 'expect'>): string {
  return entry.paste ?? `"${entry.label ?? entry.expect}" (chosen at run time)`;
}

const PEM_KIND: Record<string, string> = {
  'CERTIFICATE REQUEST': 'a certificate signing request (CSR)',
  'NEW CERTIFICATE REQUEST': 'a certificate signing request (CSR)',
  'PRIVATE KEY': 'a private key',
  'RSA PRIVATE KEY': 'a private key',
  'EC PRIVATE KEY': 'a private key',
  'DSA PRIVATE KEY': 'a private key',
  'ENCRYPTED PRIVATE KEY': 'an encrypted private key',
  'OPENSSH PRIVATE KEY': 'a private key',
  'PUBLIC KEY': 'a public key',
  'RSA PUBLIC KEY': 'a public key',
  PKCS7: 'a PKCS#7 bundle',
  'X509 CRL': 'a certificate revocation list',
  'TRUSTED CERTIFICATE': 'an OpenSSL "TRUSTED CERTIFICATE" (certificate plus trust settings)',
};

function excerpt(text: string): string {
  const t = text.trim();
  const first = t.split(/\r\n|\r|\n/)[0] ?? '';
  return JSON.stringify(first.length > 40 ? `${first.slice(0, 40)}…` : first);
}

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split(/\r\n|\r|\n/).length;
}

function certOf(der: Buffer, where: string): PastedCert {
  let x: X509Certificate;
  try {
    x = new X509Certificate(der);
  } catch {
    throw new PasteRefused(`${where} is not an X.509 certificate (its DER does not parse)`);
  }
  // OpenSSL stops at the end of the certificate: bytes after it would otherwise pass unseen.
  if (!x.raw.equals(der)) throw new PasteRefused(`${where} has bytes after the certificate's DER (or is not DER)`);
  return {
    der,
    subject: x.subject.replace(/\n/g, ', '),
    md5: createHash('md5').update(der).digest('hex').toUpperCase(),
    sha1: createHash('sha1').update(der).digest('hex').toUpperCase(),
  };
}

/** PEM armour from DER: base64 in 64-character lines between BEGIN/END CERTIFICATE. */
export function pemLines(der: Buffer): string[] {
  const b64 = der.toString('base64');
  const body: string[] = [];
  for (let i = 0; i < b64.length; i += 64) body.push(b64.slice(i, i + 64));
  return ['-----BEGIN CERTIFICATE-----', ...body, '-----END CERTIFICATE-----'];
}

function decodeText(bytes: Uint8Array): string {
  // PEM is ASCII; a UTF-8 byte-order mark at the start (some Windows editors) is tolerated.
  let start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const out: string[] = [];
  for (; start < bytes.length; start++) {
    const b = bytes[start]!;
    if (b > 0x7e || (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d)) throw new PasteRefused(`holds a byte that is not PEM text (0x${b.toString(16).padStart(2, '0')} at offset ${start})`);
    out.push(String.fromCharCode(b));
  }
  return out.join('');
}

/**
 * Parses a paste file's content (text or raw bytes) into certificates and the lines to type.
 * Pure; throws PasteRefused with the reason.
 */
export function parsePaste(input: string | Uint8Array, opts: { chain?: boolean } = {}): PasteContent {
  const size = typeof input === 'string' ? Buffer.byteLength(input) : input.length;
  if (size > MAX_PASTE_BYTES) throw new PasteRefused(`is ${size} bytes, more than the ${MAX_PASTE_BYTES / 1024} KiB a certificate file can be`);
  let certs: PastedCert[];
  if (typeof input !== 'string' && input[0] === 0x30) {
    // A binary DER certificate (CUCM takes PEM or DER, cli-facts §1.3): re-armoured here.
    certs = [certOf(Buffer.from(input), 'the DER file')];
  } else {
    const text = typeof input === 'string' ? decodeText(Buffer.from(input.replace(/^\uFEFF/, ''), 'utf8')) : decodeText(input);
    certs = pemCerts(text);
  }
  if (certs.length === 0) throw new PasteRefused('holds no certificate');
  if (certs.length > 1 && opts.chain !== true) throw new PasteRefused(`holds ${certs.length} certificates; exactly one is pasted here (a chain only where the step declares one)`);
  for (let i = 0; i + 1 < certs.length; i++) {
    const [a, b] = [new X509Certificate(certs[i]!.der), new X509Certificate(certs[i + 1]!.der)];
    if (!a.checkIssued(b)) throw new PasteRefused(`certificate ${i + 2} (${certs[i + 1]!.subject}) did not issue certificate ${i + 1} (${certs[i]!.subject}): a chain goes from the leaf up to the root`);
  }
  return { certs, lines: certs.flatMap((c) => pemLines(c.der)) };
}

function pemCerts(text: string): PastedCert[] {
  const re = /-----BEGIN ([^-\r\n]*)-----([\s\S]*?)-----END ([^-\r\n]*)-----/g;
  const certs: PastedCert[] = [];
  let last = 0;
  const outside = (from: number, to: number): void => {
    const gap = text.slice(from, to);
    if (/[^ \t\r\n]/.test(gap)) {
      if (/-----BEGIN [^-\r\n]*-----/.test(gap)) throw new PasteRefused(`a PEM block without its END line at line ${lineOf(text, from + gap.indexOf('-----BEGIN'))}`);
      const at = from + gap.search(/[^ \t\r\n]/);
      throw new PasteRefused(`text outside the certificate's PEM armour at line ${lineOf(text, at)} (${excerpt(text.slice(at))}); only the certificate is pasted`);
    }
  };
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    outside(last, m.index);
    last = m.index + m[0].length;
    const [begin, body, end] = [m[1]!, m[2]!, m[3]!];
    const n = certs.length + 1;
    if (begin !== end) throw new PasteRefused(`PEM block ${n} begins as "${begin}" but ends as "${end}"`);
    if (begin !== 'CERTIFICATE') throw new PasteRefused(`holds ${PEM_KIND[begin] ?? `a "${begin}" PEM block`}, not a certificate`);
    if (body.includes(':')) throw new PasteRefused(`PEM block ${n} carries headers; a certificate has none`);
    const b64 = body.replace(/[ \t\r\n]/g, '');
    if (b64 === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || b64.length % 4 !== 0) throw new PasteRefused(`PEM block ${n} is not valid base64`);
    const der = Buffer.from(b64, 'base64');
    if (der.toString('base64') !== b64) throw new PasteRefused(`PEM block ${n} is not canonical base64`);
    certs.push(certOf(der, `PEM block ${n}`));
  }
  outside(last, text.length);
  return certs;
}

/**
 * Reads and parses a paste file. The read is bounded (src/io: a regular file only, checked before
 * and after opening, at most MAX_PASTE_BYTES read whatever the size the stat gave). Throws
 * PasteFileError.
 */
export async function readPasteFile(file: string, opts: { chain?: boolean; name?: string } = {}): Promise<PasteContent> {
  const name = opts.name ?? file;
  let bytes: Buffer;
  try {
    bytes = await readBounded(file, { maxBytes: MAX_PASTE_BYTES });
  } catch (e) {
    if (e instanceof BoundedReadError) throw new PasteFileError(name, e.problem === 'missing' ? 'not found' : e.reason);
    throw new PasteFileError(name, `cannot be read (${e instanceof Error ? e.message : String(e)})`);
  }
  return parseNamed(name, bytes, opts.chain);
}

/** parsePaste with the refusal turned into a PasteFileError naming `name`. */
export function parseNamed(name: string, input: string | Uint8Array, chain?: boolean): PasteContent {
  try {
    return parsePaste(input, { chain: chain === true });
  } catch (e) {
    if (e instanceof PasteRefused) throw new PasteFileError(name, e.message);
    throw e;
  }
}
