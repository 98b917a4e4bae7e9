// OpenSSH known_hosts, read and (append-only) write. ssh2 accepts any host key unless
// hostVerifier is set (reliability.md, case 6), so this file decides trust for every connection.
// Format (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"): `[marker] hosts keytype base64 [comment]`,
// hosts comma-separated, `[host]:port` when the port is not 22, or hashed `|1|salt|hmac-sha1`.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { promises as fs, constants as fsc } from 'node:fs';
import path from 'node:path';
import { ExitCode, UserError } from '../../errors.js';
import { BoundedReadError, KNOWN_HOSTS_MAX_BYTES, readBounded } from '../../io/bounded-read.js';

export interface KnownHostEntry {
  /** `@cert-authority` lines are skipped when read (see parseKnownHosts). */
  marker?: '@revoked';
  /** Host patterns as written (hashed entries keep their `|1|…` form). */
  hosts: string[];
  keyType: string;
  /** The key blob (SSH wire format). */
  key: Buffer;
  file: string;
  line: number;
}

export type HostKeyStatus =
  | { status: 'trusted'; fingerprint: string }
  | { status: 'unknown'; fingerprint: string }
  | { status: 'changed'; fingerprint: string; known: string[] }
  | { status: 'revoked'; fingerprint: string };

/** `SHA256:` + unpadded base64 of the key blob, exactly as `ssh-keygen -lf` prints it. */
export function fingerprint(key: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(key).digest('base64').replace(/=+$/, '');
}

/** Key type as written inside the blob (first SSH string). */
export function keyTypeOf(key: Buffer): string {
  if (key.length < 4) return '';
  const n = key.readUInt32BE(0);
  return key.subarray(4, 4 + n).toString('latin1');
}

/** The name a host is known under: `host` for port 22, `[host]:port` otherwise. */
export function hostToken(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/**
 * Host key types this client can check a host against (ssh2 verifies them; sshd(8) lists them).
 * Anything else in known_hosts — a security-key type (`sk-ssh-ed25519@openssh.com`, which is a
 * user key, never a host key), DSA (`ssh-dss`, 1024-bit, removed from OpenSSH), certificates
 * (`*-cert-v01@openssh.com`), a typo — is skipped with a note: one foreign line in
 * `~/.ssh/known_hosts` must not stop a run (issue 12), and a type ssh2 does not support would
 * make ssh2 throw when it is asked for first.
 */
export const HOST_KEY_TYPES: readonly string[] = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'ssh-rsa'];

/** A known_hosts line that is not used, and why; `file:line` names it, its text is never shown. */
export interface SkippedLine {
  file: string;
  line: number;
  reason: string;
}

/** A key type as it may be shown: a file's text is untrusted, so anything odd is not echoed. */
function shownType(t: string): string {
  return /^[\w@.+-]{1,64}$/.test(t) ? `"${t}"` : 'an unreadable key type';
}

/** Why one line cannot be used, or null when it can. */
function lineProblem(marker: string | undefined, keyType: string, b64: string, key: Buffer): string | null {
  if (marker === '@cert-authority') return 'a @cert-authority line (host certificates are not used by collabsec)';
  if (!HOST_KEY_TYPES.includes(keyType)) return `key type ${shownType(keyType)} is not one collabsec checks host keys with`;
  // Buffer.from(…, 'base64') skips what is not base64; only a clean round trip is the written key.
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || key.toString('base64').replace(/=+$/, '') !== b64.replace(/=+$/, '')) return 'the key is not valid base64';
  if (keyTypeOf(key) !== keyType) return `the key inside is not of type ${shownType(keyType)}`;
  return null;
}

/**
 * Reads the lines this client can use; every other non-comment line is pushed to `skipped`
 * (when given) so the caller can say which lines were not used. Never throws on content.
 */
export function parseKnownHosts(text: string, file = '<memory>', skipped?: SkippedLine[]): KnownHostEntry[] {
  const out: KnownHostEntry[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    const marker = fields[0]?.startsWith('@') === true ? fields.shift() : undefined;
    const [hosts, keyType, b64] = fields;
    const skip = (reason: string): void => void skipped?.push({ file, line: i + 1, reason });
    if (marker !== undefined && marker !== '@revoked' && marker !== '@cert-authority') return skip(`unknown marker ${shownType(marker)}`);
    if (hosts === undefined || keyType === undefined || b64 === undefined) return skip('too few fields (hosts, key type, key)');
    const key = Buffer.from(b64, 'base64');
    const problem = lineProblem(marker, keyType, b64, key);
    if (problem !== null) return skip(problem);
    out.push({ ...(marker === '@revoked' ? { marker: '@revoked' as const } : {}), hosts: hosts.split(','), keyType, key, file, line: i + 1 });
  });
  return out;
}

function globToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

/** Does one host pattern (plain, wildcard, or hashed) name `token`? Negations are handled by the caller. */
function patternMatches(pattern: string, token: string): boolean {
  if (pattern.startsWith('|1|')) {
    const [, , salt, hash] = pattern.split('|');
    if (salt === undefined || hash === undefined) return false;
    const mac = createHmac('sha1', Buffer.from(salt, 'base64')).update(token).digest('base64');
    return mac === hash;
  }
  return globToRegExp(pattern).test(token);
}

export function entryMatchesHost(entry: KnownHostEntry, host: string, port: number): boolean {
  const token = hostToken(host, port);
  let hit = false;
  for (const p of entry.hosts) {
    if (p.startsWith('!')) {
      if (patternMatches(p.slice(1), token)) return false;
    } else if (patternMatches(p, token)) hit = true;
  }
  return hit;
}

/** Pure decision: what do these entries say about `key` offered by host:port? */
export function checkHostKey(entries: KnownHostEntry[], host: string, port: number, key: Buffer): HostKeyStatus {
  const fp = fingerprint(key);
  const mine = entries.filter((e) => entryMatchesHost(e, host, port));
  if (mine.some((e) => e.marker === '@revoked' && e.key.equals(key))) return { status: 'revoked', fingerprint: fp };
  const plain = mine.filter((e) => e.marker === undefined);
  if (plain.some((e) => e.key.equals(key))) return { status: 'trusted', fingerprint: fp };
  if (plain.length === 0) return { status: 'unknown', fingerprint: fp };
  // Same host, different key (OpenSSH also refuses when only another key type is known).
  return { status: 'changed', fingerprint: fp, known: [...new Set(plain.map((e) => `${e.keyType} ${fingerprint(e.key)}`))] };
}

/** Key types already known for a host, so the client can ask for those first. */
export function knownKeyTypes(entries: KnownHostEntry[], host: string, port: number): string[] {
  return [...new Set(entries.filter((e) => e.marker === undefined && entryMatchesHost(e, host, port)).map((e) => e.keyType))];
}

export interface KnownHostsStore {
  /** Files read, in order; the first is the collabsec file that accepted keys are appended to. */
  files: string[];
  /** Every usable entry; lines that cannot be used go to `skipped` (see parseKnownHosts). */
  load(skipped?: SkippedLine[]): Promise<KnownHostEntry[]>;
  append(host: string, port: number, key: Buffer): Promise<void>;
}

/** Optionally hash new entries like `HashKnownHosts yes`; off by default so operators can read them. */
export function formatEntry(host: string, port: number, key: Buffer, hashed = false): string {
  let name = hostToken(host, port);
  if (hashed) {
    const salt = randomBytes(20);
    name = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
  }
  return `${name} ${keyTypeOf(key)} ${key.toString('base64')}\n`;
}

export function knownHostsStore(opts: { file: string; alsoRead?: string[]; hashNew?: boolean }): KnownHostsStore {
  const files = [opts.file, ...(opts.alsoRead ?? [])];
  return {
    files,
    async load(skipped) {
      const all: KnownHostEntry[] = [];
      for (const f of files) {
        try {
          // Bounded like every file collabsec reads: a runaway or device file is refused, not slurped.
          const text = (await readBounded(f, { maxBytes: KNOWN_HOSTS_MAX_BYTES })).toString('utf8');
          all.push(...parseKnownHosts(text, f, skipped));
        } catch (e) {
          if (e instanceof BoundedReadError && e.problem === 'missing') continue;
          if (e instanceof BoundedReadError) throw new UserError(`known_hosts file ${e.message}`, 'Point --known-hosts at the real file, or move this one aside; nothing was connected.', ExitCode.failure);
          throw e;
        }
      }
      return all;
    },
    async append(host, port, key) {
      // Created 0600 from the first byte (reliability.md case 10): mode on open, then chmod in
      // case the file pre-existed with wider permissions.
      await fs.mkdir(path.dirname(opts.file), { recursive: true, mode: 0o700 });
      const fh = await fs.open(opts.file, fsc.O_WRONLY | fsc.O_APPEND | fsc.O_CREAT, 0o600);
      try {
        await fh.chmod(0o600);
        await fh.appendFile(formatEntry(host, port, key, opts.hashNew));
        await fh.sync();
      } finally {
        await fh.close();
      }
    },
  };
}
