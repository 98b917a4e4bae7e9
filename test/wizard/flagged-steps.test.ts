// flaggedSteps hashes only the verified and overridden steps (issue 25: the first frame waited
// for the commands hash of every step). Its answer must stay the full diff's: checked here against
// session.diff on a journal where a verified step and a pending step both changed.
import * as fs from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/plan/types.js';
import type { Session } from '../../src/session/index.js';
import { WizardController } from '../../src/wizard/controller.js';
import { flaggedSteps } from '../../src/wizard/rules.js';
import { tempSession, wizardPlan } from './fixtures.js';

const open: Session[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  for (const d of dirs.splice(0)) await fs.rm(d, { recursive: true, force: true });
});

/** wizardPlan's v2 (S001's GUI value changed) with S003's command changed as well. */
function changedPlan(): Plan {
  const p = wizardPlan('-v2');
  return { ...p, steps: p.steps.map((s) => (s.id === 'S003' ? { ...s, actions: s.actions.map((a) => ({ ...a, commands: ['show ctl detail'], exchanges: [{ line: 'show ctl detail', dialogue: [], timeoutMs: 1000 }] })) } : s)) };
}

describe('flaggedSteps', () => {
  it('on a new session flags nothing', async () => {
    const { session, dir } = await tempSession();
    open.push(session);
    dirs.push(dir);
    expect(flaggedSteps(session)()).toEqual([]);
  });

  it('flags the verified step whose commands changed, not the pending one, as the full diff does', async () => {
    const first = await tempSession();
    dirs.push(first.dir);
    const c = new WizardController(first.session);
    await c.doneMyself();
    await c.answer(true);
    expect(first.session.status('S001')).toBe('verified');
    await first.session.close();

    const { session } = await tempSession(changedPlan(), first.dir);
    open.push(session);
    const flagged = flaggedSteps(session);
    // Before the new plan is accepted the review screen shows the changes; nothing is flagged yet.
    expect(flagged()).toEqual([]);
    // Both changed; only the verified one was done with other commands.
    expect(session.diff.changed.map((x) => [x.id, x.flagged])).toEqual([
      ['S001', true],
      ['S003', false],
    ]);
    await session.acceptPlan();
    expect(flagged()).toEqual(['S001']);
    expect(flagged()).toEqual(session.diff.changed.filter((x) => x.flagged).map((x) => x.id));
  });
});
