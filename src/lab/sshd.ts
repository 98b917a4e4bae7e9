// Generic simulated SSH daemon on ssh2's Server. We own the listening net.Server and hand each
// socket to a fresh ssh2 Server (injectSocket), so a test can swap the host key between
// connections (rekeyHostKey fault) and the dropAfter fault can destroy the raw TCP socket.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import ssh2 from 'ssh2';
import { generateEd25519 } from './host-key.js';
import type { AuthContext, Connection, ServerChannel, SFTPWrapper } from 'ssh2';
import { Term } from './term.js';
import type { AuthorizedKeys, DeviceHandle, Faults } from './types.js';

const { Server, utils } = ssh2;

export type AuthMethod = 'password' | 'keyboard-interactive' | 'publickey';

export interface DeviceSpec<S> {
  state: S;
  users: Record<string, string>;
  authorizedKeys?: AuthorizedKeys;
  methods: AuthMethod[];
  /** Prompt text of the keyboard-interactive request. */
  kbdPrompt?: string;
  faults?: Faults;
  hostKey?: string | Buffer;
  /** Runs one interactive shell; returning ends the channel (the `exit` command). */
  shell(term: Term, ctx: { user: string }): Promise<void>;
  /** SFTP subsystem (CMS). */
  sftp?(sftp: SFTPWrapper): void;
  /** Called on close to stop platform timers. */
  onClose?(): void;
}

interface HostKey {
  priv: string | Buffer;
  pub: Buffer;
  type: string;
  fingerprint: string;
}

export function makeHostKey(priv?: string | Buffer): HostKey {
  const key = priv ?? generateEd25519().private;
  const parsed = utils.parseKey(key);
  if (parsed instanceof Error) throw parsed;
  const pub = parsed.getPublicSSH();
  const fingerprint = `SHA256:${createHash('sha256').update(pub).digest('base64').replace(/=+$/, '')}`;
  return { priv: key, pub, type: parsed.type, fingerprint };
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function startDevice<S>(spec: DeviceSpec<S>): Promise<DeviceHandle<S>> {
  let hostKey = makeHostKey(spec.hostKey);
  const faults: Faults = spec.faults ?? {};
  const sockets = new Set<Socket>();
  const terms = new Set<Term>();

  const handle: DeviceHandle<S> = {
    port: 0,
    host: '127.0.0.1',
    hostKeyFingerprint: hostKey.fingerprint,
    hostPublicKey: hostKey.pub,
    hostKeyType: hostKey.type,
    state: spec.state,
    faults,
    received: [],
    connections: 0,
    auths: [],
    close: async () => {
      spec.onClose?.();
      for (const t of terms) t.close();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => net.close(() => resolve()));
    },
  };

  const net: NetServer = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    if (faults.rekeyHostKey) {
      faults.rekeyHostKey = false;
      hostKey = makeHostKey();
      handle.hostKeyFingerprint = hostKey.fingerprint;
      handle.hostPublicKey = hostKey.pub;
      handle.hostKeyType = hostKey.type;
    }
    const server = new Server({ hostKeys: [hostKey.priv] }, (client) => {
      handle.connections++;
      onClient(client, socket);
    });
    server.on('error', () => undefined);
    server.injectSocket(socket);
  });

  function onClient(client: Connection, socket: Socket): void {
    let user = '';
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      handle.auths.push(ctx.method);
      user = ctx.username;
      authenticate(ctx);
    });
    client.on('ready', () => {
      client.on('session', (accept) => {
        const session = accept();
        let rows = 24;
        let cols = 80;
        let term: Term | undefined;
        session.on('pty', (acc, _rej, info) => {
          rows = info.rows || 24;
          cols = info.cols || 80;
          acc?.();
        });
        session.on('window-change', (acc, _rej, info) => {
          if (term) {
            term.rows = info.rows || term.rows;
            term.cols = info.cols || term.cols;
          }
          acc?.();
        });
        session.on('env', (acc) => acc?.());
        session.on('exec', (_acc, rej) => rej()); // cli-facts §1.1: CUCM does not support exec
        session.on('sftp', (acc, rej) => {
          if (!spec.sftp) return rej();
          spec.sftp(acc());
        });
        session.on('shell', (acc) => {
          const channel: ServerChannel = acc();
          term = new Term({ write: (d) => channel.write(d), drop: () => socket.destroy() }, faults, handle.received);
          term.rows = rows;
          term.cols = cols;
          terms.add(term);
          const t = term;
          channel.on('error', () => undefined);
          channel.on('data', (d: Buffer) => t.input(d.toString('utf8')));
          channel.on('close', () => {
            t.close();
            terms.delete(t);
          });
          spec.shell(t, { user }).then(
            () => {
              t.close();
              terms.delete(t);
              try {
                channel.exit(0);
                channel.end();
              } catch {
                // the client already closed the channel or the socket is gone
              }
            },
            () => socket.destroy(),
          );
        });
      });
    });
  }

  function authenticate(ctx: AuthContext): void {
    const allowed = spec.methods;
    const expected = spec.users[ctx.username];
    if (ctx.method === 'password' && allowed.includes('password')) {
      return expected !== undefined && safeEqual(ctx.password, expected) ? ctx.accept() : ctx.reject(allowed);
    }
    if (ctx.method === 'keyboard-interactive' && allowed.includes('keyboard-interactive')) {
      // [I] prompt wording; the platforms just ask for the password (cli-facts §1.1 auth row).
      ctx.prompt([{ prompt: spec.kbdPrompt ?? 'Password: ', echo: false }], (answers) => {
        const a = answers[0];
        if (expected !== undefined && a !== undefined && safeEqual(a, expected)) ctx.accept();
        else ctx.reject(allowed);
      });
      return;
    }
    if (ctx.method === 'publickey' && allowed.includes('publickey')) {
      const lines = spec.authorizedKeys?.[ctx.username] ?? [];
      for (const line of lines) {
        const k = utils.parseKey(line);
        if (k instanceof Error || k.type !== ctx.key.algo || !k.getPublicSSH().equals(ctx.key.data)) continue;
        if (!ctx.signature) return ctx.accept(); // the "would you accept this key" probe
        if (ctx.blob && k.verify(ctx.blob, ctx.signature, ctx.hashAlgo) === true) return ctx.accept();
      }
      return ctx.reject(allowed);
    }
    ctx.reject(allowed);
  }

  await new Promise<void>((resolve, reject) => {
    net.once('error', reject);
    net.listen(0, '127.0.0.1', () => resolve());
  });
  const addr = net.address();
  if (addr === null || typeof addr === 'string') throw new Error('lab: no TCP address');
  handle.port = addr.port;
  return handle;
}

/** OpenSSH known_hosts line for a device on a non-standard port. */
export function knownHostsLine(h: Pick<DeviceHandle, 'port' | 'hostKeyType' | 'hostPublicKey'>): string {
  return `[127.0.0.1]:${h.port} ${h.hostKeyType} ${h.hostPublicKey.toString('base64')}`;
}
