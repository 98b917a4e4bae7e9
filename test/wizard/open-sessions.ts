// A session a test opens holds its journal's lock until closed: the sessions opened through
// openedSession are closed after each test of the file that imports this (the afterEach below
// registers there), so the next test can open the same folder again.
import { afterEach } from 'vitest';
import type { Plan } from '../../src/plan/types.js';
import type { Session } from '../../src/session/index.js';
import { tempSession } from './fixtures.js';

const open: Session[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

/** tempSession for `plan` (in `dir`, or a new temp folder), closed after the test. */
export async function openedSession(plan: Plan, dir?: string): Promise<{ session: Session; dir: string }> {
  const t = await tempSession(plan, dir);
  open.push(t.session);
  return t;
}
