// The AXL port of a live run (issue 21) against the lab's AXL simulator over real HTTPS on
// 127.0.0.1, with every request validated against the published XSD of its version: the
// example's S016, S020 and S031 are written and read back; a second run writes nothing; an
// object that exists with other settings is never overwritten; a write whose answer is lost is
// in doubt and the read-back settles it; the tomcat certificate is pinned on first contact.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startAxlSimulator, type AxlSimulator } from '../../src/lab/axl/index.js';
import type { PlannedStep } from '../../src/plan/types.js';
import { textOf } from '../../src/transport/axl/index.js';
import { axlPort, type AxlPort } from '../../src/wizard/live-axl.js';
import type { RunHooks } from '../../src/wizard/types.js';
import { planOf, step } from '../golden/harness.js';
import { validateAxlRequest } from '../support/axl-schema.js';

const USER = 'axl-collabsec';
const PASSWORD = 'lab <&> "pw"';
const example = planOf();

let sim: AxlSimulator;
let dir: string;
let port: AxlPort;
let confirm: ReturnType<typeof vi.fn<(node: string, fp: string, subject: string) => Promise<boolean>>>;

/** The example's step, aimed at the simulator (address and port; the schema version stays). */
function aimed(id: string): PlannedStep {
  const s = structuredClone(step(example, id)!);
  for (const a of s.actions) if (a.axlEndpoint) a.axlEndpoint = { ...a.axlEndpoint, host: sim.host, port: sim.port };
  return s;
}

function hooks(): RunHooks & { lines: string[][] } {
  const lines: string[][] = [];
  return { lines, progress: (l) => void lines.push(l), signal: new AbortController().signal };
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'collabsec-live-axl-'));
  sim = await startAxlSimulator({ users: { [USER]: PASSWORD }, cucmVersion: '15', validate: validateAxlRequest });
  confirm = vi.fn(() => Promise.resolve(true));
  port = axlPort({ credential: { username: USER, password: PASSWORD }, pinsFile: join(dir, 'tls_pins'), confirmCertificate: confirm, timeoutMs: 2_000 });
});

afterEach(async () => {
  port.close();
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('AXL steps of the example, live against the simulator', () => {
  it.each(['S016', 'S020', 'S031'])('%s: written, read back, and a second run writes nothing', async (id) => {
    const s = aimed(id);
    const first = await port.run(s, hooks());
    expect(first.outcome, first.summary).toBe('ok');
    const planned = s.actions[0]!.axl!;
    for (const r of planned) {
      const stored = sim.state.get(r.object, r.name);
      expect(stored, r.name).toBeDefined();
      for (const f of r.fields) expect(textOf(stored![f.name]), `${r.name} ${f.name}`).toBe(f.value);
    }
    expect((await port.verify(s)).outcome).toBe('passed');

    const writes = sim.state.events.length;
    const again = await port.run(s, hooks());
    expect(again.outcome).toBe('ok');
    expect(again.summary).toContain('already in place; nothing written');
    expect(sim.state.events.length).toBe(writes);
    // Every request (gets, adds) was valid against AXLSoap.xsd 15.0; the certificate was asked once.
    expect(sim.rejected).toEqual([]);
    expect(confirm).toHaveBeenCalledTimes(1);
    expect(statSync(join(dir, 'tls_pins')).mode & 0o777).toBe(0o600);
  });

  it('an existing profile with other settings is shown and never overwritten', async () => {
    const s = aimed('S020');
    const r = s.actions[0]!.axl![0]!;
    sim.state.put(r.object, { ...Object.fromEntries(r.fields.map((f) => [f.name, f.value])), EnableOAuthAuthentication: 'false' });
    const out = await port.run(s, hooks());
    expect(out.outcome).toBe('failed');
    expect(out.summary).toContain('exists with other settings (EnableOAuthAuthentication is "false", planned "true"); not overwritten');
    expect(sim.state.events).toEqual([]);
    const v = await port.verify(s);
    expect(v.outcome).toBe('failed');
    expect(v.summary).toContain('EnableOAuthAuthentication is "false", planned "true"');
  });

  it.each([true, false])('a write whose answer is lost is in doubt (applied: %s); the read-back settles it, nothing is re-sent', async (applied) => {
    const s = aimed('S020');
    const h = hooks();
    // Hang exactly the write: the port says which request it sends next.
    const progress = h.progress;
    h.progress = (lines, done, finished) => {
      if (lines.some((l) => l.includes('addPhoneSecurityProfile'))) sim.hang({ apply: applied });
      progress(lines, done, finished);
    };
    const out = await port.run(s, h);
    expect(out.outcome).toBe('in-doubt');
    expect(out.summary).toContain('answer lost — in doubt');
    const adds = () => sim.requests.filter((r) => r.operation === 'addPhoneSecurityProfile').length;
    expect(adds()).toBe(1);
    const v = await port.verify(s);
    expect(v.outcome).toBe(applied ? 'passed' : 'failed');
    expect(adds()).toBe(1);
  });

  it('a changed tomcat certificate stops the step showing both fingerprints', async () => {
    const s = aimed('S020');
    expect((await port.run(s, hooks())).outcome).toBe('ok');
    port.close();
    await sim.rotateCertificate();
    port = axlPort({ credential: { username: USER, password: PASSWORD }, pinsFile: join(dir, 'tls_pins'), confirmCertificate: confirm, timeoutMs: 2_000 });
    const v = await port.verify(s);
    expect(v.outcome).toBe('unknown');
    expect(v.summary).toMatch(/sha256:[0-9a-f]{64}.*sha256:[0-9a-f]{64}/i);
    expect(readFileSync(join(dir, 'tls_pins'), 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('S046: the named trunk moves to the secure profile, every destination to 5061 (addresses kept), and is reset once; a second run writes nothing', async () => {
    const s = aimed('S046');
    const dest = (addressIpv4: string, sortOrder: string) => ({ addressIpv4, port: '5060', sortOrder });
    sim.state.put('SipTrunk', { name: 'US-CUC-SIP-Trunk', securityProfileName: 'Non Secure SIP Trunk Profile', srtpAllowed: 'false', destinations: { destination: [dest('192.0.2.30', '1'), dest('192.0.2.31', '2')] } });
    const out = await port.run(s, hooks());
    expect(out.outcome, out.summary).toBe('ok');
    expect(out.summary).toContain('updateSipTrunk + resetSipTrunk ok, read back');
    const t = sim.state.get('SipTrunk', 'US-CUC-SIP-Trunk')!;
    expect(t.securityProfileName).toBe('Secure-SIP-Trunk-Unity-Connection');
    expect(t.srtpAllowed).toBe('true');
    expect(t.destinations).toEqual({ destination: [{ ...dest('192.0.2.30', '1'), port: '5061' }, { ...dest('192.0.2.31', '2'), port: '5061' }] });
    expect(sim.requests.filter((r) => r.operation === 'resetSipTrunk')).toHaveLength(1);
    expect((await port.verify(s)).outcome).toBe('passed');
    const again = await port.run(s, hooks());
    expect(again.summary).toContain('already in place; nothing written');
    expect(sim.requests.filter((r) => r.operation === 'updateSipTrunk' || r.operation === 'resetSipTrunk')).toHaveLength(2);
    expect(sim.rejected).toEqual([]);
  });

  it('a trunk the inventory names that Unified CM does not have: nothing written, the step fails naming it', async () => {
    const out = await port.run(aimed('S046'), hooks());
    expect(out.outcome).toBe('failed');
    expect(out.summary).toContain('SipTrunk US-CUC-SIP-Trunk: not found on Unified CM; nothing written');
    expect(sim.state.events).toEqual([]);
    const v = await port.verify(aimed('S046'));
    expect(v.outcome).toBe('failed');
    expect(v.summary).toContain('US-CUC-SIP-Trunk not found');
  });

  it('an unknown certificate refused by the operator sends nothing', async () => {
    confirm.mockResolvedValue(false);
    const out = await port.run(aimed('S031'), hooks());
    expect(out.outcome).toBe('failed');
    expect(sim.requests).toEqual([]);
  });
});
