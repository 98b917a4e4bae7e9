// Against a real OpenSSH sshd on 127.0.0.1, started by the test with a throwaway host key and an
// authorized key for the current user: key auth, known_hosts first contact, changed host key.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostKeyChangedError, HostKeyUnknownError } from '../../src/transport/errors.js';
import { connect, type ConnectOptions, type NodeTarget } from '../../src/transport/ssh/connection.js';
import { fingerprint, knownHostsStore, parseKnownHosts } from '../../src/transport/ssh/known-hosts.js';
import { tmp } from './helpers.js';

const SSHD = '/usr/sbin/sshd';
const have = existsSync(SSHD) && existsSync('/usr/bin/ssh-keygen');
if (!have) console.warn(`sshd.test: SKIPPED — ${SSHD} or ssh-keygen is absent (apt-get install openssh-server)`);

let dir: string;
let port: number;
let sshd: ChildProcess | undefined;
let log = '';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

function keygen(file: string, passphrase = ''): void {
  execFileSync('/usr/bin/ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-f', file]);
}

function hostKeyFingerprint(): string {
  return execFileSync('/usr/bin/ssh-keygen', ['-lf', path.join(dir, 'host_ed25519.pub')], { encoding: 'utf8' }).split(' ')[1]!;
}

async function startSshd(): Promise<void> {
  // A fresh log per start: after a restart the previous "Server listening" must not count,
  // or the test connects before the new sshd listens (connection refused under load).
  log = '';
  sshd = spawn(SSHD, ['-D', '-e', '-f', path.join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
  sshd.stderr!.on('data', (b: Buffer) => (log += b.toString()));
  for (let i = 0; i < 400; i++) {
    if (/Server listening/.test(log)) return;
    if (sshd.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`sshd did not start:\n${log}`);
}

async function stopSshd(): Promise<void> {
  if (!sshd || sshd.exitCode !== null) return;
  const p = new Promise((r) => sshd!.once('exit', r));
  sshd.kill('SIGTERM');
  await p;
}

beforeAll(async () => {
  if (!have) return;
  dir = tmp('collabsec-sshd-');
  port = await freePort();
  keygen(path.join(dir, 'host_ed25519'));
  keygen(path.join(dir, 'user_ed25519'));
  keygen(path.join(dir, 'user_pp'), 'pp-Secret-1');
  writeFileSync(path.join(dir, 'authorized_keys'), Buffer.concat([readFileSync(path.join(dir, 'user_ed25519.pub')), readFileSync(path.join(dir, 'user_pp.pub'))]), { mode: 0o600 });
  // Privilege separation needs this directory when sshd runs as root (it exists once the
  // service has run; containers may lack it).
  if (process.getuid?.() === 0) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  writeFileSync(
    path.join(dir, 'sshd_config'),
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${path.join(dir, 'host_ed25519')}`,
      `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
      'PermitRootLogin yes',
      'UsePAM no',
      'StrictModes no',
      'PidFile none',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'AllowAgentForwarding no',
      'LogLevel VERBOSE',
    ].join('\n') + '\n',
  );
  await startSshd();
});
let agent: ChildProcess | undefined;
afterAll(async () => {
  agent?.kill('SIGTERM');
  await stopSshd();
});

function target(): NodeTarget {
  return { node: 'sshd', host: '127.0.0.1', port, username: userInfo().username, auth: { privateKey: readFileSync(path.join(dir, 'user_ed25519')) } };
}

describe.skipIf(!have)('real OpenSSH sshd', () => {
  it('first contact: asks before any authentication, stores the key 0600, then key auth works', async () => {
    const file = path.join(dir, 'kh', 'known_hosts');
    const asked: string[] = [];
    const before = log.length;
    const refuse: ConnectOptions = { knownHosts: knownHostsStore({ file }), confirmHostKey: (h, fp) => (asked.push(`${h} ${fp}`), Promise.resolve(false)), readyTimeoutMs: 5000 };
    await expect(connect(target(), refuse)).rejects.toBeInstanceOf(HostKeyUnknownError);
    expect(asked).toEqual([`127.0.0.1:${port} ${hostKeyFingerprint()}`]);
    await new Promise((r) => setTimeout(r, 200));
    expect(log.slice(before)).not.toMatch(/Accepted|Failed publickey|Postponed/); // no auth attempt happened
    expect(existsSync(file)).toBe(false);

    const accept: ConnectOptions = { ...refuse, confirmHostKey: () => Promise.resolve(true) };
    const c = await connect(target(), accept);
    const out = await new Promise<string>((resolve, reject) =>
      c.exec('echo collabsec-ok', (err, ch) => {
        if (err) return reject(err);
        let s = '';
        ch.on('data', (b: Buffer) => (s += b.toString())).on('close', () => resolve(s));
      }),
    );
    c.end();
    expect(out.trim()).toBe('collabsec-ok');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const entries = parseKnownHosts(readFileSync(file, 'utf8'));
    expect(entries.map((e) => fingerprint(e.key))).toEqual([hostKeyFingerprint()]);
    expect(entries[0]!.hosts).toEqual([`[127.0.0.1]:${port}`]);

    // Second connection: trusted, no question.
    const again = await connect(target(), { ...refuse, confirmHostKey: () => Promise.reject(new Error('asked again')) });
    again.end();
  });

  it('private key with passphrase, and ssh-agent (never forwarded)', async () => {
    const file = path.join(dir, 'kh', 'known_hosts'); // trusted by the first test
    const o: ConnectOptions = { knownHosts: knownHostsStore({ file }), confirmHostKey: () => Promise.resolve(false), readyTimeoutMs: 5000 };
    const withPp = await connect({ ...target(), auth: { privateKey: readFileSync(path.join(dir, 'user_pp')), passphrase: 'pp-Secret-1' } }, o);
    withPp.end();
    if (!existsSync('/usr/bin/ssh-agent') || !existsSync('/usr/bin/ssh-add')) return;
    const sock = path.join(dir, 'agent.sock');
    agent = spawn('/usr/bin/ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
    for (let i = 0; i < 50 && !existsSync(sock); i++) await new Promise((r) => setTimeout(r, 50));
    execFileSync('/usr/bin/ssh-add', ['-q', path.join(dir, 'user_ed25519')], { env: { ...process.env, SSH_AUTH_SOCK: sock }, stdio: 'ignore' });
    const before = log.length;
    const viaAgent = await connect({ ...target(), auth: { agent: sock } }, o);
    viaAgent.end();
    await new Promise((r) => setTimeout(r, 200));
    expect(log.slice(before)).toMatch(/Accepted publickey/);
  });

  it('a changed host key is refused with the old and the new fingerprint', async () => {
    const file = path.join(dir, 'kh', 'known_hosts');
    const old = hostKeyFingerprint();
    await stopSshd();
    execFileSync('rm', ['-f', path.join(dir, 'host_ed25519'), path.join(dir, 'host_ed25519.pub')]);
    keygen(path.join(dir, 'host_ed25519'));
    await startSshd();
    const now = hostKeyFingerprint();
    const before = log.length;
    const err = await connect(target(), { knownHosts: knownHostsStore({ file }), confirmHostKey: () => Promise.resolve(true), readyTimeoutMs: 5000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostKeyChangedError);
    expect((err as Error).message).toContain(old);
    expect((err as Error).message).toContain(now);
    await new Promise((r) => setTimeout(r, 200));
    expect(log.slice(before)).not.toMatch(/Accepted/);
  });
});
