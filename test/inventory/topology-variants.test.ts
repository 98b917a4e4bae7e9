// Issue 19 slice 1b: every topology the schema accepts plans without an internal gap, and every
// topology error names its inventory field. Variants of the shipped example (products removed,
// clusters shrunk, services moved, features switched) are each planned: the result is a plan, or
// an InventoryError whose every problem names an inventory field, never a renderer's "no value
// for cms.firstDb.ip" or any other internal variable.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { InventoryError, parseInventory } from '../../src/inventory/load.js';
import { inventorySchema } from '../../src/inventory/schema.js';
import { buildTopology } from '../../src/inventory/topology.js';
import { buildPlan } from '../../src/plan/build.js';
import { defaultCatalogue } from '../../src/plan/load-plan.js';

const example = readFileSync(new URL('../../examples/ent-pa.yaml', import.meta.url), 'utf8');
type Doc = ReturnType<typeof parseDocument>;
type Edit = [name: string, edit: (d: Doc) => void];

const node = (host: string, ip: string, services?: string[]) => ({ host, ip, ...(services ? { services } : {}) });
const features = (d: Doc, on: boolean, ...names: string[]) => names.forEach((n) => d.setIn(['features', n], on));
const noExpressway = (d: Doc) => {
  d.deleteIn(['expressway']);
  features(d, false, 'mra', 'xmppFederation', 'b2b');
};

/** Nodes naming the XMPP server pin Meeting Server 2.x: the example runs 3.x, which has none. */
const cms2x = (d: Doc, nodes: unknown[]) => {
  d.setIn(['cms', 'version'], '2.x');
  d.setIn(['cms', 'nodes'], nodes);
};

const EDITS: Edit[] = [
  ['cms: no database node', (d) => cms2x(d, [node('a1', '192.0.2.60', ['callbridge', 'webadmin', 'xmpp']), node('a2', '192.0.2.61', ['callbridge'])])],
  ['cms: one combined node', (d) => cms2x(d, [node('a1', '192.0.2.60', ['callbridge', 'webadmin', 'webbridge', 'xmpp', 'database'])])],
  ['cms: one node, callbridge only', (d) => d.setIn(['cms', 'nodes'], [node('a1', '192.0.2.60', ['callbridge'])])],
  ['cms: one database-only node', (d) => d.setIn(['cms', 'nodes'], [node('a1', '192.0.2.60', ['database'])])],
  ['cms: database nodes only', (d) => d.setIn(['cms', 'nodes'], [node('a1', '192.0.2.60', ['database']), node('a2', '192.0.2.61', ['database'])])],
  ['cms: no call bridge', (d) => cms2x(d, [node('a1', '192.0.2.60', ['webadmin', 'database']), node('a2', '192.0.2.61', ['xmpp', 'database'])])],
  ['cms: no webadmin', (d) => d.setIn(['cms', 'nodes'], [node('a1', '192.0.2.60', ['callbridge', 'database'])])],
  ['cms: first node database-only', (d) => cms2x(d, [node('a1', '192.0.2.60', ['database']), node('a2', '192.0.2.61', ['callbridge', 'webadmin', 'xmpp'])])],
  ['cms: two combined, no client-only', (d) => d.setIn(['cms', 'nodes'], [node('a1', '192.0.2.60', ['callbridge', 'webadmin', 'database']), node('a2', '192.0.2.61', ['callbridge', 'database'])])],
  ['cms: none', (d) => d.deleteIn(['cms'])],
  ['imp: no subscribers', (d) => d.setIn(['cucm', 0, 'imp', 'subscribers'], [])],
  ['imp: none', (d) => d.deleteIn(['cucm', 0, 'imp'])],
  ['unity: no subscriber', (d) => d.deleteIn(['unity', 'subscriber'])],
  ['unity: none', (d) => d.deleteIn(['unity'])],
  ['expressway-c: one node', (d) => d.setIn(['expressway', 'c', 'nodes'], [node('c1', '192.0.2.40')])],
  ['expressway-e: one node', (d) => d.setIn(['expressway', 'e', 'nodes'], [node('e1', '198.51.100.40')])],
  ['expressway: no chat node aliases', (d) => d.setIn(['expressway', 'chatNodeAliases'], [])],
  ['expressway: none', noExpressway],
  ['expressway: none, public CA none', (d) => (noExpressway(d), d.deleteIn(['ca', 'public']))],
  ['expressway: no b2b block, b2b off', (d) => (d.deleteIn(['expressway', 'b2b']), features(d, false, 'b2b'))],
  ['expressway: no federation domains, federation off', (d) => (d.setIn(['expressway', 'xmppFederationDomains'], []), features(d, false, 'xmppFederation'))],
  ['expressway: no registration domains, MRA off', (d) => (d.setIn(['expressway', 'registrationDomains'], []), features(d, false, 'mra'))],
  ['cucm: no subscribers', (d) => d.setIn(['cucm', 0, 'subscribers'], [])],
  ['cucm: no services anywhere', (d) => {
    d.setIn(['cucm', 0, 'publisher', 'services'], []);
    for (let i = 0; i < 3; i++) d.setIn(['cucm', 0, 'subscribers', i, 'services'], []);
  }],
  ['cucm: no tftp node', (d) => {
    d.setIn(['cucm', 0, 'publisher', 'services'], ['callmanager']);
    d.setIn(['cucm', 0, 'subscribers', 2, 'services'], ['callmanager']);
  }],
  ['cucm: publisher only, no services', (d) => (d.setIn(['cucm', 0, 'subscribers'], []), d.setIn(['cucm', 0, 'publisher', 'services'], []))],
  ['cucm: two clusters', (d) => d.addIn(['cucm'], { name: 'emea', publisher: node('emea-cm-pub', '192.0.2.110', ['tftp', 'callmanager']), capfOnlineCa: { host: 'emea-ca.ent-pa.com', template: 'CiscoLSC', username: 'capf' } })],
  ['cucm: no online CA, feature off', (d) => (d.deleteIn(['cucm', 0, 'capfOnlineCa']), features(d, false, 'capfOnlineCa'))],
  ['cucm: no monitor emails', (d) => d.setIn(['cucm', 0, 'certificateMonitor', 'emails'], [])],
  ['remote clusters: none', (d) => d.setIn(['remoteClusters'], [])],
  ['ldap: none', (d) => d.deleteIn(['ldap'])],
  ['ldap: global catalog only', (d) => d.setIn(['ldap', 'servers'], [{ fqdn: 'gc1.ent-pa.com', kind: 'gc' }])],
  ['phone security profiles: none, mixed mode and MRA off', (d) => (d.deleteIn(['phoneSecurityProfiles']), features(d, false, 'mixedMode', 'mra'))],
  ['ios: none', (d) => d.setIn(['ios'], [])],
  ['ios: SRST only', (d) => d.deleteIn(['ios', 0])],
  ['ios: CUBE only', (d) => d.deleteIn(['ios', 1])],
  ['ios: gateway only', (d) => d.setIn(['ios', 0, 'roles'], ['gateway'])],
  ['ios: SRST without issuer trustpoint, secure SRST off', (d) => (d.deleteIn(['ios', 1, 'lscIssuerTrustpoint']), features(d, false, 'secureSrst'))],
  ['ios: CUBE with SRST role too', (d) => d.setIn(['ios', 0, 'roles'], ['cube', 'gateway', 'srst'])],
  ['ios: no trusted list', (d) => d.setIn(['ios', 0, 'trustedList'], [])],
  ['ios: srtp pass-thru and registrar', (d) => (d.setIn(['ios', 0, 'srtpPassThru'], true), d.setIn(['ios', 0, 'registrar'], true))],
  ['cmm: none', (d) => d.deleteIn(['cmm'])],
  ['cmm: no address', (d) => d.deleteIn(['cmm', 'ip'])],
  ['tms: none', (d) => d.deleteIn(['tms'])],
  ['tms: no address', (d) => d.deleteIn(['tms', 'ip'])],
  ['pcd: none', (d) => d.deleteIn(['pcd'])],
  ['pcp: none', (d) => d.deleteIn(['pcp'])],
  ['pcp: no address', (d) => d.deleteIn(['pcp', 'ip'])],
  ['b2b partner roots: none', (d) => d.setIn(['ca', 'b2bPartnerRootFiles'], [])],
  ['b2b partner roots: none, b2b off', (d) => (d.setIn(['ca', 'b2bPartnerRootFiles'], []), features(d, false, 'b2b'))],
  ['credentials: none', (d) => d.deleteIn(['credentials'])],
  ['every feature off', (d) => features(d, false, 'mra', 'xmppFederation', 'b2b', 'secureSrst', 'capfOnlineCa', 'tftpEncryptedConfig', 'sipOAuth', 'mixedMode', 'ocsp', 'callAdmissionControl', 'autoRegistration', 'cucmCaSigned', 'iosDefaultTrustpoint')],
  ...['mra', 'xmppFederation', 'b2b', 'secureSrst', 'capfOnlineCa', 'tftpEncryptedConfig', 'sipOAuth', 'mixedMode', 'ocsp', 'callAdmissionControl', 'autoRegistration', 'cucmCaSigned', 'iosDefaultTrustpoint'].map(
    (f): Edit => [`feature ${f} off`, (d) => features(d, false, f)],
  ),
  ['minimal: one CUCM publisher, nothing else', (d) => {
    for (const k of ['cms', 'unity', 'cmm', 'tms', 'pcd', 'pcp', 'ldap']) d.deleteIn([k]);
    noExpressway(d);
    d.setIn(['ios'], []);
    d.setIn(['remoteClusters'], []);
    d.setIn(['cucm', 0, 'subscribers'], []);
    d.deleteIn(['cucm', 0, 'imp']);
  }],
];

/** Internal names a message must never show: render variables, not inventory fields. */
const INTERNAL = /no value for|firstDb|csrNode|dbClient\b|\bnode\.|\bcluster\.|\bhas\.|\bpsp\.|callBridgeNodes|msCn|TemplateError|undefined/;

/** A dotted path that exists in the inventory schema (array indexes allowed). */
function isInventoryField(path: string): boolean {
  if (path === '') return false;
  let shape: unknown = inventorySchema;
  for (const part of path.split(/\.|(?=\[)/)) {
    const key = part.replace(/^\[\d+\]$/, '[]');
    shape = step(shape, key);
    if (shape === undefined) return false;
  }
  return true;
}

function step(schema: unknown, key: string): unknown {
  // Unwrap zod wrappers (optional, default, pipes, effects) to the object or array inside.
  let s = schema as { def?: { type?: string; innerType?: unknown; in?: unknown; element?: unknown; shape?: Record<string, unknown> } };
  for (let i = 0; i < 10 && s.def; i++) {
    if (s.def.type === 'optional' || s.def.type === 'default' || s.def.type === 'nullable' || s.def.type === 'prefault') s = s.def.innerType as typeof s;
    else if (s.def.type === 'pipe') s = s.def.in as typeof s;
    else break;
  }
  if (key === '[]') return s.def?.type === 'array' ? s.def.element : undefined;
  return s.def?.type === 'object' ? s.def.shape?.[key] : undefined;
}

type Outcome = { ok: true; steps: number } | { ok: false; message: string; fields: string[] };

function planOf(text: string): Outcome {
  try {
    const loaded = parseInventory(text, 'variant.yaml');
    const plan = buildPlan(buildTopology(loaded), defaultCatalogue(), { inventoryHash: loaded.hash });
    return { ok: true, steps: plan.steps.length };
  } catch (e) {
    if (e instanceof InventoryError) return { ok: false, message: e.message, fields: e.problems.map((p) => p.path) };
    return { ok: false, message: `${(e as Error).name}: ${(e as Error).message}`, fields: [] };
  }
}

function expectPlansOrNamesField(name: string, text: string): Outcome {
  const out = planOf(text);
  if (!out.ok) {
    expect(out.fields.length, `${name}: not an inventory error: ${out.message}`).toBeGreaterThan(0);
    for (const f of out.fields) expect(isInventoryField(f), `${name}: "${f}" is not an inventory field: ${out.message}`).toBe(true);
    expect(out.message, `${name}: internal name in: ${out.message}`).not.toMatch(INTERNAL);
  }
  return out;
}

function variant(edits: Edit[]): string {
  const doc = parseDocument(example);
  for (const [, e] of edits) {
    // In a combination an earlier edit may have removed what a later one edits: skip it then.
    const before = doc.clone();
    try {
      e(doc);
    } catch {
      doc.contents = before.contents;
    }
  }
  return doc.toString();
}

// Deterministic PRNG (mulberry32) so a failing combination is reproducible from its seed.
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('every schema-valid topology plans, or its error names an inventory field', () => {
  it('the field-path check itself knows inventory fields from internal names', () => {
    expect(isInventoryField('cms.nodes')).toBe(true);
    expect(isInventoryField('cucm[0].imp.subscribers')).toBe(true);
    expect(isInventoryField('cms.firstDb.ip')).toBe(false);
    expect(isInventoryField('')).toBe(false);
  });

  it.each(EDITS.map(([name]) => [name]))('%s', (name) => {
    const edit = EDITS.find(([n]) => n === name)!;
    expectPlansOrNamesField(name, variant([edit]));
  });

  it('200 random combinations of the edits above', () => {
    const r = rng(19_2026);
    const failures: string[] = [];
    let planned = 0;
    for (let i = 0; i < 200; i++) {
      const picked = EDITS.filter(() => r() < 0.12);
      const name = picked.map(([n]) => n).join(' + ') || '(the example)';
      try {
        if (expectPlansOrNamesField(name, variant(picked)).ok) planned++;
      } catch (e) {
        failures.push((e as Error).message.split('\n')[0] ?? '');
      }
    }
    expect(failures).toEqual([]);
    // Not vacuous: most combinations are valid deployments and plan.
    expect(planned).toBeGreaterThan(100);
  });

  it('a Meeting Server list without a database node names cms.nodes, not cms.firstDb.ip', () => {
    const out = planOf(variant([EDITS[0]!]));
    expect(out.ok).toBe(false);
    if (!out.ok) {
      expect(out.fields).toEqual(['cms.nodes']);
      expect(out.message).toMatch(/cms\.nodes.*: at least one node needs the database service/);
    }
  });
});
