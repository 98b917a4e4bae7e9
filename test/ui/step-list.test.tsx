import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { progress, type SessionState } from '../../src/session/index.js';
import { StepList } from '../../src/ui/StepList.js';
import { step, wizardPlan } from '../wizard/fixtures.js';
import { plain } from './helpers.js';

function stateWith(statuses: Record<string, string[]>): SessionState {
  const plan = wizardPlan();
  const steps: SessionState['steps'] = {};
  for (const s of plan.steps)
    steps[s.id] = { id: s.id, title: s.title, product: s.product, commandsHash: 'h', notes: [], history: (statuses[s.id] ?? []).map((status) => ({ status, at: '2026-01-01T00:00:00Z', user: 'op' }) as SessionState['steps'][string]['history'][number]) };
  return { version: 1, lineage: '00000000-0000-4000-8000-000000000000', serial: 1, name: 't', createdAt: 'x', updatedAt: 'x', createdBy: { user: 'op', host: 'h' }, inventory: { path: 'i', hash: 'inv' }, catalogueHash: 'cat', planHash: 'p', planTitle: 't', planHistory: [], steps, order: plan.steps.map((s) => s.id) };
}

afterEach(() => undefined);

describe('StepList', () => {
  it('groups steps by product with a mark per status, overall and per-product progress, and the cursor', () => {
    const plan = wizardPlan();
    const state = stateWith({ S001: ['verified'], S002: ['started', 'interrupted'], S003: ['failed'], S004: ['skipped'] });
    const { lastFrame } = render(<StepList plan={plan} state={state} progress={progress(state, plan.steps)} cursor="S002" flagged={['S001']} />);
    expect(plain(lastFrame())).toBe(
      [
        'Progress 2/4 · 1 interrupted · 1 failed',
        'cucm 1/3',
        '  [x] S001 Upload the root CA (commands changed since verified)',
        '› [?] S002 Enable mixed mode',
        '  [!] S003 Check the CTL',
        'imp 1/1',
        '  [-] S004 IM and Presence step',
      ].join('\n'),
    );
  });

  it('shows pending and in-progress marks', () => {
    const plan = wizardPlan();
    const state = stateWith({ S001: ['started'] });
    const frame = plain(render(<StepList plan={plan} state={state} progress={progress(state, plan.steps)} cursor="S001" />).lastFrame());
    expect(frame).toContain('› [>] S001');
    expect(frame).toContain('  [ ] S003');
  });

  it('windows a long plan around the cursor', () => {
    const plan = { ...wizardPlan(), steps: Array.from({ length: 40 }, (_, i) => step(`S${String(i + 1).padStart(3, '0')}`)) };
    const state = { ...stateWith({}), steps: {}, order: [] };
    const frame = plain(render(<StepList plan={plan} state={state} progress={progress(state, plan.steps)} cursor="S020" height={6} />).lastFrame());
    expect(frame).toContain('› [ ] S020');
    expect(frame).toMatch(/↑ \d+ more/);
    expect(frame).toMatch(/↓ \d+ more/);
    expect(frame).not.toContain('S001');
    expect(frame.split('\n')).toHaveLength(1 + 1 + 6 + 1);
  });
});
