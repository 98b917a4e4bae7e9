// S052 (Expressway server certificate): the check probes a port each node really serves (review
// A.8) and the back-out restores the backup taken before the step (review A.7).
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/plan/types.js';
import { planOf as basePlanOf, action, step } from './harness.js';

type Inv = Record<string, unknown> & { features: Record<string, boolean> };
const planOf = (edit?: (inv: Inv) => void): Plan => basePlanOf<Inv>(edit);
const example = planOf();
const question = (p: Plan, target: string) => action(p, 'S052', target)?.checkpoint?.question ?? '';

describe('S052 check ports (review A.8)', () => {
  it('probes Expressway-C on 5061 (no MRA listener on 8443) and Expressway-E on its MRA port 8443', () => {
    for (const n of ['us-expc1', 'us-expc2']) {
      expect(question(example, n)).toContain(`openssl s_client -connect ${n}.ent-pa.com:5061 -servername ${n}.ent-pa.com </dev/null`);
      expect(question(example, n)).not.toContain(':8443');
    }
    for (const n of ['us-expe1', 'us-expe2']) {
      expect(question(example, n)).toContain(`openssl s_client -connect ${n}.ent-pa.com:8443 -servername ${n}.ent-pa.com </dev/null`);
    }
  });

  it('probes Expressway-E on SIP TLS 5061 when MRA is off', () => {
    const p = planOf((inv) => {
      inv.features.mra = false;
    });
    expect(question(p, 'us-expe1')).toContain('openssl s_client -connect us-expe1.ent-pa.com:5061 ');
  });
});

describe('S052 back-out (review A.7)', () => {
  it('restores the system backup taken before the step instead of uploading a private key that cannot be downloaded', () => {
    const s = step(example, 'S052');
    expect(s?.warnings.join('\n')).toContain('take a system backup of each Expressway node (Maintenance > Backup and restore > Create system backup file');
    expect(s?.backout?.text).toEqual([
      'Restore, on each node whose certificate was replaced, its system backup taken before this step (Maintenance > Backup and restore > Restore, with its backup password); it brings back the previous server certificate with its private key, which cannot be downloaded or uploaded on their own.',
    ]);
    expect(JSON.stringify(s?.backout)).not.toMatch(/upload the previous/i);
  });
});
