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
  NoCommonAlgorithmError,
  TransportError,
  UnknownHostError,
  UnreachableError,
} from '../errors.js';
import type { Platform } from '../../plan/types.js';
import { platformSpec } from '../platforms/index.js';
import { algorithmsFor, legacyInUse, rsaBits, type Negotiated } from './algorithms.js';
import { checkHostKey, knownKeyTypes, type KnownHostsStore, type SkippedLine } from './known-hosts.js';

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
  /** Decides the algorithms offered: only a platform that declares legacy ones gets them. */
  platform?: Exclude<Platform, 'local'>;
}

export interface ConnectOptions {
  knownHosts: KnownHostsStore;
  /** Asked on first contact, before any authentication; true = trust and store the key. */
  confirmHostKey: (host: string, fingerprint: string) => Promise<boolean>;
  /** Bound on the handshake up to the host key, and again from the operator's answer to 'ready'. */
  readyTimeoutMs?: number;
  /** Time the operator has to answer confirmHostKey; runs only while the question is asked. */
  confirmWindowMs?: number;
  /**
   * Something the operator should hear about this connection that does not stop it: known_hosts
   * lines skipped, legacy algorithms negotiated, a weak host key. One line, no secrets.
   */
  onNote?: (node: string, note: string) => void;
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
}

const DEFAULT_READY_MS = 20_000;
const DEFAULT_CONFIRM_MS = 300_000;

/** Pure: the ssh2 options for one node. `hostVerifier` is supplied by the caller. */
export function buildClientConfig(
  target: NodeTarget,
  opts: ConnectOptions,
  hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => void,
  extra: { firstContact: boolean; knownTypes: string[] },
): ConnectConfig {
  // connect() bounds each phase itself (handshake, the operator's answer, authentication); this
  // is ssh2's own backstop over all three.
  const ready = opts.readyTimeoutMs ?? DEFAULT_READY_MS;
  const readyTimeout = extra.firstContact ? 2 * ready + (opts.confirmWindowMs ?? DEFAULT_CONFIRM_MS) : ready;
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
    algorithms: algorithmsFor(target.platform ? platformSpec(target.platform).sshLegacy : undefined, extra.knownTypes),
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

// known_hosts lines already reported per store: said once per run, not once per node.
const skippedSaid = new WeakMap<KnownHostsStore, Set<string>>();

function noteSkipped(store: KnownHostsStore, skipped: SkippedLine[], say: (note: string) => void): void {
  const said = skippedSaid.get(store) ?? new Set<string>();
  skippedSaid.set(store, said);
  for (const s of skipped) {
    const where = `${s.file}:${s.line}`;
    if (said.has(where)) continue;
    said.add(where);
    say(`known_hosts line ${where} skipped: ${s.reason}`);
  }
}

/**
 * Open and authenticate one client; every failure becomes a one-line TransportError.
 * Time is bounded per phase: readyTimeoutMs until the host key arrives, confirmWindowMs while
 * the operator is asked about an unknown key (and only then), readyTimeoutMs again from the
 * answer to 'ready'. A silent host so fails at the ready timeout, not after the confirmation
 * window nobody is being asked in.
 */
export async function connect(target: NodeTarget, opts: ConnectOptions): Promise<Client> {
  const port = target.port ?? 22;
  const address = `${target.host}:${port}`;
  const readyMs = opts.readyTimeoutMs ?? DEFAULT_READY_MS;
  const confirmMs = opts.confirmWindowMs ?? DEFAULT_CONFIRM_MS;
  const say = (note: string): void => opts.onNote?.(target.node, note);
  const skipped: SkippedLine[] = [];
  const entries = await opts.knownHosts.load(skipped);
  noteSkipped(opts.knownHosts, skipped, say);
  const knownTypes = knownKeyTypes(entries, target.host, port);
  let hostKeyError: TransportError | null = null;
  let settled = false;
  let phase: NodeJS.Timeout | undefined;
  const client = new Client();
  let fail: (e: TransportError) => void = () => undefined;
  const arm = (ms: number, onExpiry: () => TransportError): void => {
    clearTimeout(phase);
    phase = setTimeout(() => fail(onExpiry()), ms);
  };
  const timedOut = () => new ConnectTimeoutError(target.node, address, readyMs);

  const hostVerifier = (key: Buffer, verify: (ok: boolean) => void): void => {
    const bits = rsaBits(key);
    if (bits !== null && bits < 2048) say(`${address} has a ${bits}-bit RSA host key (weak; 2048 bits or more is current practice)`);
    const st = checkHostKey(entries, target.host, port, key);
    if (st.status === 'trusted') return verify(true);
    if (st.status === 'changed' || st.status === 'revoked') {
      hostKeyError = new HostKeyChangedError(target.node, address, st.status === 'changed' ? st.known : ['(revoked key)'], st.fingerprint);
      return verify(false);
    }
    // Unknown: the handshake waits here, so no authentication happens before the operator
    // answers (reliability.md case 6). The clock is the confirmation window, now that someone
    // is being asked.
    arm(confirmMs, () => new HostKeyUnknownError(target.node, address, `${st.fingerprint}; no answer within ${Math.round(confirmMs / 1000)} s`));
    opts.confirmHostKey(address, st.fingerprint).then(
      async (ok) => {
        if (settled) return; // the window closed first: a late yes trusts nothing
        if (!ok) {
          hostKeyError = new HostKeyUnknownError(target.node, address, st.fingerprint);
          return verify(false);
        }
        await opts.knownHosts.append(target.host, port, key);
        arm(readyMs, timedOut);
        verify(true);
      },
      (e: unknown) => {
        if (settled) return;
        hostKeyError = new HostKeyUnknownError(target.node, address, `${st.fingerprint}; ${String(e)}`);
        verify(false);
      },
    );
  };

  const cfg = buildClientConfig(target, opts, hostVerifier, { firstContact: knownTypes.length === 0, knownTypes });
  if (target.auth.password !== undefined) {
    const pw = target.auth.password;
    // cli-facts §1.1: CUCM may insist on keyboard-interactive; answer every prompt with the password.
    client.on('keyboard-interactive', (_name, _instr, _lang, prompts, finish) => finish(prompts.map(() => pw)));
  }
  // Said once, at the first key exchange (a rekey negotiates the same lists).
  client.once('handshake', (n: Negotiated) => {
    const legacy = legacyInUse(n);
    if (legacy.length > 0) say(`legacy SSH algorithms negotiated with ${address}: ${legacy.join(', ')}`);
  });
  return new Promise<Client>((resolve, reject) => {
    fail = (e) => {
      if (settled) return;
      settled = true;
      clearTimeout(phase);
      client.destroy();
      reject(e);
    };
    // ssh2 may emit a second error while tearing down (e.g. "Connection lost before
    // handshake"); only the first decides, the rest must not become unhandled 'error' events.
    // After 'ready' the session's own listeners report drops (see session.ts).
    client.on('error', (err: Error & { level?: string; code?: string }) => fail(hostKeyError ?? classify(target, address, err, readyMs)));
    client.once('ready', () => {
      settled = true;
      clearTimeout(phase);
      // Interactive traffic is many small writes (a line, a paging key, a y/n); like OpenSSH for
      // interactive sessions, turn Nagle off so each goes out at once.
      client.setNoDelay(true);
      resolve(client);
    });
    arm(readyMs, timedOut);
    client.connect(cfg);
  });
}

function classify(t: NodeTarget, address: string, err: Error & { level?: string; code?: string }, readyMs: number): TransportError {
  if (err instanceof TransportError) return err;
  if (err.level === 'client-authentication') return new AuthFailedError(t.node, t.username, authMethods(t));
  if (err.level === 'client-timeout') return new ConnectTimeoutError(t.node, address, readyMs);
  if (err.level === 'handshake' && /no matching/i.test(err.message)) return new NoCommonAlgorithmError(t.node, address, err.message);
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
