// Connection options and one-line errors (reliability.md cases 6 and 7; issue 4 error list).
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthFailedError,
  ConnectionRefusedError,
  ConnectTimeoutError,
  HostKeyUnknownError,
  UnknownHostError,
} from '../../src/transport/errors.js';
import { buildClientConfig, connect, type ConnectOptions, type NodeTarget } from '../../src/transport/ssh/connection.js';
import { knownHostsStore } from '../../src/transport/ssh/known-hosts.js';
import { NodeSession } from '../../src/transport/session.js';
import { vos } from '../../src/transport/platforms/index.js';
import { startVos } from './devices.js';
import type { MiniDevice } from './fixture.js';
import { target, tmp, trustedOpts } from './helpers.js';

let dev: MiniDevice;
let kbdOnly: MiniDevice;
beforeAll(async () => {
  [dev, kbdOnly] = await Promise.all([startVos(), startVos({ methods: ['keyboard-interactive'] })]);
});
afterAll(async () => {
  await dev.close();
  await kbdOnly.close();
});

const noop = (): void => undefined;
function opts(dir = tmp(), extra: Partial<ConnectOptions> = {}): ConnectOptions {
  return { knownHosts: knownHostsStore({ file: path.join(dir, 'kh') }), confirmHostKey: () => Promise.resolve(false), readyTimeoutMs: 3000, ...extra };
}

describe('connection options (case 7)', () => {
  it('always set hostVerifier, keepalive, a bounded readyTimeout, no agent forwarding; legacy algorithms only for VOS', () => {
    const targets: NodeTarget[] = [
      { node: 'a', host: 'h', username: 'u', auth: { password: 'p' } },
      { node: 'b', host: 'h', username: 'u', auth: { privateKey: 'KEY', passphrase: 'pp' } },
      { node: 'c', host: 'h', username: 'u', auth: { agent: '/tmp/agent.sock' } },
    ];
    for (const t of targets) {
      for (const firstContact of [true, false]) {
        const c = buildClientConfig(t, opts(), noop, { firstContact, knownTypes: ['ssh-rsa'] });
        expect(typeof c.hostVerifier).toBe('function');
        expect(c.keepaliveInterval).toBeGreaterThan(0);
        expect(c.keepaliveCountMax).toBeGreaterThan(0);
        expect(c.readyTimeout).toBeGreaterThan(0);
        expect(c.readyTimeout).toBeLessThanOrEqual(firstContact ? 320_000 : 20_000);
        expect(c.agentForward).toBe(false);
        expect(c.algorithms).not.toHaveProperty('kex');
        const onVos = buildClientConfig({ ...t, platform: 'vos' }, opts(), noop, { firstContact, knownTypes: ['ssh-rsa'] });
        expect(onVos.algorithms).toMatchObject({ kex: { append: vos.sshLegacy!.kex }, cipher: { append: vos.sshLegacy!.cipher } });
        expect((c.algorithms?.serverHostKey as { prepend: string[] }).prepend).toEqual(['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
      }
    }
    expect(buildClientConfig(targets[0]!, opts(), noop, { firstContact: false, knownTypes: [] }).tryKeyboard).toBe(true);
    expect(buildClientConfig(targets[2]!, opts(), noop, { firstContact: false, knownTypes: [] }).agent).toBe('/tmp/agent.sock');
  });

  it('the lock file resolves ssh2 >= 1.15 (Terrapin fix)', async () => {
    const lock = JSON.parse((await import('node:fs')).readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, { version: string }> };
    const [maj, min] = lock.packages['node_modules/ssh2']!.version.split('.').map(Number);
    expect(maj! > 1 || (maj === 1 && min! >= 15)).toBe(true);
  });
});

describe('errors name the node and the cause', () => {
  it('unknown host key refused by the operator: no authentication attempt at all', async () => {
    const before = dev.auths.length;
    const asked: string[] = [];
    const err = await connect(target(dev, 'vos', 'cucm-pub'), opts(tmp(), { confirmHostKey: (_h, fp) => (asked.push(fp), Promise.resolve(false)) })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostKeyUnknownError);
    expect((err as Error).message).toMatch(/^cucm-pub: host key of 127\.0\.0\.1:\d+ is not trusted \(SHA256:/);
    expect(asked).toEqual([dev.hostKeyFingerprint]);
    expect(dev.auths.length).toBe(before);
  });

  it('accepted on first contact: authenticates only after the answer', async () => {
    const dir = tmp();
    let authsAtQuestion = -1;
    const c = await connect(target(dev, 'vos'), opts(dir, { confirmHostKey: async () => {
      authsAtQuestion = dev.auths.length;
      await new Promise((r) => setTimeout(r, 300));
      expect(dev.auths.length).toBe(authsAtQuestion);
      return true;
    } }));
    c.end();
    expect(dev.auths.length).toBeGreaterThan(authsAtQuestion);
  });

  it('auth failure', async () => {
    const o = trustedOpts(tmp(), [dev]);
    const err = await connect(target(dev, 'vos', 'pub', 'wrong'), o).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthFailedError);
    expect((err as Error).message).toBe('pub: authentication failed for user "admin" (tried password, keyboard-interactive)');
    expect((err as Error).message).not.toContain('wrong');
  });

  it('keyboard-interactive only (cli-facts §1.1): every prompt answered with the password', async () => {
    const s = await NodeSession.open(target(kbdOnly, 'vos'), trustedOpts(tmp(), [kbdOnly]));
    expect(kbdOnly.auths).toContain('keyboard-interactive');
    await s.close();
  });

  it('refused', async () => {
    const srv = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => srv.once('listening', r));
    const port = (srv.address() as { port: number }).port;
    await new Promise((r) => srv.close(r));
    const err = await connect({ node: 'n', host: '127.0.0.1', port, username: 'u', auth: { password: 'p' } }, opts()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionRefusedError);
    expect((err as Error).message).toBe(`n: connection refused by 127.0.0.1:${port}`);
  });

  it('unknown host (DNS)', async () => {
    const err = await connect({ node: 'n', host: 'no-such-node.invalid', username: 'u', auth: { password: 'p' } }, opts()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnknownHostError);
  });

  it('no SSH handshake (a port that accepts TCP and says nothing): bounded timeout', async () => {
    const silent = createServer(() => undefined).listen(0, '127.0.0.1');
    await new Promise((r) => silent.once('listening', r));
    const port = (silent.address() as { port: number }).port;
    const dir = tmp();
    writeFileSync(path.join(dir, 'kh'), `[127.0.0.1]:${port} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ1\n`);
    const t0 = Date.now();
    const err = await connect({ node: 'n', host: '127.0.0.1', port, username: 'u', auth: { password: 'p' } }, opts(dir, { readyTimeoutMs: 800 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectTimeoutError);
    expect(Date.now() - t0).toBeLessThan(3000);
    silent.close();
  });
});
