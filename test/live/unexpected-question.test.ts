// An unexpected question from a device stops its step with nothing answered (issue 18 "Done
// means", reliability case 15), through the wizard's plain mode over real SSH to a lab VOS node.
import { afterEach, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import type { SessionState } from '../../src/session/index.js';
import { runPlain } from '../../src/wizard/plain.js';
import { cmd, creds, mixedModeVerify, onDisk, open, plan, ports, sink, startCluster, step, vosAction } from './helpers.js';

const PW = 'Lab-pass-5!';
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

describe('an unexpected question in plain mode', () => {
  it('stops the step in doubt (exit 4) with nothing answered: no "y", the device state unchanged', async () => {
    const c = await startCluster(['pub', 'sub1'], PW);
    cleanup.push(() => c.close());
    // The step declares no dialogue, but set-cluster mixed-mode asks "(y/n)" (cli-facts §1.4).
    const p = plan([step('Q1', { disruptive: true, actions: [vosAction('pub', [cmd('utils ctl set-cluster mixed-mode', 10_000, [])])], checkpoint: { question: 'Mixed?', origin: 'source', verify: mixedModeVerify } })]);
    const s = await open(c, p, 'q');
    cleanup.push(() => s.close());
    const l = ports(c, p, creds(PW));
    cleanup.push(() => l.close());
    const { out, text } = sink();
    const code = await runPlain({ session: s, out, steps: ['Q1'], yes: true, checkpointPassed: true, runStep: l.runStep, verifyStep: l.verifyStep });
    expect(code).toBe(ExitCode.stepFailed);
    expect(text()).toMatch(/Q1 is in doubt .*needs-operator/);
    const after = c.nodes.pub!.received.slice(c.nodes.pub!.received.indexOf('utils ctl set-cluster mixed-mode') + 1);
    expect(after.filter((x) => /^(y|yes|n|no)$/i.test(x.trim()))).toEqual([]);
    expect(c.cluster.clusterSecurityMode).toBe(0);
    const last = (JSON.parse(await onDisk(s)) as SessionState).steps.Q1!.history.at(-1)!;
    expect(last).toMatchObject({ status: 'in-doubt', outcome: 'unknown' });
    // The step's node is journaled in doubt (intent, then an in-doubt outcome): a resume never re-sends it blindly.
    expect((JSON.parse(await onDisk(s)) as SessionState).steps.Q1!.nodes).toMatchObject([{ node: 'pub', outcome: 'in-doubt' }]);
  });
});
