// The parameter steps' AXL (issues 21, 22): writes pinned per (step, publisher), and the
// checkpoint's getServiceParameter read-back, which for read-only parameters is all there is.
import { describe, expect, it } from 'vitest';
import { action, planOf, step } from './harness.js';
import { paramsExpected } from './axl-params.js';

const example = planOf();

describe('AXL golden parameter requests (example inventory)', () => {
  it.each(paramsExpected.map((e) => [`${e.id} on ${e.target}`, e] as const))('%s', (_name, e) => {
    const a = action(example, e.id, e.target);
    expect(a?.axl?.map((r) => r.readable) ?? []).toEqual(e.lines);
    expect(a?.axlEndpoint).toEqual(e.endpoint);
    const rb = step(example, e.id)?.checkpoint.readBack ?? [];
    expect(rb.map((r) => `${r.name} = ${r.expect.find((f) => f.name === 'value')?.value}`)).toEqual(e.readBack);
    for (const r of rb) {
      expect(r).toMatchObject({ object: 'ServiceParameter', operation: 'getServiceParameter', key: ['processNodeName', 'name', 'service'] });
      expect(r.expect.map((f) => f.name)).toEqual(['processNodeName', 'name', 'service', 'value']);
    }
    // What is written is read back with the same fields.
    for (const w of a?.axl ?? []) expect(rb.find((r) => r.name === w.name)?.expect).toEqual(w.fields);
  });

  it('without an online CA, S028 is not in the plan', () => {
    const p = planOf<{ features: Record<string, boolean> }>((inv) => {
      inv.features.capfOnlineCa = false;
    });
    expect(step(p, 'S028')).toBeUndefined();
  });
});
