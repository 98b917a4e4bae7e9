// S037–S048: the example plan renders the hand-written golden lines exactly, and the Unity
// Connection steps follow the inventory (subscriber present or not, LDAP, no Unity Connection).
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/plan/types.js';
import { planOf as basePlanOf, ids, step, targets } from './harness.js';
import { absent, expected } from './unity.js';


type Inv = Record<string, unknown> & { unity?: Record<string, unknown> };

const planOf = (edit?: (inv: Inv) => void): Plan => basePlanOf<Inv>(edit);

const mine = Array.from({ length: 12 }, (_, i) => `S0${37 + i}`);
const example = planOf();

describe('Unity Connection golden lines (S037–S048, example inventory)', () => {
  it.each(expected.map((e) => [`${e.id} on ${e.target}`, e] as const))('%s', (_name, e) => {
    expect(step(example, e.id)?.actions.find((a) => a.target === e.target)?.commands).toEqual(e.lines);
  });

  it('has exactly the golden (step, target) pairs with commands', () => {
    const got = example.steps
      .filter((s) => mine.includes(s.id))
      .flatMap((s) => s.actions.filter((a) => a.commands.length > 0).map((a) => `${s.id}@${a.target}`));
    expect(got).toEqual(expected.map((e) => `${e.id}@${e.target}`));
  });

  it('holds every step except the absent ones', () => {
    for (const id of mine) expect(ids(example).includes(id), id).toBe(!absent.includes(id));
  });

  it('uses the multi-server CN and the port group of the inventory', () => {
    expect(step(example, 'S038')?.gui?.fields).toContainEqual({ field: 'Common Name', value: 'us-cuc-ms.ent-pa.com' });
    expect(step(example, 'S046')?.gui?.fields[0]?.value).toContain('X.509 Subject Name us-cuc-ms.ent-pa.com');
    expect(step(example, 'S043')?.gui?.path).toContain('PhoneSystem-1');
    expect(targets(example, 'S046')).toEqual(['us-cm-pub']);
  });
});

describe('Unity Connection conditions', () => {
  it('restarts Tomcat only on the publisher when there is no subscriber', () => {
    const p = planOf((inv) => {
      delete inv.unity!.subscriber;
    });
    expect(targets(p, 'S041')).toEqual(['us-cuc']);
    expect(targets(p, 'S037')).toEqual(['us-cuc']);
  });

  it('drops LDAP over TLS without LDAP, and all of Phase B without Unity Connection', () => {
    const noLdap = planOf((inv) => {
      delete inv.ldap;
    });
    expect(ids(noLdap)).not.toContain('S047');
    expect(ids(noLdap)).toContain('S046');
    const none = planOf((inv) => {
      delete inv.unity;
    });
    for (const id of mine) expect(ids(none), id).not.toContain(id);
    expect(ids(none)).toContain('S016');
  });
});
