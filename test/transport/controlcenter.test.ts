// The Control Center Services client and service activation against the lab's simulator over real
// HTTPS on 127.0.0.1 (mounted on the lab's AXL tomcat, as on a Unified CM node), answering from
// the VOS service table a real SSH simulator prints: read first, deploy once, poll until Started;
// already Started → nothing sent; faults, 401, 403, a lost answer (in doubt, never re-sent) and a
// changed certificate (stops before the credentials leave). Polls are count-bounded.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startAxlSimulator, type AxlSimulator } from '../../src/lab/axl/index.js';
import { controlCenterService, type ControlCenterService } from '../../src/lab/controlcenter.js';
import { startVos } from '../../src/lab/server.js';
import type { DeviceHandle } from '../../src/lab/types.js';
import type { VosNodeState } from '../../src/lab/vos-state.js';
import { CONTROL_CENTER_PATH, serviceDeploymentBody, serviceStatusBody } from '../../src/plan/controlcenter-soap.js';
import { activateService, checkServicesStarted, ControlCenterError, createControlCenterClient, type ControlCenterClient } from '../../src/transport/controlcenter/index.js';
import { TlsPinChanged, tlsPinStore } from '../../src/transport/tls-pins.js';
import { openShell } from '../lab/helpers.js';

const USER = 'ccs-user';
const PASSWORD = 'p&ss<w0rd>:"secret"';
const CAPF = 'Cisco Certificate Authority Proxy Function';
const CES = 'Cisco Certificate Enrollment Service';
const FQDN = 'cm-pub.example.com';

let sim: AxlSimulator | undefined;
let vos: (DeviceHandle<VosNodeState> & { state: VosNodeState }) | undefined;
let client: ControlCenterClient | undefined;
let dir: string | undefined;
afterEach(async () => {
  client?.close();
  await sim?.close();
  await vos?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  sim = vos = client = dir = undefined;
});

async function setup(): Promise<{ ccs: ControlCenterService; node: VosNodeState; client: ControlCenterClient; sim: AxlSimulator; confirm: ReturnType<typeof vi.fn> }> {
  dir = mkdtempSync(join(tmpdir(), 'collabsec-ccs-'));
  vos = await startVos({ hostname: 'cm-pub', fqdn: FQDN, role: 'publisher', users: { admin: 'pw' }, services: ['Cisco Tomcat', 'Cisco CallManager'], installed: ['Cisco Tomcat', 'Cisco CallManager', CAPF, CES], restartMs: 40, bannerMs: 0 });
  sim = await startAxlSimulator({ users: { [USER]: PASSWORD }, commonName: FQDN });
  const ccs = controlCenterService({ users: { [USER]: PASSWORD }, node: vos.state });
  sim.mount(ccs.route);
  const confirm = vi.fn((_fp: string, _subject: string) => Promise.resolve(true));
  client = createControlCenterClient({ node: 'cm-pub', host: sim.host, port: sim.port, username: USER, password: PASSWORD, pins: tlsPinStore({ file: join(dir, 'tls_pins') }), confirm, timeoutMs: 20_000 });
  return { ccs, node: vos.state, client, sim, confirm };
}

const activation = (service: string, node = FQDN) => ({ service, read: { body: serviceStatusBody(service), path: CONTROL_CENTER_PATH }, write: { body: serviceDeploymentBody(node, 'Deploy', [service]), path: CONTROL_CENTER_PATH } });
// Count-bounded: generous for a busy machine, never a wall-clock assertion.
const poll = { pollCount: 400, pollIntervalMs: 25 };
const ops = (c: ControlCenterService): string[] => c.requests.map((r) => `${r.operation} ${r.status}`);

async function reject(p: Promise<unknown>): Promise<Error> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: Error) => e,
  );
}

/** `utils service list` over SSH on the node the simulator answers for. */
async function serviceList(): Promise<string> {
  const sh = await openShell(vos!.port, { username: 'admin', password: 'pw' });
  try {
    await sh.expect(/admin:$/, 20_000);
    sh.line('set cli pagination off');
    await sh.expect(/admin:$/, 20_000);
    sh.line('utils service list');
    return await sh.expect(/admin:$/, 20_000);
  } finally {
    sh.close();
  }
}

describe('Control Center Services client ↔ lab simulator', () => {
  it('reads a not-activated service, deploys it once and polls until Started; SSH `utils service list` agrees', async () => {
    const f = await setup();
    expect(await serviceList()).toContain(`${CAPF}[STOPPED]  Service Not Activated`);
    const before = await f.client.send({ body: serviceStatusBody(CAPF) });
    expect(before.services).toEqual([{ name: CAPF, status: 'Stopped', reasonCode: -1068, reason: 'Service Not Activated' }]);
    const beforeWrite = vi.fn(() => Promise.resolve());
    const r = await activateService(f.client, activation(CAPF), { ...poll, step: 'S021', beforeWrite });
    expect(r).toMatchObject({ service: CAPF, state: 'started', sent: true });
    expect(beforeWrite).toHaveBeenCalledTimes(1);
    expect(f.node.services[CAPF]).toBe('STARTED');
    expect(ops(f.ccs).filter((o) => o.startsWith('soapDoServiceDeployment'))).toEqual(['soapDoServiceDeployment 200']);
    expect(await serviceList()).toContain(`${CAPF}[STARTED]`);
    expect(await checkServicesStarted(f.client, [{ service: CAPF, read: activation(CAPF).read }])).toEqual({ ok: true, details: [`${CAPF}: Started`] });
    // The tomcat certificate was confirmed once (first use), like AXL's.
    expect(f.confirm).toHaveBeenCalledTimes(1);
  });

  it('already Started: recorded, nothing sent (one status read only)', async () => {
    const f = await setup();
    f.node.services[CES] = 'STARTED';
    const r = await activateService(f.client, activation(CES), poll);
    expect(r).toMatchObject({ state: 'in-place', sent: false, line: `${CES}: already Started — recorded, nothing sent` });
    expect(ops(f.ccs)).toEqual(['soapGetServiceStatus 200']);
  });

  it('Starting (an earlier deployment under way): waited for, never deployed again', async () => {
    const f = await setup();
    f.node.services[CES] = 'STARTING';
    setTimeout(() => (f.node.services[CES] = 'STARTED'), 100).unref();
    const r = await activateService(f.client, activation(CES), poll);
    expect(r).toMatchObject({ state: 'started', sent: false });
    expect(ops(f.ccs).every((o) => o.startsWith('soapGetServiceStatus'))).toBe(true);
  });

  it('a SOAP fault (NodeName of another node, an unknown service) is one line naming node, step, operation and service', async () => {
    const f = await setup();
    const e = await reject(activateService(f.client, activation(CAPF, 'cm-sub1.example.com'), { ...poll, step: 'S021' }));
    expect(e).toBeInstanceOf(ControlCenterError);
    expect(e.message).toBe(`cm-pub: S021 Control Center soapDoServiceDeployment "${CAPF}": refused: NodeName cm-sub1.example.com is not this node`);
    expect(f.node.services[CAPF]).toBe('NOT_ACTIVATED');
    const missing = await activateService(f.client, activation('Cisco DirSync'), poll);
    expect(missing).toMatchObject({ state: 'failed', sent: false });
    const unknown = await reject(f.client.send({ body: serviceDeploymentBody(FQDN, 'Deploy', ['Cisco DirSync']), step: 'S029', service: 'Cisco DirSync' }));
    expect((unknown as ControlCenterError).failure).toBe('fault');
  });

  it('401 and 403 stop with the inventory entry and the role to fix; the password is in no message', async () => {
    const f = await setup();
    f.ccs.fault('unauthorized');
    const e = (await reject(activateService(f.client, activation(CAPF), { ...poll, step: 'S021' }))) as ControlCenterError;
    expect(e.failure).toBe('auth-failed');
    expect(e.message).toContain('HTTP 401');
    expect(e.tryMessage).toContain('credentials.controlcenter');
    f.ccs.fault('no-serviceability-role');
    const g = (await reject(activateService(f.client, activation(CAPF), poll))) as ControlCenterError;
    expect(g.failure).toBe('forbidden');
    expect(g.tryMessage).toContain('Standard SERVICEABILITY Administration');
    for (const x of [e, g]) expect(`${x.message} ${x.tryMessage ?? ''}`).not.toContain(PASSWORD);
    expect(f.node.services[CAPF]).toBe('NOT_ACTIVATED');
  });

  it('a lost answer after the deployment left: in doubt, never sent again; the next run reads first and finds it Started', async () => {
    const f = await setup();
    client!.close();
    client = createControlCenterClient({ node: 'cm-pub', host: f.sim.host, port: f.sim.port, username: USER, password: PASSWORD, pins: tlsPinStore({ file: join(dir!, 'tls_pins') }), confirm: () => Promise.resolve(true), timeoutMs: 5_000 });
    // The read is answered; the deployment is applied and never answered.
    const deployments = () => f.ccs.requests.filter((r) => r.operation === 'soapDoServiceDeployment').length;
    const orig = f.ccs.route.answer;
    f.ccs.route.answer = (body, headers) => {
      if (body.includes('soapDoServiceDeployment')) f.ccs.hang({ apply: true });
      return orig(body, headers);
    };
    const r = await activateService(client, activation(CAPF), { ...poll, step: 'S021' });
    expect(r).toMatchObject({ state: 'in-doubt', sent: true });
    expect(r.line).toContain('nothing is sent again');
    expect(deployments()).toBe(1);
    f.ccs.route.answer = orig;
    // The resumed run: the status read first shows the deployment took effect; nothing is re-sent.
    for (let i = 0; i < 400 && f.node.services[CAPF] !== 'STARTED'; i++) await new Promise((res) => setTimeout(res, 25));
    const again = await activateService(client, activation(CAPF), poll);
    expect(again).toMatchObject({ state: 'in-place', sent: false });
    expect(deployments()).toBe(1);
  });

  it('a changed TLS certificate stops the call before the credentials are sent', async () => {
    const f = await setup();
    await f.client.send({ body: serviceStatusBody(CAPF) });
    const seen = f.ccs.requests.length;
    await f.sim.rotateCertificate();
    const e = await reject(activateService(f.client, activation(CAPF), poll));
    expect(e).toBeInstanceOf(TlsPinChanged);
    expect(f.ccs.requests.length).toBe(seen);
    expect(f.node.services[CAPF]).toBe('NOT_ACTIVATED');
  });

  it('refuses a body for another path, and AXL and Control Center Services share one tomcat', async () => {
    const f = await setup();
    await expect(f.client.send({ body: serviceStatusBody(CAPF), path: '/axl/' })).rejects.toThrow(/not the Control Center Services path/);
    expect(f.sim.requests).toEqual([]); // the AXL log holds AXL requests only
  });
});
