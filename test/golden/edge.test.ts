// S034–S035 and S049–S079: the example plan renders the hand-written golden lines exactly, the
// IOS dialogues (cli-facts §2.3–§2.5) are declared, and the feature / per-router conditions hold
// on inventory variants.
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/plan/types.js';
import { planOf as basePlanOf, ids, step, targets, action, lines } from './harness.js';
import { absent, expected } from './edge.js';


type Router = Record<string, unknown> & { host: string };
type Inv = Record<string, unknown> & { features: Record<string, boolean>; ios: Router[] };

const planOf = (edit?: (inv: Inv) => void): Plan => basePlanOf<Inv>(edit);

const example = planOf();

const mine = (id: string) => (id >= 'S034' && id <= 'S035') || (id >= 'S049' && id <= 'S079');
const myIds = [34, 35, ...Array.from({ length: 31 }, (_, i) => 49 + i)].map((n) => `S${String(n).padStart(3, '0')}`);

describe('edge golden lines (S034–S035, S049–S079, example inventory)', () => {
  it.each(expected.map((e) => [`${e.id} on ${e.target}`, e] as const))('%s', (_name, e) => {
    expect(lines(example, e.id, e.target)).toEqual(e.lines);
  });

  it('has exactly the golden (step, target) pairs with commands', () => {
    const got = example.steps
      .filter((s) => mine(s.id))
      .flatMap((s) => s.actions.filter((a) => a.commands.length > 0).map((a) => `${s.id}@${a.target}`));
    expect(got).toEqual(expected.map((e) => `${e.id}@${e.target}`));
  });

  it('holds every step of its ranges except the absent ones', () => {
    for (const id of myIds) expect(ids(example).includes(id), id).toBe(!absent.includes(id));
  });

  it('targets the right nodes', () => {
    expect(targets(example, 'S034')).toEqual(['US-SRST1']);
    expect(targets(example, 'S064')).toEqual(['US-CUBE1']);
    expect(targets(example, 'S049')).toEqual(['us-expc1', 'us-expc2', 'us-expe1', 'us-expe2']);
    expect(targets(example, 'S053')).toEqual(['us-expc1']);
    expect(targets(example, 'S060')).toEqual(['us-expe1']);
    expect(targets(example, 'S063')).toEqual(['us-cm-pub']);
    expect(targets(example, 'S079')).toEqual(['us-cm-pub']);
    expect(step(example, 'S076')?.actions[0]?.configMode).toBe(true);
  });
});

describe('IOS dialogues (cli-facts §2.3–§2.5)', () => {
  it('authenticate pastes the enterprise root, ends with quit and accepts the fingerprint', () => {
    const ex = action(example, 'S066', 'US-CUBE1')?.exchanges[0];
    expect(ex?.dialogue).toEqual([
      { expect: 'End with a blank line or the word "quit" on a line by itself', paste: 'certs/rootCAcert.cer', terminator: 'quit', label: 'ENT-PA Enterprise Root CA' },
      { expect: '% Do you accept this certificate? [yes/no]:', answer: 'yes' },
    ]);
  });

  it('enrol answers no / no / yes / no and captures the CSR; import pastes the signed certificate at run time', () => {
    const enrol = action(example, 'S067', 'US-CUBE1')?.exchanges[0];
    expect(enrol?.capture).toBe('csr');
    expect(enrol?.dialogue.map((d) => d.answer)).toEqual(['no', 'no', 'yes', 'no']);
    const imp = action(example, 'S069', 'US-CUBE1')?.exchanges[0]?.dialogue[0];
    expect(imp).toMatchObject({ pasteAtRuntime: true, terminator: '' });
    expect(imp?.paste).toBeUndefined();
    // S034 carries the same three dialogues for the SRST router.
    const srst = action(example, 'S034', 'US-SRST1')?.exchanges ?? [];
    expect(srst.filter((e) => e.dialogue.length > 0).map((e) => e.line)).toEqual([
      'crypto pki authenticate SRST-Certificate',
      'crypto pki enroll SRST-Certificate',
      'crypto pki import SRST-Certificate certificate',
    ]);
  });
});

describe('edge conditions', () => {
  it('imports the CallManager certificates only when Unified CM is not CA-signed, and renders S071 as printed on request', () => {
    const p = planOf((inv) => {
      inv.features.cucmCaSigned = false;
      inv.features.iosDefaultTrustpoint = false;
    });
    expect(lines(p, 'S070', 'US-CUBE1')).toEqual([
      'crypto pki trustpoint CUCM-192.0.2.11',
      'enrollment terminal',
      'revocation-check none',
      'crypto pki authenticate CUCM-192.0.2.11',
      'crypto pki trustpoint CUCM-192.0.2.12',
      'enrollment terminal',
      'revocation-check none',
      'crypto pki authenticate CUCM-192.0.2.12',
    ]);
    expect(lines(p, 'S071', 'US-CUBE1')).toEqual([
      'sip-ua',
      'crypto signaling remote-addr 192.0.2.11 255.255.255.255 trustpoint CUBE-Certificate',
      'crypto signaling remote-addr 192.0.2.12 255.255.255.255 trustpoint CUBE-Certificate',
    ]);
    expect(step(p, 'S071')?.requires).toContain('S070');
    expect(step(example, 'S071')?.requires).not.toContain('S070');
  });

  it('follows the Expressway features', () => {
    const noB2b = planOf((inv) => {
      inv.features.b2b = false;
    });
    for (const id of ['S057', 'S058', 'S059', 'S060', 'S061', 'S062', 'S063']) expect(ids(noB2b), id).not.toContain(id);
    expect(ids(noB2b)).toContain('S054');
    const noMra = planOf((inv) => {
      inv.features.mra = false;
    });
    expect(ids(noMra)).not.toContain('S054');
    expect(ids(noMra)).not.toContain('S055');
    expect(ids(noMra)).toContain('S053'); // XMPP federation still needs the UC servers
    const noFed = planOf((inv) => {
      inv.features.mra = false;
      inv.features.xmppFederation = false;
    });
    expect(ids(noFed)).not.toContain('S053');
    expect(ids(noFed)).not.toContain('S056');
    expect(ids(noFed)).toContain('S050');
  });

  it('follows the per-router settings: pass-thru, registrar, trusted list, secure SRST', () => {
    const p = planOf((inv) => {
      const cube = inv.ios.find((r) => r.host === 'US-CUBE1')!;
      cube.srtpPassThru = true;
      cube.registrar = true;
      delete cube.trustedList;
      inv.features.secureSrst = false;
    });
    expect(lines(p, 'S075', 'US-CUBE1')).toEqual(['voice service voip', 'srtp pass-thru']);
    expect(ids(p)).not.toContain('S078');
    expect(lines(p, 'S077', 'US-CUBE1')).toEqual(['voice service voip', ' ip address trusted authenticate']);
    expect(ids(p)).not.toContain('S034');
    expect(ids(p)).not.toContain('S035');
  });

  it('enrols a router that is both SRST and gateway once (S034), then secures its SIP like any gateway', () => {
    const p = planOf((inv) => {
      inv.ios.push({
        host: 'US-GW2',
        ip: '192.0.2.52',
        roles: ['srst', 'gateway'],
        cn: 'US-GW2.ent-pa.com',
        trustpoint: 'GW2-Certificate',
        keyLabel: 'GW2',
        lscIssuerTrustpoint: 'LSC-ISSUER',
        ucmPeers: [{ ip: '192.0.2.11', mask: '255.255.255.255' }],
        dialPeers: [400],
      });
    });
    expect(targets(p, 'S034')).toEqual(['US-SRST1', 'US-GW2']);
    for (const id of ['S064', 'S065', 'S066', 'S067', 'S068', 'S069']) expect(targets(p, id), id).toEqual(['US-CUBE1']);
    expect(targets(p, 'S072')).toEqual(['US-CUBE1', 'US-GW2']);
    expect(lines(p, 'S072', 'US-GW2')).toEqual(['dial-peer voice 400 voip', 'session protocol sipv2', 'session transport tcp tls']);
    expect(lines(p, 'S071', 'US-GW2')).toEqual(['sip-ua', 'crypto signaling default trustpoint GW2-Certificate']);
    // Without secure SRST the gateway role enrols it through S064–S069 instead.
    const plain = planOf((inv) => {
      inv.features.secureSrst = false;
      inv.ios.push({ host: 'US-GW2', ip: '192.0.2.52', roles: ['srst', 'gateway'], cn: 'US-GW2.ent-pa.com', trustpoint: 'GW2-Certificate', keyLabel: 'GW2', ucmPeers: [{ ip: '192.0.2.11', mask: '255.255.255.255' }], dialPeers: [400] });
    });
    expect(targets(plain, 'S064')).toEqual(['US-CUBE1', 'US-GW2']);
    expect(lines(plain, 'S064', 'US-GW2')).toEqual(['crypto key generate rsa general-keys label GW2 modulus 2048']);
  });

  it('pastes the CAPF certificate at run time for the LSC issuer when CAPF issues the LSCs', () => {
    const p = planOf((inv) => {
      inv.features.capfOnlineCa = false;
    });
    expect(lines(p, 'S035', 'US-SRST1')).toEqual(expected.find((e) => e.id === 'S035')?.lines);
    const auth = action(p, 'S035', 'US-SRST1')?.exchanges[3]?.dialogue[0];
    expect(auth).toMatchObject({ pasteAtRuntime: true, terminator: 'quit' });
    expect(action(example, 'S035', 'US-SRST1')?.exchanges[3]?.dialogue[0]?.paste).toBe('certs/rootCAcert.cer');
  });
});
