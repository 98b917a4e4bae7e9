// `collabsec certs`: probe every (node, port) of the inventory with the TLS probe, a bounded
// number at a time (a port that hangs costs one slot for at most its timeout, never the run), and
// judge each presented chain as `collabsec cert check` judges a file: the role's rules, the node's
// name, validity against the warning period, and the chain to the inventory's roots.
// Read-only: the probe writes the ClientHello (and XMPP's STARTTLS request) only; pins are read, never written.
import { pinOf, checkPin, type TlsPin } from '../transport/tls-pins.js';
import { checkPresented, probeTls, type ProbeFailure, type ProbeResult } from '../transport/tls-probe.js';
import type { CertTarget } from '../inventory/tls-ports.js';
import { checkChain } from '../verify/cert/chain.js';
import { findRole, type Role } from '../verify/cert/roles.js';
import type { Trust } from '../verify/cert/trust.js';
import type { Verdict } from '../verify/cert/types.js';
import { genericRole, namesVerdict } from '../wizard/live-tls.js';
import type { CertFacts, CertRow, CertVerdict, PinState } from './types.js';

const DAY = 86_400_000;

export interface SurveyOptions {
  roles: readonly Role[];
  trust: Trust;
  /** Days before expiry that make a certificate `expiring`. */
  warnDays: number;
  now?: Date;
  /** Whole budget of one probe (connect, STARTTLS, handshake). */
  timeoutMs?: number;
  /** Probes at once. */
  concurrency?: number;
  /** AXL's TLS pins, when read: each leaf is shown as pinned, changed or not pinned. */
  pins?: TlsPin[];
  /** Called as each port is done, for progress. */
  onRow?: (row: CertRow, done: number, total: number) => void;
}

export const DEFAULT_CONCURRENCY = 8;

/** `fn` over `items`, at most `limit` at a time; results in the items' order. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

const FAILURE_VERDICT: Record<ProbeFailure, CertVerdict> = {
  timeout: 'timeout',
  refused: 'refused',
  'not-tls': 'plain-text',
  closed: 'closed',
  'starttls-refused': 'starttls-refused',
  error: 'error',
};

/** The worst verdict the checks support, and the line that says why. */
function classify(verdicts: readonly Verdict[]): { verdict: CertVerdict; message: string } {
  const find = (check: string, status: Verdict['status'], re?: RegExp) => verdicts.find((v) => v.check === check && v.status === status && (re === undefined || re.test(v.message)));
  const pick: [CertVerdict, Verdict | undefined][] = [
    ['expired', find('validity', 'fail', /^expired/)],
    ['not-yet-valid', find('validity', 'fail')],
    ['self-signed', find('chain', 'fail', /self-signed/)],
    ['wrong-chain', find('chain', 'fail') ?? find('chain-order', 'fail')],
    ['wrong-name', find('names', 'fail')],
    ['expiring', find('validity', 'warning')],
    ['rules', verdicts.find((v) => v.status === 'fail')],
  ];
  for (const [verdict, v] of pick) if (v !== undefined) return { verdict, message: v.message };
  const chain = verdicts.find((v) => v.check === 'chain');
  return { verdict: 'ok', message: chain?.message ?? 'valid' };
}

async function judge(r: ProbeResult & { ok: true }, t: CertTarget, o: SurveyOptions, now: Date): Promise<Omit<CertRow, 'node' | 'group' | 'service' | 'port' | 'address' | 'elapsedMs'>> {
  const role = (t.role !== undefined ? findRole(o.roles, t.role) : undefined) ?? genericRole(t.node);
  const report = await checkPresented(r, { role, anchors: o.trust.anchors, intermediates: o.trust.intermediates, now, expiryDays: o.warnDays });
  if (t.servername !== undefined) report.verdicts.push(namesVerdict(r, t.servername));
  const [leaf, ...rest] = r.chain;
  // Which root the chain ends at (checkPresented says pass/fail; the table shows the root's name).
  const path = await checkChain(leaf!, [{ file: 'presented', certs: rest }, { file: 'inventory trust files', certs: o.trust.intermediates }], o.trust.anchors, role, now);
  const s = report.summary;
  const certificate: CertFacts = {
    subject: s.subject,
    ...(s.commonName !== undefined ? { commonName: s.commonName } : {}),
    sans: s.sans,
    issuer: s.issuer ?? '',
    keyUsage: s.keyUsage,
    extendedKeyUsage: s.extendedKeyUsage,
    key: s.key,
    signature: s.signature,
    notBefore: s.notBefore ?? '',
    notAfter: s.notAfter ?? '',
    daysLeft: Math.floor((leaf!.notAfter.getTime() - now.getTime()) / DAY),
    sha256: r.sha256,
    chain: r.chain.map((c) => c.subject),
    chainsToRoot: path.anchor !== undefined,
    ...(path.anchor !== undefined ? { root: path.anchor.cert.subject } : {}),
  };
  const { verdict, message } = classify(report.verdicts);
  let pin: PinState | undefined;
  if (o.pins !== undefined) {
    const p = checkPin(o.pins, t.host, t.connectPort, pinOf(new Uint8Array(leaf!.rawData)));
    pin = p.status === 'trusted' ? 'pinned' : p.status === 'changed' ? 'changed' : 'not-pinned';
  }
  const problems = report.verdicts.filter((v) => v.status !== 'pass').map((v) => `${v.status === 'fail' ? 'FAIL' : 'WARN'} ${v.check}: ${v.message}`);
  // A changed pin is what would stop an AXL run (tls-pins.ts): say so before the run does.
  if (pin === 'changed') problems.push(`WARN pin: ${t.host}:${t.connectPort} presents SHA-256 ${r.sha256}, not the certificate pinned for it (a renewal not yet accepted, or another server)`);
  return { verdict, message, problems, certificate, ...(pin !== undefined ? { pin } : {}), ...(t.role !== undefined ? { role: t.role } : {}) };
}

export async function surveyCertificates(targets: readonly CertTarget[], o: SurveyOptions): Promise<CertRow[]> {
  const now = o.now ?? new Date();
  let done = 0;
  return mapBounded(targets, o.concurrency ?? DEFAULT_CONCURRENCY, async (t) => {
    const r = await probeTls({
      node: t.node,
      host: t.host,
      port: t.connectPort,
      ...(t.servername !== undefined ? { servername: t.servername } : {}),
      ...(t.starttls !== undefined ? { starttls: t.starttls } : {}),
      ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
    });
    const base = {
      node: t.node,
      group: t.group,
      service: t.service,
      port: t.port,
      address: `${t.host.includes(':') ? `[${t.host}]` : t.host}:${t.connectPort}`,
      ...(t.starttls !== undefined ? { starttls: t.starttls } : {}),
      elapsedMs: r.elapsedMs,
    };
    const failed = (verdict: CertVerdict, message: string): CertRow => ({ ...base, ...(t.role !== undefined ? { role: t.role } : {}), verdict, message, problems: [] });
    let row: CertRow;
    if (!r.ok) row = failed(FAILURE_VERDICT[r.failure], r.message);
    else {
      try {
        row = { ...base, ...(await judge(r, t, o, now)) };
      } catch (e) {
        // A certificate the checks cannot read (an odd key or extension) is this port's verdict, not the end of the survey.
        row = failed('error', `${t.node} (${base.address}): presented a certificate collabsec could not read: ${(e as Error).message.split('\n')[0]!}`);
      }
    }
    o.onRow?.(row, ++done, targets.length);
    return row;
  });
}
