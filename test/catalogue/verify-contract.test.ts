// Contract between the catalogue's checkpoints and the verification parsers: every parser a step
// names exists, and every argument a step passes is one that parser reads. A misspelt argument
// (`units` where the parser reads `unit`) would otherwise be ignored and the check pass vacuously.
import { describe, expect, it } from 'vitest';
import { loadPlan } from '../../src/plan/load-plan.js';
import { parsers } from '../../src/verify/parsers/index.js';
import { verifications } from '../../src/plan/verifications.js';

/** Arguments each parser reads (src/verify/parsers/*.ts). */
const accepted: Record<string, string[]> = {
  'vos-cluster-security-mode': ['expected'],
  'vos-sipoauth-mode': ['expected'],
  'vos-services-started': ['services'],
  'vos-ctl-records': ['functions', 'contains'],
  'vos-cert-list': ['unit', 'file', 'issuer', 'selfSigned', 'ca', 'contains'],
  'vos-csr-list': ['unit', 'units'],
  'vos-network-host': ['expect', 'local'],
  'vos-ntp-status': ['maxStratum'],
  'vos-diagnose-test': [],
  'vos-dbreplication': [],
  'vos-network-cluster': ['nodes'],
  'vos-license-export': [],
  'vos-drs-history': [],
  'vos-read': [],
  'ios-trustpoint-status': ['trustpoint', 'require'],
  'ios-running-config-contains': ['lines', 'absent'],
  'ios-config-sections': ['sections', 'lines'],
  'ios-rsa-key': ['label'],
  'cms-pki-list': ['files', 'contains'],
  'cms-service-config': ['key', 'cert', 'enabled', 'trust', 'c2wKey', 'c2wCert'],
  'cms-db-cluster-status': ['status', 'files'],
  'mmp-success': ['contains'],
  'xapi-zone': ['type', 'match', 'expect', 'some'],
};

// Both examples: they pin different releases (chapter-2019: Meeting Server 2.x's webbridge check).
describe.each(['examples/ent-pa.yaml', 'examples/chapter-2019.yaml'])('checkpoint verifications of %s', (example) => {
  const { plan } = loadPlan(example);
  const checks = plan.steps.flatMap((s) => [s.checkpoint, ...s.actions.flatMap((a) => (a.checkpoint ? [a.checkpoint] : []))].flatMap((c) => verifications(c).map((v) => ({ id: s.id, v }))));

  it('name registered parsers and pass only arguments they read', () => {
    expect(checks.length).toBeGreaterThan(20);
    expect(Object.keys(accepted).sort()).toEqual(Object.keys(parsers).sort());
    for (const { id, v } of checks) {
      expect(parsers[v.parser], `${id}: parser ${v.parser}`).toBeDefined();
      for (const arg of Object.keys(v.args)) expect(accepted[v.parser], `${id}: ${v.parser} does not read "${arg}"`).toContain(arg);
    }
  });

  it('fail on empty device output (no check passes vacuously)', () => {
    for (const { id, v } of checks) expect(parsers[v.parser]!('', v.args).ok, `${id} ${v.parser}`).toBe(false);
  });
});
