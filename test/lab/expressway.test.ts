// The Expressway-C/E simulators (src/lab/expressway.ts) over real ssh2 on 127.0.0.1: the xAPI
// shell's output shape (netmiko cisco_tp_tcce.py terminators, xconf_to_excel `*c` lines, Cisco doc
// 212475 quoting), a read-only shell that refuses writes, and — through livePorts' verifyStep, the
// path `run --live` takes — each zone checkpoint failing on the seeded zones and passing once the
// lab operator has made the step's GUI edit (S054/S055 authentication policy, S061 DefaultZone).
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAB_ZONES, newExpresswayCluster, seedZones } from '../../src/lab/expressway.js';
import type { Lab } from '../../src/lab/lab.js';
import { startExpressway, type DeviceHandle, type ExpresswayState } from '../../src/lab/server.js';
import { loadInventory } from '../../src/inventory/load.js';
import type { Plan, PlannedStep } from '../../src/plan/types.js';
import { loadRoleTable } from '../../src/verify/cert/roles.js';
import { isXapiRead, xapiZone } from '../../src/verify/parsers/expressway.js';
import { checkLocalFiles } from '../../src/wizard/local-files.js';
import type { LivePorts } from '../../src/wizard/live.js';
import { openShell, type Shell } from './helpers.js';
import { startLiveLab, type LiveLab } from './live-lab.js';
import { verifications } from '../../src/plan/verifications.js';

const PW = 'Exp-pw-1';
const END = /\n(?:OK|ERROR|Command not recognized\.)\n/;

describe('Expressway xAPI shell', () => {
  let dev: DeviceHandle<ExpresswayState> & { state: ExpresswayState };
  let sh: Shell;
  beforeAll(async () => {
    const cluster = newExpresswayCluster(seedZones('c', { neighborPort: 5561, traversalPort: 7001, cPeerFqdn: 'us-expc1.ent-pa.com' }));
    dev = await startExpressway({ hostname: 'us-expc1', users: { admin: PW }, cluster });
    sh = await openShell(dev.port, { username: 'admin', password: PW });
    await sh.expect(/Welcome to us-expc1\n/);
  });
  afterAll(async () => {
    sh?.close();
    await dev?.close();
  });
  /** Sends a line with the driver's Enter (\r\n) and returns the response after the echo. */
  const ask = async (line: string) => {
    sh.send(`${line}\r\n`);
    return (await sh.expect(END)).split('\n').slice(1).join('\n');
  };

  it('prints every leaf under the path as a quoted *c line, then OK', async () => {
    const all = await ask('xConfiguration Zones');
    const lines = all.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('OK');
    for (const l of lines.slice(0, -1)) expect(l).toMatch(/^\*c xConfiguration Zones (?:Zone \d+|DefaultZone) [A-Za-z0-9 ]+: "[^"]*"$/);
    // [I] The DefaultZone's leaves, without a type word, before the numbered zones.
    expect(lines[0]).toBe('*c xConfiguration Zones DefaultZone Authentication Mode: "TreatAsAuthenticated"');
    expect(lines).toContain('*c xConfiguration Zones Zone 1 TraversalClient Authentication Mode: "CheckCredentials"');
    expect(lines).toContain('*c xConfiguration Zones Zone 2 Neighbor SIP TLS Verify Mode: "Off"');
    expect(lines).toContain(`*c xConfiguration Zones Zone 2 Name: "${LAB_ZONES.b2bNeighbor}"`);
    // A deeper path prints only what is under it; the command word takes any case.
    expect(await ask('xconfiguration Zones Zone 2 Neighbor SIP TLS')).toBe('*c xConfiguration Zones Zone 2 Neighbor SIP TLS Verify Mode: "Off"\nOK\n');
    // The parser the catalogue names reads the whole answer.
    expect(xapiZone(all, { type: 'Neighbor', match: ['SIP Port=5561'], expect: ['SIP Transport=TCP'] }).ok).toBe(true);
  });

  it('refuses writes and unknown paths with ERROR and unknown commands as not recognised, changing nothing', async () => {
    const before = new Map(dev.state.cluster.config);
    expect(await ask('xConfiguration Zones Zone 2 Neighbor SIP TLS Verify Mode: On')).toBe('ERROR\n');
    expect(await ask('xCommand ZoneDelete ZoneId: 2')).toBe('ERROR\n');
    expect(await ask('xStatus Zones')).toBe('ERROR\n');
    expect(await ask('xConfiguration Zones Zone 99')).toBe('ERROR\n');
    expect(await ask('show version')).toBe('Command not recognized.\n');
    expect(dev.state.cluster.config).toEqual(before);
  });
});

describe('the lab verifies the Expressway zone steps by machine', () => {
  let lab: Lab;
  let plan: Plan;
  let live: LivePorts;
  let ll: LiveLab | undefined;
  beforeAll(async () => {
    ll = await startLiveLab('expressway', 'xapi');
    ({ lab, plan, live } = ll);
  }, 120_000);
  afterAll(async () => {
    await ll?.close();
  });
  const step = (id: string): PlannedStep => plan.steps.find((s) => s.id === id)!;

  it('the lab inventory offers every peer\'s admin SSH with its credential and host key', () => {
    const inv = loadInventory(lab.inventoryFile).inventory;
    expect(inv.expressway?.adminSsh).toBe(true);
    expect(inv.credentials.expressway).toEqual({ username: 'admin', passwordEnv: 'COLLABSEC_EXPRESSWAY_PASSWORD' });
    expect(lab.env.COLLABSEC_EXPRESSWAY_PASSWORD).toMatch(/^.{12,}$/);
    const peers = lab.devices.filter((d) => d.kind === 'expressway');
    expect(peers.map((d) => [d.name, d.product])).toEqual([['us-expc1', 'expressway-c'], ['us-expc2', 'expressway-c'], ['us-expe1', 'expressway-e'], ['us-expe2', 'expressway-e']]);
    expect([...inv.expressway!.c.nodes, ...inv.expressway!.e.nodes].map((n) => [n.ip, n.sshPort])).toEqual(peers.map((d) => ['127.0.0.1', d.port]));
  });

  it.each([
    ['S054', 'us-expc1', /TraversalClient zone "UC Traversal \(MRA\)": Authentication Mode is "CheckCredentials", expected "DoNotCheckCredentials"/],
    ['S058', 'us-expc1', /Neighbor zone "CUCM Neighbor \(B2B\)": SIP Transport is "TCP", expected "TLS"; SIP TLS Verify Mode is "Off", expected "On"/],
    ['S059', 'us-expc1', /TraversalClient zone "B2B Traversal": SIP Transport is "TCP", expected "TLS"/],
    ['S055', 'us-expe1', /TraversalServer zone "UC Traversal \(MRA\)": Authentication Mode is "CheckCredentials", expected "DoNotCheckCredentials"; SIP TLS Verify Subject Name is "us-expc1\.ent-pa\.com", expected "us-expc\.ent-pa\.com"/],
    ['S060', 'us-expe1', /TraversalServer zone "B2B Traversal": .*SIP TLS Verify Mode is "Off", expected "On"/],
    ['S061', 'us-expe1', /DefaultZone zone "DefaultZone": Authentication Mode is "TreatAsAuthenticated", expected "DoNotCheckCredentials"/],
    ['S062', 'us-expe1', /DNS zone "B2B DNS": SIP TLS Verify Mode is "On", expected "Off"/],
  ])('%s on %s fails on the seeded zones and passes after the operator\'s GUI edit', { timeout: 30_000 }, async (id, node, why) => {
    const s = step(id);
    expect(s.actions.map((a) => a.target)).toEqual([node]);
    const before = await live.verifyStep(s);
    expect(before, before.summary).toMatchObject({ method: 'automatic', outcome: 'failed' });
    expect(before.details?.map((d) => d.text).join('\n')).toMatch(why);
    const did = await lab.operator.before(s);
    expect(did.join('\n')).toMatch(new RegExp(`^${node}: zone "`));
    expect(did.join('\n')).not.toMatch(/ no \w+ zone /);
    const after = await live.verifyStep(s);
    expect(after, JSON.stringify(after.details)).toMatchObject({ method: 'automatic', outcome: 'passed' });
    expect(after.details).toEqual([expect.objectContaining({ target: node, outcome: 'passed' })]);
  });

  it('S050: each node\'s downloaded CSR is checked for its role: fails before the operator downloads it, passes after', { timeout: 60_000 }, async () => {
    const s = step('S050');
    const o = { inventory: loadInventory(lab.inventoryFile), roles: await loadRoleTable(), workdir: lab.operator.workdir };
    const before = await checkLocalFiles(s, o);
    expect(before.outcome).toBe('failed');
    expect(before.details?.map((d) => d.target)).toEqual(['us-expc1', 'us-expc2', 'us-expe1', 'us-expe2']);
    const did = await lab.operator.before(s);
    expect(did.join('\n')).toMatch(/us-expe2: CSR for expressway-e\/server generated \(.*us-expe2\.csr\)/);
    const after = await checkLocalFiles(s, o);
    expect(after.outcome, JSON.stringify(after.details?.filter((d) => d.outcome !== 'passed'))).toBe('passed');
    // An Expressway-E CSR saved under an Expressway-C node's name lacks the C role's names.
    await copyFile(join(lab.operator.workdir, 'us-expe1.csr'), join(lab.operator.workdir, 'us-expc1.csr'));
    const wrong = await checkLocalFiles(s, o);
    expect(wrong.outcome).toBe('failed');
    expect([...new Set(wrong.details?.filter((d) => d.outcome === 'failed').map((d) => d.target))]).toEqual(['us-expc1']);
  });

  it('the other peer of a cluster sees the primary\'s edit; the peers only ever received reads', async () => {
    // Runs after the it.each above (vitest runs a file's tests in order): S058 was applied on us-expc1.
    const d = lab.devices.find((x) => x.name === 'us-expc2')!;
    const sh = await openShell(d.port, { username: 'admin', password: lab.env.COLLABSEC_EXPRESSWAY_PASSWORD! });
    await sh.expect(/Welcome to us-expc2\n/);
    sh.send('xConfiguration Zones\r\n');
    const out = await sh.expect(/\nOK\n/);
    sh.close();
    const v = verifications(step('S058').checkpoint)[0]!;
    expect(xapiZone(out, v.args ?? {}).ok).toBe(true);
    const received = lab.devices.filter((x) => x.kind === 'expressway').flatMap((x) => x.handle.received);
    expect(received.filter((l) => l !== '').length).toBeGreaterThan(0);
    for (const l of received) expect(l === '' || isXapiRead(l), l).toBe(true);
  });
});
