// The transport against the shared device simulators (src/lab): a VOS cluster, an IOS CUBE and
// a CMS node over real SSH on loopback, with their own state (mixed mode, imported certs).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newKeyPair, selfSigned } from '../../src/lab/pki.js';
import { knownHostsLine, newVosCluster, startCms, startIos, startVos, type DeviceHandle } from '../../src/lab/server.js';
import { HostKeyChangedError } from '../../src/transport/errors.js';
import { executeAction, runVerify } from '../../src/transport/executor.js';
import { runActions } from '../../src/transport/rolling.js';
import { SessionPool, type LiveTarget } from '../../src/transport/session.js';
import { knownHostsStore } from '../../src/transport/ssh/known-hosts.js';
import { action, cmd, tmp } from './helpers.js';

const users = { administrator: 'L4b-pass!' };
const devs: Record<string, DeviceHandle> = {};
const platformOf: Record<string, LiveTarget['platform']> = { pub: 'vos', sub1: 'vos', sub2: 'vos', cube: 'ios', cms: 'mmp' };
let pool: SessionPool;
let caPem: string;

function opts(dir: string) {
  const file = path.join(dir, 'known_hosts');
  writeFileSync(file, Object.values(devs).map((d) => knownHostsLine(d) + '\n').join(''), { mode: 0o600 });
  return { knownHosts: knownHostsStore({ file }), confirmHostKey: () => Promise.resolve(false), readyTimeoutMs: 5000, transcriptDir: path.join(dir, 't') };
}
function targetOf(node: string): LiveTarget {
  const d = devs[node]!;
  return { node, host: '127.0.0.1', port: d.port, username: 'administrator', auth: { password: users.administrator }, platform: platformOf[node]! };
}

beforeAll(async () => {
  const cluster = newVosCluster();
  const [pub, sub1, sub2, cube, cms] = await Promise.all([
    startVos({ hostname: 'cm-pub', role: 'publisher', users, cluster, restartMs: 150 }),
    startVos({ hostname: 'cm-sub1', role: 'subscriber', users, cluster, restartMs: 150 }),
    startVos({ hostname: 'cm-sub2', role: 'subscriber', users, cluster, restartMs: 150 }),
    startIos({ hostname: 'cube1', users }),
    startCms({ hostname: 'cms1', users }),
  ]);
  Object.assign(devs, { pub, sub1, sub2, cube, cms });
  pool = new SessionPool(targetOf, opts(tmp()));
  caPem = await selfSigned('CN=Enterprise Root CA', await newKeyPair(), true);
});
afterAll(async () => {
  await pool.closeAll();
  await Promise.all(Object.values(devs).map((d) => d.close()));
});

describe('against the lab simulators', () => {
  it('imports the enterprise CA into tomcat-trust and sees it in show cert list trust', async () => {
    const s = await pool.get('pub');
    const r = await executeAction(action('pub', 'vos', [cmd('set cert import trust tomcat', [{ expect: 'Paste the Certificate and Hit Enter', paste: 'ca.pem', terminator: '' }])]), s, {
      readPaste: () => Promise.resolve(caPem),
    });
    expect(r.status, r.commands[0]?.output).toBe('ok');
    const v = await runVerify({ command: 'show cert list trust', parser: 'vos-cert-list', args: { unit: 'tomcat-trust' } }, s);
    expect(v.ok, v.details.join('\n') + v.output).toBe(true);
  });

  it('sets mixed mode through the declared (y/n) and reads it back', async () => {
    const s = await pool.get('pub');
    const r = await executeAction(action('pub', 'vos', [cmd('utils ctl set-cluster mixed-mode', [{ expect: 'Do you want to continue? (y/n)', answer: 'y' }], 30_000)]), s, { answerCharDelayMs: 0 });
    expect(r.status, r.commands[0]?.output).toBe('ok');
    const v = await runVerify({ command: "run sql select paramname,paramvalue from processconfig where paramname='ClusterSecurityMode'", parser: 'vos-cluster-security-mode', args: { expected: '1' } }, s);
    expect(v.ok, v.output).toBe(true);
  });

  it('rolls a restart over the cluster publisher first, gated on STARTED, one connection per node', async () => {
    const order: string[] = [];
    const restart = (n: string) => action(n, 'vos', [cmd('utils service restart Cisco Tomcat', [], 30_000)]);
    const sum = await runActions([restart('sub2'), restart('pub'), restart('sub1')], pool, { first: 'pub', healthIntervalMs: 100 }, {});
    expect(sum.ok, sum.lines.join('\n')).toBe(true);
    for (const n of sum.nodes) order.push(n.node);
    expect(order).toEqual(['pub', 'sub2', 'sub1']);
    expect(sum.nodes.every((n) => n.health !== undefined)).toBe(true);
    for (const n of ['pub', 'sub1', 'sub2']) expect(pool.opened.get(n)).toBe(1);
    expect(devs.pub!.connections).toBe(1);
  });

  it('a failing node blocks the rest; the summary names every node', async () => {
    const bad = action('sub1', 'vos', [cmd('utils service restart No Such Service')]);
    const ok = (n: string) => action(n, 'vos', [cmd('utils service list')]);
    const sum = await runActions([ok('pub'), bad, ok('sub2')], pool, { first: 'pub', healthGate: null });
    expect(sum.ok).toBe(false);
    expect(sum.nodes.map((n) => n.status)).toEqual(['ok', 'failed', 'not-started']);
    expect(sum.lines[1]).toMatch(/^sub1: failed .*Executed command unsuccessfully/);
  });

  it('parallel: a failure does not stop a node already running, but no further node starts; intent is journaled before each send', async () => {
    const journal: string[] = [];
    const slow = action('pub', 'vos', [cmd('utils service restart Cisco Tomcat', [], 30_000)]);
    const bad = action('sub1', 'vos', [cmd('utils service restart No Such Service')]);
    const later = action('sub2', 'vos', [cmd('utils service restart Cisco Tomcat')]);
    const n = devs.sub2!.received.length;
    const sum = await runActions([slow, bad, later], pool, { parallel: 2, healthGate: null }, {
      onCommandStart: async (node, _i, line) => {
        await new Promise((r) => setTimeout(r, 5)); // an fsync'd journal write
        journal.push(`intent ${node} ${line}`);
      },
      onCommandEnd: (node, r) => void journal.push(`outcome ${node} ${r.status}`),
    });
    expect(sum.nodes.map((x) => x.status)).toEqual(['ok', 'failed', 'not-started']);
    expect(sum.ok).toBe(false);
    expect(devs.sub2!.received.length).toBe(n);
    expect(journal.indexOf('intent pub utils service restart Cisco Tomcat')).toBeLessThan(journal.indexOf('outcome pub ok'));
    expect(devs.pub!.received.at(-1)).toBe('utils service restart Cisco Tomcat');
  });

  it('runs IOS and CMS steps and their verifications', async () => {
    const cube = await pool.get('cube');
    const r = await executeAction(action('cube', 'ios', [cmd('crypto pki trustpoint CUBE-ENT'), cmd('enrollment terminal pem'), cmd('exit')], true), cube);
    expect(r.status, r.commands.map((c) => c.output).join('')).toBe('ok');
    const run = await runVerify({ command: 'show running-config', parser: 'ios-running-config-contains', args: { lines: ['crypto pki trustpoint CUBE-ENT', 'enrollment terminal pem'] } }, cube);
    expect(run.ok, run.details.join('; ')).toBe(true);
    const cms = await pool.get('cms');
    const p = await runVerify({ command: 'pki list', parser: 'cms-pki-list', args: {} }, cms);
    expect(p.output).toContain('pki list');
  });

  it('a changed host key stops the connection with both fingerprints', async () => {
    const d = devs.sub2!;
    const old = d.hostKeyFingerprint;
    const fresh = new SessionPool(targetOf, opts(tmp()));
    d.faults.rekeyHostKey = true;
    const err = await fresh.get('sub2').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostKeyChangedError);
    expect((err as Error).message).toContain(old);
    expect((err as HostKeyChangedError).newFingerprint).not.toBe(old);
    expect((err as Error).message).toContain((err as HostKeyChangedError).newFingerprint);
  });
});
