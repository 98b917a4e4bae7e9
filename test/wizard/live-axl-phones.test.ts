// Bulk phone moves through AXL (issue 21 slice 3): S032/S033 of the example against the lab's AXL
// simulator over HTTPS, every request validated against the published XSD of its version. The
// selection is listed (paged), filtered by model, written in waves, applied and read back; a run
// stopped mid-wave resumes from the journal without reading or re-sending the phones of finished
// waves; an LSC already installed is not requested again.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseInventory } from '../../src/inventory/load.js';
import { seedPhones, startAxlSimulator, type AxlSimulator } from '../../src/lab/axl/index.js';
import type { PlannedStep } from '../../src/plan/types.js';
import type { NodeJournal, NodeRun, NodeRunState } from '../../src/session/state.js';
import { createAxlClient, textOf, type AxlVersion } from '../../src/transport/axl/index.js';
import { discover, PAGE_SIZE, phoneStanding } from '../../src/transport/axl-bulk.js';
import { tlsPinStore } from '../../src/transport/tls-pins.js';
import { axlPort, type AxlPort } from '../../src/wizard/live-axl.js';
import type { RunHooks } from '../../src/wizard/types.js';
import { packageRoot } from '../../src/catalogue/root.js';
import { planOf, step } from '../golden/harness.js';
import { validateAxlRequest } from '../support/axl-schema.js';

const USER = 'axl-collabsec';
const PASSWORD = 'lab-pw';
const exampleFile = join(packageRoot(), 'examples', 'ent-pa.yaml');
const example = parseInventory(readFileSync(exampleFile, 'utf8'), exampleFile).inventory;
const cluster = example.cucm[0]!;
const plan = planOf();

let sim: AxlSimulator;
let dir: string;
let port: AxlPort;
/** Writes to this phone fail once armed (the run stops mid-wave, its wave's intent without outcome). */
let failWriteOf: string | undefined;

function aimed(id: string, waveSize?: number): PlannedStep {
  const s = structuredClone(step(plan, id)!);
  for (const a of s.actions) {
    if (a.axlEndpoint) a.axlEndpoint = { ...a.axlEndpoint, host: sim.host, port: sim.port };
    if (waveSize !== undefined) for (const r of a.axl ?? []) if (r.select) r.select.waveSize = waveSize;
  }
  return s;
}

/** The session's node journal, in memory, with its rules: the latest record per node, in doubt until an outcome. */
function memoryJournal(): NodeJournal & { records: NodeRun[] } {
  const records: NodeRun[] = [];
  const at = new Date(0).toISOString();
  return {
    records,
    nodes: () => {
      const out = new Map<string, { state: NodeRunState; record: NodeRun }>();
      for (const r of records) out.set(r.node, { state: r.outcome === undefined || r.outcome === 'in-doubt' ? 'in-doubt' : r.outcome === 'not-run' ? 'pending' : r.outcome, record: r });
      return out;
    },
    intent: (node, what) => {
      records.push({ node, run: 0, intentAt: at, ...(what.evidence ? { evidence: what.evidence } : {}), ...(what.lines ? { lines: what.lines } : {}) });
      return Promise.resolve();
    },
    outcome: (node, what) => {
      const r = records.findLast((x) => x.node === node)!;
      Object.assign(r, { outcome: what.outcome, outcomeAt: at, ...(what.summary ? { summary: what.summary } : {}) });
      return Promise.resolve();
    },
  };
}

function hooks(journal?: NodeJournal): RunHooks {
  return { progress: () => undefined, signal: new AbortController().signal, ...(journal ? { journal } : {}) };
}

const phones = () => sim.state.list('Phone').map((o) => o.fields);
const opsFor = (name: string, from = 0) => sim.requests.slice(from).filter((r) => r.body.includes(`<name>${name}</name>`)).map((r) => r.operation);

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'collabsec-axl-phones-'));
  failWriteOf = undefined;
  sim = await startAxlSimulator({
    users: { [USER]: PASSWORD },
    cucmVersion: '15',
    validate: (xml, v) => {
      if (failWriteOf !== undefined && xml.includes('<ns:updatePhone') && xml.includes(`<name>${failWriteOf}</name>`)) throw new Error('write refused (test)');
      return validateAxlRequest(xml, v);
    },
  });
  seedPhones(sim.state, cluster);
  port = axlPort({ credential: { username: USER, password: PASSWORD }, pinsFile: join(dir, 'tls_pins'), confirmCertificate: () => Promise.resolve(true), timeoutMs: 30_000 });
});

afterEach(async () => {
  port.close();
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('S032/S033: phones in waves through AXL', { timeout: 180_000 }, () => {
  it('S032 moves each selected phone to its profile, requests LSCs only for LSC profiles, leaves other models alone; a second run writes nothing', async () => {
    const s = aimed('S032', 2);
    const out = await port.run(s, hooks());
    expect(out.outcome, out.summary).toBe('ok');
    const psp = example.phoneSecurityProfiles!;
    const byPool = (pool: string, model?: string) => phones().filter((p) => p.devicePoolName === pool && (model === undefined || p.model === model));
    for (const p of byPool('US-HQ-Phones-DP', 'Cisco 8845')) expect([p.securityProfileName, p.certificateOperation]).toEqual([psp.lscTftpEncrypted, 'Install/Upgrade']);
    for (const p of byPool('US-HQ-Phones-DP', 'Cisco Unified Client Services Framework')) expect([p.securityProfileName, p.certificateOperation]).toEqual([psp.jabber, undefined]);
    for (const p of byPool('US-MRA-Phones-DP')) expect([p.securityProfileName, p.certificateOperation]).toEqual([psp.initial.name, undefined]);
    // The 7841 in the HQ pool is not among the selected models: neither written nor applied.
    const other = byPool('US-HQ-Phones-DP', 'Cisco 7841');
    expect(other).toHaveLength(1);
    expect(other[0]!.securityProfileName).toBe('Universal Device Template - Model-independent Security Profile');
    expect(opsFor(textOf(other[0]!.name))).toEqual([]);
    // 9 phones written and applied, one at a time; S033's pool untouched.
    expect(sim.state.events.filter((e) => e.operation === 'updatePhone')).toHaveLength(9);
    expect(sim.state.events.filter((e) => e.operation === 'applyPhone')).toHaveLength(9);
    expect(byPool('US-NoMIC-Phones-DP').every((p) => p.certificateOperation === undefined)).toBe(true);
    const v = await port.verify(s);
    expect(v.outcome, v.summary).toBe('passed');
    expect(v.summary).toContain('3 of 3 as planned; LSC 0 installed (Upgrade Success), 3 pending (Install/Upgrade)');

    const writes = sim.state.events.length;
    const again = await port.run(s, hooks());
    expect(again.outcome).toBe('ok');
    expect(again.summary).toContain('0 written');
    expect(sim.state.events.length).toBe(writes);
    expect(sim.rejected).toEqual([]);
  });

  it('S033 gives the phones without MIC the initial profile and Install/Upgrade; the read-back fails when one is moved away', async () => {
    const s = aimed('S033');
    expect((await port.run(s, hooks())).outcome).toBe('ok');
    const noMic = phones().filter((p) => p.devicePoolName === 'US-NoMIC-Phones-DP');
    expect(noMic).toHaveLength(3);
    for (const p of noMic) expect([p.securityProfileName, p.certificateOperation]).toEqual([example.phoneSecurityProfiles!.initial.name, 'Install/Upgrade']);
    sim.state.put('Phone', { ...noMic[1]!, securityProfileName: 'Some-Other-Profile' });
    const v = await port.verify(s);
    expect(v.outcome).toBe('failed');
    expect(v.summary).toContain(`${textOf(noMic[1]!.name)}: securityProfileName is "Some-Other-Profile"`);
    expect(sim.rejected).toEqual([]);
  });

  it('a run stopped mid-wave resumes: finished waves are neither read nor re-sent, the stopped wave’s written phone is read and not sent again', async () => {
    const s = aimed('S033', 2);
    const names = phones().filter((p) => p.devicePoolName === 'US-NoMIC-Phones-DP').map((p) => textOf(p.name)).sort();
    expect(names).toHaveLength(3);
    // Wave 1 = names[0..1], wave 2 = names[2]. Add a fourth phone so wave 2 holds two: the first
    // is written, the second fails (as if the run died between them).
    const fourth = `${names[2]!.slice(0, -1)}F`;
    sim.state.put('Phone', { ...phones().find((p) => p.name === names[2])!, name: fourth });
    failWriteOf = fourth;
    const journal = memoryJournal();
    const first = await port.run(s, hooks(journal));
    expect(first.outcome).toBe('failed');
    const waves = [...journal.nodes().entries()].filter(([k]) => k.includes(' wave from '));
    expect(waves.map(([, n]) => [n.record.lines, n.state])).toEqual([
      [[names[0], names[1]], 'ok'],
      [[names[2], fourth], 'in-doubt'],
    ]);

    failWriteOf = undefined;
    const mark = sim.requests.length;
    const again = await port.run(s, hooks(journal));
    expect(again.outcome, again.summary).toBe('ok');
    expect(again.summary).toContain('1 written');
    expect(again.summary).toContain('1 already in place, 2 done before the interruption');
    expect(opsFor(names[0]!, mark)).toEqual([]);
    expect(opsFor(names[1]!, mark)).toEqual([]);
    expect(opsFor(names[2]!, mark)).toEqual(['getPhone', 'getPhone']);
    // Listed on its old profile: the listing itself says it needs the write (no get before it).
    expect(opsFor(fourth, mark)).toEqual(['updatePhone', 'applyPhone', 'getPhone']);
    expect((await port.verify(s)).outcome).toBe('passed');
    expect(sim.rejected).toEqual([]);
  });

  it('an LSC CAPF reports installed is not requested again; a failed one fails the read-back', async () => {
    const s = aimed('S033');
    const [a, b] = phones().filter((p) => p.devicePoolName === 'US-NoMIC-Phones-DP');
    const initial = example.phoneSecurityProfiles!.initial.name;
    sim.state.put('Phone', { ...a!, securityProfileName: initial, certificateOperation: 'No Pending Operation', certificateStatus: 'Upgrade Success' });
    expect((await port.run(s, hooks())).outcome).toBe('ok');
    expect(opsFor(textOf(a!.name))).toEqual(['getPhone', 'getPhone']);
    sim.state.put('Phone', { ...b!, securityProfileName: initial, certificateOperation: 'No Pending Operation', certificateStatus: 'Upgrade Failed: Invalid MIC' });
    const v = await port.verify(s);
    expect(v.outcome).toBe('failed');
    expect(v.summary).toContain('certificateStatus "Upgrade Failed: Invalid MIC"');
    expect(phoneStanding([{ name: 'certificateOperation', value: 'Install/Upgrade' }], { certificateOperation: 'No Pending Operation', certificateStatus: 'None' }).missing).toHaveLength(1);
  });

  it('a selection matching more phones than phones.max stops before any write', async () => {
    const s = aimed('S033');
    for (const r of s.actions[0]!.axl!) r.select!.max = 2;
    const out = await port.run(s, hooks());
    expect(out.outcome).toBe('failed');
    expect(out.summary).toContain('more than 2 phones match devicePoolName=US-NoMIC-Phones-DP; nothing written');
    expect(sim.state.events).toEqual([]);
  });

  it.each(['12.5', '14', '15'] as const)('listPhone pages with skip/first, schema-valid for %s', async (version) => {
    const v: AxlVersion = version;
    await sim.close();
    sim = await startAxlSimulator({ users: { [USER]: PASSWORD }, cucmVersion: v, validate: validateAxlRequest });
    const n = 2 * PAGE_SIZE + 3;
    for (let i = 0; i < n; i++) sim.state.put('Phone', { name: `SEP00CC${i.toString(16).padStart(6, '0').toUpperCase()}`, model: i % 2 ? 'Cisco 8845' : 'Cisco 7841', devicePoolName: 'DP-Big' });
    const pins = tlsPinStore({ file: join(dir, 'pins-page') });
    const client = createAxlClient({ node: 'pub', host: sim.host, port: sim.port, version: v, username: USER, password: PASSWORD, pins, confirm: () => Promise.resolve(true) });
    try {
      const sel = { list: 'listPhone', criteria: [{ name: 'devicePoolName', value: 'DP-Big' }], models: ['cisco 8845'], waveSize: 50, max: 10000 };
      const listed = await discover(client, 'Phone', sel, [{ name: 'securityProfileName', value: 'X' }]);
      expect(listed).toHaveLength(Math.floor(n / 2));
      const lists = sim.requests.filter((r) => r.operation === 'listPhone');
      expect(lists.map((r) => /<skip>(\d+)<\/skip><first>(\d+)<\/first>/.exec(r.body)?.slice(1))).toEqual([
        ['0', String(PAGE_SIZE)],
        [String(PAGE_SIZE), String(PAGE_SIZE)],
        [String(2 * PAGE_SIZE), String(PAGE_SIZE)],
      ]);
      expect(sim.rejected).toEqual([]);
    } finally {
      client.close();
    }
  });
});
