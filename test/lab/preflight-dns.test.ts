// The DNS pre-flight of every name (P012, issue 23) and the Unity Connection pre-flight (P013–P015)
// against the lab, through livePorts' verifyStep as `run --live` wires it: every `utils network host`
// the plan shows is typed on the publisher and judged; a name DNS does not answer, and an address
// whose PTR record does not name its node, each fail the step, naming the lookup, until repaired.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VosNodeState } from '../../src/lab/vos-state.js';
import type { Plan, PlannedStep } from '../../src/plan/types.js';
import { verifications } from '../../src/plan/verifications.js';
import type { Lab } from '../../src/lab/lab.js';
import { startLiveLab, type LiveLab } from './live-lab.js';

let lab: Lab;
let plan: Plan;
let live: LiveLab['live'];
let ll: LiveLab | undefined;
beforeAll(async () => {
  ll = await startLiveLab('vos', 'vos');
  ({ lab, plan, live } = ll);
}, 120_000);
afterAll(async () => {
  await ll?.close();
});

const step = (id: string): PlannedStep => plan.steps.find((s) => s.id === id)!;
const vos = (name: string) => lab.devices.find((d) => d.name === name)!.handle.state as VosNodeState;

describe('P012: DNS of every name, from the Unified CM publisher', () => {
  it('types every lookup the plan shows on the publisher, and passes on the lab\'s DNS', { timeout: 60_000 }, async () => {
    const s = step('P012');
    const reads = verifications(s.checkpoint);
    // The lab inventory: every SSH and TLS node at 127.0.0.1; the cluster FQDNs, LDAP server and online CA without one.
    expect(reads.length).toBeGreaterThan(40);
    const before = vos('us-cm-pub').cluster.preflight;
    expect(before.dns.map((z) => z.name)).toContain('us-expc.ent-pa.com');
    const r = await live.verifyStep(s);
    expect(r, JSON.stringify(r.details)).toMatchObject({ method: 'automatic', outcome: 'passed' });
    expect(r.details).toEqual([{ target: 'us-cm-pub', outcome: 'passed', text: `${reads.length} of ${reads.length} reads passed` }]);
    const typed = lab.devices.find((d) => d.name === 'us-cm-pub')!.handle.received.filter((l) => l.startsWith('utils network host '));
    expect(typed.slice(-reads.length)).toEqual(reads.map((v) => v.command));
  });

  it('fails while DNS does not answer a name (us-tms1), naming the lookup, and passes once it does', { timeout: 60_000 }, async () => {
    const pf = vos('us-cm-pub').cluster.preflight;
    pf.dnsMissing = ['us-tms1.ent-pa.com'];
    const failed = await live.verifyStep(step('P012'));
    expect(failed.outcome).toBe('failed');
    expect(failed.details![0]!.text).toMatch(/^utils network host us-tms1\.ent-pa\.com: DNS has no answer \(No external servers found\); \d+ of \d+ reads passed$/);
    pf.dnsMissing = [];
    expect((await live.verifyStep(step('P012'))).outcome).toBe('passed');
  });

  it('fails while the PTR record of an address does not name its node (us-expc1), and passes once it does', { timeout: 60_000 }, async () => {
    const pf = vos('us-cm-pub').cluster.preflight;
    pf.ptrMissing = ['us-expc1.ent-pa.com'];
    const failed = await live.verifyStep(step('P012'));
    expect(failed.outcome).toBe('failed');
    expect(failed.details![0]!.text).toMatch(/^utils network host 127\.0\.0\.1: DNS answers [^;]*, not us-expc1\.ent-pa\.com; \d+ of \d+ reads passed$/);
    // The other names at that address still answer; only us-expc1's PTR is gone.
    const answered = /DNS answers ([^;]*), not /.exec(failed.details![0]!.text ?? '')?.[1]?.split(', ');
    expect(answered).toContain('us-expc2.ent-pa.com');
    expect(answered).not.toContain('us-expc1.ent-pa.com');
    pf.ptrMissing = [];
    expect((await live.verifyStep(step('P012'))).outcome).toBe('passed');
  });
});

describe('P013–P015: Unity Connection pre-flight', () => {
  it('reads DNS, NTP and diagnostics on each Unity Connection node and passes on a healthy lab', { timeout: 60_000 }, async () => {
    for (const id of ['P013', 'P014', 'P015']) {
      const r = await live.verifyStep(step(id));
      expect(r, `${id} ${JSON.stringify(r.details)}`).toMatchObject({ method: 'automatic', outcome: 'passed' });
      expect(r.details?.map((d) => d.target), id).toEqual(['us-cuc', 'us-cuc2']);
    }
  });

  it('fails while a Unity Connection node has no PTR record or no NTP, and passes once repaired', { timeout: 60_000 }, async () => {
    const pf = vos('us-cuc2').cluster.preflight;
    pf.ptrMissing = ['us-cuc2.ent-pa.com'];
    const dns = await live.verifyStep(step('P013'));
    expect(dns.outcome).toBe('failed');
    expect(dns.details).toEqual([
      expect.objectContaining({ target: 'us-cuc', outcome: 'passed' }),
      expect.objectContaining({ target: 'us-cuc2', outcome: 'failed', text: expect.stringMatching(/^utils network host 127\.0\.0\.1: DNS answers .*, not us-cuc2\.ent-pa\.com; 1 of 2 reads passed$/) }),
    ]);
    pf.ptrMissing = [];
    expect((await live.verifyStep(step('P013'))).outcome).toBe('passed');
    pf.ntpStratum = undefined;
    const ntp = await live.verifyStep(step('P014'));
    expect(ntp.outcome).toBe('failed');
    expect(ntp.details?.map((d) => d.text)).toEqual(['NTP unsynchronised', 'NTP unsynchronised']);
    pf.ntpStratum = 3;
    expect((await live.verifyStep(step('P014'))).outcome).toBe('passed');
  });
});
