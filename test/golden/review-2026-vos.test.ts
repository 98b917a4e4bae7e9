// Review 2026 (../shared/spec/review-2026.md) A.1: no command sent to a VOS node names the CA's
// trust file, whose name VOS chooses (S111 `set cert import own tomcat` without the caCert
// argument), and no check names one either: the trust-store checks find the root by its subject CN
// (ca.enterprise.name, vos-cert-list `ca`). Both examples (CUCM 15 and 12.5).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/catalogue/root.js';
import { parseInventory } from '../../src/inventory/load.js';
import { buildTopology } from '../../src/inventory/topology.js';
import { buildPlan } from '../../src/plan/build.js';
import type { Plan } from '../../src/plan/types.js';
import { catalogue, lines, step } from './harness.js';

function plan(name: string): Plan {
  const file = join(packageRoot(), 'examples', name);
  const loaded = parseInventory(readFileSync(file, 'utf8'), file);
  return buildPlan(buildTopology(loaded), catalogue, { inventoryHash: loaded.hash });
}

describe.each(['ent-pa.yaml', 'chapter-2019.yaml'])('review 2026 A.1 on %s', (name) => {
  const p = plan(name);

  it('S111 installs the signed certificate without naming a trust file', () => {
    expect(lines(p, 'S111', 'us-pcd')).toEqual(['set cert import own tomcat']);
    expect(step(p, 'S111')?.warnings).toContain('The issuing CA (ENT-PA Enterprise Root CA) must be in tomcat-trust first (S110); otherwise VOS refuses the certificate.');
  });

  it('no command line of the plan names the trust file of the enterprise CA', () => {
    const sent = p.steps.flatMap((s) => [...s.actions.flatMap((a) => a.commands), ...(s.backout?.commands ?? [])]);
    expect(sent.length).toBeGreaterThan(100);
    expect(sent.filter((l) => l.includes('ENT-PA-Root-CA.pem'))).toEqual([]);
  });

  it('the S110 checkpoint names the CA, not a file name', () => {
    expect(step(p, 'S110')?.checkpoint?.question).toBe('Does `show cert list trust` on us-pcd list the tomcat-trust file of ENT-PA Enterprise Root CA?');
  });

  it('the trust-store checks find the root by ca.enterprise.name, never by a file name', () => {
    const checks = p.steps.flatMap((s) => [s.checkpoint, ...s.actions.map((a) => a.checkpoint)].flatMap((c) => [c?.verify ?? []].flat().flatMap((v) => (v.parser === 'vos-cert-list' && v.command === 'show cert list trust' ? [[s.id, v.args] as const] : []))));
    const byCa = [...new Set(checks.filter(([, a]) => a.ca !== undefined).map(([id]) => id))];
    expect(byCa).toEqual(['S002', 'S003', 'S025', 'S027', 'S037', 'S110']);
    for (const [id, a] of checks) {
      expect(a.file, id).toBeUndefined();
      if (a.ca !== undefined) expect(a, id).toEqual({ unit: expect.stringMatching(/-trust$/), ca: 'ENT-PA Enterprise Root CA' });
    }
  });
});
