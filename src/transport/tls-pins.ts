// Trust on first use for HTTPS peers (AXL now, the TLS probe later), the TLS counterpart of the
// SSH known_hosts store (ssh/known-hosts.ts). Before S008 a Unified CM tomcat certificate is
// self-signed, so there is no CA to verify against; rather than ever turning verification off,
// the leaf certificate's SHA-256 is pinned: unknown → the operator is shown the fingerprint and
// asked, changed → the run stops showing both (automation.md, AXL row).
// File format, one pin a line, append-only, 0600: `host:port sha256:<64 lowercase hex>`
// (`[addr]:port` for an IPv6 address); `#` starts a comment. Several pins for one host:port are
// all trusted (a certificate renewed on purpose is accepted by the operator and appended).
import { createHash } from 'node:crypto';
import { promises as fs, constants as fsc } from 'node:fs';
import { isIPv6 } from 'node:net';
import path from 'node:path';
import { ExitCode, UserError } from '../errors.js';
import { BoundedReadError, TLS_PINS_MAX_BYTES, readBounded } from '../io/bounded-read.js';

export interface TlsPin {
  host: string;
  port: number;
  /** `sha256:<hex>` of the DER leaf certificate. */
  sha256: string;
  file: string;
  line: number;
}

export type PinStatus =
  | { status: 'trusted'; sha256: string }
  | { status: 'unknown'; sha256: string }
  | { status: 'changed'; sha256: string; known: string[] };

/** A pin line that is not used, and why (its text is never echoed: the file is untrusted input). */
export interface SkippedPin {
  file: string;
  line: number;
  reason: string;
}

/** `sha256:<hex>` of a DER certificate. */
export function pinOf(der: Uint8Array): string {
  return 'sha256:' + createHash('sha256').update(der).digest('hex');
}

/** The pin for a fingerprint as the TLS probe prints it (`AA:BB:…`, tls-probe.ts fingerprint()). */
export function pinFromColonHex(fp: string): string {
  return 'sha256:' + fp.replace(/:/g, '').toLowerCase();
}

/** `AA:BB:…`, as the operator sees certificate fingerprints in the VOS GUI and openssl. */
export function colonHex(pin: string): string {
  return pin.replace(/^sha256:/, '').toUpperCase().match(/.{2}/g)?.join(':') ?? pin;
}

export function pinHostToken(host: string, port: number): string {
  return isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`;
}

const PIN = /^sha256:[0-9a-f]{64}$/;

export function parseTlsPins(text: string, file = '<memory>', skipped?: SkippedPin[]): TlsPin[] {
  const out: TlsPin[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const skip = (reason: string): void => void skipped?.push({ file, line: i + 1, reason });
    const [where, pin, extra] = line.split(/\s+/);
    if (where === undefined || pin === undefined || extra !== undefined) return skip('expected two fields: host:port sha256:<hex>');
    const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^\s:[\]]+)):(\d{1,5})$/.exec(where);
    const port = Number(m?.[3]);
    if (!m || port < 1 || port > 65535) return skip('the first field is not host:port');
    if (!PIN.test(pin)) return skip('the second field is not sha256: and 64 lowercase hex digits');
    out.push({ host: (m[1] ?? m[2]!).toLowerCase(), port, sha256: pin, file, line: i + 1 });
  });
  return out;
}

/** Pure decision: what do these pins say about `sha256` presented by host:port? */
export function checkPin(pins: TlsPin[], host: string, port: number, sha256: string): PinStatus {
  const mine = pins.filter((p) => p.host === host.toLowerCase() && p.port === port);
  if (mine.some((p) => p.sha256 === sha256)) return { status: 'trusted', sha256 };
  if (mine.length === 0) return { status: 'unknown', sha256 };
  return { status: 'changed', sha256, known: [...new Set(mine.map((p) => p.sha256))] };
}

export interface TlsPinStore {
  file: string;
  load(skipped?: SkippedPin[]): Promise<TlsPin[]>;
  append(host: string, port: number, sha256: string): Promise<void>;
}

export function formatPin(host: string, port: number, sha256: string): string {
  if (!PIN.test(sha256)) throw new Error(`not a pin: ${sha256.slice(0, 80)}`);
  return `${pinHostToken(host.toLowerCase(), port)} ${sha256}\n`;
}

export function tlsPinStore(opts: { file: string }): TlsPinStore {
  return {
    file: opts.file,
    async load(skipped) {
      try {
        const text = (await readBounded(opts.file, { maxBytes: TLS_PINS_MAX_BYTES })).toString('utf8');
        return parseTlsPins(text, opts.file, skipped);
      } catch (e) {
        if (e instanceof BoundedReadError && e.problem === 'missing') return [];
        if (e instanceof BoundedReadError) throw new UserError(`TLS pin file ${e.message}`, 'Point --tls-pins at the real file, or move this one aside; nothing was connected.', ExitCode.failure);
        throw e;
      }
    },
    async append(host, port, sha256) {
      // Same discipline as known_hosts (reliability.md case 10): 0600 from the first byte, chmod
      // in case the file pre-existed wider, append only, synced before the pin is relied on.
      const line = formatPin(host, port, sha256);
      await fs.mkdir(path.dirname(opts.file), { recursive: true, mode: 0o700 });
      const fh = await fs.open(opts.file, fsc.O_WRONLY | fsc.O_APPEND | fsc.O_CREAT, 0o600);
      try {
        await fh.chmod(0o600);
        await fh.appendFile(line);
        await fh.sync();
      } finally {
        await fh.close();
      }
    },
  };
}

/** The presented certificate differs from every pin for host:port: the run stops, both shown. */
export class TlsPinChanged extends UserError {
  constructor(
    readonly node: string,
    readonly address: string,
    readonly presented: string,
    readonly known: string[],
  ) {
    super(
      `${node}: the TLS certificate of ${address} changed: presented ${presented}, pinned ${known.join(', ')}`,
      'if the certificate was replaced on purpose (a CA-signed tomcat certificate, S008), check its fingerprint on the node (show cert own tomcat) and add the new pin to the pin file; otherwise do not continue',
    );
    this.name = 'TlsPinChanged';
  }
}

/** An unknown certificate the operator did not accept (or there was no one to ask). */
export class TlsPinRejected extends UserError {
  constructor(
    readonly node: string,
    readonly address: string,
    readonly presented: string,
    asked: boolean,
  ) {
    super(
      `${node}: the TLS certificate of ${address} (${presented}) is not pinned${asked ? ' and was not accepted' : ' and there is no one to ask'}`,
      'compare the fingerprint with the node (show cert own tomcat) and accept it, or add it to the pin file',
    );
    this.name = 'TlsPinRejected';
  }
}
