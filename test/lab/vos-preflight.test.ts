// The VOS simulator's pre-flight reads over real SSH (src/lab/vos-preflight.ts): each answers in
// the layout its parser cites and passes it on a healthy cluster; each fault the lab can inject
// makes the same parser fail, as the pre-flight step would on a real cluster.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { newVosCluster, startVos, type DeviceHandle, type VosNodeState } from '../../src/lab/server.js';
import type { VosClusterState } from '../../src/lab/vos-state.js';
import { parsers } from '../../src/verify/parsers/index.js';
import { cmd, openShell, type Shell } from './helpers.js';

const P = /admin:$/;
const users = { administrator: 'S3cret!' };
let cluster: VosClusterState;
let pub: DeviceHandle<VosNodeState>;
let sub: DeviceHandle<VosNodeState>;
let sh: Shell;

const healthy = () => ({ ...newVosCluster().preflight });

beforeAll(async () => {
  cluster = newVosCluster();
  pub = await startVos({ hostname: 'us-cm-pub', fqdn: 'us-cm-pub.ent-pa.com', role: 'publisher', users, cluster, bannerMs: 0 });
  sub = await startVos({ hostname: 'us-cm-sub1', fqdn: 'us-cm-sub1.ent-pa.com', role: 'subscriber', users, cluster, bannerMs: 0 });
  sh = await openShell(pub.port, { username: 'administrator', password: 'S3cret!' });
  await sh.expect(P);
  await cmd(sh, 'set cli pagination off', P);
});
afterAll(async () => {
  sh.close();
  await pub.close();
  await sub.close();
});
beforeEach(() => {
  cluster.preflight = healthy();
  cluster.exportControlled = true;
});

/** Runs the command on the publisher and judges it with the named parser. */
async function check(line: string, parser: string, args: Record<string, string | string[]> = {}) {
  const out = await cmd(sh, line, P);
  return { out, ...parsers[parser]!(out, args) };
}

describe('VOS lab pre-flight reads, healthy cluster', () => {
  it('resolves each node forward and back, locally and through DNS (TAC 217581 layout)', async () => {
    const f = await check('utils network host us-cm-sub1.ent-pa.com', 'vos-network-host', { expect: '127.0.0.1' });
    expect(f.out).toContain('us-cm-sub1.ent-pa.com resolves locally to 127.0.0.1');
    expect(f.ok).toBe(true);
    const r = await check('utils network host 127.0.0.1', 'vos-network-host', { expect: 'us-cm-pub.ent-pa.com' });
    expect(r.out).toContain('1.0.0.127.in-addr.arpa domain name pointer us-cm-pub.ent-pa.com.');
    expect(r.ok).toBe(true);
    expect((await check('utils network host nosuch.ent-pa.com', 'vos-network-host', { expect: '127.0.0.1' })).ok).toBe(false);
  });

  it('answers NTP, diagnostics, replication, cluster, licence and DRS history so that each check passes', async () => {
    expect((await check('utils ntp status', 'vos-ntp-status', { maxStratum: '5' })).details).toEqual(['synchronised to 192.0.2.123 at stratum 3']);
    expect((await check('utils diagnose test', 'vos-diagnose-test')).ok).toBe(true);
    const repl = await check('utils dbreplication runtimestate', 'vos-dbreplication');
    expect(repl.details).toEqual(['us-cm-pub: (2) Setup Completed', 'us-cm-sub1: (2) Setup Completed']);
    expect(repl.ok).toBe(true);
    expect((await check('show network cluster', 'vos-network-cluster', { nodes: ['us-cm-pub.ent-pa.com', 'us-cm-sub1.ent-pa.com'] })).ok).toBe(true);
    expect((await check('show license all', 'vos-license-export')).ok).toBe(true);
    expect((await check('utils disaster_recovery history backup', 'vos-drs-history')).ok).toBe(true);
  });

  it('prints the ITL and the other baselines (vos-read)', async () => {
    const itl = await check('show itl', 'vos-read');
    expect(itl.ok).toBe(true);
    expect(itl.out).toMatch(/FUNCTION\s+System Administrator Security Token/);
    expect(itl.out).toContain('The ITL file was verified successfully.');
    expect((await check('show ctl', 'vos-read')).ok).toBe(true); // "CTL File not found" before mixed mode: a baseline too
    expect((await check('show cert list own', 'vos-read')).ok).toBe(true);
  });
});

describe('VOS lab pre-flight faults fail the checks', () => {
  it('DNS without a PTR record (reverse), or without the A record (forward)', async () => {
    cluster.preflight.dnsMissing = ['127.0.0.1', 'us-cm-sub1.ent-pa.com'];
    const r = await check('utils network host 127.0.0.1', 'vos-network-host', { expect: 'us-cm-pub.ent-pa.com' });
    expect(r.details).toEqual(['DNS has no answer (No external servers found)']);
    expect((await check('utils network host us-cm-sub1.ent-pa.com', 'vos-network-host', { expect: '127.0.0.1' })).ok).toBe(false);
  });

  it('NTP unsynchronised', async () => {
    cluster.preflight.ntpStratum = undefined;
    expect((await check('utils ntp status', 'vos-ntp-status', { maxStratum: '5' })).details).toEqual(['NTP unsynchronised']);
  });

  it('a failing diagnostic module', async () => {
    cluster.preflight.diagnoseFailures = { validate_network: 'Reverse DNS lookup failed' };
    expect((await check('utils diagnose test', 'vos-diagnose-test')).details[0]).toBe('validate_network: Reverse DNS lookup failed');
  });

  it('replication not in state 2', async () => {
    cluster.preflight.replicationState = 3;
    const r = await check('utils dbreplication runtimestate', 'vos-dbreplication');
    expect(r.ok).toBe(false);
    expect(r.details[0]).toBe('us-cm-pub: (3) Out Of Sync');
  });

  it('export-controlled functionality not allowed, and a failed latest backup', async () => {
    cluster.exportControlled = false;
    expect((await check('show license all', 'vos-license-export')).ok).toBe(false);
    cluster.preflight.backups.push({ file: '2026-12-12-02-00-00.tar', result: 'ERROR' });
    expect((await check('utils disaster_recovery history backup', 'vos-drs-history')).ok).toBe(false);
  });
});
