// A small plan with the shapes the wizard cares about: a GUI step, a disruptive CLI step that
// requires it (with a pasted file and a secret answer), a step with automatic verification, and
// a step on another product.
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Action, Plan, PlannedStep, VerifyExpectation } from '../../src/plan/types.js';
import { openSession, type Session } from '../../src/session/index.js';

export function step(id: string, over: Partial<PlannedStep> = {}): PlannedStep {
  return {
    id,
    slug: `slug-${id}`,
    title: `Title of ${id}`,
    product: 'cucm',
    phase: 'A',
    kind: 'cli',
    summary: `Summary of ${id}.`,
    disruptive: false,
    restarts: [],
    warnings: [],
    requires: [],
    actions: [],
    instructions: [],
    checkpoint: { question: `Is ${id} done?`, origin: 'suggested' },
    ...over,
  };
}

/** The one-action step's action: a single `show ctl` on one VOS node, answered at once. */
export function showCtlAction(target = 'us-cm-pub'): Action {
  return { target, host: '192.0.2.10', platform: 'vos', commands: ['show ctl'], exchanges: [{ line: 'show ctl', dialogue: [], timeoutMs: 1000 }], pasteFiles: [] };
}

/** Its machine check: the same `show ctl` read by the vos-ctl parser. */
export const showCtlVerify: VerifyExpectation = { command: 'show ctl', parser: 'vos-ctl', args: {} };

export function wizardPlan(change = ''): Plan {
  return {
    inventoryHash: `inv${change}`,
    catalogueHash: 'cat',
    title: 'Wizard test rollout',
    summary: [],
    steps: [
      step('S001', {
        kind: 'gui',
        title: 'Upload the root CA',
        actions: [{ target: 'us-cm-pub', commands: [], exchanges: [], pasteFiles: [] }],
        gui: { path: ['OS Admin', 'Security', 'Upload'], fields: [{ field: 'Certificate Purpose', value: `tomcat-trust${change}` }], notes: [] },
      }),
      step('S002', {
        title: 'Enable mixed mode',
        disruptive: true,
        requires: ['S001'],
        restarts: ['Cisco CallManager'],
        warnings: ['Run on the publisher only.'],
        actions: [
          {
            target: 'us-cm-pub',
            host: '192.0.2.10',
            platform: 'vos',
            commands: ['utils ctl set-cluster mixed-mode'],
            exchanges: [
              {
                line: 'utils ctl set-cluster mixed-mode',
                dialogue: [
                  { expect: 'Do you want to continue (y/n)?', answer: 'y' },
                  { expect: 'Paste the Certificate', paste: 'certs/root.pem', terminator: '', label: 'root CA' },
                  { expect: 'Password:', answer: 'hunter2-secret', secret: true },
                ],
                timeoutMs: 60_000,
              },
            ],
            pasteFiles: [{ path: 'certs/root.pem', sha256: 'ab'.repeat(32) }],
          },
        ],
      }),
      step('S003', {
        title: 'Check the CTL',
        checkpoint: { question: 'Does show ctl list the records?', origin: 'suggested', verify: { command: 'show ctl', parser: 'vos-ctl', args: {} } },
        actions: [{ target: 'us-cm-pub', host: '192.0.2.10', platform: 'vos', commands: ['show ctl'], exchanges: [{ line: 'show ctl', dialogue: [], timeoutMs: 1000 }], pasteFiles: [] }],
      }),
      step('S004', { product: 'imp', title: 'IM and Presence step' }),
    ],
  };
}

export async function tempSession(plan = wizardPlan(), dir?: string): Promise<{ session: Session; dir: string }> {
  const d = dir ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'collabsec-wizard-')));
  const session = await openSession({ plan, inventoryPath: path.join(d, 'inv.yaml'), dir: d, name: 'test' });
  return { session, dir: d };
}
