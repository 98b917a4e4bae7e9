// S107–S126: the example plan renders the hand-written golden lines exactly, the PCD dialogues
// are declared, and the multi-cluster / toll-fraud conditions hold on inventory variants.
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/plan/types.js';
import { planOf as basePlanOf, ids, step, lines } from './harness.js';
import { absent, expected } from './management.js';


type Inv = Record<string, unknown> & { features: Record<string, boolean> };

const planOf = (edit?: (inv: Inv) => void): Plan => basePlanOf<Inv>(edit);

const example = planOf();

describe('management golden lines (S107–S126, example inventory)', () => {
  it.each(expected.map((e) => [`${e.id} on ${e.target}`, e] as const))('%s', (_name, e) => {
    expect(lines(example, e.id, e.target)).toEqual(e.lines);
  });

  it('has exactly the golden (step, target) pairs with commands', () => {
    const got = example.steps
      .filter((s) => s.id >= 'S107' && s.id <= 'S126')
      .flatMap((s) => s.actions.filter((a) => a.commands.length > 0).map((a) => `${s.id}@${a.target}`));
    expect(got).toEqual(expected.map((e) => `${e.id}@${e.target}`));
  });

  it('holds every step of S107–S126 except the absent ones', () => {
    for (let n = 107; n <= 126; n++) {
      const id = `S${n}`;
      expect(ids(example).includes(id), id).toBe(!absent.includes(id));
    }
  });
});

describe('management dialogues and conditions', () => {
  it('captures the PCD CSR and pastes the trust and signed certificates with a blank line (cli-facts §1.3)', () => {
    expect(step(example, 'S108')?.actions[0]?.exchanges[0]?.capture).toBe('csr');
    const trust = step(example, 'S110')?.actions[0]?.exchanges[0]?.dialogue;
    expect(trust).toEqual([
      { expect: 'Paste the Certificate and Hit Enter', paste: 'certs/rootCAcert.cer', terminator: '', label: 'ENT-PA Enterprise Root CA' },
    ]);
    const own = step(example, 'S111')?.actions[0]?.exchanges[0]?.dialogue;
    expect(own).toEqual([
      { expect: 'Paste the Certificate and Hit Enter', pasteAtRuntime: true, terminator: '', label: 'signed tomcat certificate of us-pcd' },
    ]);
    expect(step(example, 'S112')?.actions[0]?.exchanges[0]?.timeoutMs).toBe(600_000);
    expect(step(example, 'S112')?.restarts).toEqual(['Cisco Tomcat']);
  });

  it('leaves out the multi-cluster steps without remote clusters, and LBM security without CAC', () => {
    const single = planOf((inv) => {
      inv.remoteClusters = [];
    });
    for (const id of ['S117', 'S118', 'S119']) expect(ids(single)).not.toContain(id);
    const noCac = planOf((inv) => {
      inv.features.callAdmissionControl = false;
    });
    expect(ids(noCac)).toContain('S118');
    expect(ids(noCac)).not.toContain('S119');
  });

  it('names the peer CN and this cluster\'s multi-server CN on the intercluster trunk step', () => {
    const gui = step(example, 'S117')?.gui;
    expect(gui?.fields[0]?.value).toContain('emea-cm-pub-ms.ent-pa.com');
    expect(gui?.notes.join('\n')).toContain('us-cm-pub-ms.ent-pa.com');
  });

  it('follows auto-registration, Unity Connection, PCD and PCP presence', () => {
    const p = planOf((inv) => {
      inv.features.autoRegistration = false;
      delete inv.unity;
      delete inv.pcd;
      delete inv.pcp;
    });
    for (const id of ['S107', 'S108', 'S109', 'S110', 'S111', 'S112', 'S113', 'S114', 'S115', 'S116', 'S123', 'S125', 'S126']) {
      expect(ids(p), id).not.toContain(id);
    }
    for (const id of ['S120', 'S121', 'S122', 'S124']) expect(ids(p), id).toContain(id);
  });
});
