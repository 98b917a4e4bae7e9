// S001–S033 and S036: the example plan renders the hand-written golden lines exactly, the device
// dialogues are declared, and the steps' conditions (services per node, features) hold on variants.
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/plan/types.js';
import { planOf as basePlanOf, ids, step, targets, action } from './harness.js';
import { absent, expected } from './cucm.js';


type CucmNode = { host: string; services: string[] };
type Inv = Record<string, unknown> & {
  features: Record<string, boolean>;
  cucm: (Record<string, unknown> & { publisher: CucmNode; subscribers: CucmNode[] })[];
};

const planOf = (edit?: (inv: Inv) => void): Plan => basePlanOf<Inv>(edit);

const mine = [...Array.from({ length: 33 }, (_, i) => `S${String(i + 1).padStart(3, '0')}`), 'S036'];
const example = planOf();

describe('Unified CM golden lines (S001–S033, S036, example inventory)', () => {
  it.each(expected.map((e) => [`${e.id} on ${e.target}`, e] as const))('%s', (_name, e) => {
    expect(action(example, e.id, e.target)?.commands).toEqual(e.lines);
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

  it('declares the device dialogues of cli-facts §1.3 and §1.4', () => {
    const mixed = action(example, 'S022', 'us-cm-pub')?.exchanges[0];
    expect(mixed?.dialogue).toEqual([{ expect: 'Do you want to continue? (y/n):', answer: 'y' }]);
    expect(mixed?.timeoutMs).toBe(600_000);
    expect(action(example, 'S024', 'us-cm-pub')?.exchanges[0]?.dialogue[0]?.answer).toBe('y');
    const trust = action(example, 'S002', 'us-cm-pub')?.exchanges[0]?.dialogue[0];
    expect(trust).toMatchObject({ expect: 'Paste the Certificate and Hit Enter', paste: 'certs/rootCAcert.cer', terminator: '' });
    const ldap = action(example, 'S013', 'us-cm-pub')?.exchanges[0]?.dialogue[0];
    expect(ldap).toMatchObject({ pasteAtRuntime: true, terminator: '' });
    expect(ldap?.paste).toBeUndefined();
    for (const a of step(example, 'S009')?.actions ?? []) for (const x of a.exchanges) expect(x.timeoutMs).toBe(600_000);
  });
});

describe('S008 checkpoint probes (review A.12)', () => {
  it('probes tomcat on 8443 on Unified CM but cup-xmpp on 5222 with XMPP STARTTLS on IM and Presence', () => {
    const cm = action(example, 'S008', 'us-cm-pub')?.checkpoint?.question ?? '';
    const imp = action(example, 'S008', 'us-imp-pub')?.checkpoint?.question ?? '';
    expect(cm).toContain('From the operator machine (tomcat): openssl s_client -connect us-cm-pub.ent-pa.com:8443 -servername us-cm-pub.ent-pa.com </dev/null');
    expect(imp).toContain('From the operator machine (cup-xmpp): openssl s_client -connect us-imp-pub.ent-pa.com:5222 -starttls xmpp -servername us-imp-pub.ent-pa.com </dev/null');
    expect(imp).not.toContain(':8443');
  });
});

describe('Unified CM conditions', () => {
  it('restarts Tftp, CallManager and CTIManager only on the nodes that run them', () => {
    const p = planOf((inv) => {
      inv.cucm[0]!.publisher.services = [];
      inv.cucm[0]!.subscribers[0]!.services = ['callmanager'];
    });
    expect(action(p, 'S009', 'us-cm-pub')?.commands).toEqual(['utils service restart Cisco Tomcat']);
    expect(action(p, 'S009', 'us-cm-sub1')?.commands).toEqual(['utils service restart Cisco CallManager', 'utils service restart Cisco Tomcat']);
    expect(targets(p, 'S023')).toEqual(['us-cm-sub1', 'us-cm-sub2', 'us-cm-tftp1']);
    expect(action(p, 'S023', 'us-cm-sub1')?.commands).toEqual(['utils service restart Cisco CallManager']);
    expect(targets(p, 'S019')).toEqual(['us-cm-sub1', 'us-cm-sub2']);
  });

  it('drops the SIP OAuth steps without SIP OAuth, and the requirement on them', () => {
    const p = planOf((inv) => {
      inv.features.sipOAuth = false;
    });
    for (const id of ['S018', 'S019', 'S020']) expect(ids(p)).not.toContain(id);
    expect(step(p, 'S032')?.requires).toEqual(['S030', 'S031']);
    expect(ids(p)).toContain('S022');
  });

  it('drops CAPF online CA mode (S025–S030) and OCSP when those features are off', () => {
    const p = planOf((inv) => {
      inv.features.capfOnlineCa = false;
      inv.features.ocsp = false;
      delete inv.cucm[0]!.capfOnlineCa;
    });
    for (const id of ['S025', 'S026', 'S027', 'S028', 'S029', 'S030', 'S012']) expect(ids(p)).not.toContain(id);
    expect(step(p, 'S032')?.requires).toEqual(['S020', 'S031']);
    // Without OCSP the LDAP certificate upload stays a GUI step with no CLI line.
    expect(action(p, 'S013', 'us-cm-pub')?.commands).toEqual([]);
  });

  it('plans a minimal cluster without IM and Presence, LDAP, SRST, profiles or mixed mode', () => {
    const p = planOf((inv) => {
      delete inv.cucm[0]!.imp;
      delete inv.cucm[0]!.phones;
      delete inv.ldap;
      delete inv.phoneSecurityProfiles;
      for (const k of ['unity', 'expressway', 'cms', 'cmm', 'tms', 'pcd', 'pcp', 'ios', 'remoteClusters']) delete inv[k];
      inv.features = { mixedMode: false };
    });
    for (const id of ['S003', 'S012', 'S013', 'S014', 'S015', 'S018', 'S020', 'S022', 'S023', 'S024', 'S025', 'S031', 'S032', 'S033', 'S036'])
      expect(ids(p), id).not.toContain(id);
    for (const id of ['S001', 'S002', 'S004', 'S005', 'S008', 'S009', 'S016', 'S017', 'S021']) expect(ids(p), id).toContain(id);
    expect(step(p, 'S004')?.requires).toEqual(['S002']);
  });
});
