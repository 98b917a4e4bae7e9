// Which SSH algorithms a node is offered, and which negotiated ones are worth a word on connect.
// Platform knowledge (which Cisco releases need what) lives in ../platforms as data; this file
// only knows SSH: ssh2's option shape and which algorithms are SHA-1/CBC-era.
import type { ConnectConfig } from 'ssh2';
import type { SshAlgorithms } from '../platforms/types.js';

/** What ssh2 reports in its 'handshake' event (ssh2 README, Client events). */
export interface Negotiated {
  kex: string;
  serverHostKey: string;
  cs: { cipher: string; mac: string };
  sc: { cipher: string; mac: string };
}

// An `rsa` host key signed with SHA-2 (rsa-sha2-*) is fine; `ssh-rsa` means SHA-1 signatures.
const RSA_SIGS = ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];

/**
 * ssh2's `algorithms` option: its defaults, the key types known_hosts holds for this host asked
 * for first (so a node with several host keys is not "changed" because it offered another type
 * first), and the platform's legacy lists appended (nothing appended without one).
 */
export function algorithmsFor(legacy: SshAlgorithms | undefined, knownTypes: string[]): ConnectConfig['algorithms'] {
  const prefer = knownTypes.flatMap((t) => (t === 'ssh-rsa' ? RSA_SIGS : [t]));
  const add = (list: string[] | undefined): { append?: string[] } => (list && list.length > 0 ? { append: [...list] } : {});
  // Plain strings: names come from platform data, and ssh2 checks each against what it supports.
  const out: Record<string, object> = {
    serverHostKey: { ...(prefer.length > 0 ? { prepend: prefer } : {}), ...add(legacy?.serverHostKey) },
  };
  if (legacy) Object.assign(out, { kex: add(legacy.kex), cipher: add(legacy.cipher), hmac: add(legacy.hmac) });
  return out;
}

// SHA-1 key exchange (RFC 9142 deprecates it), CBC/RC4 ciphers, SHA-1 RSA signatures and DSA
// host keys (RFC 8332, OpenSSH 8.8+ off by default), SHA-1/MD5 MACs.
const WEAK: { slot: string; test: RegExp }[] = [
  { slot: 'kex', test: /-sha1$/ },
  { slot: 'host key', test: /^(?:ssh-rsa|ssh-dss)$/ },
  { slot: 'cipher', test: /-cbc$|^arcfour/ },
  { slot: 'mac', test: /^hmac-(?:sha1|md5)/ },
];

/** "kex diffie-hellman-group14-sha1, cipher aes128-cbc": the legacy algorithms in use, or []. */
export function legacyInUse(n: Negotiated): string[] {
  const used: [string, string][] = [['kex', n.kex], ['host key', n.serverHostKey]];
  for (const dir of [n.cs, n.sc]) {
    used.push(['cipher', dir.cipher]);
    // With an AEAD cipher (…-gcm, chacha20-poly1305) the MAC slot is not used.
    if (!/gcm|poly1305/.test(dir.cipher)) used.push(['mac', dir.mac]);
  }
  const out = used.filter(([slot, name]) => WEAK.some((w) => w.slot === slot && w.test.test(name))).map(([slot, name]) => `${slot} ${name}`);
  return [...new Set(out)];
}

/** Modulus size of an `ssh-rsa` key blob (string type, mpint e, mpint n), or null for other keys. */
export function rsaBits(blob: Buffer): number | null {
  let at = 0;
  const next = (): Buffer | null => {
    if (at + 4 > blob.length) return null;
    const len = blob.readUInt32BE(at);
    const v = blob.subarray(at + 4, at + 4 + len);
    at += 4 + len;
    return v.length === len ? v : null;
  };
  if (next()?.toString('latin1') !== 'ssh-rsa') return null;
  if (next() === null) return null;
  const n = next();
  if (n === null) return null;
  let i = 0;
  while (i < n.length && n[i] === 0) i++;
  if (i === n.length) return 0;
  return (n.length - i) * 8 - Math.clz32(n[i]!) + 24;
}
