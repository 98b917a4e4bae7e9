// OpenSSH known_hosts, read and (append-only) write. ssh2 accepts any host key unless
// hostVerifier is set (reliability.md, case 6), so this file decides trust for every connection.
// Format (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"): `[marker] hosts keytype base64 [comment]`,
// hosts comma-separated, `[host]:port` when the port is not 22, or hashed `|1|salt|hmac-sha1`.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { promises as fs, constants as fsc } from 'node:fs';
import path from 'node:path';

export interface KnownHostEntry {
  marker?: '@revoked' | '@cert-authority';
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

export function parseKnownHosts(text: string, file = '<memory>'): KnownHostEntry[] {
  const out: KnownHostEntry[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    let marker: KnownHostEntry['marker'];
    if (fields[0] === '@revoked' || fields[0] === '@cert-authority') marker = fields.shift() as KnownHostEntry['marker'];
    const [hosts, keyType, b64] = fields;
    if (hosts === undefined || keyType === undefined || b64 === undefined) return;
    const key = Buffer.from(b64, 'base64');
    if (key.length === 0) return;
    out.push({ ...(marker ? { marker } : {}), hosts: hosts.split(','), keyType, key, file, line: i + 1 });
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
  const mine = entries.filter((e) => e.marker !== '@cert-authority' && entryMatchesHost(e, host, port));
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
  load(): Promise<KnownHostEntry[]>;
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
    async load() {
      const all: KnownHostEntry[] = [];
      for (const f of files) {
        try {
          all.push(...parseKnownHosts(await fs.readFile(f, 'utf8'), f));
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
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
