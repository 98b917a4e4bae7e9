// review-2026 B.2 / issue 22 slice 2: a rolling CallManager restart waits, after each node's
// services are STARTED, until the phones registered to that node before the restart are back
// (read-only `show risdb query phone`), within a bounded wait the operator can extend; and
// --parallel never restarts every CallManager node of a cluster at once. Real SSH to the VOS lab
// simulators on 127.0.0.1, whose phones come back a while after CallManager is up again.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import type { LiveOptions } from '../../src/wizard/live.js';
import { runPlain } from '../../src/wizard/plain.js';
import { registeredPhoneCount } from '../../src/verify/parsers/vos.js';
import { cmd, creds, open, plan, ports, servicesStarted, sink, startCluster, step, vosAction, type Cluster } from './helpers.js';

const PASSWORD = 'Registrations-7!';
const CM = 'Cisco CallManager';
const RESTART_MS = 300;
const RETURN_MS = 1_500;
let c: Cluster;
beforeAll(async () => {
  c = await startCluster(['pub', 'sub1', 'sub2'], PASSWORD, { restartMs: RESTART_MS });
  for (const n of ['pub', 'sub1', 'sub2']) {
    c.nodes[n]!.state.phones = 3;
    c.nodes[n]!.state.phoneReturnMs = RETURN_MS;
  }
});
afterAll(async () => c?.close());

const cmStep = (id: string, nodes: string[]) => step(id, { restarts: [CM], actions: nodes.map((n) => vosAction(n, [cmd(`utils service restart ${CM}`)])), checkpoint: { question: 'All STARTED?', origin: 'suggested', verify: servicesStarted } });
const restarts = (n: string) => c.nodes[n]!.state.restarts.filter((r) => r.service === CM);

async function run(id: string, nodes: string[], over: Partial<LiveOptions>) {
  const p = plan([cmStep(id, nodes)]);
  const live = ports(c, p, creds(PASSWORD), { registrationIntervalMs: 100, ...over });
  const session = await open(c, p, id);
  const { out, text } = sink();
  try {
    const code = await runPlain({ session, out, steps: [id], yes: true, checkpointPassed: false, runStep: live.runStep, verifyStep: live.verifyStep });
    return { code, text: text(), state: await readFile(session.file, 'utf8') };
  } finally {
    await live.close();
    await session.close();
  }
}

describe('registered phones after a CallManager restart', () => {
  it('the parser counts RegStatus reg rows and refuses output without its header', () => {
    expect(registeredPhoneCount('')).toBeUndefined();
    expect(registeredPhoneCount('Executed command unsuccessfully')).toBeUndefined();
    expect(registeredPhoneCount('DeviceName, Descr, RegStatus\nSEP1, a, reg\nSEP2, b, unr\nSEP3, c, reg')).toBe(2);
  });

  it('waits on each node until its phones are back, then passes, before the next node restarts', async () => {
    const r = await run('G1', ['pub', 'sub1', 'sub2'], { registrationTimeoutMs: 60_000 });
    expect(r.code, r.text).toBe(ExitCode.ok);
    expect(r.state).toMatch(/registered devices back: 3 of 3 \(before the restart\)/);
    // The next node's restart began only after the previous node's phones had returned: its
    // restart ended at least the return time plus its own restart after the previous one ended.
    const pub = restarts('pub').at(-1)!.at;
    const sub1 = restarts('sub1').at(-1)!.at;
    const sub2 = restarts('sub2').at(-1)!.at;
    expect(sub1 - pub).toBeGreaterThanOrEqual(RETURN_MS + RESTART_MS);
    expect(sub2 - sub1).toBeGreaterThanOrEqual(RETURN_MS + RESTART_MS);
  });

  it('expires with a clear outcome when the phones do not come back in time; later nodes are not started', async () => {
    // Every phone registered before the restart, and back only long after it.
    for (const n of ['pub', 'sub1', 'sub2']) {
      c.nodes[n]!.state.phonesBackFrom = 0;
      c.nodes[n]!.state.phoneReturnMs = 600_000;
    }
    const sub1Before = restarts('sub1').length;
    try {
      const r = await run('G2', ['pub', 'sub1'], { registrationTimeoutMs: 1_000 });
      expect(r.code).toBe(ExitCode.stepFailed);
      expect(r.text).toMatch(/pub: unhealthy .*registered devices not back: 0 of 3 \(before the restart\) after \d+ s; the wait expired/);
      expect(r.text).toMatch(/sub1: not-started/);
      expect(restarts('sub1').length).toBe(sub1Before);
    } finally {
      for (const n of ['pub', 'sub1', 'sub2']) c.nodes[n]!.state.phoneReturnMs = RETURN_MS;
      // Let the publisher's phones come back for the tests after this one.
      c.nodes.pub!.state.phonesBackFrom = 0;
    }
  });

  it('the operator extends the wait once and the node then passes', async () => {
    const asked: string[] = [];
    const r = await run('G3', ['pub'], {
      registrationTimeoutMs: 300,
      extendRegistrationWait: (node, seen, want): Promise<number | undefined> => {
        asked.push(`${node} ${seen} ${want}`);
        return Promise.resolve(asked.length === 1 ? 30_000 : undefined);
      },
    });
    expect(r.code, r.text).toBe(ExitCode.ok);
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatch(/^pub [0-2] 3$/);
    expect(r.state).toMatch(/registered devices back: 3 of 3 \(before the restart\)/);
  });

  it('--parallel never restarts every CallManager node of a cluster at once', async () => {
    const clusters = new Map([['sub1', 'c1'], ['sub2', 'c1']]);
    // Both subscribers of one cluster, --parallel 2, no publisher in the step: one after the other.
    const r = await run('G4', ['sub1', 'sub2'], { parallel: 2, clusters, registrationTimeoutMs: 60_000 });
    expect(r.code, r.text).toBe(ExitCode.ok);
    const a = restarts('sub1').at(-1)!.at;
    const b = restarts('sub2').at(-1)!.at;
    expect(Math.abs(a - b)).toBeGreaterThanOrEqual(RETURN_MS + RESTART_MS);
  });

  it('--parallel still runs CallManager nodes of different clusters together', async () => {
    const clusters = new Map([['sub1', 'c1'], ['sub2', 'c2']]);
    const r = await run('G5', ['sub1', 'sub2'], { parallel: 2, clusters, registrationTimeoutMs: 60_000 });
    expect(r.code, r.text).toBe(ExitCode.ok);
    const a = restarts('sub1').at(-1)!.at;
    const b = restarts('sub2').at(-1)!.at;
    expect(Math.abs(a - b)).toBeLessThan(RETURN_MS);
  });
});
