// Back-out in the wizard (issue 25, from issue 12 "Back-out in the wizard"): the step view shows
// the step's back-out as the plan prints it, and a failed checkpoint offers it (b records the
// back-out with its reason, nothing is sent).
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { Plan, PlannedStep } from '../../src/plan/types.js';
import type { Session } from '../../src/session/index.js';
import { WizardApp } from '../../src/ui/App.js';
import { StepView } from '../../src/ui/StepView.js';
import { WizardController } from '../../src/wizard/controller.js';
import { step, tempSession } from '../wizard/fixtures.js';
import { keys, plain, type, until } from './helpers.js';

const open: Session[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

const disruptive: PlannedStep = step('S001', {
  title: 'Enable mixed mode',
  disruptive: true,
  actions: [{ target: 'us-cm-pub', commands: ['utils ctl set-cluster mixed-mode'], exchanges: [{ line: 'utils ctl set-cluster mixed-mode', dialogue: [], timeoutMs: 1000 }], pasteFiles: [] }],
  backout: { text: ['Return the cluster to non-secure mode, then restart TFTP and CallManager.'], commands: ['utils ctl set-cluster non-secure-mode'] },
});

describe('the back-out in the wizard', () => {
  it('the step view shows the back-out: its words and the lines to type', () => {
    const frame = plain(render(<StepView step={disruptive} status="pending" />).lastFrame());
    expect(frame).toContain('Back-out:');
    expect(frame).toContain('↩ Return the cluster to non-secure mode, then restart TFTP and CallManager.');
    expect(frame).toMatch(/^ {4}utils ctl set-cluster non-secure-mode$/m);
  });

  it("each target's own back-out where they differ", () => {
    const s = step('S002', {
      disruptive: true,
      actions: ['us-cube1', 'us-srst1'].map((t) => ({ target: t, commands: [], exchanges: [], pasteFiles: [], backout: { text: [], commands: [`no crypto pki trustpoint ${t.toUpperCase()}`] } })),
    });
    const frame = plain(render(<StepView step={s} status="pending" />).lastFrame());
    expect(frame).toMatch(/on us-cube1:\n {4}no crypto pki trustpoint US-CUBE1/);
    expect(frame).toMatch(/on us-srst1:\n {4}no crypto pki trustpoint US-SRST1/);
  });

  it('a step without a back-out shows none', () => {
    expect(plain(render(<StepView step={step('S003')} status="pending" />).lastFrame())).not.toContain('Back-out');
  });

  /** The wizard on a plan of `steps`, its first step done by hand and its checkpoint answered no. */
  async function failedFirstCheckpoint(steps: PlannedStep[]) {
    const plan: Plan = { inventoryHash: 'inv', catalogueHash: 'cat', title: 'Back-out rollout', summary: [], steps };
    const { session } = await tempSession(plan);
    open.push(session);
    const c = new WizardController(session);
    const r = render(<WizardApp controller={c} modeLabel="rehearsal" />);
    const frame = (): string => plain(r.lastFrame());
    await type(r.stdin, 'd');
    await until(() => frame().includes('y passed'), 'the checkpoint');
    await type(r.stdin, 'n');
    await until(() => frame().includes('Checkpoint failed · S001'), 'the failed checkpoint');
    return { session, c, r, frame };
  }

  it('a failed checkpoint of a disruptive step offers its back-out: b asks the reason and records it backed out', async () => {
    const { session, r, frame } = await failedFirstCheckpoint([disruptive, step('S002')]);
    expect(frame()).toContain('Back-out: Return the cluster to non-secure mode');
    expect(frame()).toContain('b backed out (reason)');
    await type(r.stdin, 'b');
    await until(() => frame().includes('How was S001 backed out?'), 'the reason');
    await type(r.stdin, 'non-secure mode restored, TFTP and CallManager restarted', keys.enter);
    await until(() => frame().includes('S001 backed out (the reason is recorded)'), 'recorded');
    expect(session.status('S001')).toBe('backed-out');
    expect(session.state.steps.S001!.history.at(-1)?.reason).toBe('non-secure mode restored, TFTP and CallManager restarted');
  });

  it('a failed checkpoint of a step that is not disruptive offers no back-out key', async () => {
    const { c, r, frame } = await failedFirstCheckpoint([step('S001')]);
    expect(frame()).not.toContain('backed out');
    await type(r.stdin, 'b');
    expect(c.getView().mode.kind).toBe('failed');
  });
});
