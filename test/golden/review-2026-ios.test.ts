// Review 2026 (../shared/spec/review-2026.md) items A.5, A.6, A.10, A.11 and A.13: the IOS lines and
// texts that changed, on the example inventory (CUCM 15 / IOS-XE 17) and the chapter's 2019 one
// (12.5 / IOS-XE 16: the same lines, none of these depends on the release), and on variants.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/catalogue/root.js';
import { parseInventory } from '../../src/inventory/load.js';
import { buildTopology } from '../../src/inventory/topology.js';
import { buildPlan } from '../../src/plan/build.js';
import type { Plan } from '../../src/plan/types.js';
import { catalogue, ids, lines, planOf as basePlanOf, step, targets } from './harness.js';

type Router = Record<string, unknown> & { host: string };
type Inv = Record<string, unknown> & { features: Record<string, boolean>; ios: Router[] };
const planOf = (edit?: (inv: Inv) => void): Plan => basePlanOf<Inv>(edit);

function chapterPlan(): Plan {
  const file = join(packageRoot(), 'examples', 'chapter-2019.yaml');
  const loaded = parseInventory(readFileSync(file, 'utf8'), file);
  return buildPlan(buildTopology(loaded), catalogue, { inventoryHash: loaded.hash });
}

const plans: [string, Plan][] = [
  ['ent-pa (CUCM 15, IOS-XE 17)', planOf()],
  ['chapter-2019 (CUCM 12.5, IOS-XE 16)', chapterPlan()],
];
const backout = (p: Plan, id: string) => step(p, id)?.backout;

describe.each(plans)('review 2026 A, IOS lines: %s', (_name, p) => {
  it('A.5: srtp fallback and negotiate on the dial-peer toward Unified CM, never under voice service voip', () => {
    expect(lines(p, 'S076', 'US-CUBE1')).toEqual(['dial-peer voice 300 voip', 'srtp fallback', 'voice-class sip srtp negotiate cisco']);
    const all = step(p, 'S076')?.actions.flatMap((a) => a.commands) ?? [];
    expect(all).not.toContain('voice service voip');
  });

  it('A.6: S072 asks for the session target on port 5061', () => {
    const s = step(p, 'S072');
    expect(s?.warnings.some((w) => w.includes('`session target ipv4:<Unified CM address>:5061`'))).toBe(true);
    expect(s?.checkpoint?.question).toContain('a `session target` on port 5061');
  });

  it('A.10: the IOS back-outs declare their [yes/no] questions and the answer', () => {
    const tp = '`no crypto pki trustpoint` asks "% Removing an enrolled trustpoint will destroy all certificates received from the related Certificate Authority. Are you sure you want to do this? [yes/no]:": answer yes (no keeps the trustpoint).';
    const key = '`crypto key zeroize rsa` asks "% All router certs issued using these keys will also be removed. Do you really want to remove these keys? [yes/no]:": answer yes (no keeps the key pair).';
    expect(backout(p, 'S034')?.commands).toEqual(['no crypto pki trustpoint SRST-Certificate', 'crypto key zeroize rsa SRST']);
    expect(backout(p, 'S034')?.text).toEqual(expect.arrayContaining([tp, key]));
    expect(backout(p, 'S035')?.text).toContain(tp);
    expect(backout(p, 'S064')?.text).toContain(key);
    expect(backout(p, 'S065')?.text).toContain(tp);
  });

  it('A.11: S071 warns that the default trustpoint is also the identity toward a TLS ITSP', () => {
    expect(lines(p, 'S071', 'US-CUBE1')).toEqual(['sip-ua', 'crypto signaling default trustpoint CUBE-Certificate']);
    expect(step(p, 'S071')?.warnings.some((w) => w.startsWith('`crypto signaling default trustpoint` makes the enterprise certificate the TLS identity toward every peer'))).toBe(true);
  });
});

describe('review 2026 A, IOS variants', () => {
  it('A.5: a pass-thru router gets srtp pass-thru (S075) and no srtp fallback (S076)', () => {
    const p = planOf((inv) => {
      inv.ios.find((r) => r.host === 'US-CUBE1')!.srtpPassThru = true;
    });
    expect(lines(p, 'S075', 'US-CUBE1')).toEqual(['voice service voip', 'srtp pass-thru']);
    expect(ids(p)).not.toContain('S076');
  });

  it('A.5: each dial-peer toward Unified CM gets the lines', () => {
    const p = planOf((inv) => {
      inv.ios.find((r) => r.host === 'US-CUBE1')!.dialPeers = [300, 301];
    });
    expect(lines(p, 'S076', 'US-CUBE1')).toEqual([
      'dial-peer voice 300 voip', 'srtp fallback', 'voice-class sip srtp negotiate cisco',
      'dial-peer voice 301 voip', 'srtp fallback', 'voice-class sip srtp negotiate cisco',
    ]);
  });

  it('A.13: no registrar server never goes to a router that is also an SRST router', () => {
    const p = planOf((inv) => {
      inv.ios.push({
        host: 'US-GW2', ip: '192.0.2.52', roles: ['srst', 'gateway'], cn: 'US-GW2.ent-pa.com', trustpoint: 'GW2-Certificate',
        keyLabel: 'GW2', lscIssuerTrustpoint: 'LSC-ISSUER', ucmPeers: [{ ip: '192.0.2.11', mask: '255.255.255.255' }], dialPeers: [400],
      });
    });
    expect(targets(p, 'S072')).toEqual(['US-CUBE1', 'US-GW2']);
    expect(targets(p, 'S078')).toEqual(['US-CUBE1']);
    const onlySrstGw = planOf((inv) => {
      inv.ios = inv.ios.map((r) => (r.host === 'US-CUBE1' ? { ...r, roles: ['cube', 'srst'], lscIssuerTrustpoint: 'LSC-ISSUER' } : r));
    });
    expect(ids(onlySrstGw)).not.toContain('S078');
  });
});
