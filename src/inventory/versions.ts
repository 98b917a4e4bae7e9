// The product releases collabsec knows, as the inventory names them (issue 23). A step, template
// or checkpoint that differs by release says so as data (`when: cms.version < '3'`, compared by
// src/catalogue/version.ts); the engine never branches on a version. An inventory naming a
// release outside these lists is refused with the list, like any other inventory error.
//
// Unified CM family: IM and Presence runs the release of its Unified CM cluster (it is installed
// and upgraded with it: the IM and Presence release must match its Unified CM publisher's), so it
// follows `cucm[].version`; Unity Connection is a cluster of its own that may lag or lead Unified
// CM, so it names its own release (`unity.version`).
import * as z from 'zod/mini';
import { describe } from '../zod.js';

/**
 * Unified CM, Unity Connection and PCD (VOS) releases, named by the first release where the
 * catalogue's behaviour changes: name the listed one at or below yours (14SU3 → 14SU2). 14SU2
 * drops the OU from CSRs by default and `set csr gen` asks `Include OU in CSR (yes|no)?`
 * (review-2026 A.9; cli-facts §1.3; Unified CM 14SU2 release notes "Inclusion of Organisation
 * Unit field").
 */
export const VOS_RELEASES = ['12.5', '14', '14SU2', '15'] as const;
/**
 * Expressway releases, named by the first release where the catalogue's behaviour changes: name
 * the listed one at or below yours (X15.3 → X15). X15.4 accepts server-only certificates
 * (EnableServerEkuUpload); X15.5 keeps a separate client certificate (review-2026 C.1).
 */
export const EXPRESSWAY_RELEASES = ['X12.5', 'X14', 'X15', 'X15.4', 'X15.5'] as const;
/** Meeting Server major releases: 3.x has Web Bridge 3 and no XMPP server (review-2026 A.2). */
export const CMS_RELEASES = ['2.x', '3.x'] as const;
/** IOS-XE major releases of the routers (CUBE, gateway, SRST). */
export const IOS_XE_RELEASES = ['16', '17'] as const;

export const DEFAULT_RELEASE = { vos: '15', expressway: 'X15', cms: '3.x', iosXe: '17' } as const;

/**
 * A release field: one of `known`, defaulting to `def`. The error names the product and every
 * known release; a bare YAML number (15, 12.5) is a common slip and is told to be quoted.
 */
export function releaseField<const T extends readonly [string, ...string[]]>(product: string, known: T, def: T[number]) {
  const release = z.enum(known, {
    error: (iss) => {
      const got = iss.input;
      const quoted = typeof got === 'number' && (known as readonly string[]).includes(String(got)) ? ` (write it quoted: "${String(got)}")` : '';
      return `unknown ${product} release ${JSON.stringify(got)}${quoted}: collabsec knows ${known.join(', ')}`;
    },
  });
  return describe(z._default(release, def as never), `${product} release: one of ${known.join(', ')} (default ${def})`);
}

/** The AXL schema release of a Unified CM release: a service update speaks its major's schema (14SU2 → 14). */
export function axlRelease(v: (typeof VOS_RELEASES)[number]): '12.5' | '14' | '15' {
  return v === '14SU2' ? '14' : v;
}
