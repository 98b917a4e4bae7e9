// Bounded reading of the files an operator points collabsec at (the inventory and every file it
// names). A path may be anything: /dev/zero never ends, a FIFO blocks on open, /proc files stat
// as regular with size 0, a 10 GB file exhausts memory. So: stat before opening and refuse
// anything but a regular file; open with O_NONBLOCK (a FIFO swapped in after the stat cannot
// block) and check the descriptor again; then read at most `maxBytes`, counting the bytes
// actually read rather than trusting the size the stat gave. No layer rules: pure Node.
import { constants, closeSync, fstatSync, openSync, readSync, statSync, statfsSync, type Stats } from 'node:fs';
import { open, stat, statfs } from 'node:fs/promises';

/** The inventory YAML: a large deployment is a few tens of KiB. */
export const INVENTORY_MAX_BYTES = 1024 * 1024;
/**
 * A certificate, CSR, chain or CA bundle (PEM or DER). The system bundle of every public root
 * (/etc/ssl/certs/ca-certificates.crt) is about 215 KiB.
 */
export const CERT_FILE_MAX_BYTES = 512 * 1024;
/**
 * A session file (JSON journal). The whole example plan with every step's history and per-node
 * records is ~100 KiB; a bulk LSC rollout to thousands of phones adds records per phone. 64 MiB
 * leaves room for that and still refuses a runaway file before JSON.parse holds it twice in memory.
 */
export const SESSION_MAX_BYTES = 64 * 1024 * 1024;
/**
 * An OpenSSH known_hosts file (ours or ~/.ssh/known_hosts): a few hundred bytes per host, so
 * 16 MiB is tens of thousands of hosts.
 */
export const KNOWN_HOSTS_MAX_BYTES = 16 * 1024 * 1024;
/** collabsec's TLS pin file: one short line per host and port. */
export const TLS_PINS_MAX_BYTES = 4 * 1024 * 1024;
/** A lock file: one owner record. */
export const LOCK_MAX_BYTES = 64 * 1024;

export type BoundedReadProblem = 'missing' | 'denied' | 'not-regular' | 'pseudo-file' | 'too-large' | 'unreadable' | 'not-utf8';

export class BoundedReadError extends Error {
  constructor(
    readonly file: string,
    readonly problem: BoundedReadProblem,
    /** Why, without the file name: "is a character device, not a regular file". */
    readonly reason: string,
    /** 1-based line of the problem, when it has one (bytes that are not UTF-8). */
    readonly line?: number,
  ) {
    super(`${file} ${reason}`);
    this.name = 'BoundedReadError';
  }
}

export interface BoundedReadOptions {
  /** Refuse the file when it holds more than this many bytes. */
  maxBytes: number;
}

// statfs f_type of Linux pseudo file systems whose "regular" files are generated on read.
const PSEUDO_FS = new Set([
  0x9fa0, // proc
  0x62656572, // sysfs
  0x64626720, // debugfs
  0x74726163, // tracefs
  0x73636673, // securityfs
  0xcafe4a11, // bpf
  0x27e0eb, // cgroup
  0x63677270, // cgroup2
]);

function kindOf(s: Stats): string {
  if (s.isDirectory()) return 'a folder';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  if (s.isFIFO()) return 'a FIFO (named pipe)';
  if (s.isSocket()) return 'a socket';
  return 'not a regular file';
}

function sizeText(n: number): string {
  return n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MiB` : `${Math.ceil(n / 1024)} KiB`;
}

function errnoProblem(file: string, e: unknown): BoundedReadError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new BoundedReadError(file, 'missing', 'does not exist');
  if (code === 'ENOTDIR') return new BoundedReadError(file, 'missing', 'does not exist (a part of the path is not a folder)');
  if (code === 'EACCES' || code === 'EPERM') return new BoundedReadError(file, 'denied', 'cannot be read (permission denied)');
  if (code === 'ELOOP') return new BoundedReadError(file, 'unreadable', 'cannot be read (too many symbolic links)');
  return new BoundedReadError(file, 'unreadable', `cannot be read (${code ?? String(e)})`);
}

function checkStat(file: string, s: Stats, maxBytes: number): void {
  if (!s.isFile()) throw new BoundedReadError(file, 'not-regular', `is ${kindOf(s)}, not a regular file`);
  if (s.size > maxBytes) throw tooLarge(file, maxBytes, s.size);
}

function tooLarge(file: string, maxBytes: number, size?: number): BoundedReadError {
  const got = size === undefined ? `more than ${sizeText(maxBytes)}` : sizeText(size);
  return new BoundedReadError(file, 'too-large', `is too large (${got}; at most ${sizeText(maxBytes)} is read)`);
}

function pseudo(file: string): BoundedReadError {
  return new BoundedReadError(file, 'pseudo-file', 'is a kernel pseudo-file (/proc, /sys), not a regular file');
}

/**
 * Checks, without opening it, that `file` is a regular file of at most `maxBytes` bytes (not a
 * device, FIFO, folder, socket or /proc file). Throws BoundedReadError like readBoundedSync; a
 * missing file is problem "missing", which a caller may accept (a file made later).
 */
export function checkBoundedFile(file: string, opts: BoundedReadOptions): void {
  statChecked(file, opts.maxBytes);
}

function statChecked(file: string, maxBytes: number): Stats {
  let s: Stats;
  try {
    s = statSync(file);
  } catch (e) {
    throw errnoProblem(file, e);
  }
  checkStat(file, s, maxBytes);
  if (isPseudoSync(file)) throw pseudo(file);
  return s;
}

/**
 * The buffer of one bounded read: room for the next read, grown when full; a read that would go
 * past the cap is refused (a /proc-style file can report size 0 and still give bytes).
 */
class Filling {
  #bytes: Buffer;
  #n = 0;
  constructor(
    private readonly file: string,
    private readonly maxBytes: number,
    size: number,
  ) {
    this.#bytes = Buffer.allocUnsafe(Math.min(maxBytes, size) + 1);
  }

  /** Buffer, offset and length for the next read. */
  room(): [Buffer, number, number] {
    if (this.#n === this.#bytes.length) {
      if (this.#n > this.maxBytes) throw tooLarge(this.file, this.maxBytes);
      const grown = Buffer.allocUnsafe(Math.min(this.maxBytes + 1, Math.max(2 * this.#bytes.length, 64 * 1024)));
      this.#bytes.copy(grown, 0, 0, this.#n);
      this.#bytes = grown;
    }
    return [this.#bytes, this.#n, this.#bytes.length - this.#n];
  }

  /** Records `got` bytes read; false at the end of the file. */
  add(got: number): boolean {
    this.#n += got;
    return got > 0;
  }

  done(): Buffer {
    if (this.#n > this.maxBytes) throw tooLarge(this.file, this.maxBytes);
    return Buffer.from(this.#bytes.subarray(0, this.#n));
  }
}

const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

/**
 * Reads a regular file of at most `maxBytes` bytes. Throws BoundedReadError (message: the file
 * and why, one line) for a missing or unreadable path, anything but a regular file (folder,
 * device, FIFO, socket, /proc or /sys file) and a file larger than the cap.
 */
export function readBoundedSync(file: string, opts: BoundedReadOptions): Buffer {
  const s = statChecked(file, opts.maxBytes);
  let fd: number;
  try {
    fd = openSync(file, OPEN_FLAGS);
  } catch (e) {
    throw errnoProblem(file, e);
  }
  try {
    checkStat(file, fstatSync(fd), opts.maxBytes);
    const buf = new Filling(file, opts.maxBytes, s.size);
    for (;;) {
      let got: number;
      try {
        got = readSync(fd, ...buf.room(), null);
      } catch (e) {
        throw errnoProblem(file, e);
      }
      if (!buf.add(got)) return buf.done();
    }
  } finally {
    closeSync(fd);
  }
}

/** The same as readBoundedSync, without blocking the event loop. */
export async function readBounded(file: string, opts: BoundedReadOptions): Promise<Buffer> {
  let s: Stats;
  try {
    s = await stat(file);
  } catch (e) {
    throw errnoProblem(file, e);
  }
  checkStat(file, s, opts.maxBytes);
  if (await isPseudo(file)) throw pseudo(file);
  let fh;
  try {
    fh = await open(file, OPEN_FLAGS);
  } catch (e) {
    throw errnoProblem(file, e);
  }
  try {
    checkStat(file, await fh.stat(), opts.maxBytes);
    const buf = new Filling(file, opts.maxBytes, s.size);
    for (;;) {
      let got: number;
      try {
        ({ bytesRead: got } = await fh.read(...buf.room(), null));
      } catch (e) {
        throw errnoProblem(file, e);
      }
      if (!buf.add(got)) return buf.done();
    }
  } finally {
    await fh.close();
  }
}

function isPseudoSync(file: string): boolean {
  try {
    return PSEUDO_FS.has(statfsSync(file).type);
  } catch {
    return false;
  }
}

async function isPseudo(file: string): Promise<boolean> {
  try {
    return PSEUDO_FS.has((await statfs(file)).type);
  } catch {
    return false;
  }
}

/**
 * Decodes UTF-8 strictly. Throws a BoundedReadError naming the first line holding bytes that are
 * not UTF-8 (an inventory saved as Latin-1 or UTF-16, say). A leading byte-order mark is dropped.
 */
export function decodeUtf8(file: string, bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    let line = 1;
    let start = 0;
    for (let i = 0; i <= bytes.length; i++) {
      if (i === bytes.length || bytes[i] === 0x0a) {
        try {
          decoder.decode(bytes.subarray(start, i));
        } catch {
          throw new BoundedReadError(file, 'not-utf8', `has bytes that are not UTF-8 on line ${line} (save it as UTF-8)`, line);
        }
        line++;
        start = i + 1;
      }
    }
    throw new BoundedReadError(file, 'not-utf8', 'has bytes that are not UTF-8 (save it as UTF-8)');
  }
}
