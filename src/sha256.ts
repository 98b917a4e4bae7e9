// sha256 through node:crypto, loaded on the first hash rather than with the module that hashes:
// the one helper for the inventory, catalogue, plan, session and certificate-role hashes.
// Node's crypto module brings ~40 of Node's own modules with it (key objects, ciphers, X.509,
// streams), ~4 ms before the first line of a command runs (issue 25): a text `plan` hashes
// nothing, and a module imported only to hash (the inventory loader, the catalogue) would
// otherwise load it at every start. Same digests as createHash('sha256').
import type { Hash } from 'node:crypto';
import { createRequire } from 'node:module';

type Crypto = typeof import('node:crypto');
let crypto: Crypto | undefined;
const load = (): Crypto => (crypto ??= createRequire(import.meta.url)('node:crypto') as Crypto);

/** A fresh sha256 Hash, for digests fed in parts. */
export function newSha256(): Hash {
  return load().createHash('sha256');
}

/** sha256 of a string (as UTF-8) or of bytes, as lower-case hex (crypto.hash: one call, no Hash object). */
export function sha256Hex(data: string | Uint8Array): string {
  return load().hash('sha256', data);
}
