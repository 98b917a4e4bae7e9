// Ctrl-C on the wizard screen while a live command runs means "stop waiting": the runner's
// signal aborts, the step ends in doubt, and the app stays open for the operator's decision.
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { Session } from '../../src/session/index.js';
import { WizardApp } from '../../src/ui/App.js';
import { WizardController } from '../../src/wizard/controller.js';
import type { RunStep } from '../../src/wizard/types.js';
import { keys, plain, type, until } from '../ui/helpers.js';
import { tempSession } from './fixtures.js';

const open: Session[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

describe('Ctrl-C during a live command', () => {
  it('stops waiting: the step is in doubt, the elapsed time was on screen, the app stays open', async () => {
    const { session } = await tempSession();
    open.push(session);
    let runs = 0;
    const runStep: RunStep = (_step, { progress, signal }) => {
      runs++;
      progress(['us-cm-pub: show ctl… 7 s (Ctrl-C: stop waiting)'], false);
      return new Promise((resolve) =>
        signal.addEventListener('abort', () =>
          resolve({ outcome: 'in-doubt', summary: 'stopped waiting by the operator; nothing is retried. us-cm-pub: in-doubt (7.2 s)', nodes: [{ node: 'us-cm-pub', outcome: 'in-doubt', summary: 'us-cm-pub: in-doubt (7.2 s)' }] }),
        ),
      );
    };
    const c = new WizardController(session, { runStep });
    c.select('S003');
    const { lastFrame, stdin } = render(<WizardApp controller={c} modeLabel="LIVE" />);
    const frame = (): string => plain(lastFrame());
    await until(() => frame().includes('Enter run over SSH'), 'the live key help');
    await type(stdin, keys.enter);
    await until(() => frame().includes('show ctl… 7 s'), 'the elapsed time');
    expect(frame()).toContain('Ctrl-C stop waiting');
    await type(stdin, '\u0003');
    await until(() => frame().includes('In doubt · S003'), 'the in-doubt step');
    expect(frame()).toContain('R send again');
    expect(session.state.steps.S003!.history.at(-1)).toMatchObject({ status: 'in-doubt', outcome: 'unknown' });
    await type(stdin, keys.escape);
    await until(() => frame().includes('Enter run over SSH'), 'back to the list');
    expect(frame()).toContain('[~] S003');
    // Enter on a step in doubt asks again how to settle it; it is not re-sent.
    await type(stdin, keys.enter);
    await until(() => frame().includes('In doubt · S003'), 'the in-doubt screen again');
    expect(runs).toBe(1);
  });
});
