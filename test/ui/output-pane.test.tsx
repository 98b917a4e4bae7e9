// Issue 20 slice 4: the device's reply is visible. `t` (listed only when the step has device
// output or a transcript) opens a pane that follows the running command's output as it arrives,
// then shows the part of each node's transcript that step wrote: one row per line, scrollable,
// within an 80×24 terminal.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/plan/types.js';
import type { Session } from '../../src/session/index.js';
import { WizardApp } from '../../src/ui/App.js';
import { WizardController } from '../../src/wizard/controller.js';
import type { RunHooks, RunStep } from '../../src/wizard/types.js';
import { showCtlAction, step, tempSession } from '../wizard/fixtures.js';
import { keys, plain, type, until } from './helpers.js';

const plan: Plan = { inventoryHash: 'inv', catalogueHash: 'cat', title: 'Output rollout', summary: [], steps: [step('A1', { title: 'Read the CTL', actions: [showCtlAction()] })] };
const transcript = 'transcripts/t/us-cm-pub.log';

const open: Session[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

describe('the device-output pane', () => {
  it('follows the output live, then shows the step’s part of its transcript, scrollable, at 80×24', async () => {
    const { session, dir } = await tempSession(plan);
    open.push(session);
    // The node's transcript as the live port leaves it: an earlier step's part, then A1's (long).
    const a1 = Array.from({ length: 60 }, (_, i) => `CTL record ${i + 1} ${'x'.repeat(90)}`);
    mkdirSync(path.join(dir, 'transcripts', 't'), { recursive: true });
    writeFileSync(path.join(dir, transcript), ['[collabsec 2026-01-01T00:00:00Z] step S000 begins', 'earlier step output', '', '[collabsec 2026-01-01T00:01:00Z] step A1 begins', 'admin:show ctl', ...a1, 'admin:', ''].join('\n'));
    let hooks: RunHooks | undefined;
    let release!: () => void;
    const runStep: RunStep = async (_s, h) => {
      hooks = h;
      h.output?.('us-cm-pub', 'admin:show ctl\nline 1\nline 2\nadm');
      await new Promise<void>((r) => (release = r));
      return { outcome: 'ok', summary: 'sent', transcripts: [transcript], nodes: [{ node: 'us-cm-pub', outcome: 'ok', summary: 'us-cm-pub: ok' }] };
    };
    const c = new WizardController(session, { runStep, transcriptRoot: dir });
    const r = render(<WizardApp controller={c} modeLabel="LIVE (SSH)" />);
    Object.defineProperty(r.stdout, 'columns', { value: 80 });
    Object.defineProperty(r.stdout, 'rows', { value: 24 });
    const frame = (): string => plain(r.lastFrame());
    await until(() => frame().includes('A1'), 'the list');
    // Nothing sent yet: no output to show, so t is not offered (and does nothing).
    expect(frame()).not.toContain('t device output');
    await type(r.stdin, 't');
    expect(frame()).not.toContain('Device output');

    await type(r.stdin, keys.enter);
    await until(() => frame().includes('t device output'), 't offered once output arrived');
    await type(r.stdin, 't');
    await until(() => frame().includes('Device output · A1 · live'), 'the live pane');
    // One row per line; the open partial line (a prompt arriving) is shown as it stands.
    expect(frame().split('\n')).toEqual(expect.arrayContaining(['── us-cm-pub ──', 'admin:show ctl', 'line 1', 'line 2', 'adm']));
    hooks!.output?.('us-cm-pub', 'in:\nline 3\n');
    await until(() => frame().includes('line 3'), 'output streamed while the pane is open');
    expect(frame().split('\n')).toContain('admin:');

    // The send ends: the pane shows A1's part of the transcript, not the earlier step's.
    release();
    await until(() => frame().includes('last transcript'), 'the transcript');
    expect(frame()).not.toContain('earlier step output');
    expect(frame()).toContain(`transcript: ${path.join(dir, transcript)}`);
    const lines = frame().split('\n');
    expect(lines.length).toBeLessThanOrEqual(24);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(80);
    // Following the end: the last lines; each long line is cut at the edge, one row each.
    expect(lines.some((l) => l.startsWith('CTL record 60 '))).toBe(true);
    expect(lines.some((l) => l.startsWith('CTL record 1 '))).toBe(false);
    await type(r.stdin, '\u001B[H');
    await until(() => plain(r.lastFrame()).includes('CTL record 1 '), 'scrolled to the top');
    expect(frame()).toContain('lines 1–');
    expect(frame()).toContain('admin:show ctl');

    await type(r.stdin, keys.escape);
    await until(() => !frame().includes('Device output'), 'closed');
    expect(c.getView().output).toBeUndefined();
    r.unmount();
  });
});
