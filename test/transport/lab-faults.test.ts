// Faults injected by the shared simulators (src/lab faults) and a silent network partition
// (reliability.md cases 12, 13, 15).
import { writeFileSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knownHostsLine, startIos, startVos, type DeviceHandle } from '../../src/lab/server.js';
import { executeAction } from '../../src/transport/executor.js';
import { SessionPool, type SessionOptions } from '../../src/transport/session.js';
import { formatEntry, knownHostsStore } from '../../src/transport/ssh/known-hosts.js';
import { action, cmd, tmp } from './helpers.js';

const users = { administrator: 'L4b-pass!' };
let vos: DeviceHandle;
let ios: DeviceHandle;
beforeAll(async () => {
  [vos, ios] = await Promise.all([startVos({ hostname: 'f-pub', role: 'publisher', users, restartMs: 100 }), startIos({ hostname: 'f-cube', users })]);
});
afterAll(async () => {
  await vos.close();
  await ios.close();
});

function pool(dev: DeviceHandle, platform: 'vos' | 'ios', extra: Partial<SessionOptions> = {}, port = dev.port): SessionPool {
  const dir = tmp();
  const file = path.join(dir, 'kh');
  writeFileSync(file, `${knownHostsLine(dev)}\n${formatEntry('127.0.0.1', port, dev.hostPublicKey)}`);
  const opts: SessionOptions = { knownHosts: knownHostsStore({ file }), confirmHostKey: () => Promise.resolve(false), readyTimeoutMs: 5000, ...extra };
  return new SessionPool((node) => ({ node, host: '127.0.0.1', port, username: 'administrator', auth: { password: users.administrator }, platform }), opts);
}

describe('lab faults', () => {
  it('silence after a restart: timeout within ±10% of the budget, in doubt, the device got the command once', async () => {
    const p = pool(vos, 'vos');
    const s = await p.get('pub');
    vos.faults.silentAfter = '^utils service restart';
    try {
      const n = vos.received.length;
      const r = await executeAction(action('pub', 'vos', [cmd('utils service restart Cisco Tomcat', [], 2000)]), s);
      expect(r.status).toBe('in-doubt');
      expect(Math.abs(r.commands[0]!.elapsedMs - 2000)).toBeLessThanOrEqual(200);
      expect(vos.received.slice(n)).toEqual(['utils service restart Cisco Tomcat']);
    } finally {
      delete vos.faults.silentAfter;
      await p.closeAll();
    }
  });

  it('drop mid-command: interrupted with the output so far', async () => {
    const p = pool(vos, 'vos');
    const s = await p.get('pub');
    vos.faults.dropAfter = '^utils service restart';
    try {
      const r = await executeAction(action('pub', 'vos', [cmd('utils service restart Cisco Tomcat', [], 5000)]), s);
      expect(r.status).toBe('interrupted');
      expect(r.commands[0]!.output).toContain('utils service restart Cisco Tomcat');
    } finally {
      delete vos.faults.dropAfter;
      await p.closeAll();
    }
  });

  it('unexpected question on IOS: stopped, nothing answered', async () => {
    const p = pool(ios, 'ios');
    const s = await p.get('cube');
    ios.faults.unexpectedQuestion = { after: '^crypto key generate', question: '% Do you really want to replace them? [yes/no]: ' };
    try {
      const n = ios.received.length;
      const r = await executeAction(action('cube', 'ios', [cmd('crypto key generate rsa general-keys label CUBE-ENT modulus 2048'), cmd('crypto pki trustpoint X')], true), s);
      expect(r.status).toBe('needs-operator');
      expect(r.commands.at(-1)!.question).toBe('% Do you really want to replace them? [yes/no]:');
      await new Promise((res) => setTimeout(res, 200));
      expect(ios.received.slice(n)).toEqual(['configure terminal', 'crypto key generate rsa general-keys label CUBE-ENT modulus 2048']);
    } finally {
      delete ios.faults.unexpectedQuestion;
      await p.closeAll();
    }
  });
});

describe('silent network partition (case 13)', () => {
  let proxy: Server;
  let blackhole = false;
  const pairs: [Socket, Socket][] = [];
  beforeAll(async () => {
    // A TCP relay that can stop forwarding without FIN or RST, like a dead link.
    proxy = createServer((c) => {
      const u = createConnection(vos.port, '127.0.0.1');
      pairs.push([c, u]);
      c.on('data', (b) => blackhole || u.write(b));
      u.on('data', (b) => blackhole || c.write(b));
      c.on('error', () => undefined);
      u.on('error', () => undefined);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  });
  afterAll(() => {
    for (const [a, b] of pairs) {
      a.destroy();
      b.destroy();
    }
    proxy.close();
  });

  it('a healthy idle session survives keepalives; a partition is detected within interval × (count + 1) + margin', async () => {
    const port = (proxy.address() as { port: number }).port;
    const p = pool(vos, 'vos', { keepaliveIntervalMs: 200, keepaliveCountMax: 2 }, port);
    const s = await p.get('pub');
    await new Promise((r) => setTimeout(r, 1000)); // idle for 5 keepalive intervals
    expect(s.shell.closed).toBeNull();
    expect((await executeAction(action('pub', 'vos', [cmd('show version active')]), s)).status).toBe('ok');
    blackhole = true;
    const t0 = Date.now();
    const r = await executeAction(action('pub', 'vos', [cmd('utils service restart Cisco Tomcat', [], 20_000)]), s);
    expect(r.status).toBe('interrupted');
    expect(Date.now() - t0).toBeLessThan(200 * 3 + 400);
    await p.closeAll();
  });
});
