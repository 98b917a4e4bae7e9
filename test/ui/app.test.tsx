// The whole wizard screen over a real controller and session journal: keys reach the controller
// and the screen follows, including the live-only host-key question (no SSH needed: the port is
// a fake that asks the controller, as the transport does on first contact).
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { Session } from '../../src/session/index.js';
import { WizardApp } from '../../src/ui/App.js';
import { WizardController } from '../../src/wizard/controller.js';
import type { ExecuteStep } from '../../src/wizard/types.js';
import { tempSession } from '../wizard/fixtures.js';
import { keys, plain, type, until } from './helpers.js';

const open: Session[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

describe('WizardApp', () => {
  it('walks a step with the keyboard and shows the always-visible key help', async () => {
    const { session } = await tempSession();
    open.push(session);
    const c = new WizardController(session);
    const { lastFrame, stdin } = render(<WizardApp controller={c} modeLabel="rehearsal" />);
    const frame = (): string => plain(lastFrame());
    expect(frame()).toContain('› [ ] S001 Upload the root CA');
    expect(frame()).toContain('Enter begin (you follow the GUI path)');
    await type(stdin, 'd');
    await until(() => frame().includes('You did this step yourself.'), 'the checkpoint');
    expect(frame()).toContain('y passed');
    await type(stdin, 'y');
    await until(() => frame().includes('S001 verified.'), 'verified');
    expect(frame()).toContain('[x] S001');
    expect(frame()).toContain('› [ ] S002 Enable mixed mode');
    await type(stdin, keys.enter);
    await until(() => frame().includes('Disruptive step: S002'), 'the typed confirmation');
    // One kind of word everywhere (the step id), beside what it confirms: the node and its commands.
    expect(frame()).toContain('To go on, type S002');
    expect(frame()).toContain('Sends to us-cm-pub:');
    expect(frame()).toMatch(/^║\s+utils ctl set-cluster mixed-mode/m);
    await type(stdin, 'us-cm-pub', keys.enter);
    await until(() => frame().includes('"us-cm-pub" is not "S002".'), 'the node name refused');
    await type(stdin, 'S002', keys.enter);
    await until(() => frame().includes('S002 started'), 'started');
  });

  it('asks to trust an unknown host key mid-run and passes the answer to the SSH port', async () => {
    const { session } = await tempSession();
    open.push(session);
    const answers: boolean[] = [];
    const box: { c?: WizardController } = {};
    const executeStep: ExecuteStep = async () => {
      answers.push(await box.c!.confirmHostKey('us-cm-pub', 'SHA256:abc123'));
      return { outcome: 'failed', summary: 'not connected: host key refused' };
    };
    const c = new WizardController(session, { executeStep });
    box.c = c;
    c.select('S003');
    const { lastFrame, stdin } = render(<WizardApp controller={c} modeLabel="LIVE" />);
    const frame = (): string => plain(lastFrame());
    await until(() => frame().includes('Enter run over SSH'), 'the live key help');
    await type(stdin, keys.enter);
    await until(() => frame().includes('First SSH contact with us-cm-pub'), 'the host-key question');
    expect(frame()).toContain('SHA256:abc123');
    expect(frame()).toContain('n refuse (the step fails, nothing is sent)');
    await type(stdin, 'n');
    await until(() => frame().includes('Checkpoint failed · S003'), 'the failed step');
    expect(answers).toEqual([false]);
    expect(frame()).toContain('not connected: host key refused');
  });
});
