// Resume probes first (reliability cases 4 and 5) and the operator's "stop waiting" (case 14),
// over real SSH to the lab simulators: nothing mutating is ever re-sent by a resume.
import { afterEach, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import type { Session, SessionState } from '../../src/session/index.js';
import { WizardController } from '../../src/wizard/controller.js';
import { runPlain } from '../../src/wizard/plain.js';
import { cmd, creds, mixedModeCommand, mixedModeVerify, onDisk, open, plan, ports, servicesStarted, sink, startCluster, step, vosAction, type Cluster } from './helpers.js';

const PW = 'Lab-pass-4!';
const MIXED = 'utils ctl set-cluster mixed-mode';
const readOnly = /^(set cli pagination off|run sql select .*|utils service list|show .*|exit|<key .*>)$/;

const pubOnly = { target: 'pub', host: '127.0.0.1', platform: 'vos' as const, commands: [], exchanges: [], pasteFiles: [] };
const rollout = plan([
  step('S005', { kind: 'gui', title: 'Tomcat runs', actions: [pubOnly], checkpoint: { question: 'Tomcat STARTED?', origin: 'suggested', verify: servicesStarted } }),
  step('S010', { title: 'Enable mixed mode', disruptive: true, requires: ['S005'], actions: [vosAction('pub', [mixedModeCommand])], checkpoint: { question: 'Mixed mode?', origin: 'source', verify: mixedModeVerify } }),
  step('S020', { kind: 'gui', title: 'After mixed mode', requires: ['S005', 'S010'], actions: [pubOnly], checkpoint: { question: 'Done?', origin: 'suggested' } }),
]);

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function cluster(mode: 0 | 1, restartMs = 150): Promise<Cluster> {
  const c = await startCluster(['pub', 'sub1'], PW, { mode, restartMs });
  cleanup.push(() => c.close());
  return c;
}

async function session(c: Cluster): Promise<Session> {
  const s = await open(c, rollout, 'k');
  cleanup.push(() => s.close());
  return s;
}

function live(c: Cluster) {
  const l = ports(c, rollout, creds(PW));
  cleanup.push(() => l.close());
  return l;
}

/** First process: S005 verified, S010 started; `send` = the command reached the device before the kill. */
async function killedDuringMixedMode(c: Cluster, send: boolean): Promise<void> {
  const s = await open(c, rollout, 'k');
  await s.recordResult('S005', { outcome: 'passed', checkpoint: { method: 'operator', outcome: 'passed' } });
  await s.recordStarted('S010', 'pub');
  if (send) {
    const l = ports(c, rollout, creds(PW));
    const r = await l.runStep(rollout.steps[1]!, { progress: () => undefined, signal: new AbortController().signal });
    expect(r.outcome, r.summary).toBe('ok');
    await l.close();
  }
  await s.close(); // killed: no outcome recorded
}

const statuses = async (s: Session, id: string) => (JSON.parse(await onDisk(s)) as SessionState).steps[id]!.history.map((e) => e.status);
const count = (c: Cluster, line: string) => c.nodes.pub!.received.filter((l) => l === line).length;

describe('a live session resumes with its probes first', () => {
  it('case 4: killed between send and result → in doubt, the probe runs and settles it; the device got the command exactly once', async () => {
    const c = await cluster(0);
    await killedDuringMixedMode(c, true);
    expect(c.cluster.clusterSecurityMode).toBe(1);
    const s = await session(c);
    expect(s.interruptedOnOpen).toEqual(['S010']);
    const l = live(c);
    const ctl = new WizardController(s, { runStep: l.runStep, verifyStep: l.verifyStep });
    expect(ctl.getView().mode).toMatchObject({ kind: 'checkpoint', stepId: 'S010', via: 'recheck' });
    const before = c.nodes.pub!.received.length;
    await ctl.probeOnResume();
    expect(await statuses(s, 'S010')).toEqual(['started', 'interrupted', 'verified']);
    expect((JSON.parse(await onDisk(s)) as SessionState).steps.S010!.history.at(-1)!.checkpoint).toMatchObject({ method: 'automatic', outcome: 'passed' });
    expect(count(c, MIXED)).toBe(1);
    expect(c.nodes.pub!.received.slice(before).filter((x) => !readOnly.test(x))).toEqual([]);
    // Then the verified steps S020 requires were re-checked: no drift.
    expect(ctl.getView().message?.text).toMatch(/Resume check: S005, S010 still as verified/);
  });

  it('case 5: already applied (cluster security mode 1) → recorded verified, zero mutating commands sent', async () => {
    const c = await cluster(1);
    await killedDuringMixedMode(c, false);
    const s = await session(c);
    const l = live(c);
    const ctl = new WizardController(s, { runStep: l.runStep, verifyStep: l.verifyStep });
    await ctl.probeOnResume();
    expect(await statuses(s, 'S010')).toEqual(['started', 'interrupted', 'verified']);
    expect(c.nodes.pub!.received.length).toBeGreaterThan(0);
    expect(c.nodes.pub!.received.filter((x) => !readOnly.test(x))).toEqual([]);
  });

  it('not applied: the probe fails and the operator decides; nothing is re-sent', async () => {
    const c = await cluster(0);
    await killedDuringMixedMode(c, false);
    const s = await session(c);
    const l = live(c);
    const ctl = new WizardController(s, { runStep: l.runStep, verifyStep: l.verifyStep });
    await ctl.probeOnResume();
    // The probe's verdict is kept; the step stays in doubt until the operator accepts it (a), overrides (o) or re-sends (R).
    expect(ctl.getView().mode).toMatchObject({ kind: 'in-doubt', stepId: 'S010', verdict: true });
    expect(await statuses(s, 'S010')).toEqual(['started', 'interrupted', 'in-doubt']);
    expect(count(c, MIXED)).toBe(0);
  });

  it('shows drift of a verified required step before anything new runs (plain mode stops, even with --yes, unless --accept-drift)', async () => {
    const c = await cluster(0);
    const first = await open(c, rollout, 'k');
    await first.recordResult('S005', { outcome: 'passed', checkpoint: { method: 'automatic', outcome: 'passed' } });
    await first.close();
    c.nodes.pub!.state.services['Cisco Tomcat'] = 'STOPPING'; // changed since it was verified
    const s = await session(c);
    const l = live(c);
    const ctl = new WizardController(s, { runStep: l.runStep, verifyStep: l.verifyStep });
    await ctl.probeOnResume();
    expect(ctl.getView().message).toMatchObject({ level: 'warn' });
    expect(ctl.getView().message?.text).toMatch(/Drift since verified .*S010.*S005 failed/);
    expect((JSON.parse(await onDisk(s)) as SessionState).steps.S005!.notes.at(-1)?.text).toMatch(/Drift found on resume/);
    // Without --yes plain mode refuses the disruptive step before it re-checks anything (see the next test).
    const { out, text } = sink();
    const code = await runPlain({ session: s, out, steps: ['S010'], yes: false, checkpointPassed: false, runStep: l.runStep, verifyStep: l.verifyStep });
    expect(code).toBe(ExitCode.stepFailed);
    expect(text()).toContain('pass --yes to confirm');
    expect(text()).not.toMatch(/drift/);
    expect(count(c, MIXED)).toBe(0);
    // --yes confirms disruption, not drift: a failed prerequisite still stops the step.
    const yes = sink();
    expect(await runPlain({ session: s, out: yes.out, steps: ['S010'], yes: true, checkpointPassed: false, runStep: l.runStep, verifyStep: l.verifyStep })).toBe(ExitCode.stepFailed);
    expect(yes.text()).toMatch(/! drift: S005 no longer passes its check/);
    expect(yes.text()).toContain('pass --accept-drift to go on anyway');
    expect(count(c, MIXED)).toBe(0);
    // The operator's explicit choice goes on, and the step carries the note.
    const go = sink();
    // (Its health gate then fails on the same stopped Tomcat: the drift was real.)
    await runPlain({ session: s, out: go.out, steps: ['S010'], yes: true, acceptDrift: true, checkpointPassed: false, runStep: l.runStep, verifyStep: l.verifyStep });
    expect(go.text()).toContain('S010 started.');
    expect(count(c, MIXED)).toBe(1);
    expect((JSON.parse(await onDisk(s)) as SessionState).steps.S010!.notes.at(-1)?.text).toMatch(/drift accepted \(--accept-drift\): S005 failed/);
  });
});

describe('a disruptive step without --yes (plain mode)', () => {
  it('is refused before any login or re-check; with --yes the re-check of what it builds on logs in', async () => {
    const c = await cluster(0);
    const first = await open(c, rollout, 'k');
    await first.recordResult('S005', { outcome: 'passed', checkpoint: { method: 'automatic', outcome: 'passed' } });
    await first.close();
    const s = await session(c);
    expect(s.resumed).toBe(true); // a resumed live session re-checks S005 before S010 would run
    const l = live(c);
    const logins = () => Object.values(c.nodes).map((n) => [n.connections, n.auths.length]);
    const { out, text } = sink();
    expect(await runPlain({ session: s, out, steps: ['S010'], yes: false, checkpointPassed: false, runStep: l.runStep, verifyStep: l.verifyStep })).toBe(ExitCode.stepFailed);
    expect(text()).toContain('pass --yes to confirm');
    expect(logins()).toEqual([[0, 0], [0, 0]]);
    expect((JSON.parse(await onDisk(s)) as SessionState).steps.S010?.history ?? []).toEqual([]);
    // The counter counts: with --yes the re-check of S005 (and the step itself) reach the publisher.
    const yes = sink();
    await runPlain({ session: s, out: yes.out, steps: ['S010'], yes: true, checkpointPassed: false, runStep: l.runStep, verifyStep: l.verifyStep });
    expect(c.nodes.pub!.connections).toBeGreaterThan(0);
    expect(count(c, MIXED)).toBe(1);
  });
});

describe('stop waiting during a live command', () => {
  const restart = plan([step('R1', { restarts: [], actions: [vosAction('pub', [cmd('utils service restart Cisco Tomcat', 30_000)])], checkpoint: { question: 'Up?', origin: 'suggested', verify: servicesStarted } })]);

  it('TUI: the elapsed time is shown, stopping records the step in doubt, and nothing is retried', async () => {
    const c = await cluster(0, 6_000);
    const s = await open(c, restart, 'stop');
    cleanup.push(() => s.close());
    const l = ports(c, restart, creds(PW));
    cleanup.push(() => l.close());
    const ctl = new WizardController(s, { runStep: l.runStep, verifyStep: l.verifyStep });
    ctl.select('R1');
    const seen: string[] = [];
    ctl.subscribe(() => {
      const m = ctl.getView().mode;
      if (m.kind === 'running') seen.push(...m.lines);
    });
    const started = ctl.start();
    await expect.poll(() => seen.some((x) => /Tomcat… 1 s \(Ctrl-C: stop waiting\)/.test(x)), { timeout: 5_000 }).toBe(true);
    expect(ctl.stoppable).toBe(true);
    expect(ctl.stopWaiting()).toBe(true);
    await started;
    const m = ctl.getView().mode;
    expect(m).toMatchObject({ kind: 'in-doubt', stepId: 'R1' });
    if (m.kind === 'in-doubt') expect(m.summary).toMatch(/^In doubt .*stopped waiting by the operator.*pub: in-doubt \(\d+\.\d s\)/);
    expect((JSON.parse(await onDisk(s)) as SessionState).steps.R1!.history.at(-1)).toMatchObject({ status: 'in-doubt', outcome: 'unknown' });
    ctl.back();
    // Enter on it asks how to settle it (the in-doubt screen); it is not re-sent.
    await ctl.start();
    expect(ctl.getView().mode).toMatchObject({ kind: 'in-doubt', stepId: 'R1' });
    expect(count(c, 'utils service restart Cisco Tomcat')).toBe(1);
  });

  it('plain mode: the interrupt (SIGINT at the edge) stops waiting; exit 4, in doubt, sent once', async () => {
    const c = await cluster(0, 6_000);
    const s = await open(c, restart, 'sigint');
    cleanup.push(() => s.close());
    const l = ports(c, restart, creds(PW));
    cleanup.push(() => l.close());
    const { out, text } = sink();
    const code = await runPlain({
      session: s,
      out,
      steps: ['R1'],
      yes: true,
      checkpointPassed: false,
      runStep: l.runStep,
      verifyStep: l.verifyStep,
      onInterrupt: (stop) => {
        const t = setTimeout(stop, 1_200);
        return () => clearTimeout(t);
      },
    });
    expect(code).toBe(ExitCode.stepFailed);
    expect(text()).toContain('R1: stop waiting (interrupt)');
    expect(text()).toMatch(/R1 is in doubt .*stopped waiting by the operator/);
    expect(count(c, 'utils service restart Cisco Tomcat')).toBe(1);
  });
});
