// Issue 20 slice 4: the device's reply can be found. A step whose commands were sent names its
// transcript files: plain mode prints each path (resolved against the session folder) after the
// step, the journal keeps them with the step's verdict — an ok send too, not only a failed one —
// and the evidence pack lists them under that step.
import { Writable } from 'node:stream';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import type { Plan } from '../../src/plan/types.js';
import { renderEvidence } from '../../src/session/evidence.js';
import { WizardController } from '../../src/wizard/controller.js';
import { runPlain } from '../../src/wizard/plain.js';
import type { RunStep, StepRunOutcome, VerifyStep } from '../../src/wizard/types.js';
import { showCtlAction, showCtlVerify, step } from './fixtures.js';
import { openedSession } from './open-sessions.js';

const plan: Plan = {
  inventoryHash: 'inv',
  catalogueHash: 'cat',
  title: 'Transcript rollout',
  summary: [],
  steps: [step('A1', { title: 'Check the CTL', actions: [showCtlAction('us-cm-pub'), showCtlAction('us-cm-sub1')], checkpoint: { question: 'CTL ok?', origin: 'suggested', verify: showCtlVerify } })],
};
const files = ['transcripts/site/us-cm-pub.log', 'transcripts/site/us-cm-sub1.log'];

const session = () => openedSession(plan);

function devices(outcome: StepRunOutcome['outcome']) {
  const runStep: RunStep = () => Promise.resolve({ outcome, summary: outcome, transcripts: files, nodes: [{ node: 'us-cm-pub', outcome, summary: `us-cm-pub: ${outcome}` }] });
  const verifyStep: VerifyStep = () => Promise.resolve({ method: 'automatic', outcome: 'passed', summary: 'show ctl' });
  return { runStep, verifyStep };
}

function capture(): { out: Writable; text: () => string } {
  let text = '';
  return { out: new Writable({ write: (c: Buffer, _e, cb) => ((text += c.toString()), cb()) }), text: () => text };
}

describe('transcript paths', () => {
  it('plain mode prints each transcript path of a sent step; the verdict and the evidence pack keep them', async () => {
    const { session: s, dir } = await session();
    const out = capture();
    expect(await runPlain({ session: s, out: out.out, steps: ['A1'], yes: false, checkpointPassed: false, transcriptRoot: dir, ...devices('ok') })).toBe(ExitCode.ok);
    const printed = out.text().split('\n');
    expect(printed).toContain(`  transcript: ${path.join(dir, files[0]!)}`);
    expect(printed).toContain(`  transcript: ${path.join(dir, files[1]!)}`);
    // Printed after the send and before the verdict line.
    expect(printed.findIndex((l) => l.includes('transcript:'))).toBeLessThan(printed.indexOf('A1 verified.'));
    const last = s.state.steps.A1!.history.at(-1)!;
    expect(last.status).toBe('verified');
    expect(last.transcripts).toEqual(files);
    const md = renderEvidence(plan, s.state, 'markdown').split('\n');
    for (const f of files) expect(md).toContain(`  - transcript: ${f}`);
    expect(renderEvidence(plan, s.state, 'html')).toContain(`<li>transcript: ${files[0]}</li>`);
  });

  it('a failed send prints and records its transcripts too', async () => {
    const { session: s, dir } = await session();
    const out = capture();
    expect(await runPlain({ session: s, out: out.out, steps: ['A1'], yes: false, checkpointPassed: false, transcriptRoot: dir, ...devices('failed') })).toBe(ExitCode.stepFailed);
    expect(out.text()).toContain(`  transcript: ${path.join(dir, files[1]!)}`);
    expect(s.state.steps.A1!.history.at(-1)!.transcripts).toEqual(files);
  });

  it('the TUI records them with a checkpoint answered after the operator stepped away from it', async () => {
    const { session: s } = await session();
    const d = devices('ok');
    // No device check: the operator answers the checkpoint, first "later" (Esc), then yes.
    const c = new WizardController(s, { runStep: d.runStep });
    await c.start();
    expect(c.getView().mode.kind).toBe('checkpoint');
    c.back();
    await c.checkpoint();
    expect(c.getView().mode.kind).toBe('checkpoint');
    await c.answer(true);
    const last = s.state.steps.A1!.history.at(-1)!;
    expect(last.status).toBe('verified');
    expect(last.transcripts).toEqual(files);
  });
});
