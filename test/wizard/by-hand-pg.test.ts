// A step done by hand in the wizard ("done it myself") on a PostgreSQL team session (issue 24):
// the real controller over a real joined session, another operator a real process
// (fixtures/team-child.ts) that is mid-way through a step. The by-hand step claims its nodes for
// as long as its checkpoint question is open, as a sent step does: refused on screen, naming the
// holder, on a node the other operator has; given back when the question is put off (Esc) or
// answered. Nothing is journaled "started" (nothing was sent). Real server (test/support/pg-cluster.ts).
import * as os from 'node:os';
import { describe, expect, it } from 'vitest';
import { openSession, type Session } from '../../src/session/journal.js';
import { connectPostgres, type PgSessionBackend } from '../../src/session/pg-store.js';
import { WizardController } from '../../src/wizard/controller.js';
import { teamPlan } from '../session/fixtures/plan.js';
import { spawnChild } from '../session/helpers.js';
import { usePgTeam } from '../session/pg-team-fixture.js';

const t = usePgTeam('wbyhand', { child: true });
// The plan the operator process follows (fixtures/team-child.ts: 40 steps; S001 and S002 share a node).
const plan = teamPlan(40);

async function join(url: string): Promise<{ b: PgSessionBackend; s: Session }> {
  const b = await connectPostgres(url, { env: {} });
  t.backends.push(b);
  const s = await openSession({ plan, inventoryPath: '/nonexistent/team.yaml', store: b.store('lab'), team: true, lock: { timeoutMs: 30_000 } });
  t.sessions.push(s);
  return { b, s };
}

/** Polls until `check` holds (generous: the machine is busy). */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; !(await check()); i++) {
    if (i > 600) throw new Error(`never: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('a step done by hand in the wizard, on a team session', () => {
  it('is refused on a node another operator is mid-way on, naming them; holds its own nodes while its checkpoint is open', async () => {
    const url = await t.freshDatabase();
    const other = spawnChild(t.script, ['claim', url, 'lab', 'S001']);
    t.children.push(other);
    await other.waitFor('started S001');
    const pid = Number(/pid=(\d+)/.exec(await other.waitFor('ready'))![1]);
    const { b, s } = await join(url);
    const mine = async () => (await b.pool.query<{ node: string }>(`SELECT node FROM collabsec.claims WHERE session = 'lab' AND token = $1 ORDER BY node`, [s.lockOwner.token])).rows.map((r) => r.node);
    const c = new WizardController(s, {});

    // S002 changes the node S001's operator is working on: no checkpoint question, the holder named.
    c.select('S002');
    await c.doneMyself();
    expect(c.getView().mode.kind).toBe('browse');
    const said = c.getView().message;
    expect(said?.level).toBe('error');
    expect(said?.text).toContain('Step S002 cannot be done by hand now: node shared-node is claimed by');
    expect(said?.text).toContain(`on host ${os.hostname()} (process ${pid}, since `);
    expect(said?.text).toContain('for step S001');
    expect(s.state.steps.S002!.history).toEqual([]);
    expect(await mine()).toEqual([]);

    // Another node: its question is open, and its node is this operator's meanwhile.
    c.select('S004');
    await c.doneMyself();
    expect(c.getView().mode).toMatchObject({ kind: 'checkpoint', stepId: 'S004', via: 'self' });
    expect(await mine()).toEqual(['node:node-4', 'step:S004']);
    // Put off (Esc): given back, nothing recorded.
    c.back();
    await until(async () => (await mine()).length === 0, 'the claim given back');
    expect(s.state.steps.S004!.history).toEqual([]);

    // Asked again and answered: verified, never "started", and the claim gone with the outcome.
    c.select('S004');
    await c.doneMyself();
    expect(await mine()).toEqual(['node:node-4', 'step:S004']);
    await c.answer(true);
    expect(s.state.steps.S004!.history.map((e) => e.status)).toEqual(['verified']);
    expect(await mine()).toEqual([]);
    c.quit();
  });
});
