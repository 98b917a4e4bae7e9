// Review 2026 (../shared/spec/review-2026.md) A.14: the key algorithm and size each product's lines
// use, from the inventory's `key` (src/inventory/keys.ts; default RSA 2048). Every line that differs
// by the choice is pinned: on the example (its CUBE chooses RSA 4096), on the chapter's 2019
// inventory (every default: the chapter's lines), and on variants.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/catalogue/root.js';
import { parseInventory } from '../../src/inventory/load.js';
import { buildTopology } from '../../src/inventory/topology.js';
import { buildPlan } from '../../src/plan/build.js';
import type { Plan } from '../../src/plan/types.js';
import { catalogue, lines, planOf as basePlanOf, step } from './harness.js';
import { verifications } from '../../src/plan/verifications.js';

type Inv = Record<string, unknown> & { ios: ({ host: string } & Record<string, unknown>)[]; cucm: Record<string, unknown>[] } & Record<string, Record<string, unknown>>;
const planOf = (edit?: (inv: Inv) => void): Plan => basePlanOf<Inv>(edit);

function chapterPlan(): Plan {
  const file = join(packageRoot(), 'examples', 'chapter-2019.yaml');
  const loaded = parseInventory(readFileSync(file, 'utf8'), file);
  return buildPlan(buildTopology(loaded), catalogue, { inventoryHash: loaded.hash });
}

const guiValue = (p: Plan, id: string, field: string) => {
  const s = step(p, id)!;
  // The step's rows and each target's own rendering of them (S004: the Unified CM and IM and Presence publishers), as a set.
  return [...new Set([...(s.gui?.fields ?? []), ...s.actions.flatMap((a) => a.gui?.fields ?? [])].filter((f) => f.field === field).map((f) => f.value))];
};
const checkpoint = (p: Plan, id: string, target: string) => step(p, id)?.actions.find((a) => a.target === target)?.checkpoint ?? step(p, id)?.checkpoint;

describe('review 2026 A.14 on the example (CUBE: RSA 4096, the rest RSA 2048)', () => {
  const p = planOf();
  it('S064 generates the CUBE key with modulus 4096 and the checkpoint asks for 4096 bits', () => {
    expect(lines(p, 'S064', 'US-CUBE1')).toEqual(['crypto key generate rsa general-keys label CUBE modulus 4096']);
    expect(checkpoint(p, 'S064', 'US-CUBE1')?.question).toBe('Does `show crypto key mypubkey rsa CUBE` list the key pair (Key name CUBE, 4096 bits)?');
  });
  it('S065 keeps rsakeypair; the SRST router (no key chosen) keeps modulus 2048', () => {
    expect(lines(p, 'S065', 'US-CUBE1')).toContain('rsakeypair CUBE');
    expect(lines(planOf((inv) => ((inv.features as Record<string, boolean>).secureSrst = true)), 'S034', 'US-SRST1')?.[0]).toBe('crypto key generate rsa general-keys label SRST modulus 2048');
  });
  it('VOS Key Length rows and openssl genrsa keep 2048', () => {
    expect(guiValue(p, 'S004', 'Key Length')).toEqual(['2048']);
    expect(guiValue(p, 'S038', 'Key Length')).toEqual(['2048']);
    expect(lines(p, 'S093', 'operator')).toEqual(['openssl genrsa -out us-cmm-privatekey.pem 2048']);
    expect(lines(p, 'S098', 'operator')).toEqual(['openssl genrsa -out us-tms1-privatekey.pem 2048']);
  });
});

describe('review 2026 A.14 on the chapter inventory (every default)', () => {
  const p = chapterPlan();
  it('renders the chapter lines: modulus 2048, rsakeypair, Key Length 2048, genrsa 2048', () => {
    expect(lines(p, 'S064', 'US-CUBE1')).toEqual(['crypto key generate rsa general-keys label CUBE modulus 2048']);
    expect(lines(p, 'S065', 'US-CUBE1')).toContain('rsakeypair CUBE');
    expect(guiValue(p, 'S004', 'Key Length')).toEqual(['2048']);
    expect(lines(p, 'S093', 'operator')).toEqual(['openssl genrsa -out us-cmm-privatekey.pem 2048']);
  });
});

describe('review 2026 A.14 variants', () => {
  it('RSA sizes reach the VOS Key Length rows and openssl genrsa', () => {
    const p = planOf((inv) => {
      inv.cucm[0]!.key = { size: 3072 };
      inv.unity!.key = { size: 4096 };
      inv.cmm!.key = { size: 3072 };
      inv.tms!.key = { algorithm: 'rsa', size: 4096 };
    });
    expect(guiValue(p, 'S004', 'Key Length')).toEqual(['3072']);
    expect(guiValue(p, 'S038', 'Key Length')).toEqual(['4096']);
    expect(lines(p, 'S093', 'operator')).toEqual(['openssl genrsa -out us-cmm-privatekey.pem 3072']);
    expect(lines(p, 'S098', 'operator')).toEqual(['openssl genrsa -out us-tms1-privatekey.pem 4096']);
  });

  it('an ECDSA router key: ec keysize, eckeypair, show/zeroize ec', () => {
    const p = planOf((inv) => {
      inv.ios[0]!.key = { algorithm: 'ecdsa', curve: 'P-384' };
    });
    expect(lines(p, 'S064', 'US-CUBE1')).toEqual(['crypto key generate ec keysize 384 label CUBE']);
    const cp = checkpoint(p, 'S064', 'US-CUBE1');
    expect(cp?.question).toBe('Does `show crypto key mypubkey ec CUBE` list the key pair (Key name CUBE, ECDSA P-384)?');
    expect(verifications(cp).map((v) => v.command)).toEqual(['show crypto key mypubkey ec CUBE']);
    const backout = step(p, 'S064')?.actions.find((a) => a.target === 'US-CUBE1')?.backout ?? step(p, 'S064')?.backout;
    expect(backout?.commands).toEqual(['crypto key zeroize ec CUBE']);
    expect(lines(p, 'S065', 'US-CUBE1')).toEqual(['crypto pki trustpoint CUBE-Certificate', 'enrollment terminal pem', 'subject-name CN=US-CUBE1.ent-pa.com', 'revocation-check none', 'eckeypair CUBE', 'hash sha256']);
    expect(checkpoint(p, 'S065', 'US-CUBE1')?.question).toContain('eckeypair CUBE and hash sha256?');
  });

  // cli-facts §2.7: `crypto signaling default trustpoint <TP> [strict-cipher | ecdsa-cipher | …]`;
  // on remote-addr the keyword is [I] (templates/ios.yaml). The verify lines ask for the same lines.
  const verifyLines = (p: Plan, id: string, target: string) => {
    const s = step(p, id)!;
    const cp = s.actions.find((a) => a.target === target)?.checkpoint ?? s.checkpoint;
    return verifications(cp)[0]?.args.lines as string[] | undefined;
  };
  it('an ECDSA CUBE: ecdsa-cipher on the S071 default line and the S073 remote-addr lines', () => {
    const p = planOf((inv) => {
      inv.ios[0]!.key = { algorithm: 'ecdsa', curve: 'P-256' };
    });
    expect(lines(p, 'S071', 'US-CUBE1')).toEqual(['sip-ua', 'crypto signaling default trustpoint CUBE-Certificate ecdsa-cipher']);
    const s073 = lines(p, 'S073', 'US-CUBE1')!;
    expect(s073[0]).toBe('sip-ua');
    expect(s073.length).toBeGreaterThan(1);
    for (const l of s073.slice(1)) expect(l).toMatch(/^crypto signaling remote-addr \S+ \S+ trustpoint CUBE-Certificate ecdsa-cipher$/);
    expect(verifyLines(p, 'S071', 'US-CUBE1')).toEqual(['sip-ua', 'crypto signaling default trustpoint CUBE-Certificate ecdsa-cipher']);
    expect(verifyLines(p, 'S073', 'US-CUBE1')).toEqual(s073.slice(1));
  });

  it('an ECDSA CUBE with features.iosDefaultTrustpoint off: ecdsa-cipher on the S071 remote-addr lines', () => {
    const p = planOf((inv) => {
      inv.ios[0]!.key = { algorithm: 'ecdsa', curve: 'P-384' };
      (inv.features as Record<string, boolean>).iosDefaultTrustpoint = false;
    });
    const s071 = lines(p, 'S071', 'US-CUBE1')!;
    expect(s071).toEqual(lines(p, 'S073', 'US-CUBE1'));
    for (const l of s071.slice(1)) expect(l).toMatch(/ trustpoint CUBE-Certificate ecdsa-cipher$/);
    expect(verifyLines(p, 'S071', 'US-CUBE1')).toEqual(s071);
  });

  it('an RSA CUBE (the example, RSA 4096) renders no ecdsa-cipher on S071/S073', () => {
    const p = planOf();
    expect(lines(p, 'S071', 'US-CUBE1')).toEqual(['sip-ua', 'crypto signaling default trustpoint CUBE-Certificate']);
    const s073 = lines(p, 'S073', 'US-CUBE1')!;
    expect(s073.length).toBeGreaterThan(1);
    for (const l of s073.slice(1)) expect(l).toMatch(/^crypto signaling remote-addr \S+ \S+ trustpoint CUBE-Certificate$/);
    expect([...(verifyLines(p, 'S071', 'US-CUBE1') ?? []), ...(verifyLines(p, 'S073', 'US-CUBE1') ?? [])].some((l) => l.includes('ecdsa-cipher'))).toBe(false);
  });
});
