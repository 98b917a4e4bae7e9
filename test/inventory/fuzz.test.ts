// Reliability case 11: fuzzed values for FQDNs, names and SANs are rejected with a field-specific
// message before anything could connect; every accepted value reaches the device as exactly one
// line with no control bytes.
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { readFileSync } from 'node:fs';
import { InventoryError, parseInventory } from '../../src/inventory/load.js';
import { hasControl } from '../../src/inventory/validators.js';
import { fqdn, objectName, ipv4, safeText, baseName } from '../../src/inventory/validators.js';
import { buildTopology } from '../../src/inventory/topology.js';
import { buildPlan } from '../../src/plan/build.js';
import { defaultCatalogue } from '../../src/plan/load-plan.js';

// Deterministic PRNG (mulberry32) so a failure is reproducible from its seed.
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NASTY = ['\n', '\r', '\0', '\u0003', '\u001a', '\u001b', '?', '\u2028', '\u2029', '\t', ' ', '-', '"', '\u0085', '\u007f'];
const GOOD = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_';

function fuzzValue(r: () => number): string {
  const len = 1 + Math.floor(r() * (r() < 0.05 ? 300 : 30));
  let s = '';
  for (let i = 0; i < len; i++) {
    const pool = r() < 0.15 ? NASTY : GOOD.split('');
    s += pool[Math.floor(r() * pool.length)];
  }
  if (r() < 0.1) s = `-${s}`;
  return s;
}

describe('fuzzed device values', () => {
  it('10,000 values: every validator rejects control characters, "?", leading "-" and over-long input', () => {
    const r = rng(20261126);
    const validators = { fqdn, objectName, ipv4, safeText, baseName };
    let accepted = 0;
    for (let i = 0; i < 10_000; i++) {
      const v = fuzzValue(r);
      for (const [name, schema] of Object.entries(validators)) {
        const res = schema.safeParse(v);
        if (res.success) {
          accepted++;
          expect(hasControl(v), `${name} accepted ${JSON.stringify(v)}`).toBe(false);
          expect(v.includes('?'), `${name} accepted "?"`).toBe(false);
          expect(v.startsWith('-'), `${name} accepted a leading "-"`).toBe(false);
          expect(v.length).toBeLessThanOrEqual(253);
        } else {
          expect(res.error.issues[0]!.message.length).toBeGreaterThan(0);
        }
      }
    }
    expect(accepted).toBeGreaterThan(100); // the generator also produces valid values
  });

  it('through the whole pipeline: rejected naming the field, or rendered as single clean lines', () => {
    const example = readFileSync(new URL('../../examples/ent-pa.yaml', import.meta.url), 'utf8');
    const cat = defaultCatalogue();
    const r = rng(7);
    const fields: (string | number)[][] = [['ios', 0, 'trustpoint'], ['ios', 0, 'cn'], ['cms', 'commonName'], ['expressway', 'c', 'clusterName'], ['phoneSecurityProfiles', 'lsc']];
    for (let i = 0; i < 150; i++) {
      const path = fields[i % fields.length]!;
      const v = fuzzValue(r);
      const doc = parseDocument(example);
      doc.setIn(path, v);
      let loaded;
      try {
        loaded = parseInventory(doc.toString(), 'fuzz.yaml');
      } catch (err) {
        expect(err).toBeInstanceOf(InventoryError);
        const dotted = path.map((p, j) => (typeof p === 'number' ? `[${p}]` : `${j ? '.' : ''}${p}`)).join('');
        expect((err as InventoryError).problems.map((p) => p.path)).toContain(dotted);
        continue;
      }
      const plan = buildPlan(buildTopology(loaded), cat, { inventoryHash: loaded.hash });
      for (const s of plan.steps) for (const a of s.actions) for (const c of a.commands) expect(hasControl(c)).toBe(false);
    }
  });
});
