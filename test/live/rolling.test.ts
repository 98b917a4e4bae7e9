// A live step on several VOS nodes through the wizard's plain mode and the transport's rolling
// runner, over real SSH to the lab simulators: publisher first, one node at a time gated on its
// services, --parallel for maintenance windows, per-node results kept when one node fails.
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import { resolveCredentials } from '../../src/wizard/credentials.js';
import { readStepTranscript } from '../../src/wizard/device-output.js';
import { runPlain } from '../../src/wizard/plain.js';
import { cmd, open, plan, ports, servicesStarted, sink, startCluster, step, vosAction, type Cluster } from './helpers.js';

const PASSWORD = 'Typed-at-the-prompt-7!';
const TOMCAT = 'Cisco Tomcat';
let c: Cluster;
let rollingWall = 0;
beforeAll(async () => {
  c = await startCluster(['pub', 'sub1', 'sub2'], PASSWORD, { restartMs: 400 });
});
afterAll(async () => c?.close());

// Inventory order puts a subscriber first: the publisher must still go first.
const restartStep = (id: string) => step(id, { restarts: [TOMCAT, 'Cisco Tftp'], actions: ['sub2', 'pub', 'sub1'].map((n) => vosAction(n, [cmd(`utils service restart ${TOMCAT}`)])), checkpoint: { question: 'All STARTED?', origin: 'suggested', verify: servicesStarted } });
const lastRestart = (n: string): number => c.nodes[n]!.state.restarts.filter((r) => r.service === TOMCAT).at(-1)!.at;

async function run(id: string, parallel?: number) {
  const p = plan([restartStep(id)]);
  // The password comes from the masked question (no environment variable set).
  const credentials = await resolveCredentials([{ platform: 'vos', what: 'password', username: 'administrator', env: 'COLLABSEC_TEST_UNSET', path: 'credentials.vos', optional: false }], {}, () => Promise.resolve(PASSWORD));
  const live = ports(c, p, credentials, parallel !== undefined ? { parallel } : {});
  const session = await open(c, p, id);
  const { out, text } = sink();
  const t0 = Date.now();
  try {
    const code = await runPlain({ session, out, steps: [id], yes: true, checkpointPassed: false, runStep: live.runStep, verifyStep: live.verifyStep, transcriptRoot: path.join(c.dir, '.collabsec') });
    return { code, text: text(), wall: Date.now() - t0, state: await readFile(session.file, 'utf8') };
  } finally {
    await live.close();
    await session.close();
  }
}

describe('a live step on three VOS nodes', () => {
  it('rolls: publisher first, then one node at a time, each after its services are STARTED', async () => {
    const r = await run('R1');
    expect(r.code, r.text).toBe(ExitCode.ok);
    rollingWall = r.wall;
    expect(lastRestart('pub')).toBeLessThan(lastRestart('sub2'));
    expect(lastRestart('sub2')).toBeLessThan(lastRestart('sub1'));
    // One at a time: the next restart began only after the previous node was back.
    expect(lastRestart('sub1') - lastRestart('sub2')).toBeGreaterThanOrEqual(400);
    expect(r.text).toMatch(/pub: ok — 1 command\(s\) ok \(\d+\.\d s\)[\s\S]*sub2: ok[\s\S]*sub1: ok/);
    expect(r.text).toContain('R1 verified.');
    expect(JSON.parse(r.state).steps.R1.notes.at(-1).text).toMatch(/^Sent over SSH: pub: ok .*; sub2: ok .*; sub1: ok /);
    // The prompted password is in neither the session file nor any transcript.
    expect(r.state).not.toContain(PASSWORD);
    for (const n of ['pub', 'sub1', 'sub2']) expect(await readFile(path.join(c.dir, '.collabsec', 'transcripts', 's', `${n}.log`), 'utf8')).not.toContain(PASSWORD);
    // Issue 20 slice 4: the verdict names each node's transcript, plain mode printed its path, and
    // the step's part of it (from its mark) holds the line sent, one line per line.
    // In the step's action order (the inventory's), whichever node ran first.
    const files = ['sub2', 'pub', 'sub1'].map((n) => `transcripts/s/${n}.log`);
    expect(JSON.parse(r.state).steps.R1.history.at(-1)).toMatchObject({ status: 'verified', transcripts: files });
    for (const f of files) expect(r.text).toContain(`  transcript: ${path.join(c.dir, '.collabsec', f)}`);
    const part = await readStepTranscript(path.join(c.dir, '.collabsec', 'transcripts/s/pub.log'), 'R1');
    expect(part.note).toBeUndefined();
    expect(part.lines.some((l) => l.endsWith(`utils service restart ${TOMCAT}`))).toBe(true);
    expect(part.lines.join('\n')).not.toMatch(/\n\n\n/);
  });

  it('--parallel 3: after the publisher, the subscribers restart at the same time', async () => {
    const r = await run('R2', 3);
    expect(r.code, r.text).toBe(ExitCode.ok);
    expect(lastRestart('pub')).toBeLessThan(Math.min(lastRestart('sub1'), lastRestart('sub2')));
    expect(Math.abs(lastRestart('sub1') - lastRestart('sub2'))).toBeLessThan(200);
    // Rolling takes three restarts end to end; publisher + one parallel wave takes two.
    expect(r.wall).toBeLessThan(rollingWall - 250);
  });

  it('a node whose service stays STOPPED fails the health gate and blocks the nodes after it', async () => {
    const before = c.nodes.sub1!.received.length;
    c.nodes.sub2!.state.services['Cisco Tftp'] = 'STOPPED';
    try {
      const r = await run('R3');
      expect(r.code).toBe(ExitCode.stepFailed);
      expect(r.text).toMatch(/pub: ok/);
      expect(r.text).toMatch(/sub2: unhealthy .*not healthy after the step/);
      expect(r.text).toMatch(/sub1: not-started/);
      expect(r.text).toContain('R3 failed');
      expect(c.nodes.sub1!.received.length).toBe(before);
      const ev = JSON.parse(r.state).steps.R3.history.at(-1);
      expect(ev).toMatchObject({ status: 'failed', outcome: 'failed' });
      expect(ev.checkpoint.details.map((d: { target: string; outcome: string }) => `${d.target} ${d.outcome}`)).toEqual(['pub passed', 'sub2 failed', 'sub1 unknown']);
    } finally {
      c.nodes.sub2!.state.services['Cisco Tftp'] = 'STARTED';
    }
  });

  it('--parallel: one node failing leaves the others finished and their results intact; the step fails', async () => {
    delete c.nodes.sub1!.state.services[TOMCAT];
    const sub2Before = c.nodes.sub2!.state.restarts.length;
    try {
      const r = await run('R4', 3);
      expect(r.code).toBe(ExitCode.stepFailed);
      expect(c.nodes.sub2!.state.restarts.length).toBe(sub2Before + 1);
      expect(r.text).toMatch(/sub1: failed .*Executed command unsuccessfully/);
      expect(r.text).toMatch(/sub2: ok/);
      const ev = JSON.parse(r.state).steps.R4.history.at(-1);
      expect(ev.checkpoint.details.map((d: { target: string; outcome: string }) => `${d.target} ${d.outcome}`)).toEqual(['pub passed', 'sub2 passed', 'sub1 failed']);
    } finally {
      c.nodes.sub1!.state.services[TOMCAT] = 'STARTED';
    }
  });
});
