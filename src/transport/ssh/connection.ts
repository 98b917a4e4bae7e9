// One ssh2 Client per node, opened once and reused for every step of a session. The options are
// built by a pure function so a test can prove they ALWAYS carry hostVerifier, keepalive, a
// bounded readyTimeout and no agent forwarding (reliability.md case 7).
import { Client, type ConnectConfig } from 'ssh2';
import {
  AuthFailedError,
  ConnectTimeoutError,
  ConnectionRefusedError,
  HostKeyChangedError,
  HostKeyUnknownError,
  TransportError,
  UnknownHostError,
  UnreachableError,
} from '../errors.js';
import { checkHostKey, knownKeyTypes, type KnownHostsStore } from './known-hosts.js';

export interface AuthOptions {
  /** Password; also the answer to every keyboard-interactive prompt (cli-facts §1.1). */
  password?: string;
  privateKey?: string | Buffer;
  passphrase?: string;
  /** IOS enable secret when the login lands in user EXEC; never defaults to the password. */
  enableSecret?: string;
  /** What to tell the operator when the enable secret is missing or refused ("set IOS_ENABLE …"). */
  enableSecretHint?: string;
  /** ssh-agent socket; `true` = $SSH_AUTH_SOCK. Never forwarded. */
  agent?: string | true;
}

export interface NodeTarget {
  node: string;
  host: string;
  port?: number;
  username: string;
  auth: AuthOptions;
}

export interface ConnectOptions {
  knownHosts: KnownHostsStore;
  /** Asked on first contact, before any authentication; true = trust and store the key. */
  confirmHostKey: (host: string, fingerprint: string) => Promise<boolean>;
  readyTimeoutMs?: number;
  /** Extra time allowed for the operator to answer confirmHostKey on first contact. */
  confirmWindowMs?: number;
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
}

// cli-facts §1.1: older VOS (OpenSSH 5.3 on 11.5) needs these; append to ssh2's defaults rather
// than replacing them, so modern nodes still negotiate modern algorithms first.
export const LEGACY_ALGORITHMS = {
  kex: ['diffie-hellman-group14-sha1', 'diffie-hellman-group-exchange-sha1'],
  cipher: ['aes128-cbc', 'aes192-cbc', 'aes256-cbc', '3des-cbc'],
  serverHostKey: ['ssh-rsa'],
  hmac: ['hmac-sha1'],
} as const;

const RSA_SIGS = ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];

/** Pure: the ssh2 options for one node. `hostVerifier` is supplied by the caller. */
export function buildClientConfig(
  target: NodeTarget,
  opts: ConnectOptions,
  hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => void,
  extra: { firstContact: boolean; knownTypes: string[] },
): ConnectConfig {
  const readyTimeout = (opts.readyTimeoutMs ?? 20_000) + (extra.firstContact ? (opts.confirmWindowMs ?? 300_000) : 0);
  // Ask first for the key types known_hosts already holds, so a node with several host keys
  // is not reported as "changed" just because it offered another type first.
  const prefer = extra.knownTypes.flatMap((t) => (t === 'ssh-rsa' ? RSA_SIGS : [t]));
  const agent = target.auth.agent === true ? process.env.SSH_AUTH_SOCK : target.auth.agent;
  const cfg: ConnectConfig = {
    host: target.host,
    port: target.port ?? 22,
    username: target.username,
    hostVerifier,
    readyTimeout,
    keepaliveInterval: opts.keepaliveIntervalMs ?? 15_000,
    keepaliveCountMax: opts.keepaliveCountMax ?? 3,
    agentForward: false,
    tryKeyboard: target.auth.password !== undefined,
    algorithms: {
      kex: { append: [...LEGACY_ALGORITHMS.kex] },
      cipher: { append: [...LEGACY_ALGORITHMS.cipher] },
      serverHostKey: { prepend: prefer, append: [...LEGACY_ALGORITHMS.serverHostKey] },
      hmac: { append: [...LEGACY_ALGORITHMS.hmac] },
    } as ConnectConfig['algorithms'],
  };
  if (target.auth.password !== undefined) cfg.password = target.auth.password;
  if (target.auth.privateKey !== undefined) cfg.privateKey = target.auth.privateKey;
  if (target.auth.passphrase !== undefined) cfg.passphrase = target.auth.passphrase;
  if (agent !== undefined && agent !== '') cfg.agent = agent;
  return cfg;
}

function authMethods(t: NodeTarget): string[] {
  const m: string[] = [];
  if (t.auth.password !== undefined) m.push('password', 'keyboard-interactive');
  if (t.auth.privateKey !== undefined) m.push('publickey');
  if (t.auth.agent !== undefined) m.push('agent');
  return m;
}

/** Open and authenticate one client; every failure becomes a one-line TransportError. */
export async function connect(target: NodeTarget, opts: ConnectOptions): Promise<Client> {
  const port = target.port ?? 22;
  const address = `${target.host}:${port}`;
  const entries = await opts.knownHosts.load();
  const knownTypes = knownKeyTypes(entries, target.host, port);
  let hostKeyError: TransportError | null = null;

  const hostVerifier = (key: Buffer, verify: (ok: boolean) => void): void => {
    const st = checkHostKey(entries, target.host, port, key);
    if (st.status === 'trusted') return verify(true);
    if (st.status === 'changed' || st.status === 'revoked') {
      hostKeyError = new HostKeyChangedError(target.node, address, st.status === 'changed' ? st.known : ['(revoked key)'], st.fingerprint);
      return verify(false);
    }
    // Unknown: the handshake waits here, so no authentication happens before the operator
    // answers (reliability.md case 6).
    opts.confirmHostKey(address, st.fingerprint).then(
      async (ok) => {
        if (!ok) {
          hostKeyError = new HostKeyUnknownError(target.node, address, st.fingerprint);
          return verify(false);
        }
        await opts.knownHosts.append(target.host, port, key);
        verify(true);
      },
      (e: unknown) => {
        hostKeyError = new HostKeyUnknownError(target.node, address, `${st.fingerprint}; ${String(e)}`);
        verify(false);
      },
    );
  };

  const cfg = buildClientConfig(target, opts, hostVerifier, { firstContact: knownTypes.length === 0, knownTypes });
  const client = new Client();
  if (target.auth.password !== undefined) {
    const pw = target.auth.password;
    // cli-facts §1.1: CUCM may insist on keyboard-interactive; answer every prompt with the password.
    client.on('keyboard-interactive', (_name, _instr, _lang, prompts, finish) => finish(prompts.map(() => pw)));
  }
  return new Promise<Client>((resolve, reject) => {
    let settled = false;
    // ssh2 may emit a second error while tearing down (e.g. "Connection lost before
    // handshake"); only the first decides, the rest must not become unhandled 'error' events.
    // After 'ready' the session's own listeners report drops (see session.ts).
    client.on('error', (err: Error & { level?: string; code?: string }) => {
      if (settled) return;
      settled = true;
      client.end();
      reject(hostKeyError ?? classify(target, address, err, cfg.readyTimeout ?? 0));
    });
    client.once('ready', () => {
      settled = true;
      // Interactive traffic is many small writes (a line, a paging key, a y/n); like OpenSSH for
      // interactive sessions, turn Nagle off so each goes out at once.
      client.setNoDelay(true);
      resolve(client);
    });
    client.connect(cfg);
  });
}

function classify(t: NodeTarget, address: string, err: Error & { level?: string; code?: string }, readyMs: number): TransportError {
  if (err instanceof TransportError) return err;
  if (err.level === 'client-authentication') return new AuthFailedError(t.node, t.username, authMethods(t));
  if (err.level === 'client-timeout') return new ConnectTimeoutError(t.node, address, readyMs);
  switch (err.code) {
    case 'ECONNREFUSED':
      return new ConnectionRefusedError(t.node, address);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return new UnknownHostError(t.node, t.host);
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ECONNRESET':
      return new UnreachableError(t.node, address, err.code);
  }
  return new TransportError(t.node, 'unreachable', `SSH to ${address} failed: ${err.message}`);
}
