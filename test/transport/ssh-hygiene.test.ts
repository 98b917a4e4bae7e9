// Issue 19 "SSH hygiene" (issue 12, Security): foreign known_hosts lines are skipped with a
// note; legacy algorithms only for the platforms that need them (cli-facts §1.1), said on
// connect; a silent host fails at the ready timeout, not after the host-key confirmation window.
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import path from 'node:path';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectTimeoutError, HostKeyUnknownError, NoCommonAlgorithmError } from '../../src/transport/errors.js';
import { connect, type ConnectOptions, type NodeTarget } from '../../src/transport/ssh/connection.js';
import { formatEntry, knownHostsStore, parseKnownHosts, type SkippedLine } from '../../src/transport/ssh/known-hosts.js';
import { startVos } from './devices.js';
import { newHostKey, type MiniDevice } from './fixture.js';
import { tmp } from './helpers.js';

const { Server } = ssh2;

/** An SSH string (uint32 length + bytes), to build key blobs by hand. */
const sshString = (b: Buffer | string): Buffer => {
  const v = Buffer.isBuffer(b) ? b : Buffer.from(b, 'latin1');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(v.length);
  return Buffer.concat([len, v]);
};
// A FIDO security-key type (a user key type, ssh2 does not know it): valid base64, valid blob.
const skKey = Buffer.concat([sshString('sk-ssh-ed25519@openssh.com'), sshString(Buffer.alloc(32, 7)), sshString('ssh:')]).toString('base64');
const dssKey = Buffer.concat([sshString('ssh-dss'), sshString(Buffer.alloc(129, 1)), sshString(Buffer.alloc(21, 2)), sshString(Buffer.alloc(128, 3)), sshString(Buffer.alloc(128, 4))]).toString('base64');

function opts(file: string, extra: Partial<ConnectOptions> = {}): ConnectOptions {
  return { knownHosts: knownHostsStore({ file }), confirmHostKey: () => Promise.resolve(true), readyTimeoutMs: 5_000, ...extra };
}

function to(port: number, platform?: NodeTarget['platform'], node = 'n1'): NodeTarget {
  return { node, host: '127.0.0.1', port, username: 'admin', auth: { password: 'secret-pw' }, ...(platform ? { platform } : {}) };
}

describe('known_hosts lines of a type collabsec does not check are skipped with a note', () => {
  it('parses the good line and names every other one by file:line and reason, never by its text', () => {
    const good = formatEntry('cucm-pub', 22, newHostKey().pub).trim();
    const edB64 = good.split(' ')[2]!;
    const text = [
      good,
      `cucm-pub sk-ssh-ed25519@openssh.com ${skKey}`,
      `cucm-pub ssh-dss ${dssKey}`,
      `cucm-pub x\u001b]0;evil\u0007 ${edB64}`,
      `cucm-pub ssh-ed25519 AAAA$$not-base64$$`,
      `@cert-authority *.example ${good.split(' ').slice(1).join(' ')}`,
      `cucm-pub ecdsa-sha2-nistp256 ${edB64}`, // the blob inside says ssh-ed25519
      '@bogus cucm-pub ssh-ed25519 ' + edB64,
      'cucm-pub ssh-ed25519',
    ].join('\n');
    const skipped: SkippedLine[] = [];
    const e = parseKnownHosts(text, 'kh', skipped);
    expect(e.map((x) => x.line)).toEqual([1]);
    expect(skipped.map((s) => s.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    expect(skipped[0]!.reason).toContain('"sk-ssh-ed25519@openssh.com"');
    expect(skipped[1]!.reason).toContain('"ssh-dss"');
    expect(skipped[2]!.reason).toContain('an unreadable key type');
    expect(skipped[3]!.reason).toContain('base64');
    expect(skipped[4]!.reason).toContain('@cert-authority');
    expect(skipped[5]!.reason).toContain('not of type');
    for (const s of skipped) expect(s.reason).not.toMatch(/[\u0000-\u001f]/);
  });

  describe('against a device', () => {
    let dev: MiniDevice;
    beforeAll(async () => {
      dev = await startVos();
    });
    afterAll(() => dev.close());

    it('an sk-ssh-ed25519 or ssh-dss line for the host: the connection goes on, with one note per line per run', async () => {
      const dir = tmp();
      const file = path.join(dir, 'kh');
      writeFileSync(file, `[127.0.0.1]:${dev.port} sk-ssh-ed25519@openssh.com ${skKey}\n[127.0.0.1]:${dev.port} ssh-dss ${dssKey}\n`);
      const notes: string[] = [];
      const asked: string[] = [];
      const o = opts(file, { onNote: (node, n) => notes.push(`${node}: ${n}`), confirmHostKey: (_h, fp) => (asked.push(fp), Promise.resolve(true)) });
      const c = await connect(to(dev.port, 'vos'), o);
      c.end();
      // The skipped lines do not count as a known key: the operator is asked, as on first contact.
      expect(asked).toEqual([dev.hostKeyFingerprint]);
      expect(notes.filter((n) => n.includes('skipped'))).toEqual([
        `n1: known_hosts line ${file}:1 skipped: key type "sk-ssh-ed25519@openssh.com" is not one collabsec checks host keys with`,
        `n1: known_hosts line ${file}:2 skipped: key type "ssh-dss" is not one collabsec checks host keys with`,
      ]);
      // Accepted and appended; a second connection with the same store does not repeat the notes.
      expect(readFileSync(file, 'utf8').split('\n')).toHaveLength(4);
      const again = await connect(to(dev.port, 'vos', 'n2'), o);
      again.end();
      expect(notes.filter((n) => n.includes('skipped'))).toHaveLength(2);
    });
  });
});

/** An ssh2 server that speaks only what OpenSSH 5.3-era VOS offers (cli-facts §1.1), with a 1024-bit RSA host key. */
async function startLegacyServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'pkcs1', format: 'pem' } });
  const conns = new Set<{ end(): void }>();
  const server = new Server(
    {
      hostKeys: [privateKey],
      algorithms: { kex: ['diffie-hellman-group14-sha1'], cipher: ['aes128-cbc'], hmac: ['hmac-sha1'], serverHostKey: ['ssh-rsa'], compress: ['none'] },
    },
    (client) => {
      conns.add(client);
      client.on('error', () => undefined);
      client.on('authentication', (ctx) => (ctx.method === 'password' && ctx.password === 'secret-pw' ? ctx.accept() : ctx.reject(['password'])));
    },
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((r) => { for (const c of conns) c.end(); server.close(() => r()); }),
  };
}

describe('legacy algorithms: offered only where the platform needs them, said on connect', () => {
  let legacy: { port: number; close: () => Promise<void> };
  let modern: MiniDevice;
  beforeAll(async () => {
    [legacy, modern] = await Promise.all([startLegacyServer(), startVos()]);
  });
  afterAll(async () => {
    await legacy.close();
    await modern.close();
  });

  it('a VOS node that speaks only legacy algorithms connects, and the note names the node and each algorithm', async () => {
    const notes: string[] = [];
    const c = await connect(to(legacy.port, 'vos', 'cucm-pub'), opts(path.join(tmp(), 'kh'), { onNote: (node, n) => notes.push(`${node}: ${n}`) }));
    c.end();
    expect(notes).toContain(`cucm-pub: legacy SSH algorithms negotiated with 127.0.0.1:${legacy.port}: kex diffie-hellman-group14-sha1, host key ssh-rsa, cipher aes128-cbc, mac hmac-sha1`);
    expect(notes).toContain(`cucm-pub: 127.0.0.1:${legacy.port} has a 1024-bit RSA host key (weak; 2048 bits or more is current practice)`);
  }, 20_000);

  it.each(['ios', 'mmp', undefined] as const)('platform %s is not offered them: no algorithm in common, said so', async (platform) => {
    const err = await connect(to(legacy.port, platform, 'cube1'), opts(path.join(tmp(), 'kh'))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoCommonAlgorithmError);
    expect((err as Error).message).toMatch(new RegExp(`^cube1: no SSH algorithm in common with 127\\.0\\.0\\.1:${legacy.port} \\(`));
  }, 20_000);

  it('a modern VOS node negotiates modern algorithms: no note', async () => {
    const notes: string[] = [];
    const c = await connect(to(modern.port, 'vos'), opts(path.join(tmp(), 'kh'), { onNote: (_n, t) => notes.push(t) }));
    c.end();
    expect(notes).toEqual([]);
  });
});

describe('a silent host fails at the ready timeout; the confirmation window runs only while asking', () => {
  let silent: NetServer;
  let port = 0;
  const held = new Set<Socket>();
  beforeAll(async () => {
    // Accepts TCP and never sends an SSH banner.
    silent = createServer((s) => void held.add(s)).listen(0, '127.0.0.1');
    await new Promise((r) => silent.once('listening', r));
    port = (silent.address() as AddressInfo).port;
  });
  afterAll(() => {
    for (const s of held) s.destroy();
    silent.close();
  });

  it('first contact (nothing in known_hosts): connect-timeout after readyTimeoutMs, no question, not the 60 s window', async () => {
    const asked: string[] = [];
    const err = await connect(to(port), opts(path.join(tmp(), 'kh'), {
      readyTimeoutMs: 1_000,
      confirmWindowMs: 60_000,
      confirmHostKey: (h) => (asked.push(h), Promise.resolve(true)),
    })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectTimeoutError);
    expect((err as Error).message).toBe(`n1: no SSH handshake with 127.0.0.1:${port} within 1 s`);
    expect(asked).toEqual([]);
  }, 30_000);

  describe('against a device', () => {
    let dev: MiniDevice;
    beforeAll(async () => {
      dev = await startVos();
    });
    afterAll(() => dev.close());

    it('an operator slower than readyTimeoutMs but within the window: connected', async () => {
      const c = await connect(to(dev.port, 'vos'), opts(path.join(tmp(), 'kh'), {
        readyTimeoutMs: 1_000,
        confirmWindowMs: 30_000,
        confirmHostKey: () => new Promise((r) => setTimeout(() => r(true), 2_500)),
      }));
      c.end();
    }, 30_000);

    it('no answer within the window: the key is not trusted, and a late yes stores nothing', async () => {
      const file = path.join(tmp(), 'kh');
      let late: (ok: boolean) => void = () => undefined;
      const err = await connect(to(dev.port, 'vos'), opts(file, {
        readyTimeoutMs: 5_000,
        confirmWindowMs: 800,
        confirmHostKey: () => new Promise((r) => (late = r)),
      })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(HostKeyUnknownError);
      expect((err as Error).message).toContain('no answer within 1 s');
      late(true);
      await new Promise((r) => setTimeout(r, 100));
      expect(() => readFileSync(file)).toThrow();
    }, 30_000);
  });
});
