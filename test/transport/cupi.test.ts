// The CUPI client and the Unity Connection steps against the lab's CUPI simulator over real HTTPS
// on 127.0.0.1: read before write, nothing sent when in place, faults as one line.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { seedCupiState, startCupiSimulator, type CupiSimulator } from '../../src/lab/cupi.js';
import { createCupiClient, CupiError, runCupiTask, type CupiClient } from '../../src/transport/cupi/index.js';
import { TlsPinChanged, tlsPinStore } from '../../src/transport/tls-pins.js';

const USER = 'cuc-admin';
const PASSWORD = 'p&ss<w0rd>:"secret"';

let sim: CupiSimulator | undefined;
let client: CupiClient | undefined;
let dir: string | undefined;
afterEach(async () => {
  client?.close();
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  sim = client = dir = undefined;
});

async function setup(o: { portGroup?: string } = {}): Promise<{ sim: CupiSimulator; client: CupiClient; confirm: ReturnType<typeof vi.fn> }> {
  dir = mkdtempSync(join(tmpdir(), 'collabsec-cupi-'));
  sim = await startCupiSimulator({ users: { [USER]: PASSWORD }, state: seedCupiState({ portGroup: o.portGroup ?? 'PhoneSystem-1', callManagers: ['192.0.2.10', '192.0.2.11'] }) });
  const confirm = vi.fn((_fp: string, _subject: string) => Promise.resolve(true));
  client = createCupiClient({ node: 'us-cuc', host: sim.host, port: sim.port, username: USER, password: PASSWORD, pins: tlsPinStore({ file: join(dir, 'tls_pins') }), confirm, timeoutMs: 20_000 });
  return { sim, client, confirm };
}

async function reject(p: Promise<unknown>): Promise<Error> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: Error) => e,
  );
}

const writes = (s: CupiSimulator): string[] => s.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path.replace(/[0-9a-f-]{36}/g, '{id}')} ${r.body}`);

describe('CUPI client ↔ lab simulator', () => {
  it('S042: creates the 5061/TLS profile once, then finds it in place and sends nothing', async () => {
    const f = await setup();
    const first = await runCupiTask(f.client, { kind: 'sip-security-profile', port: 5061 }, { step: 'S042', mode: 'apply' });
    expect(first).toMatchObject({ ok: true, outcomes: [{ object: '5061/TLS', state: 'written' }] });
    expect(f.sim.state.sipSecurityProfiles.map((p) => p.DisplayName)).toContain('5061/TLS');
    expect(writes(f.sim)).toEqual(['POST /vmrest/sipsecurityprofiles {"Port":"5061","DoTLS":"true"}']);
    const again = await runCupiTask(f.client, { kind: 'sip-security-profile', port: 5061 }, { step: 'S042', mode: 'apply' });
    expect(again).toMatchObject({ ok: true, writes: [], outcomes: [{ state: 'in-place' }] });
    expect(writes(f.sim)).toHaveLength(1);
    expect(f.confirm).toHaveBeenCalledTimes(1);
  });

  it('S043/S044: secures the port group and its servers, reading back the same', async () => {
    const f = await setup();
    const check = await runCupiTask(f.client, { kind: 'port-group-security', portGroup: 'PhoneSystem-1', profilePort: 5061 }, { mode: 'check' });
    expect(check.ok).toBe(false);
    await runCupiTask(f.client, { kind: 'sip-security-profile', port: 5061 }, { mode: 'apply' });
    const sec = await runCupiTask(f.client, { kind: 'port-group-security', portGroup: 'PhoneSystem-1', profilePort: 5061 }, { step: 'S043', mode: 'apply' });
    expect(sec.ok).toBe(true);
    expect(f.sim.state.portGroups[0]).toMatchObject({ SipDoSRTP: 'true', SipEnableNextGenSecurity: 'true' });
    const srv = await runCupiTask(f.client, { kind: 'port-group-servers', portGroup: 'PhoneSystem-1', tlsPort: 5061, tftp: ['192.0.2.12'] }, { step: 'S044', mode: 'apply' });
    expect(srv.ok).toBe(true);
    expect(srv.writes.map((w) => w.readable)).toEqual(['PUT port group PhoneSystem-1 server 192.0.2.10 TlsPort=5061', 'PUT port group PhoneSystem-1 server 192.0.2.11 TlsPort=5061', 'POST port group PhoneSystem-1 TFTP server 192.0.2.12']);
    const before = f.sim.requests.length;
    for (const task of [
      { kind: 'port-group-security', portGroup: 'PhoneSystem-1', profilePort: 5061 },
      { kind: 'port-group-servers', portGroup: 'PhoneSystem-1', tlsPort: 5061, tftp: ['192.0.2.12'] },
    ] as const) {
      const r = await runCupiTask(f.client, task, { mode: 'check' });
      expect(r).toMatchObject({ ok: true, writes: [] });
    }
    expect(f.sim.requests.slice(before).every((r) => r.method === 'GET')).toBe(true);
  });

  it('S125: blocks the named patterns in every table a class of service uses, never touching an operator permit', async () => {
    const f = await setup();
    const outdial = f.sim.state.restrictionTables.find((t) => t.DisplayName === 'Default Outdial')!;
    f.sim.state.restrictionPatterns.get(outdial.ObjectId!)!.unshift({ ObjectId: '00000000-0000-4000-8000-000000000001', NumberPattern: '9011*', Blocked: 'false', SequenceNumber: '0' });
    const r = await runCupiTask(f.client, { kind: 'restriction-patterns', tables: [], blocked: ['9011*', '91900*'] }, { step: 'S125', mode: 'apply' });
    expect(r.ok).toBe(false);
    expect(r.outcomes).toContainEqual({ object: 'Default Outdial 9011*', state: 'differs', detail: 'the pattern is there and permitted' });
    expect(f.sim.state.restrictionPatterns.get(outdial.ObjectId!)!.find((p) => p.NumberPattern === '9011*')!.Blocked).toBe('false');
    const transfer = f.sim.state.restrictionTables.find((t) => t.DisplayName === 'Default Transfer')!;
    expect(f.sim.state.restrictionPatterns.get(transfer.ObjectId!)!.map((p) => [p.NumberPattern, p.Blocked])).toEqual([['9011*', 'true'], ['91900*', 'true'], ['*', 'false']]);
    const sys = f.sim.state.restrictionTables.find((t) => t.DisplayName === 'Default System Transfer')!;
    expect(f.sim.state.restrictionPatterns.get(sys.ObjectId!)).toHaveLength(1);
    expect(f.sim.requests.some((q) => q.method === 'DELETE')).toBe(false);
  });

  it('401: one line naming step, operation and user, no password', async () => {
    const f = await setup();
    f.sim.fault('unauthorized');
    const e = await reject(runCupiTask(f.client, { kind: 'sip-security-profile', port: 5061 }, { step: 'S042', mode: 'apply' }));
    expect(e).toBeInstanceOf(CupiError);
    expect(e.message).toMatch(/^us-cuc: S042 CUPI GET \/vmrest\/sipsecurityprofiles "5061\/TLS": the Unity Connection administrator "cuc-admin" was refused \(HTTP 401/);
    expect(e.message).not.toContain('secret');
    expect(e.message).not.toContain('\n');
  });

  it('an unknown port group stops the step before anything is written', async () => {
    const f = await setup();
    const e = await reject(runCupiTask(f.client, { kind: 'port-group-security', portGroup: 'PhoneSystem-9', profilePort: 5061 }, { step: 'S043', mode: 'apply' }));
    expect(e.message).toMatch(/^us-cuc: S043 CUPI GET \/vmrest\/portgroups "PhoneSystem-9": no port group of that name \(there are: PhoneSystem-1\)/);
    expect(writes(f.sim)).toEqual([]);
    // An id that is not there: the server's 404 as one line.
    const nf = await reject(f.client.send({ method: 'GET', path: '/vmrest/portgroups/00000000-0000-4000-8000-00000000abcd', operation: 'GET port group', object: 'PhoneSystem-1' }));
    expect(nf.message).toBe('us-cuc: CUPI GET port group "PhoneSystem-1": not found (HTTP 404): port group not found');
  });

  it('a changed TLS certificate stops the run before the credentials are sent', async () => {
    const f = await setup();
    await runCupiTask(f.client, { kind: 'sip-security-profile', port: 5061 }, { mode: 'check' });
    await f.sim.rotateCertificate();
    const n = f.sim.requests.length;
    const e = await reject(runCupiTask(f.client, { kind: 'sip-security-profile', port: 5061 }, { mode: 'check' }));
    expect(e).toBeInstanceOf(TlsPinChanged);
    expect(f.sim.requests.length).toBe(n);
  });

  it('hostile names cannot change a request: the port group name never reaches a path or a query', async () => {
    const evil = 'PG/../../coses?x=1 (DisplayName is x)"\\';
    const f = await setup({ portGroup: evil });
    const r = await runCupiTask(f.client, { kind: 'sip-security-profile', port: 5061 }, { mode: 'apply' });
    expect(r.ok).toBe(true);
    const sec = await runCupiTask(f.client, { kind: 'port-group-security', portGroup: evil, profilePort: 5061 }, { mode: 'apply' });
    expect(sec.ok).toBe(true);
    for (const q of f.sim.requests) expect(q.path).toMatch(/^\/vmrest\/[a-z]+(\/[0-9a-f-]{36}(\/[a-z]+(\/[0-9a-f-]{36})?)?)?(\?rowsPerPage=\d+&pageNumber=\d+)?$/);
    await expect(runCupiTask(f.client, { kind: 'restriction-patterns', tables: ['Default Transfer'], blocked: ['9011*"},{"x":"'] }, { mode: 'apply' })).rejects.toThrow(/not a restriction pattern/);
  });
});
