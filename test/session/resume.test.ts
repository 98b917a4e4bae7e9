// The pure resume rules, on hand-built states (no IO).
import { describe, expect, it } from 'vitest';
import { planHash, stepCommandsHash } from '../../src/session/hash.js';
import { diffPlan, markInterrupted, nextStep, preconditionsMet, progress } from '../../src/session/resume.js';
import type { SessionState, StepEvent, StepStatus } from '../../src/session/state.js';
import { makePlan } from './fixtures/plan.js';

const plan = makePlan({ steps: 10 });

function state(statuses: Record<string, StepStatus[]>, p = plan): SessionState {
  const steps: SessionState['steps'] = {};
  for (const s of p.steps) {
    const history: StepEvent[] = (statuses[s.id] ?? []).map((status, i) => ({ status, at: `2026-01-01T00:00:0${i}Z`, user: 'ops', commandsHash: stepCommandsHash(s) }));
    steps[s.id] = { id: s.id, title: s.title, product: s.product, commandsHash: stepCommandsHash(s), history, notes: [] };
  }
  return {
    version: 1, lineage: '6f1c1f38-7a57-4d7e-9a0e-1c2b3d4e5f60', serial: 1, name: 't', createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z',
    createdBy: { user: 'ops', host: 'h' }, inventory: { path: '/x.yaml', hash: p.inventoryHash }, catalogueHash: p.catalogueHash, planHash: planHash(p), planTitle: p.title,
    planHistory: [], steps, order: p.steps.map((s) => s.id),
  };
}

describe('resume rules', () => {
  it('turns started-without-outcome into interrupted, and only that', () => {
    const s = state({ S001: ['started', 'verified'], S002: ['started'], S003: ['failed', 'started'] });
    const { state: m, interrupted } = markInterrupted(s, '2026-02-01T00:00:00Z', 'ops');
    expect(interrupted).toEqual(['S002', 'S003']);
    expect(m.steps.S002!.history.map((e) => e.status)).toEqual(['started', 'interrupted']);
    expect(m.steps.S001!.history).toBe(s.steps.S001!.history);
    expect(markInterrupted(m, 'x', 'ops').interrupted).toEqual([]); // idempotent
  });

  it('nextStep: an interrupted step comes first and must be re-checked; then plan order', () => {
    expect(nextStep(plan, state({}))?.step.id).toBe('S001');
    const s = state({ S001: ['verified'], S002: ['skipped'], S003: ['failed'], S007: ['started', 'interrupted'] });
    expect(nextStep(plan, s)).toMatchObject({ step: { id: 'S007' }, reason: 'interrupted', recheckFirst: true });
    const t = state({ S001: ['verified'], S002: ['skipped'], S003: ['failed', 'overridden'], S004: ['failed'] });
    expect(nextStep(plan, t)).toMatchObject({ step: { id: 'S004' }, reason: 'failed', recheckFirst: false });
    const all = state(Object.fromEntries(plan.steps.map((s) => [s.id, ['verified' as const]])));
    expect(nextStep(plan, all)).toBeUndefined();
  });

  it('preconditionsMet lists missing required ids; skipped does not satisfy', () => {
    const step = { ...plan.steps[3]!, requires: ['S001', 'S002', 'S003'] };
    expect(preconditionsMet(step, state({ S001: ['verified'], S002: ['skipped'], S003: ['failed', 'overridden'] }))).toEqual({ met: false, missing: ['S002'] });
    expect(preconditionsMet(step, state({ S001: ['verified'], S002: ['verified'], S003: ['verified'] })).met).toBe(true);
  });

  it('progress counts done per product', () => {
    const p = progress(state({ S001: ['verified'], S002: ['skipped'], S006: ['failed', 'overridden'], S007: ['started'] }), plan.steps);
    expect(p.done).toBe(3);
    expect(p.total).toBe(10);
    expect(p.byStatus).toMatchObject({ verified: 1, skipped: 1, overridden: 1, started: 1, pending: 6 });
    expect(p.byProduct).toEqual([{ product: 'cucm', done: 2, total: 5 }, { product: 'imp', done: 1, total: 5 }]);
  });

  it('diffPlan: changed hashes → which steps changed; verified ones flagged; added and removed', () => {
    const s = state({ S002: ['verified'], S003: ['started'] });
    const next = makePlan({ steps: 11, inventoryHash: 'inv-2', changed: { S002: ' x', S003: ' y', S004: ' z' } });
    next.steps.splice(0, 1); // S001 left the plan
    const d = diffPlan(next, s, planHash(next));
    expect(d).toMatchObject({ inventoryChanged: true, catalogueChanged: false, planChanged: true, added: ['S011'], removed: ['S001'] });
    expect(d.changed.map((c) => [c.id, c.status, c.flagged])).toEqual([['S002', 'verified', true], ['S003', 'started', false], ['S004', 'pending', false]]);
    expect(diffPlan(plan, s, planHash(plan))).toMatchObject({ planChanged: false, changed: [], added: [], removed: [] });
  });

  it('hashes ignore key order and never depend on secret answers', () => {
    const a = makePlan({ steps: 1 });
    const b = structuredClone(a);
    b.steps[0]!.actions[0]!.exchanges[0]!.dialogue[0]!.answer = 'another-secret';
    expect(stepCommandsHash(b.steps[0]!)).toBe(stepCommandsHash(a.steps[0]!));
    const reordered = Object.fromEntries(Object.entries(a.steps[0]!).reverse()) as typeof a.steps[0] & object;
    expect(stepCommandsHash(reordered)).toBe(stepCommandsHash(a.steps[0]!));
    b.steps[0]!.actions[0]!.commands[0] += ' changed';
    b.steps[0]!.actions[0]!.exchanges[0]!.line += ' changed';
    expect(stepCommandsHash(b.steps[0]!)).not.toBe(stepCommandsHash(a.steps[0]!));
  });
});
