// Review-2026 B.6: "SRST is secure" (S036) must not be ticked while the SRST router's credentials
// service is missing. S035 types it (cli-facts §2.7 "Secure SRST (SCCP) credentials service":
// `credentials` / `ip source-address <router-ip> port 2445` / `trustpoint <TP>`) and its checkpoint
// reads both the LSC issuer's trustpoint and `show running-config | section credentials`; every
// read must pass. Against the lab through livePorts as `run --live` wires it: the step's lines
// reach the lab SRST router over SSH, and the check fails before them, passes after them, and
// fails again while the lab injects a fault (block gone, or another trustpoint offered).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { injectSrstFault } from '../../src/lab/ios-srst.js';
import type { IosState } from '../../src/lab/server.js';
import type { Plan, PlannedStep } from '../../src/plan/types.js';
import { verifications } from '../../src/plan/verifications.js';
import { cmd, openShell } from './helpers.js';
import type { Lab } from '../../src/lab/lab.js';
import { startLiveLab, type LiveLab } from './live-lab.js';

const ROUTER = 'US-SRST1';
let lab: Lab;
let plan: Plan;
let login: { username: string; password: string };
let live: LiveLab['live'];
let ll: LiveLab | undefined;
beforeAll(async () => {
  ll = await startLiveLab('ios', 'ios');
  ({ lab, plan, login, live } = ll);
}, 120_000);
afterAll(async () => {
  await ll?.close();
});

const step = (id: string): PlannedStep => plan.steps.find((s) => s.id === id)!;
const router = () => lab.devices.find((d) => d.name === ROUTER)!.handle.state as IosState;
const credentialsBlock = () => router().running.children.find((n) => n.line === 'credentials')?.children.map((n) => n.line);

describe('S035: the SRST credentials service, read back by machine (review-2026 B.6)', () => {
  it('reads the issuer trustpoint and the credentials section, each must pass', () => {
    expect(verifications(step('S035').checkpoint).map((v) => v.command)).toEqual(['show crypto pki trustpoints LSC-ISSUER status', 'show running-config | section credentials']);
  });

  it('fails before the step, passes once its lines reached the router, and fails while a fault is injected', { timeout: 120_000 }, async () => {
    const s = step('S035');
    const before = await live.verifyStep(s);
    expect(before.outcome).toBe('failed');
    expect(before.details![0]!.text).toContain('show running-config | section credentials: missing section: credentials');

    const action = s.actions.find((a) => a.target === ROUTER)!;
    const sent = await live.executeStep(s, action);
    expect(sent.outcome, sent.summary).toBe('ok');
    // The lab inventory puts the router at 127.0.0.1; the block names it and S034's trustpoint.
    expect(credentialsBlock()).toEqual(['ip source-address 127.0.0.1 port 2445', 'trustpoint SRST-Certificate']);
    const passed = await live.verifyStep(s);
    expect(passed, JSON.stringify(passed.details)).toMatchObject({ outcome: 'passed', details: [{ target: ROUTER, outcome: 'passed', text: '2 of 2 reads passed' }] });

    // Another trustpoint offered (the LSC issuer's, which holds no router certificate): fails, naming the line.
    injectSrstFault(router(), 'wrong-trustpoint');
    expect(credentialsBlock()).toEqual(['ip source-address 127.0.0.1 port 2445', 'trustpoint LSC-ISSUER']);
    const wrong = await live.verifyStep(s);
    expect(wrong.outcome).toBe('failed');
    expect(wrong.details![0]!.text).toBe('show running-config | section credentials: credentials: missing trustpoint SRST-Certificate; 1 of 2 reads passed');

    // The block gone (as after `no credentials` at the console): fails, the issuer trustpoint still passes.
    injectSrstFault(router(), 'credentials-missing');
    expect(credentialsBlock()).toBeUndefined();
    const missing = await live.verifyStep(s);
    expect(missing.outcome).toBe('failed');
    expect(missing.details![0]!.text).toBe('show running-config | section credentials: missing section: credentials; 1 of 2 reads passed');

    // Sending the step again repairs it.
    expect((await live.executeStep(s, action)).outcome).toBe('ok');
    expect((await live.verifyStep(s)).outcome).toBe('passed');
  });

  it('the back-out line `no credentials`, typed at the router, removes the block and the check fails', { timeout: 60_000 }, async () => {
    const s = step('S035');
    expect(s.backout?.commands).toContain('no credentials');
    expect(credentialsBlock()).toBeDefined();
    const sh = await openShell(lab.devices.find((d) => d.name === ROUTER)!.port, login);
    await sh.expect(/US-SRST1>$/);
    await cmd(sh, 'enable', /US-SRST1#$/);
    await cmd(sh, 'configure terminal', /US-SRST1\(config\)#$/);
    expect(await cmd(sh, 'no credentials', /US-SRST1\(config\)#$/)).not.toContain('Invalid input');
    await cmd(sh, 'end', /US-SRST1#$/);
    sh.close();
    expect(credentialsBlock()).toBeUndefined();
    expect((await live.verifyStep(s)).outcome).toBe('failed');
  });
});
