// Public types of the device lab. The transport engineer's tests depend on these shapes, so
// fields are only ever added, never renamed.

/** Faults a test can inject; the object is live, so tests may change it after start. */
export interface Faults {
  /** Delay (ms) before the device reacts to each received line. */
  latencyMs?: number;
  /** Regex: after receiving a matching line the device never writes again (a prompt that never comes). */
  silentAfter?: string;
  /** Regex: after receiving a matching line the TCP socket is destroyed mid-command (no SSH disconnect). */
  dropAfter?: string;
  /** After a line matching `after`, the device asks `question` and reads one answer line before going on. */
  unexpectedQuestion?: { after: string; question: string };
  /** Present a freshly generated host key on the next connection (consumed by that connection). */
  rekeyHostKey?: boolean;
}

export interface DeviceHandle<S = unknown> {
  port: number;
  host: '127.0.0.1';
  /** "SHA256:<base64 without padding>", as OpenSSH prints it. Updated when rekeyHostKey fires. */
  hostKeyFingerprint: string;
  /** Host public key in SSH wire format. Updated when rekeyHostKey fires. */
  hostPublicKey: Buffer;
  /** Key type name for known_hosts, e.g. "ssh-ed25519". */
  hostKeyType: string;
  state: S;
  faults: Faults;
  /** Every line the device received on any shell, in order (pasted PEM lines and answers too);
   *  single keys read at paging prompts appear as `<key " ">`. */
  received: string[];
  /** SSH connections accepted (counted when the client's SSH identification arrives). */
  connections: number;
  /** Authentication methods attempted, in order ("none" included): proves no auth before host-key trust. */
  auths: string[];
  close(): Promise<void>;
}

/** Optional public-key auth: OpenSSH public key lines per user ("ssh-ed25519 AAAA… comment"). */
export type AuthorizedKeys = Record<string, string[]>;
