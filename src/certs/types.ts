// What `collabsec certs` finds on one port: pure data, rendered as a table, markdown, HTML or JSON.

/**
 * One word per port, worst first when several apply. The probe failures say why no certificate
 * was read; the others judge the certificate that was.
 */
export const VERDICTS = [
  'timeout',
  'refused',
  'plain-text',
  'closed',
  'starttls-refused',
  'error',
  'expired',
  'not-yet-valid',
  'self-signed',
  'wrong-chain',
  'wrong-name',
  'expiring',
  'rules',
  'ok',
] as const;
export type CertVerdict = (typeof VERDICTS)[number];

/** What each verdict means, for legends and --help. */
export const VERDICT_TEXT: Record<CertVerdict, string> = {
  timeout: 'no answer (or the handshake stalled) within the time allowed',
  refused: 'nothing listens on the port',
  'plain-text': 'the port answered, but not with TLS',
  closed: 'the port closed the connection before presenting a certificate',
  'starttls-refused': 'the XMPP server refused or did not offer STARTTLS',
  error: 'the connection failed',
  expired: 'the certificate has expired',
  'not-yet-valid': 'the certificate is not valid yet',
  'self-signed': 'the certificate is self-signed',
  'wrong-chain': "the chain does not reach the root the inventory trusts for this certificate",
  'wrong-name': "neither the CN nor the SAN names the node's FQDN",
  expiring: 'expires within the warning period',
  rules: "fails the chapter's rules for its role (usages, key, signature)",
  ok: 'chains to the inventory root, names the node, valid beyond the warning period',
};

export interface CertFacts {
  subject: string;
  commonName?: string;
  sans: string[];
  issuer: string;
  keyUsage: string[];
  extendedKeyUsage: string[];
  /** "RSA 2048-bit", "EC P-256". */
  key: string;
  signature: string;
  notBefore: string;
  notAfter: string;
  /** Whole days from the survey's time to notAfter (negative once expired). */
  daysLeft: number;
  /** "AA:BB:…" SHA-256 of the leaf. */
  sha256: string;
  /** Subjects of the presented chain, leaf first. */
  chain: string[];
  /** The chain verifies to a root the inventory names (ca.enterprise / ca.public / partners). */
  chainsToRoot: boolean;
  /** That root's subject, when it does. */
  root?: string;
}

export type PinState = 'pinned' | 'changed' | 'not-pinned';

export interface CertRow {
  node: string;
  /** Topology group (cucm-node, expe-node, …). */
  group: string;
  service: string;
  /** The port the product serves. */
  port: number;
  /** Where it was probed (host:port; differs from port under an inventory tlsPorts override). */
  address: string;
  starttls?: string;
  role?: string;
  verdict: CertVerdict;
  /** One line: why this verdict. */
  message: string;
  /** Every failed or warned check, one line each. */
  problems: string[];
  certificate?: CertFacts;
  /** The leaf against the pins file (AXL's TLS pins), when one was read. */
  pin?: PinState;
  elapsedMs: number;
}

export interface CertSurvey {
  inventory: string;
  /** ISO time of the survey: days left count from it. */
  at: string;
  warnDays: number;
  rows: CertRow[];
}

/** A row that must fail `--warn-days`: anything but ok. */
export function isProblem(r: CertRow): boolean {
  return r.verdict !== 'ok';
}

export function countVerdicts(rows: readonly CertRow[]): Partial<Record<CertVerdict, number>> {
  const out: Partial<Record<CertVerdict, number>> = {};
  for (const v of VERDICTS) {
    const n = rows.filter((r) => r.verdict === v).length;
    if (n > 0) out[v] = n;
  }
  return out;
}
