// Who else works on a PostgreSQL team session, as the wizard shows it (issue 24): the operator's
// TUI (a real controller and WizardApp in ink-testing-library over a real joined session) names
// another operator process (fixtures/team-child.ts) and the step it claimed, marks that step in
// the list, and drops both once the process is gone; this operator itself is never named. Plain
// mode says who is there at the start and again when that changes between steps. Real server
// (test/support/pg-cluster.ts).
import * as os from 'node:os';
import { PassThrough } from 'node:stream';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { openSession, type Session } from '../../src/session/journal.js';
import { connectPostgres } from '../../src/session/pg-store.js';
import { WizardApp } from '../../src/ui/App.js';
import { WizardController } from '../../src/wizard/controller.js';
import { runPlain } from '../../src/wizard/plain.js';
import { teamPlan } from '../session/fixtures/plan.js';
import { killHard, spawnChild } from '../session/helpers.js';
import { usePgTeam } from '../session/pg-team-fixture.js';
import { plain } from '../ui/helpers.js';

const t = usePgTeam('wpresence', { child: true });
// The plan the operator process follows (fixtures/team-child.ts: 40 steps).
const plan = teamPlan(40);

async function join(url: string): Promise<Session> {
  const b = await connectPostgres(url, { env: {} });
  t.backends.push(b);
  const s = await openSession({ plan, inventoryPath: '/nonexistent/team.yaml', store: b.store('lab'), team: true, lock: { timeoutMs: 30_000 } });
  t.sessions.push(s);
  return s;
}

/** Polls until `check` holds (generous: the machine is busy); fails with the last value. */
async function until(check: () => boolean, what: string, last: () => string): Promise<void> {
  for (let i = 0; !check(); i++) {
    if (i > 600) throw new Error(`never: ${what}; last:\n${last()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('who else works on a PostgreSQL session, in the wizard', () => {
  it('the TUI names the other operator and the step it claimed, marks it in the list, and drops it when it is gone', async () => {
    const url = await t.freshDatabase();
    const me = await join(url);
    const c = new WizardController(me, { presence: { intervalMs: 100 } });
    const app = render(<WizardApp controller={c} modeLabel="rehearsal" />);
    const frame = (): string => plain(app.lastFrame());
    try {
      // Alone (itself a team operator in presence()): no line.
      await new Promise((r) => setTimeout(r, 1000));
      expect(frame()).not.toContain('also here');
      expect(frame().split('\n')[1]).toMatch(/^Progress /);

      const other = spawnChild(t.script, ['claim', url, 'lab', 'S003']);
      t.children.push(other);
      await other.waitFor('started S003');
      const who = `${me.lockOwner.user}@${os.hostname()}`;
      // A read between its joining and its claim names it with no step claimed yet.
      await until(() => frame().includes('also here') && frame().includes('on S003'), 'the other operator and its step on screen', frame);
      const rows = frame().split('\n');
      expect(rows[0]).toMatch(/^collabsec · /);
      expect(rows[1]).toBe(`also here: ${who} on S003 (claimed just now)`);
      // Its status mark follows the other's write (read with presence), not only this operator's next write.
      await until(() => new RegExp(`^ {2}\\[>\\] S003 · `, 'm').test(frame()), 'S003 marked in progress', frame);
      expect(frame()).toMatch(new RegExp(`^ {2}\\[>\\] S003 · ${me.lockOwner.user} Step 3 `, 'm'));
      expect(me.status('S003')).toBe('started');
      expect(c.getView().presence?.claimed).toEqual({ S003: me.lockOwner.user });

      // kill -9: gone from this host, so no longer present.
      await killHard(other);
      await until(() => !frame().includes('also here'), 'the line gone', frame);
      expect(frame()).not.toMatch(/S003 ·/);
      expect(frame().split('\n')[1]).toMatch(/^Progress /);

      // Quitting stops the reads: an operator joining after it is never shown.
      c.quit();
      await new Promise((r) => setTimeout(r, 200));
      const late = spawnChild(t.script, ['claim', url, 'lab', 'S004']);
      t.children.push(late);
      await late.waitFor('started S004');
      await new Promise((r) => setTimeout(r, 1500));
      expect(c.getView().presence?.line).toBeUndefined();
    } finally {
      app.unmount();
    }
  }, 180_000);

  it('plain mode says who is there at the start, and again when that changed between steps', async () => {
    const url = await t.freshDatabase();
    const other = spawnChild(t.script, ['claim', url, 'lab', 'S010']);
    t.children.push(other);
    await other.waitFor('started S010');
    const me = await join(url);
    const out = new PassThrough();
    let text = '';
    out.on('data', (b: Buffer) => (text += b.toString()));
    const code = await runPlain({
      session: me,
      out,
      steps: ['S003', 'S005'],
      yes: true,
      checkpointPassed: true,
      // The other operator leaves while S003 is sent (a stand-in for the SSH run: what is tested is who is there).
      executeStep: async (step) => {
        if (step.id === 'S003') await killHard(other);
        return { outcome: 'ok', summary: 'sent' };
      },
    });
    expect(code, text).toBe(0);
    const lines = text.split('\n');
    const said = lines.filter((l) => /^(Also here|No one else)/.test(l));
    expect(said).toEqual([`Also here: ${me.lockOwner.user}@${os.hostname()} on S010 (claimed just now)`, 'No one else works on this session now.']);
    // Said at the start, before S003; the change before S005, after S003 was verified.
    expect(lines.indexOf(said[0]!)).toBeLessThan(lines.findIndex((l) => l.startsWith('S003 ')));
    expect(lines.indexOf(said[1]!)).toBeGreaterThan(lines.indexOf('S003 verified.'));
    expect(lines.indexOf(said[1]!)).toBeLessThan(lines.findIndex((l) => l.startsWith('S005 ')));
  }, 180_000);
});
