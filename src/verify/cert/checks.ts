// Single-certificate checks: each returns one Verdict with a message precise enough to act on
// (what was found, what the chapter wants, where it says so).
import type { Pkcs10CertificateRequest, X509Certificate } from '@peculiar/x509';
import { EKU_LABEL, KU_LABEL, commonNameOf, describeKey, isCa, isoSeconds, keyInfo, sansOf, signatureHash, usagesOf, type Usages } from './inspect.js';
import { keyText, type EcCurve, type KeyChoice } from '../../inventory/keys.js';
import type { Expectation } from './expectations-types.js';
import type { Role } from './roles.js';
import type { Verdict } from './types.js';

const DAY = 86_400_000;
const STRONG_HASHES = new Set(['SHA-256', 'SHA-384', 'SHA-512']);
const list = (xs: readonly string[]) => xs.join(', ');

type Subject = X509Certificate | Pkcs10CertificateRequest;

/** Node's name of each curve the inventory may choose (asymmetricKeyDetails.namedCurve). */
const NODE_CURVE: Record<EcCurve, string> = { 'P-256': 'prime256v1', 'P-384': 'secp384r1' };

/**
 * The key against the inventory's choice for the product (review-2026 A.14, `want`: from the
 * expectation) or, without one, the chapter's rule: RSA of at least 2048 bits. A larger RSA key
 * than chosen passes; a smaller one, or another algorithm or curve, fails.
 */
export function checkKey(x: Subject, want?: { choice: KeyChoice; field: string }): Verdict {
  const k = keyInfo(x.publicKey);
  if (want && want.choice.algorithm === 'ecdsa') {
    const c = want.choice.curve;
    if (k.type === 'ec' && k.curve === NODE_CURVE[c]) return { check: 'key', status: 'pass', message: `ECDSA ${c} key, as ${want.field} chooses` };
    return { check: 'key', status: 'fail', message: `key is ${describeKey(k)}; ${want.field} chooses ECDSA ${c}: make the key again with that curve` };
  }
  if (k.type !== 'rsa') {
    const why = want ? `${want.field} chooses ${keyText(want.choice)}` : 'the Preferred Architecture uses RSA keys only (ECDSA is deliberately excluded)';
    return { check: 'key', status: 'fail', message: `key is ${describeKey(k)}; ${why}` };
  }
  const min = want?.choice.algorithm === 'rsa' ? want.choice.size : 2048;
  if ((k.bits ?? 0) < min) {
    const why = want ? `${want.field} chooses RSA ${min}: make the key again with ${min} bits` : 'at least 2048 bits are required (Key Length ≥ 2048)';
    return { check: 'key', status: 'fail', message: `RSA key is ${k.bits ?? '?'} bits; ${why}` };
  }
  return { check: 'key', status: 'pass', message: `RSA ${k.bits}-bit key${want ? `, at least the RSA ${min} ${want.field} chooses` : ''}` };
}

export function checkSignature(x: Subject): Verdict {
  const s = signatureHash(x);
  if (s.hash && STRONG_HASHES.has(s.hash)) {
    return { check: 'signature', status: 'pass', message: `signed with ${s.hash}` };
  }
  const what = s.hash ? `${s.hash} (${s.algorithm})` : s.algorithm;
  return { check: 'signature', status: 'fail', message: `signed with ${what}; SHA-256 or stronger is required (Hash Algorithm SHA256)` };
}

export function checkValidity(cert: X509Certificate, now: Date, expiryDays: number): Verdict {
  const nb = cert.notBefore;
  const na = cert.notAfter;
  const day = isoSeconds;
  if (now < nb) return { check: 'validity', status: 'fail', message: `not yet valid: valid from ${day(nb)} (check the CA's clock or wait)` };
  if (now > na) return { check: 'validity', status: 'fail', message: `expired on ${day(na)}` };
  const left = Math.floor((na.getTime() - now.getTime()) / DAY);
  if (left < expiryDays) {
    return { check: 'validity', status: 'warning', message: `expires in ${left} day(s), on ${day(na)} (within the ${expiryDays}-day threshold)` };
  }
  return { check: 'validity', status: 'pass', message: `valid until ${day(na)} (${left} days)` };
}

export function checkNotCa(cert: X509Certificate): Verdict | undefined {
  if (!isCa(cert)) return undefined;
  return {
    check: 'not-ca',
    status: 'fail',
    message: `is a CA certificate (Basic Constraints CA:TRUE, subject ${cert.subject}), not a server certificate; point at the certificate the CA issued for the server`,
  };
}

/**
 * KU/EKU against the role table. Missing usages fail; extra ones warn, because the chapter asks
 * for "exactly the values in Table 7-10" (S007) but an extra usage rarely breaks anything.
 * For a CSR, missing usages only warn: the CA template decides what the certificate gets.
 */
export function checkUsages(u: Usages, role: Role, what: 'certificate' | 'csr'): Verdict[] {
  const out: Verdict[] = [];
  const missingStatus = what === 'certificate' ? 'fail' : 'warning';
  const csrNote = what === 'csr' ? '; the CA template must add them' : '';
  if (role.keyUsage) {
    const want = role.keyUsage.required;
    const got = u.keyUsage;
    if (!got) {
      out.push({ check: 'key-usage', status: missingStatus, message: `no X509v3 Key Usage extension; ${role.id} needs ${list(want.map((n) => KU_LABEL[n]))} (${role.keyUsage.source})${csrNote}` });
    } else {
      out.push(compare('key-usage', 'Key Usage', want, got, KU_LABEL, role.keyUsage.source, role.keyUsage.hints, missingStatus, csrNote));
    }
  }
  if (role.extendedKeyUsage) {
    const want = role.extendedKeyUsage.required;
    const got = u.extendedKeyUsage;
    const hints = role.extendedKeyUsage.hints;
    if (!got) {
      const why = want.map((n) => hints?.[n]).filter(Boolean);
      out.push({
        check: 'extended-key-usage',
        status: missingStatus,
        message: `no X509v3 Extended Key Usage extension; ${role.id} needs ${list(want.map((n) => EKU_LABEL[n]))} (${role.extendedKeyUsage.source})${csrNote}${why.length ? `: ${why.join('; ')}` : ''}`,
      });
    } else {
      out.push(compare('extended-key-usage', 'Extended Key Usage', want, got, EKU_LABEL as Record<string, string>, role.extendedKeyUsage.source, hints, missingStatus, csrNote));
    }
  }
  return out;
}

function compare<N extends string>(
  check: string,
  title: string,
  want: readonly N[],
  got: readonly string[],
  label: Record<string, string>,
  source: string,
  hints: Partial<Record<N, string>> | undefined,
  missingStatus: 'fail' | 'warning',
  csrNote: string,
): Verdict {
  const name = (n: string) => label[n] ?? n;
  const missing = want.filter((n) => !got.includes(n));
  const extra = got.filter((n) => !(want as readonly string[]).includes(n));
  if (missing.length > 0) {
    const why = missing.map((n) => hints?.[n]).filter((h): h is string => typeof h === 'string');
    return {
      check,
      status: missingStatus,
      message: `${title} lacks ${list(missing.map(name))}; has ${list(got.map(name)) || 'nothing'}; required ${list(want.map(name))} (${source})${csrNote}${why.length ? `: ${why.join('; ')}` : ''}`,
    };
  }
  if (extra.length > 0) {
    return { check, status: 'warning', message: `${title} has ${list(want.map(name))} as required (${source}), plus ${list(extra.map(name))} which the chapter does not list` };
  }
  return { check, status: 'pass', message: `${title}: ${list(want.map(name))} (${source})` };
}

/** Wildcards: unsupported everywhere except CMS, where a standard certificate is still preferred (L397). */
export function checkWildcard(x: Subject, role: Role): Verdict {
  const names = [commonNameOf(x) ?? '', ...sansOf(x.extensions).dns].filter((n) => n.includes('*'));
  if (names.length === 0) return { check: 'wildcard', status: 'pass', message: 'no wildcard names' };
  if (role.wildcard === 'discouraged') {
    return { check: 'wildcard', status: 'warning', message: `wildcard name ${list(names)}: accepted on CMS, but the chapter recommends a standard certificate naming every node (L397)` };
  }
  return { check: 'wildcard', status: 'fail', message: `wildcard name ${list(names)}: wildcard certificates are not supported for ${role.product} (only CMS accepts them, L397)` };
}

const eq = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export function checkNames(x: Subject, exp: Expectation): Verdict[] {
  const out: Verdict[] = [];
  const cn = commonNameOf(x);
  const dns = sansOf(x.extensions).dns;
  if (exp.cn !== undefined) {
    out.push(
      cn !== undefined && eq(cn, exp.cn)
        ? { check: 'subject-cn', status: 'pass', message: `CN is ${cn}` }
        : { check: 'subject-cn', status: 'fail', message: `CN is ${cn ?? '(none)'}; expected ${exp.cn} for ${exp.scope}` },
    );
  } else if (exp.cnOneOf && exp.cnOneOf.length > 0) {
    out.push(
      cn !== undefined && exp.cnOneOf.some((c) => eq(c, cn))
        ? { check: 'subject-cn', status: 'pass', message: `CN is ${cn}` }
        : { check: 'subject-cn', status: 'fail', message: `CN is ${cn ?? '(none)'}; expected one of ${list(exp.cnOneOf)} for ${exp.scope}` },
    );
  }
  const missing = exp.sans.filter((s) => !dns.some((d) => eq(d, s.name)));
  if (exp.sans.length > 0) {
    out.push(
      missing.length === 0
        ? { check: 'san', status: 'pass', message: `SAN lists all ${exp.sans.length} required name(s): ${list(exp.sans.map((s) => s.name))}` }
        : {
            check: 'san',
            status: 'fail',
            message: `SAN lacks ${missing.map((m) => `${m.name} (${m.why})`).join(', ')}; SAN has ${list(dns) || 'no DNS names'}`,
          },
    );
  }
  const recMissing = (exp.recommendedSans ?? []).filter((s) => !dns.some((d) => eq(d, s.name)));
  if (recMissing.length > 0) {
    out.push({ check: 'san-recommended', status: 'warning', message: `SAN lacks ${recMissing.map((m) => `${m.name} (${m.why})`).join(', ')}` });
  }
  return out;
}

/** The certificate answers this CSR: same SubjectPublicKeyInfo, byte for byte. */
export function checkCsrMatch(cert: X509Certificate, csr: Pkcs10CertificateRequest, csrFile: string): Verdict[] {
  const a = keyInfo(cert.publicKey).spki;
  const b = keyInfo(csr.publicKey).spki;
  if (!a.equals(b)) {
    return [{ check: 'csr-match', status: 'fail', message: `the certificate's public key differs from the key in ${csrFile}: it was not issued for this CSR (or the CSR was regenerated since)` }];
  }
  const out: Verdict[] = [{ check: 'csr-match', status: 'pass', message: `public key matches ${csrFile}` }];
  // S007: "the KU/EKU in the certificate equal the KU/EKU requested in the CSR".
  const cu = usagesOf(cert.extensions);
  const ru = usagesOf(csr.extensions);
  const diff = (c: readonly string[] | undefined, r: readonly string[] | undefined, label: Record<string, string>) => {
    if (!r) return [];
    return r.filter((n) => !(c ?? []).includes(n)).map((n) => label[n] ?? n);
  };
  const dropped = [...diff(cu.keyUsage, ru.keyUsage, KU_LABEL), ...diff(cu.extendedKeyUsage, ru.extendedKeyUsage, EKU_LABEL)];
  if (dropped.length > 0) {
    out.push({ check: 'csr-usages', status: 'warning', message: `the CSR requested ${list(dropped)} but the certificate does not carry it; the CA template overrode the request` });
  }
  return out;
}

