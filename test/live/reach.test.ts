// Issue 18 slice 2/3: connections come from the inventory, not from the last plan action naming a
// node; a node a step must reach without an address or SSH platform is refused before any
// connection opens; a GUI step with a CLI form runs that form live, or is done by hand and checked.
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { loadPlan } from '../../src/plan/load-plan.js';
import { isRunnable } from '../../src/wizard/execute.js';
import { parsers } from '../../src/verify/parsers/index.js';
import { inventoryTargets } from '../../src/wizard/reach.js';
import { runPlain } from '../../src/wizard/plain.js';
import { checkReach, verifyTargets } from '../../src/wizard/reach.js';
import { cmd, creds, open, plan, ports, servicesStarted, sink, startCluster, step, vosAction } from './helpers.js';

const example = loadPlan('examples/ent-pa.yaml');

describe('nodes come from the inventory', () => {
  it('every node has its address, port and platform whatever action names it last (S021: a GUI action without host)', () => {
    const { nodes, publishers } = inventoryTargets(example.topology);
    expect(nodes.get('us-cm-pub')).toEqual({ host: '192.0.2.10', port: 22, platform: 'vos' });
    expect(nodes.get('US-CUBE1')).toMatchObject({ platform: 'ios' });
    expect(nodes.get('us-acano1')).toMatchObject({ platform: 'mmp' });
    expect(publishers.has('us-cm-pub')).toBe(true);
    const s021 = example.plan.steps.find((s) => s.id === 'S021')!;
    expect(s021.actions.every((a) => a.host === undefined)).toBe(true);
    expect(verifyTargets(s021).map((a) => a.target)).toEqual(['us-cm-pub']);
    // S084: local sftp lines, verified over SSH on each Meeting Server node.
    const s084 = example.plan.steps.find((s) => s.id === 'S084')!;
    expect(verifyTargets(s084).map((a) => a.target)).toEqual(['us-acano1', 'us-acano2', 'us-cmsdb', 'us-cmscb']);
    expect(isRunnable(s084)).toBe(false);
    // The example reads Expressway zones over the admin SSH (expressway.adminSsh: true).
    expect([...checkReach(example.plan, nodes)].sort()).toEqual(['ios', 'mmp', 'vos', 'xapi']);
  });

  it('a node a step must reach over SSH without an address or platform is an error naming node and step', () => {
    const { nodes } = inventoryTargets(example.topology);
    const pub = nodes.get('us-cm-pub')!;
    nodes.set('us-cm-pub', { port: pub.port, platform: 'vos' }); // no ip
    nodes.set('us-acano2', { host: '192.0.2.99', port: 22 }); // no SSH platform
    let err: unknown;
    try {
      checkReach(example.plan, nodes);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    const text = (err as Error).message;
    expect(text).toContain('S002 needs us-cm-pub over SSH for its commands, but the node has no ip address in the inventory');
    expect(text).toContain('S021 needs us-cm-pub over SSH for its verification (utils service list)');
    expect(text).toContain('S085 needs us-acano2 over SSH for its commands, but the node has no SSH platform');
    expect(text).not.toContain('us-expc1'); // GUI-only Expressway steps need no SSH
  });

  it('GUI steps with a CLI, AXL or Control Center form are runnable; GUI-only and manual steps are not', () => {
    const byId = (id: string) => example.plan.steps.find((s) => s.id === id)!;
    for (const id of ['S002', 'S003', 'S005', 'S013', 'S021', 'S025', 'S029', 'S037', 'S038']) expect(isRunnable(byId(id)), id).toBe(true);
    for (const id of ['S001', 'S004', 'S006', 'S008', 'S093']) expect(isRunnable(byId(id)), id).toBe(false);
  });
});

describe('the health gate after a restart', () => {
  it('waits only for the restarted services the node runs (S009: no XCP wait on a Unified CM node), cli-facts §1.6', () => {
    const list = 'Requesting service status, please wait...\nCisco Tomcat[STARTED]\nCisco Tftp[STOPPED]  Commanded Out of Service\nCisco DirSync[STOPPED]  Service Not Activated\n';
    const gate = (services: string[]) => parsers['vos-services-started']!(list, { services, ifRunning: 'yes' });
    expect(gate(['Cisco Tomcat', 'Cisco XCP Connection Manager', 'Cisco DirSync'])).toEqual({ ok: true, details: ['Cisco Tomcat: STARTED', 'Cisco XCP Connection Manager: not run on this node', 'Cisco DirSync: not run on this node'] });
    // A service the node runs and that is not back still holds the gate.
    expect(gate(['Cisco Tomcat', 'Cisco Tftp']).ok).toBe(false);
    // Without ifRunning (a checkpoint), a missing service is a failure.
    expect(parsers['vos-services-started']!(list, { services: ['Cisco XCP Connection Manager'] }).ok).toBe(false);
  });
});

describe('a GUI step with a CLI form, live', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });

  const gui = (id: string) =>
    plan([step(id, { kind: 'gui', actions: [vosAction('pub', [cmd('utils service restart Cisco Tomcat', 10_000)]), vosAction('sub1', [cmd('utils service restart Cisco Tomcat', 10_000)])], checkpoint: { question: 'Tomcat up?', origin: 'suggested', verify: servicesStarted } })]);

  it('runs its lines on every target, then verifies every target by machine', async () => {
    const c = await startCluster(['pub', 'sub1'], 'pw-1');
    cleanup.push(() => c.close());
    const p = gui('S002');
    const s = await open(c, p);
    cleanup.push(() => s.close());
    const l = ports(c, p, creds('pw-1'));
    cleanup.push(() => l.close());
    const out = sink();
    const code = await runPlain({ session: s, out: out.out, steps: ['S002'], yes: true, checkpointPassed: false, runStep: l.runStep, verifyStep: l.verifyStep });
    expect(code, out.text()).toBe(0);
    for (const n of ['pub', 'sub1']) expect(c.nodes[n]!.received.filter((x) => x === 'utils service restart Cisco Tomcat')).toHaveLength(1);
    const last = s.state.steps.S002!.history.at(-1)!;
    expect(last.status).toBe('verified');
    expect(last.checkpoint?.method).toBe('automatic');
    expect(last.checkpoint?.details?.map((d) => d.target)).toEqual(['pub', 'sub1']);
  });

  it('--by-hand: the operator took the GUI path; nothing is sent and the machine check still decides', async () => {
    const c = await startCluster(['pub', 'sub1'], 'pw-2');
    cleanup.push(() => c.close());
    const p = gui('S005');
    const s = await open(c, p);
    cleanup.push(() => s.close());
    const l = ports(c, p, creds('pw-2'));
    cleanup.push(() => l.close());
    const out = sink();
    const code = await runPlain({ session: s, out: out.out, steps: ['S005'], yes: true, checkpointPassed: false, byHand: true, runStep: l.runStep, verifyStep: l.verifyStep });
    expect(code, out.text()).toBe(0);
    for (const n of ['pub', 'sub1']) expect(c.nodes[n]!.received.some((x) => x.startsWith('utils service restart'))).toBe(false);
    expect(s.state.steps.S005!.history.map((e) => e.status)).toEqual(['verified']);
    expect(s.state.steps.S005!.history.at(-1)!.checkpoint?.method).toBe('automatic');
  });
});
