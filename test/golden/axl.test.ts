// AXL requests of the example plan (issue 21): every (step, publisher) pair with AXL requests is
// pinned, with its endpoint and the read-back its checkpoint does; versions select the schema.
import { describe, expect, it } from 'vitest';
import { action, planOf, step } from './harness.js';
import { expected } from './axl.js';
import { paramsExpected } from './axl-params.js';
import { trunkExpected } from './axl-trunks.js';

const example = planOf();

describe('AXL golden requests (example inventory)', () => {
  it.each(expected.map((e) => [`${e.id} on ${e.target}`, e] as const))('%s', (_name, e) => {
    const a = action(example, e.id, e.target);
    expect(a?.axl?.map((r) => r.readable)).toEqual(e.lines);
    expect(a?.axlEndpoint).toEqual(e.endpoint);
    // The checkpoint reads back exactly the objects written, expecting the written fields.
    expect(step(example, e.id)?.checkpoint.readBack).toEqual(a?.axl?.map((r) => ({ object: r.object, name: r.name, key: e.key ?? ['name'], operation: r.readBack, expect: r.fields, ...(r.select ? { select: r.select } : {}) })));
  });

  it('has exactly the golden (step, target) pairs with AXL requests', () => {
    const got = example.steps.flatMap((s) => s.actions.filter((a) => a.axl).map((a) => `${s.id}@${a.target}`)).sort();
    // The trunk steps' pairs are pinned in axl-trunks.ts, the parameter steps' in axl-params.ts.
    const params = paramsExpected.filter((e) => e.lines.length > 0);
    expect(got).toEqual([...expected, ...trunkExpected, ...params].map((e) => `${e.id}@${e.target}`).sort());
  });

  it.each([
    ['12.5', '12.5'],
    ['14', '14.0'],
    ['15', '15.0'],
  ])('Unified CM %s uses AXL schema %s; httpsPort moves the endpoint', (release, schema) => {
    type Inv = { cucm: { version?: string; publisher: { httpsPort?: number } }[] };
    const p = planOf<Inv>((inv) => {
      inv.cucm[0]!.version = release;
      inv.cucm[0]!.publisher.httpsPort = 9443;
    });
    expect(action(p, 'S020', 'us-cm-pub')?.axlEndpoint).toEqual({ host: '192.0.2.10', port: 9443, version: schema });
  });

  it('trunk profiles follow the products present and the names the inventory gives', () => {
    type Inv = Record<string, unknown> & { features: Record<string, boolean>; cucm: { trunkSecurityProfiles?: Record<string, string> }[] };
    const p = planOf<Inv>((inv) => {
      delete inv.unity;
      inv.features.b2b = false;
      delete (inv as { expressway?: { b2b?: unknown } }).expressway?.b2b;
      inv.cucm[0]!.trunkSecurityProfiles = { cms: 'TSP-CMS-TLS' };
    });
    expect(action(p, 'S016', 'us-cm-pub')?.axl?.map((r) => r.name)).toEqual(['TSP-CMS-TLS', 'Secure-SIP-Trunk-IOS-Gateway', 'Secure-SIP-Trunk-Intercluster']);
  });

  it('an inventory without phone security profiles (no MRA, no mixed mode) sends no AXL for them', () => {
    const p = planOf<Record<string, unknown> & { features: Record<string, boolean> }>((inv) => {
      delete inv.phoneSecurityProfiles;
      // Phones to move name profiles: without them the inventory may not select any.
      delete (inv as { cucm?: { phones?: unknown }[] }).cucm?.[0]?.phones;
      inv.features.mra = false;
      inv.features.mixedMode = false;
    });
    expect(p.steps.filter((s) => s.actions.some((a) => a.axl)).map((s) => s.id)).toEqual(['S014', 'S015', 'S016', 'S028', 'S036', 'S046', 'S063', 'S079', 'S092', 'S117', 'S120', 'S121', 'S123', 'S126']);
  });
});

describe('AXL of existing objects the inventory names (LDAP, SRST, device pool)', () => {
  it('with no names in the inventory, S014, S036 and S123 keep their GUI path only', () => {
    type Inv = { cucm: Record<string, unknown>[] };
    const p = planOf<Inv>((inv) => {
      delete inv.cucm[0]!.ldapDirectories;
      delete inv.cucm[0]!.srstReferences;
      delete inv.cucm[0]!.autoRegistrationDevicePool;
    });
    for (const id of ['S014', 'S036', 'S123']) expect(action(p, id, 'us-cm-pub')?.axl).toBeUndefined();
    expect(step(p, 'S014')?.gui).toBeDefined();
  });

  it('a Global Catalog moves to 3269, each directory and SRST reference named gets its own request', () => {
    type Inv = { ldap: { servers: { fqdn: string; kind: string }[] }; cucm: Record<string, unknown>[] };
    const p = planOf<Inv>((inv) => {
      inv.ldap.servers = [{ fqdn: 'us-gc1.ent-pa.com', kind: 'gc' }];
      inv.cucm[0]!.ldapDirectories = ['AD-A', 'AD-B'];
      inv.cucm[0]!.srstReferences = ['SRST-A', 'SRST-B'];
    });
    expect(action(p, 'S014', 'us-cm-pub')?.axl?.map((r) => r.readable)).toEqual([
      'updateLdapDirectory name=AD-A servers.server[].ldapPortNumber=3269 servers.server[].sslEnabled=true',
      'updateLdapDirectory name=AD-B servers.server[].ldapPortNumber=3269 servers.server[].sslEnabled=true',
    ]);
    expect(action(p, 'S036', 'us-cm-pub')?.axl?.map((r) => r.name)).toEqual(['SRST-A', 'SRST-B']);
  });

  it('without LDAP, S014 and S015 are not in the plan', () => {
    const p = planOf<Record<string, unknown>>((inv) => {
      delete inv.ldap;
    });
    expect(step(p, 'S014')).toBeUndefined();
    expect(step(p, 'S015')).toBeUndefined();
  });
});
