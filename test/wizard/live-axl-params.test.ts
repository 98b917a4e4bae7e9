// Unified CM parameters through AXL (issues 21, 22) against the lab's AXL simulator over real
// HTTPS on 127.0.0.1, every request validated against the published XSD of its version: the
// service parameters of S121 and S028 are written with updateServiceParameter and read back with
// getServiceParameter; the enterprise parameters of S001, S011 and S119 and the enumerated service
// parameters of S122 and S028 are only read back (never written); the plan refuses an unknown
// parameter or a value outside its kind before anything is sent.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { seedParameters } from '../../src/lab/axl/seed.js';
import { startAxlSimulator, type AxlSimulator } from '../../src/lab/axl/index.js';
import type { PlannedStep } from '../../src/plan/types.js';
import { checkParameterFields, KNOWN_PARAMETERS, ParameterError } from '../../src/catalogue/axl-params.js';
import { textOf } from '../../src/transport/axl/index.js';
import { axlPort, type AxlPort } from '../../src/wizard/live-axl.js';
import type { RunHooks } from '../../src/wizard/types.js';
import { planOf, step } from '../golden/harness.js';
import { validateAxlRequest } from '../support/axl-schema.js';

const USER = 'axl-collabsec';
const PASSWORD = 'lab <&> "pw"';
const example = planOf();

let sim: AxlSimulator | undefined;
let dir: string | undefined;
let port: AxlPort | undefined;

async function start(version: '12.5' | '14' | '15' = '15'): Promise<{ sim: AxlSimulator; port: AxlPort; publisher: string }> {
  dir = mkdtempSync(join(tmpdir(), 'collabsec-axl-params-'));
  sim = await startAxlSimulator({ users: { [USER]: PASSWORD }, cucmVersion: version, validate: validateAxlRequest });
  port = axlPort({ credential: { username: USER, password: PASSWORD }, pinsFile: join(dir, 'tls_pins'), confirmCertificate: () => Promise.resolve(true), timeoutMs: 2_000 });
  // The publisher's process node as the plan names it (S121's first field).
  const publisher = step(example, 'S121')!.checkpoint.readBack![0]!.expect[0]!.value;
  seedParameters(sim.state, publisher);
  return { sim, port, publisher };
}

/** The example's step, aimed at the simulator, speaking `schema`. */
function aimed(id: string, schema?: string): PlannedStep {
  const s = structuredClone(step(example, id)!);
  for (const a of s.actions) if (a.axlEndpoint) a.axlEndpoint = { ...a.axlEndpoint, host: sim!.host, port: sim!.port, ...(schema ? { version: schema } : {}) };
  return s;
}

function hooks(): RunHooks {
  return { progress: () => undefined, signal: new AbortController().signal };
}

afterEach(async () => {
  port?.close();
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  sim = undefined;
  port = undefined;
  dir = undefined;
});

const key = (node: string, service: string, name: string) => `${node} / ${name} / ${service}`;

describe('service parameters written and read back', () => {
  it.each([
    ['12.5', '12.5'],
    ['14', '14.0'],
    ['15', '15.0'],
  ] as const)('S121 on %s: Block OffNet to OffNet Transfer is set, read back, and a second run writes nothing', async (version, schema) => {
    const { sim, port, publisher } = await start(version);
    const s = aimed('S121', schema);
    expect(s.actions[0]!.axl!.map((r) => r.operation)).toEqual(['updateServiceParameter']);
    expect((await port.verify(s)).outcome).toBe('failed'); // F before the step
    const first = await port.run(s, hooks());
    expect(first.outcome, first.summary).toBe('ok');
    expect(sim.state.get('ServiceParameter', key(publisher, 'Cisco CallManager', 'BlockOffNetToOffNetTransfer'))?.value).toBe('true');
    expect((await port.verify(s)).outcome).toBe('passed');
    const writes = sim.state.events.length;
    const again = await port.run(s, hooks());
    expect(again.summary).toContain('already in place; nothing written');
    expect(sim.state.events.length).toBe(writes);
    expect(sim.rejected).toEqual([]);
    const ops = sim.requests.map((r) => r.operation);
    expect(ops).toContain('updateServiceParameter');
    expect(ops).toContain('getServiceParameter');
  });

  it('a boolean stored as T reads as true: nothing written', async () => {
    const { sim, port, publisher } = await start();
    sim.state.put('ServiceParameter', { processNodeName: publisher, name: 'BlockOffNetToOffNetTransfer', service: 'Cisco CallManager', value: 'T', valueType: 'boolean' });
    const out = await port.run(aimed('S121'), hooks());
    expect(out.summary).toContain('already in place; nothing written');
    expect(sim.state.events).toEqual([]);
  });

  it('S028: the online CA host, port, template and user are written; the issuer and CA type are read back only', async () => {
    const { sim, port, publisher } = await start();
    const s = aimed('S028');
    const writes = s.actions[0]!.axl!;
    expect(writes.map((r) => r.fields[1]!.value)).toEqual(['OnlineCAHostname', 'OnlineCAPort', 'OnlineCATemplate', 'OnlineCAUsername']);
    expect(s.checkpoint.readBack!.map((r) => r.expect[1]!.value)).toEqual([...writes.map((r) => r.fields[1]!.value), 'CertificateIssuerToEndpoint', 'OnlineCAType']);
    const out = await port.run(s, hooks());
    expect(out.outcome, out.summary).toBe('ok');
    const capf = (name: string) => textOf(sim.state.get('ServiceParameter', key(publisher, 'Cisco Certificate Authority Proxy Function', name))?.value);
    expect([capf('OnlineCAHostname'), capf('OnlineCAPort'), capf('OnlineCATemplate'), capf('OnlineCAUsername')]).toEqual(['us-ca.ent-pa.com', '443', 'CiscoLSC', 'capf-enroll']);
    // The port was already 443 (the seeded default): three writes.
    expect(sim.state.events.map((e) => e.operation)).toEqual(Array(3).fill('updateServiceParameter'));
    // The issuer is still CAPF's own: the check fails, naming it, until the operator sets Online CA.
    const v = await port.verify(s);
    expect(v.outcome).toBe('failed');
    expect(v.summary).toMatch(/CertificateIssuerToEndpoint.*value is "0", planned "2"/);
    sim.state.put('ServiceParameter', { processNodeName: publisher, name: 'CertificateIssuerToEndpoint', service: 'Cisco Certificate Authority Proxy Function', value: '2', valueType: 'long' });
    expect((await port.verify(s)).outcome).toBe('passed');
    expect(sim.rejected).toEqual([]);
  });
});

describe('parameters read back only', () => {
  it.each(['S001', 'S011', 'S119', 'S122'])('%s: no AXL write in the plan; the checkpoint reads the parameter', (id) => {
    const s = step(example, id)!;
    expect(s.actions.every((a) => a.axl === undefined)).toBe(true);
    expect(s.checkpoint.readBack!.every((r) => r.operation === 'getServiceParameter' && r.object === 'ServiceParameter')).toBe(true);
  });

  it('S001 passes at the RSA defaults; S011, S119, S122 fail until the GUI change, then pass; nothing is ever written', async () => {
    const { sim, port, publisher } = await start('14');
    expect((await port.verify(aimed('S001', '14.0'))).outcome).toBe('passed');
    for (const id of ['S011', 'S119', 'S122']) expect((await port.verify(aimed(id, '14.0'))).outcome, id).toBe('failed');
    const ent = (name: string, value: string) => sim.state.put('ServiceParameter', { processNodeName: 'EnterpriseWideData', name, service: 'Enterprise Wide', value, valueType: 'long' });
    ent('CertificateValidityCheck', 'T');
    ent('LBMSecurityMode', '1');
    sim.state.put('ServiceParameter', { processNodeName: publisher, name: 'DropAdHocConference', service: 'Cisco CallManager', value: '2', valueType: 'long' });
    for (const id of ['S011', 'S119', 'S122']) expect((await port.verify(aimed(id, '14.0'))).outcome, id).toBe('passed');
    expect(sim.state.events).toEqual([]);
    expect(sim.rejected).toEqual([]);
  });

  it('an unknown parameter on the server is a failed check naming it', async () => {
    const { sim, port } = await start();
    sim.state.remove('ServiceParameter', 'EnterpriseWideData / LBMSecurityMode / Enterprise Wide');
    const v = await port.verify(aimed('S119'));
    expect(v.outcome).toBe('failed');
    expect(v.summary).toContain('not found');
  });
});

describe('parameter values are checked before any request', () => {
  const f = (node: string, name: string, service: string, value: string) => [
    { name: 'processNodeName', value: node },
    { name: 'name', value: name },
    { name: 'service', value: service },
    { name: 'value', value },
  ];
  const CAPF = 'Cisco Certificate Authority Proxy Function';
  it.each([
    ['an unknown name', f('cucm1.example.com', 'SomethingElse', 'Cisco CallManager', 'true'), 'update'],
    ['a free-text host name', f('cucm1.example.com', 'OnlineCAHostname', CAPF, "ca.example.com' or '1'='1"), 'update'],
    ['a port out of range', f('cucm1.example.com', 'OnlineCAPort', CAPF, '70000'), 'update'],
    ['a boolean that is not one', f('cucm1.example.com', 'BlockOffNetToOffNetTransfer', 'Cisco CallManager', 'yes'), 'update'],
    ['a write of a read-back-only parameter', f('EnterpriseWideData', 'LBMSecurityMode', 'Enterprise Wide', '1'), 'update'],
    ['an enumerated value outside its codes', f('EnterpriseWideData', 'LBMSecurityMode', 'Enterprise Wide', '7'), 'check'],
    ['an enterprise parameter on a server node', f('cucm1.example.com', 'LBMSecurityMode', 'Enterprise Wide', '1'), 'check'],
    ['a service parameter on EnterpriseWideData', f('EnterpriseWideData', 'BlockOffNetToOffNetTransfer', 'Cisco CallManager', 'true'), 'update'],
    ['a create', f('cucm1.example.com', 'BlockOffNetToOffNetTransfer', 'Cisco CallManager', 'true'), 'create'],
    ['fields out of order', [...f('cucm1.example.com', 'BlockOffNetToOffNetTransfer', 'Cisco CallManager', 'true')].reverse(), 'update'],
  ] as const)('refuses %s', (_what, fields, mode) => {
    expect(() => checkParameterFields([...fields], mode)).toThrow(ParameterError);
  });

  it('every known parameter is named once per service', () => {
    const ids = KNOWN_PARAMETERS.map((p) => `${p.service}/${p.name}`);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
