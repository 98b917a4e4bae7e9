// The checkpoint's keys on the wizard screen, over a real controller and session journal (issue 25,
// from issue 12 "Steps say what to do", "Modes are unmistakable"): y/n answer, v runs the automatic
// check where there is one, a failed checkpoint offers r/o/s; an empty override reason says a reason
// is required and keeps the reason field; a `y` typed right after the `?` help closes is the answer
// it would be without the help (it was lost while the prompt re-subscribed its own key handler).
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { Session } from '../../src/session/index.js';
import { WizardApp } from '../../src/ui/App.js';
import { WizardController, type ControllerOptions } from '../../src/wizard/controller.js';
import { tempSession } from '../wizard/fixtures.js';
import { keys, plain, type, until } from './helpers.js';

const open: Session[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function app(opts: ControllerOptions = {}) {
  const { session } = await tempSession();
  open.push(session);
  const c = new WizardController(session, opts);
  const r = render(<WizardApp controller={c} modeLabel="rehearsal" />);
  return { c, session, stdin: r.stdin, frame: (): string => plain(r.lastFrame()) };
}

describe('checkpoint keys', () => {
  for (const close of ['?', keys.escape])
    it(`y typed right after the help closes (${close === '?' ? '?' : 'Esc'}) answers the checkpoint`, async () => {
      const { session, frame, stdin } = await app();
      await type(stdin, 'd');
      await until(() => frame().includes('y passed'), 'the checkpoint');
      await type(stdin, '?');
      await until(() => frame().includes('Keys on this screen'), 'the help');
      // Closed and answered in one breath: no render in between (one turn of the event loop only,
      // so ink reads Esc as Esc and not as Alt-y, as a terminal does with two key presses).
      stdin.write(close);
      await new Promise((r) => setImmediate(r));
      stdin.write('y');
      await until(() => session.status('S001') === 'verified', 'S001 verified by the y');
      await until(() => frame().includes('S001 verified.'), 'the message');
    });

  it('n fails the checkpoint; an empty override reason says a reason is required and keeps the field; r, s act', async () => {
    const { c, session, frame, stdin } = await app();
    await type(stdin, 'd');
    await until(() => frame().includes('y passed'), 'the checkpoint');
    await type(stdin, 'n');
    await until(() => frame().includes('Checkpoint failed · S001'), 'the failed checkpoint');
    await type(stdin, 'o');
    await until(() => frame().includes('Reason for the override'), 'the reason field');
    await type(stdin, keys.enter);
    await until(() => frame().includes('A reason is required'), 'the refusal');
    expect(frame()).toContain('Reason for the override');
    expect(session.status('S001')).toBe('failed');
    // Still in the field: letters are the reason, not keys (s would have stopped).
    await type(stdin, 'signed off by the PKI team', keys.enter);
    await until(() => session.status('S001') === 'overridden', 'overridden');
    expect(session.state.steps.S001!.history.at(-1)?.reason).toBe('signed off by the PKI team');
    // r and s on a failed checkpoint of another step.
    c.select('S003');
    await until(() => frame().includes('› [ ] S003'), 'S003');
    await type(stdin, 'd');
    await until(() => frame().includes('y passed'), 'the checkpoint of S003');
    await type(stdin, 'n');
    await until(() => frame().includes('Checkpoint failed · S003'), 'S003 failed');
    await type(stdin, 'r');
    await until(() => frame().includes('Checkpoint · S003'), 'asked again');
    await type(stdin, keys.escape);
    await until(() => c.getView().mode.kind === 'browse', 'later');
    expect(session.status('S003')).toBe('failed');
  });

  it('c re-checks a skipped or overridden step: a pass makes it verified; a fail leaves it as it was, noted', async () => {
    const { c, session, frame, stdin } = await app();
    await type(stdin, 's');
    await until(() => frame().includes('Why skip S001?'), 'the skip reason');
    await type(stdin, 'the PKI team does it', keys.enter);
    await until(() => session.status('S001') === 'skipped', 'skipped');
    c.select('S001');
    await until(() => frame().includes('› [-] S001'), 'the cursor on S001');
    expect(frame()).toContain('c checkpoint');
    await type(stdin, 'c');
    await until(() => frame().includes('Checkpoint · S001'), 'the re-check');
    expect(frame()).not.toContain('nothing to check yet');
    expect(frame()).toContain('Re-check: a pass records it verified');
    await type(stdin, 'y');
    await until(() => session.status('S001') === 'verified', 'verified by the re-check');
    expect(session.state.steps.S001!.history.at(-1)?.checkpoint?.summary).toContain('(re-checked after it was skipped or overridden)');

    c.select('S003');
    await until(() => frame().includes('› [ ] S003'), 'S003');
    await type(stdin, 'd');
    await until(() => frame().includes('Checkpoint · S003'), 'its checkpoint');
    await type(stdin, 'n');
    await until(() => frame().includes('Checkpoint failed · S003'), 'failed');
    await type(stdin, 'o');
    await until(() => frame().includes('Reason for the override'), 'the reason field');
    await type(stdin, 'CTL read by hand', keys.enter);
    await until(() => session.status('S003') === 'overridden', 'overridden');
    c.select('S003');
    await until(() => frame().includes('› [o] S003'), 'the cursor on S003');
    await type(stdin, 'c');
    await until(() => frame().includes('Checkpoint · S003'), 'the re-check of the override');
    await type(stdin, 'n');
    await until(() => frame().includes('S003 still does not pass its check'), 'the verdict');
    expect(session.status('S003')).toBe('overridden');
    expect(session.state.steps.S003!.history.at(-1)?.reason).toBe('CTL read by hand');
    expect(session.state.steps.S003!.notes?.at(-1)?.text).toMatch(/^Re-checked while overridden: failed/);
  });
});
