// The TUI's controller journals a multi-node step node by node, as plain mode does, and resumes an
// interrupted run node by node (over real SSH to the lab VOS simulators): nodes recorded ok get
// nothing, a node in doubt is settled by its read-only start-time probe and gets only the lines
// that never ran, untouched nodes get the whole step.
import { afterEach, describe, expect, it } from 'vitest';
import { nodeRunStates, type Session, type SessionState } from '../../src/session/index.js';
import { WizardController } from '../../src/wizard/controller.js';
import { runPlain } from '../../src/wizard/plain.js';
import { cmd, creds, onDisk, open, plan, ports, servicesStarted, sink, startCluster, step, vosAction, type Cluster } from './helpers.js';

const PW = 'Lab-pass-4!';
const NODES = ['pub', 'sub1', 'sub2'];
const SERVICES = ['Cisco CallManager', 'Cisco CTIManager'];
const RESTART = (svc: string) => `utils service restart ${svc}`;
const LINES = SERVICES.map(RESTART);
const rollout = plan([
  step('R3', {
    title: 'Restart CallManager and CTIManager on every node',
    disruptive: true,
    restarts: SERVICES,
    actions: NODES.map((n) => vosAction(n, LINES.map((l) => cmd(l, 30_000)))),
    checkpoint: { question: 'Services STARTED?', origin: 'suggested', verify: servicesStarted },
  }),
]);

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function cluster(): Promise<Cluster> {
  const c = await startCluster(NODES, PW, { restartMs: 100 });
  cleanup.push(() => c.close());
  return c;
}

function live(c: Cluster) {
  const l = ports(c, rollout, creds(PW));
  cleanup.push(() => l.close());
  return l;
}

async function session(c: Cluster, name: string): Promise<Session> {
  const s = await open(c, rollout, name);
  cleanup.push(() => s.close());
  return s;
}

const disk = async (s: Session) => JSON.parse(await onDisk(s)) as SessionState;
const restartsSent = (c: Cluster, node: string, from = 0) => c.nodes[node]!.received.slice(from).filter((l) => l.startsWith('utils service restart '));
/** What `show process list detail` prints as a service's start time (the evidence a resume compares). */
const startTimes = (c: Cluster, node: string) => Object.fromEntries(SERVICES.map((svc) => [svc, new Date(c.nodes[node]!.state.startedAt[svc]!).toISOString()]));

/** Runs the step through the controller: Enter, then the typed confirmation of a disruptive step. */
async function runThroughController(ctl: WizardController): Promise<void> {
  ctl.select('R3');
  await ctl.start();
  const m = ctl.getView().mode;
  expect(m.kind).toBe('confirm');
  if (m.kind === 'confirm') await ctl.confirm(m.expected);
}

describe('TUI controller: per-node journal of a multi-node step', () => {
  it('a 3-node restart records each node\'s intent (with its start-time evidence) and outcome', { timeout: 60_000 }, async () => {
    const c = await cluster();
    const before = Object.fromEntries(NODES.map((n) => [n, startTimes(c, n)]));
    const s = await session(c, 'run');
    const l = live(c);
    const ctl = new WizardController(s, { runStep: l.runStep, verifyStep: l.verifyStep });
    await runThroughController(ctl);

    const rec = (await disk(s)).steps.R3!;
    expect(rec.history.map((e) => e.status)).toEqual(['started', 'verified']);
    const nodes = nodeRunStates(rec);
    expect([...nodes.keys()]).toEqual(NODES);
    for (const n of NODES) {
      const r = nodes.get(n)!;
      expect(r.state).toBe('ok');
      expect(r.record).toMatchObject({ outcome: 'ok', lines: LINES, health: { ok: true } });
      expect(r.record.intentAt).toBeTypeOf('string');
      expect(r.record.outcomeAt).toBeTypeOf('string');
      // Evidence read before the node's first line: the start times from before its restarts.
      expect(r.record.evidence).toEqual(before[n]);
      expect(restartsSent(c, n)).toEqual(LINES);
    }
  });
});

describe('TUI controller: an interrupted multi-node run resumes node by node', () => {
  /**
   * The first process: R3 started; pub recorded ok; sub1's intent (with evidence) on disk and its
   * first restart sent, then killed before any outcome; sub2 never reached. `evidence: false`
   * leaves sub1's intent without the evidence its probe would compare.
   */
  async function killedMidRun(c: Cluster, name: string, evidence = true): Promise<void> {
    const first = await open(c, rollout, name);
    await first.recordStarted('R3', NODES.join(','));
    const j = first.nodeJournal('R3');
    await j.intent('pub', { evidence: startTimes(c, 'pub'), lines: LINES });
    await j.outcome('pub', { outcome: 'ok', health: { ok: true, details: [] }, summary: 'ok — 2 command(s) ok' });
    await j.intent('sub1', { ...(evidence ? { evidence: startTimes(c, 'sub1') } : {}), lines: LINES });
    // The first line reached sub1 (and ran) before the kill.
    const l = ports(c, rollout, creds(PW));
    const r = await l.executeStep(rollout.steps[0]!, vosAction('sub1', [cmd(LINES[0]!, 30_000)]));
    expect(r.outcome, r.summary).toBe('ok');
    await l.close();
    await first.close(); // killed: no outcome for sub1, nothing for sub2
  }

  it('sends nothing to the ok node, only the never-run line to the in-doubt node, the whole step to the untouched one', { timeout: 60_000 }, async () => {
    const c = await cluster();
    await killedMidRun(c, 'kill');
    expect(restartsSent(c, 'sub1')).toEqual([LINES[0]]);

    const s = await session(c, 'kill');
    expect(s.interruptedOnOpen).toEqual(['R3']);
    const l = live(c);
    const ctl = new WizardController(s, { runStep: l.runStep, verifyStep: l.verifyStep });
    // The resume is offered (not a bare checkpoint): Enter goes on node by node.
    expect(ctl.getView().mode).toEqual({ kind: 'browse' });
    expect(ctl.getView().cursor).toBe('R3');
    expect(ctl.getView().message?.text).toMatch(/R3 was interrupted mid-run \(pub ok, sub1 in-doubt, sub2 pending\)\. Enter resumes it node by node/);
    // Opening a live session settles nothing on its own for a run that can go on node by node.
    const seen = Object.fromEntries(NODES.map((n) => [n, c.nodes[n]!.received.length]));
    await ctl.probeOnResume();
    for (const n of NODES) expect(c.nodes[n]!.received.length).toBe(seen[n]);
    expect(s.status('R3')).toBe('interrupted');

    await runThroughController(ctl);

    expect(restartsSent(c, 'pub', seen.pub)).toEqual([]);
    const sub1 = c.nodes.sub1!.received.slice(seen.sub1);
    // The read-only probe comes before the one line it says never ran.
    expect(restartsSent(c, 'sub1', seen.sub1)).toEqual([LINES[1]]);
    expect(sub1.indexOf('show process list detail')).toBeGreaterThanOrEqual(0);
    expect(sub1.indexOf('show process list detail')).toBeLessThan(sub1.indexOf(LINES[1]!));
    expect(restartsSent(c, 'sub2', seen.sub2)).toEqual(LINES);
    // Across the kill and the resume, every line reached every node exactly once.
    for (const n of NODES.slice(1)) expect(restartsSent(c, n)).toEqual(LINES);

    const rec = (await disk(s)).steps.R3!;
    expect(rec.history.map((e) => `${e.status}${e.resumed === true ? '+' : ''}`)).toEqual(['started', 'interrupted', 'started+', 'verified']);
    expect(rec.history[2]!.reason).toBe('resumed after an interruption: pub ok, sub1 in-doubt, sub2 pending');
    const final = nodeRunStates(rec);
    expect([...final].map(([n, x]) => `${n} ${x.state}`)).toEqual(['pub ok', 'sub1 ok', 'sub2 ok']);
    expect(final.get('sub1')!.record).toMatchObject({ done: [LINES[0]], lines: [LINES[1]], outcome: 'ok' });
    expect(ctl.getView().mode.kind).toBe('finished');
  });

  it('a node in doubt without evidence is not resumed: its checkpoint decides and Enter sends nothing', { timeout: 60_000 }, async () => {
    const c = await cluster();
    await killedMidRun(c, 'blind', false);
    const s = await session(c, 'blind');
    const l = live(c);
    const ctl = new WizardController(s, { runStep: l.runStep, verifyStep: l.verifyStep });
    expect(ctl.getView().mode).toMatchObject({ kind: 'checkpoint', stepId: 'R3', via: 'recheck' });
    ctl.back();
    const seen = Object.fromEntries(NODES.map((n) => [n, c.nodes[n]!.received.length]));
    await ctl.start();
    // The engine asks how to settle it (re-check, accept, override, re-send, later); nothing is sent meanwhile.
    expect(ctl.getView().mode).toMatchObject({ kind: 'in-doubt', stepId: 'R3' });
    for (const n of NODES) expect(restartsSent(c, n, seen[n])).toEqual([]);
    expect(s.status('R3')).toBe('interrupted');
  });
});

describe('TUI controller: a run every node answered ok, quit at its checkpoint question (issue 12 finding 36)', () => {
  it('comes back saying so, not "interrupted mid-run": only its checkpoint is asked, nothing is sent again', { timeout: 60_000 }, async () => {
    const c = await cluster();
    // No machine check: after the send the wizard waits for the operator's answer.
    const asked = plan([step('R4', { title: 'Restart and look at the phones', restarts: SERVICES, actions: NODES.map((n) => vosAction(n, LINES.map((l) => cmd(l, 30_000)))), checkpoint: { question: 'Phones registered again?', origin: 'suggested' } })]);
    const first = await open(c, asked, 'asked');
    const l1 = ports(c, asked, creds(PW));
    const ctl1 = new WizardController(first, { runStep: l1.runStep, verifyStep: l1.verifyStep });
    ctl1.select('R4');
    await ctl1.start();
    expect(ctl1.getView().mode).toMatchObject({ kind: 'checkpoint', stepId: 'R4', via: 'run' });
    await l1.close();
    await first.close(); // quit before the answer
    for (const n of NODES) expect(restartsSent(c, n)).toEqual(LINES);

    const s = await open(c, asked, 'asked');
    cleanup.push(() => s.close());
    expect(s.interruptedOnOpen).toEqual(['R4']);
    const l = ports(c, asked, creds(PW));
    cleanup.push(() => l.close());
    const ctl = new WizardController(s, { runStep: l.runStep, verifyStep: l.verifyStep });
    expect(ctl.getView().mode).toMatchObject({ kind: 'checkpoint', stepId: 'R4', via: 'recheck' });
    const text = ctl.getView().message?.text ?? '';
    expect(text).toContain('R4 was sent, and all 3 nodes (pub, sub1, sub2) answered ok; its checkpoint was not answered.');
    expect(text).not.toMatch(/mid-run|may or may not/);
    await ctl.probeOnResume();
    await ctl.answer(true);
    expect(s.status('R4')).toBe('verified');
    for (const n of NODES) expect(restartsSent(c, n)).toEqual(LINES);
  });
});

describe('plain mode: an interrupted multi-node run is not settled by its check alone', () => {
  it('acting on another step leaves it interrupted and says how to go on (its restart check would pass on a node never restarted)', { timeout: 60_000 }, async () => {
    const c = await cluster();
    const two = plan([...rollout.steps, step('R9', { kind: 'gui', title: 'Something else', actions: [], checkpoint: { question: 'Done?', origin: 'suggested' } })]);
    const first = await open(c, two, 'pre');
    await first.recordStarted('R3', NODES.join(','));
    const j = first.nodeJournal('R3');
    await j.intent('pub', { evidence: startTimes(c, 'pub'), lines: LINES });
    await j.outcome('pub', { outcome: 'ok', health: { ok: true, details: [] }, summary: 'ok' });
    await j.intent('sub1', { evidence: startTimes(c, 'sub1'), lines: LINES });
    await first.close();
    const s = await open(c, two, 'pre');
    cleanup.push(() => s.close());
    const l = ports(c, two, creds(PW));
    cleanup.push(() => l.close());
    const out = sink();
    await runPlain({ session: s, out: out.out, steps: ['R9'], yes: true, checkpointPassed: true, runStep: l.runStep, verifyStep: l.verifyStep });
    expect(out.text()).toContain('R3 was interrupted mid-run on some of its nodes: name it with --steps R3');
    expect(s.status('R3')).toBe('interrupted');
    for (const n of NODES) expect(restartsSent(c, n)).toEqual([]);
  });
});
