// The wizard screen asks for a file chosen at run time (S069: the certificate the CA returned)
// before the step is sent: a bad answer is refused on screen and asked again, Esc goes back with
// nothing sent, a good one is handed to the live port and the step runs and verifies.
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadPlan } from '../../src/plan/load-plan.js';
import type { Plan, PlannedStep } from '../../src/plan/types.js';
import type { Session } from '../../src/session/index.js';
import { WizardApp } from '../../src/ui/App.js';
import { WizardController } from '../../src/wizard/controller.js';
import type { RunStep, VerifyStep } from '../../src/wizard/types.js';
import { put, tempDir } from '../cert/pki.js';
import { tempSession } from '../wizard/fixtures.js';
import { keys, plain, type, until } from './helpers.js';

const lp = loadPlan('examples/ent-pa.yaml');
const planOf = (...ids: string[]): Plan => ({
  ...lp.plan,
  steps: ids.map((id): PlannedStep => {
    const s = lp.plan.steps.find((x) => x.id === id)!;
    return { ...s, requires: s.requires.filter((r) => ids.includes(r)) };
  }),
});

let dir: string;
const open: Session[] = [];
beforeAll(async () => {
  dir = await tempDir('collabsec-ui-runtime-');
  await put(dir, 'US-CUBE1.pem', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

describe('WizardApp: a file chosen at run time', () => {
  it('asks for it before sending; refuses a missing file on screen; Esc sends nothing; a good file is sent and the step verifies', async () => {
    const { session } = await tempSession(planOf('S069'));
    open.push(session);
    const files = new Map<string, string>();
    const sent: (string | undefined)[] = [];
    const runStep: RunStep = () => {
      sent.push(files.get('US-CUBE1'));
      return Promise.resolve({ outcome: 'ok', summary: 'ok', nodes: [{ node: 'US-CUBE1', outcome: 'ok', summary: 'US-CUBE1: ok' }] });
    };
    const verifyStep: VerifyStep = () => Promise.resolve({ method: 'automatic', outcome: 'passed', summary: 'show crypto pki trustpoints: passed' });
    const c = new WizardController(session, { runStep, verifyStep, runtimePastes: files, runtimePasteDirs: [dir] });
    const r = render(<WizardApp controller={c} modeLabel="LIVE" />);
    const frame = (): string => plain(r.lastFrame());
    await until(() => frame().includes('Enter run over SSH'), 'the live key help');
    await type(r.stdin, keys.enter);
    await until(() => frame().includes('File to paste · S069 · US-CUBE1 (1 of 1)'), 'the file question');
    expect(frame()).toContain('CA-signed router certificate for US-CUBE1.ent-pa.com');
    expect(frame()).toContain('Esc back (nothing is sent)');
    await type(r.stdin, 'missing.pem', keys.enter);
    await until(() => frame().includes('does not exist: name another file'), 'the refusal');
    expect(frame()).toContain('File for US-CUBE1:');
    await type(r.stdin, keys.escape);
    await until(() => frame().includes('Enter run over SSH'), 'back to the list');
    expect(session.state.steps.S069?.history ?? []).toEqual([]);
    expect(sent).toEqual([]);
    await type(r.stdin, keys.enter);
    await until(() => frame().includes('File for US-CUBE1:'), 'the question again');
    await type(r.stdin, 'US-CUBE1.pem', keys.enter);
    await until(() => session.status('S069') === 'verified', 'the verified step', 10_000);
    expect(sent).toEqual([join(dir, 'US-CUBE1.pem')]);
    r.unmount();
  });
});
