// The trunk steps' AXL requests (issue 21 slice 2): pinned per (step, publisher), reset after a
// write, disruptive, and absent for a trunk type the inventory names no trunk for.
import { describe, expect, it } from 'vitest';
import { action, planOf, step } from './harness.js';
import { trunkExpected } from './axl-trunks.js';

const example = planOf();

describe('AXL golden requests of the trunk steps (example inventory)', () => {
  it.each(trunkExpected.map((e) => [`${e.id} on ${e.target}`, e] as const))('%s', (_name, e) => {
    const a = action(example, e.id, e.target);
    expect(a?.axl?.map((r) => r.readable)).toEqual(e.lines);
    expect(a?.axl?.map((r) => r.after)).toEqual(e.lines.map(() => 'reset'));
    expect(a?.axlEndpoint).toEqual(e.endpoint);
    // Save and Reset drops the calls on a trunk: every trunk step asks for typed confirmation.
    expect(step(example, e.id)?.disruptive).toBe(true);
  });

  it('a trunk type without names keeps only its GUI path; several names give one request each', () => {
    type Inv = { cucm: { sipTrunks?: Record<string, string[]> }[] };
    const p = planOf<Inv>((inv) => {
      inv.cucm[0]!.sipTrunks = { unity: [], cms: ['CMS-A', 'CMS-B'] };
    });
    expect(action(p, 'S046', 'us-cm-pub')?.axl).toBeUndefined();
    expect(step(p, 'S046')?.gui).toBeDefined();
    expect(action(p, 'S092', 'us-cm-pub')?.axl?.map((r) => r.name)).toEqual(['CMS-A', 'CMS-B']);
  });
});
