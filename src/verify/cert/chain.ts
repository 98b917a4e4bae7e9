// Chain verification: from the leaf, find each issuer among the certificates the operator gave
// and the roots the inventory says are in the trust stores, verify every signature with
// WebCrypto, and say which root the path ends at. Messages name the certificate that breaks it.
import type { X509Certificate } from '@peculiar/x509';
import { isCa, isoSeconds } from './inspect.js';
import type { Role } from './roles.js';
import type { Verdict } from './types.js';

export type AnchorKind = 'enterprise' | 'public' | 'partner';

export interface Anchor {
  kind: AnchorKind;
  /** Inventory field and file, e.g. "ca.enterprise.rootCertFile (certs/root.pem)". */
  source: string;
  cert: X509Certificate;
}

export interface SuppliedChain {
  file: string;
  certs: X509Certificate[];
  /** The file also holds the leaf (a CERT file with its chain appended). */
  leafFile?: boolean;
}

const same = (a: X509Certificate, b: X509Certificate) => Buffer.from(a.rawData).equals(Buffer.from(b.rawData));

async function signedBy(child: X509Certificate, parent: X509Certificate): Promise<boolean> {
  if (child.issuer !== parent.subject) return false;
  try {
    return await child.verify({ publicKey: parent.publicKey, signatureOnly: true });
  } catch {
    // Unsupported algorithm or malformed key: not a usable issuer.
    return false;
  }
}

async function selfSigned(c: X509Certificate): Promise<boolean> {
  return signedBy(c, c);
}

const cnOf = (c: X509Certificate) => c.subject;

/** Order inside each supplied file: leaf first (if present), then each certificate's issuer. */
export async function checkOrder(chains: readonly SuppliedChain[]): Promise<Verdict[]> {
  const out: Verdict[] = [];
  for (const ch of chains) {
    if (ch.leafFile) {
      const idx = ch.certs.findIndex((c) => !isCa(c));
      if (idx > 0) {
        out.push({
          check: 'chain-order',
          status: 'fail',
          message: `${ch.file} starts with CA certificate ${cnOf(ch.certs[0]!)}; the server certificate (${cnOf(ch.certs[idx]!)}) is number ${idx + 1}: put it first, followed by its issuers`,
        });
        continue;
      }
    }
    for (let i = 0; i + 1 < ch.certs.length; i++) {
      const child = ch.certs[i]!;
      const next = ch.certs[i + 1]!;
      if (await selfSigned(child)) {
        out.push({ check: 'chain-order', status: ch.leafFile ? 'fail' : 'warning', message: `${ch.file}: certificate ${i + 1} (${cnOf(child)}) is a root but more certificates follow it; the order should be leaf → intermediate(s) → root` });
        break;
      }
      if (!(await signedBy(child, next))) {
        out.push({
          check: 'chain-order',
          status: ch.leafFile ? 'fail' : 'warning',
          message: `${ch.file} is in the wrong order: certificate ${i + 2} (${cnOf(next)}) did not issue certificate ${i + 1} (${cnOf(child)}, issuer ${child.issuer}); expected leaf → intermediate(s) → root`,
        });
        break;
      }
    }
  }
  return out;
}

/**
 * How the chain verdicts speak and how strict they are. `supply`: how the operator gives a missing
 * issuer ("give it with --chain" for the command; the wizard names its question). `gaps`: per
 * kind of root, why the inventory's root file did not load (its field and path), so a verdict
 * names the missing file instead of saying the inventory names none. `strict`: a chain that could
 * not be compared with the root the role relies on fails instead of warning (the wizard's
 * checkpoints: no "verified" without a chain check).
 */
export interface ChainOptions {
  supply?: string;
  gaps?: Partial<Record<AnchorKind, string>>;
  strict?: boolean;
}

export interface ChainResult {
  verdicts: Verdict[];
  /** The path found, leaf first. */
  path: X509Certificate[];
  anchor?: Anchor;
}

export async function checkChain(
  leaf: X509Certificate,
  chains: readonly SuppliedChain[],
  anchors: readonly Anchor[],
  role: Role,
  now: Date,
  opts: ChainOptions = {},
): Promise<ChainResult> {
  const pool: X509Certificate[] = [];
  for (const c of [...chains.flatMap((ch) => ch.certs), ...anchors.map((a) => a.cert)]) {
    if (!same(c, leaf) && !pool.some((p) => same(p, c))) pool.push(c);
  }
  const path: X509Certificate[] = [leaf];
  const verdicts: Verdict[] = [];
  let current = leaf;
  let broken: string | undefined;
  for (let depth = 0; depth < 10; depth++) {
    if (await selfSigned(current)) break;
    let issuer: X509Certificate | undefined;
    for (const cand of pool) {
      if (!path.some((p) => same(p, cand)) && (await signedBy(current, cand))) {
        issuer = cand;
        break;
      }
    }
    if (!issuer) {
      const nameOnly = pool.find((c) => c.subject === current.issuer);
      broken = nameOnly
        ? `${nameOnly.subject} has the right name but its key did not sign ${cnOf(current)}: the signature does not verify (wrong or re-keyed CA certificate)`
        : `the issuer of ${cnOf(current)} (${current.issuer}) was not supplied; ${opts.supply ?? 'give it with --chain'}`;
      break;
    }
    path.push(issuer);
    current = issuer;
  }

  // Each CA on the path must be a CA and valid now; an expired intermediate breaks TLS too.
  for (const ca of path.slice(1)) {
    if (!isCa(ca)) verdicts.push({ check: 'chain', status: 'fail', message: `${cnOf(ca)} signs ${cnOf(path[path.indexOf(ca) - 1]!)} but is not a CA certificate (no Basic Constraints CA:TRUE)` });
    if (now > ca.notAfter) verdicts.push({ check: 'chain', status: 'fail', message: `CA certificate ${cnOf(ca)} expired on ${isoSeconds(ca.notAfter)}` });
    else if (now < ca.notBefore) verdicts.push({ check: 'chain', status: 'fail', message: `CA certificate ${cnOf(ca)} is not valid before ${isoSeconds(ca.notBefore)}` });
  }

  const top = path[path.length - 1]!;
  const anchor = broken ? undefined : anchors.find((a) => same(a.cert, top));
  const names = path.map(cnOf).join(' → ');
  if (broken) {
    // With no trusted root known there is nothing to fail against: say what is missing, as a warning.
    verdicts.push({ check: 'chain', status: anchors.length === 0 && opts.strict !== true ? 'warning' : 'fail', message: `chain incomplete after ${names}: ${broken}` });
    return { verdicts, path };
  }
  if (role.chain === 'root-only' && path.length > 2) {
    verdicts.push({ check: 'chain', status: 'fail', message: `${role.product} does not support certificate chains (L528): the root CA must sign it directly, but the path is ${names}` });
  }
  verdicts.push(rootVerdict(role, names, path.length, top, anchor, anchors, opts));
  return { verdicts, path, anchor };
}

function rootVerdict(role: Role, names: string, length: number, top: X509Certificate, anchor: Anchor | undefined, anchors: readonly Anchor[], opts: ChainOptions): Verdict {
  const gap = (k: AnchorKind): Verdict | undefined => {
    const why = opts.gaps?.[k];
    return why === undefined ? undefined : { check: 'chain', status: opts.strict === true ? 'fail' : 'warning', message: `chains to ${cnOf(top)}, but it cannot be compared with the ${k} root: ${why}: ${names}` };
  };
  if (length === 1) {
    return { check: 'chain', status: 'fail', message: `is self-signed (${cnOf(top)}); ${role.product} ${role.certificate} must be signed by ${role.caType === 'public' ? 'a public' : 'the enterprise'} CA (Table 7-5)` };
  }
  const has = (k: AnchorKind) => anchors.find((a) => a.kind === k);
  if (role.caType === 'public') {
    if (anchor?.kind === 'public' || anchor?.kind === 'partner') return { check: 'chain', status: 'pass', message: `verifies to the public root ${cnOf(top)} from ${anchor.source}: ${names}` };
    if (anchor?.kind === 'enterprise') {
      return { check: 'chain', status: 'warning', message: `chains to the enterprise root ${cnOf(top)}; ${role.product} must use a public CA trusted by endpoint firmware (Table 7-5): ${names}` };
    }
    const pub = has('public');
    const missing = pub ? undefined : gap('public');
    if (missing) return missing;
    return pub
      ? { check: 'chain', status: 'fail', message: `chains to ${cnOf(top)}, not to the public root in ${pub.source}: ${names}` }
      : { check: 'chain', status: 'warning', message: `chains to ${cnOf(top)}, which the inventory does not name (ca.public.rootCertFile); confirm it is on the endpoints' Certificate Authority Trust List: ${names}` };
  }
  if (anchor?.kind === 'enterprise') return { check: 'chain', status: 'pass', message: `verifies to the enterprise root ${cnOf(top)} from ${anchor.source}: ${names}` };
  if (anchor && role.caType === 'enterprise-preferred') {
    return { check: 'chain', status: 'warning', message: `verifies to ${anchor.kind} root ${cnOf(top)} (${anchor.source}); the Preferred Architecture assumes the enterprise CA for ${role.product} (Table 7-5): ${names}` };
  }
  const ent = has('enterprise');
  if (!ent) return gap('enterprise') ?? { check: 'chain', status: opts.strict === true ? 'fail' : 'warning', message: `chains to ${cnOf(top)}, but no enterprise root was loaded to compare with: ${names}` };
  return {
    check: 'chain',
    status: 'fail',
    message: `chains to ${cnOf(top)}, not to the enterprise root ${cnOf(ent.cert)} that the inventory says is in the trust store (${ent.source}): ${names}`,
  };
}
