// Key algorithm and size per product (review-2026 A.14, issue 23 slice 4). The inventory may name
// a `key` on each place that makes a key pair (an IOS router, a Unified CM cluster, Unity
// Connection, Meeting Server, Meeting Management, TMS); which choices a product can make is data
// here, each with the source it follows. A choice the product cannot make is refused before any
// plan, naming the field and the reason. Absent: RSA 2048, the chapter's value everywhere.
import * as z from 'zod/mini';
import { describe } from '../zod.js';

export const RSA_SIZES = [2048, 3072, 4096] as const;
export const EC_CURVES = ['P-256', 'P-384'] as const;
export type RsaSize = (typeof RSA_SIZES)[number];
export type EcCurve = (typeof EC_CURVES)[number];

/** A resolved choice: what the templates render and the certificate checks require. */
export type KeyChoice = { algorithm: 'rsa'; size: RsaSize } | { algorithm: 'ecdsa'; curve: EcCurve };

export const DEFAULT_KEY: KeyChoice = { algorithm: 'rsa', size: 2048 };

/**
 * The inventory field. RSA takes a size, ECDSA a curve; the other is refused rather than ignored,
 * so `{ algorithm: ecdsa, size: 4096 }` is an error, not a silent P-256.
 */
export const keyField = describe(
  z.optional(
    z
      .strictObject({
        algorithm: describe(z._default(z.enum(['rsa', 'ecdsa']), 'rsa'), 'Key algorithm: rsa (default) or ecdsa, where the product supports it'),
        size: describe(
          z.optional(z.union([z.literal(2048), z.literal(3072), z.literal(4096)], { error: 'an RSA key size: 2048, 3072 or 4096' })),
          'RSA modulus in bits: 2048 (default), 3072 or 4096',
        ),
        curve: describe(z.optional(z.enum(EC_CURVES, { error: 'an ECDSA curve: P-256 or P-384' })), 'ECDSA curve: P-256 or P-384'),
      })
      .check(
        z.superRefine((k, ctx) => {
          if (k.algorithm === 'rsa' && k.curve !== undefined) ctx.addIssue({ code: 'custom', path: ['curve'], message: 'a curve is for algorithm ecdsa; an RSA key takes size (2048, 3072 or 4096)' });
          if (k.algorithm === 'ecdsa' && k.size !== undefined) ctx.addIssue({ code: 'custom', path: ['size'], message: 'size is for algorithm rsa; an ECDSA key takes curve (P-256 or P-384)' });
          if (k.algorithm === 'ecdsa' && k.curve === undefined) ctx.addIssue({ code: 'custom', path: ['curve'], message: 'algorithm ecdsa needs a curve: P-256 or P-384' });
        }),
      ),
  ),
  'Key algorithm and size of the key pair this product generates (default RSA 2048; review-2026 A.14)',
);

export type KeyInput = z.infer<typeof keyField>;

/** Resolve an inventory `key` (absent → RSA 2048). Call only on a field keyField accepted. */
export function keyChoice(k: KeyInput): KeyChoice {
  if (k === undefined) return DEFAULT_KEY;
  if (k.algorithm === 'ecdsa') return { algorithm: 'ecdsa', curve: k.curve ?? 'P-256' };
  return { algorithm: 'rsa', size: k.size ?? 2048 };
}

/** What one product can generate: RSA sizes and ECDSA curves, each list with why and where from. */
interface Support {
  product: string;
  rsa: readonly RsaSize[];
  /** Why an RSA size outside `rsa` cannot be chosen (shown in the refusal). */
  rsaWhy: string;
  ecdsa: readonly EcCurve[];
  /** Why ECDSA (or a curve outside `ecdsa`) cannot be chosen. */
  ecdsaWhy: string;
  source: string;
}

const ALL_RSA = RSA_SIZES;

/**
 * VOS (Unified CM and IM and Presence, Unity Connection): the GUI's Generate CSR has a Key
 * Length; review-2026 C.3 names 3072/4096-bit keys among the Unified CM 14/15 changes, so
 * collabsec offers them from 14 and only 2048 on 12.5 [I: whether 12.5's list already had them
 * was not checked]. ECDSA keys belong to other certificate units (CallManager-ECDSA,
 * tomcat-ECDSA) that the chapter leaves out (seed L320, L614: the Preferred Architecture is RSA
 * only), so the runbook's CSRs (tomcat, CallManager, cup-xmpp, cup-xmpp-s2s) stay RSA.
 */
function vos(product: string, release: string): Support {
  const from14 = release !== '12.5';
  return {
    product,
    rsa: from14 ? ALL_RSA : [2048],
    rsaWhy: `${product} ${release}: collabsec offers a Generate CSR Key Length of 3072 or 4096 from release 14 (review-2026 C.3); on 12.5 it is 2048`,
    ecdsa: [],
    ecdsaWhy: `${product}: the runbook's CSRs are for the RSA units (tomcat, CallManager, cup-xmpp, cup-xmpp-s2s); ECDSA keys belong to the separate -ECDSA units (CallManager-ECDSA, tomcat-ECDSA), which the chapter leaves out (L320, L614)`,
    source: 'Generate CSR Key Length (S004, S038); review-2026 C.3',
  };
}

const SUPPORT = {
  /**
   * IOS-XE: `crypto key generate rsa … modulus N` (cli-facts §2.2; the CUBE hardening guide
   * 220380 uses 2048, IOS-XE takes up to 4096) and `crypto key generate ec keysize 256|384 label
   * <l>` with `eckeypair <l>` in the trustpoint (cli-facts §2.2 trustpoint sub-mode; the ec
   * generate syntax [I] from the IOS-XE Security Command Reference, not in cli-facts).
   */
  ios: {
    product: 'IOS-XE',
    rsa: ALL_RSA,
    rsaWhy: '',
    ecdsa: EC_CURVES,
    ecdsaWhy: '',
    source: 'cli-facts §2.2 (crypto key generate rsa modulus, rsakeypair/eckeypair); crypto key generate ec keysize [I]',
  },
  /**
   * Meeting Server: `pki csr <basename> CN:… [OU:…] … [subjectAltName:…]` takes no key type or
   * size (cli-facts §3, TAC 214618); the MMP reference could not be consulted for a length
   * option, so only its own key can be chosen [I: that key is 2048-bit RSA].
   */
  cms: {
    product: 'Meeting Server',
    rsa: [2048],
    rsaWhy: 'Meeting Server: `pki csr` (S080/S081) takes no key size (cli-facts §3, TAC 214618) and makes its own RSA 2048-bit key [I]',
    ecdsa: [],
    ecdsaWhy: 'Meeting Server: `pki csr` (S080/S081) takes no key type (cli-facts §3, TAC 214618) and makes an RSA key',
    source: 'cli-facts §3 pki csr (TAC 214618)',
  },
  /**
   * Meeting Management and TMS: the key is made on the operator machine with `openssl genrsa -out
   * <file> <bits>` (openssl-genrsa(1): numbits). No Meeting Management or TMS document consulted
   * says it takes an EC key, so ECDSA is not offered [I].
   */
  cmm: {
    product: 'Meeting Management',
    rsa: ALL_RSA,
    rsaWhy: '',
    ecdsa: [],
    ecdsaWhy: 'Meeting Management: no source consulted says its certificate upload (S096) takes an EC key [I]; use rsa',
    source: 'openssl-genrsa(1) numbits (S093)',
  },
  tms: {
    product: 'TMS',
    rsa: ALL_RSA,
    rsaWhy: '',
    ecdsa: [],
    ecdsaWhy: 'TMS: no source consulted says TMS (a PKCS#12 imported on Windows, S101) takes an EC key [I]; use rsa',
    source: 'openssl-genrsa(1) numbits (S098)',
  },
} as const satisfies Record<string, Support>;

/** The support of one product; VOS products depend on their release. */
export function supportOf(product: 'ios' | 'cms' | 'cmm' | 'tms' | 'cucm' | 'unity', release?: string): Support {
  if (product === 'cucm') return vos('Unified CM', release ?? '15');
  if (product === 'unity') return vos('Unity Connection', release ?? '15');
  return SUPPORT[product];
}

/** Why `choice` cannot be made on `s`, or undefined when it can. The message names the reason. */
export function refusal(s: Support, k: KeyInput): { field: 'size' | 'curve' | 'algorithm'; message: string } | undefined {
  const c = keyChoice(k);
  if (c.algorithm === 'rsa') {
    if ((s.rsa as readonly number[]).includes(c.size)) return undefined;
    return { field: 'size', message: `RSA ${c.size} cannot be chosen here: ${s.rsaWhy}; choose ${s.rsa.join(' or ')}` };
  }
  if (s.ecdsa.length === 0) return { field: 'algorithm', message: `ECDSA cannot be chosen here: ${s.ecdsaWhy}` };
  if ((s.ecdsa as readonly string[]).includes(c.curve)) return undefined;
  return { field: 'curve', message: `${s.product} offers ${s.ecdsa.join(' or ')}, not ${c.curve}` };
}

/** "RSA 4096-bit", "ECDSA P-256": as the plan and the checks say it. */
export function keyText(c: KeyChoice): string {
  return c.algorithm === 'rsa' ? `RSA ${c.size}-bit` : `ECDSA ${c.curve}`;
}
