// The TLS probe port of a live run (issue 22): a checkpoint's `tls` probes connect to each target's
// port, read the chain it presents (src/transport/tls-probe.ts: read-only, no authentication) and
// judge it as `collabsec cert check` judges a file — chained to the inventory's enterprise root,
// CN/SAN covering the node, valid now, key size; with a role, by that role's rules and names.
// The result names, per target, the fingerprint and the chain subjects seen, so the journal keeps
// what the port actually presented.
import type { LoadedInventory } from '../inventory/load.js';
import type { Action, PlannedStep, TlsProbe } from '../plan/types.js';
import type { CheckpointResult } from '../session/index.js';
import { checkPresented, probeTls, type ProbeResult } from '../transport/tls-probe.js';
import { commonNameOf, sansOf } from '../verify/cert/inspect.js';
import { ExpectationError, expectationFor } from '../verify/cert/expectations.js';
import { DEFAULT_EXPIRY_DAYS } from '../verify/cert/report.js';
import { findRole, loadRoleTable, type Role } from '../verify/cert/roles.js';
import { loadTrust, type Trust } from '../verify/cert/trust.js';
import type { Verdict } from '../verify/cert/types.js';
import { expectationNode } from './certificate-targets.js';

export interface TlsPortOptions {
  inventory: LoadedInventory;
  /** The role table (default: steps/certificates.yaml). */
  roles?: readonly Role[];
  /** Whole budget of one probe (default the probe's 10 s). */
  timeoutMs?: number;
  now?: () => Date;
}

type Detail = NonNullable<CheckpointResult['details']>[number];

/** Targets whose checkpoint probes a TLS port (a per-target checkpoint wins over the step's). */
export function tlsTargets(step: PlannedStep): Action[] {
  return step.actions.filter((a) => ((a.checkpoint ?? step.checkpoint).tls?.length ?? 0) > 0);
}

/**
 * No role: the generic rules — the enterprise CA's chain, the node's name, validity and key — as a
 * role any server certificate satisfies (no KU/EKU demanded); names are checked below.
 */
export function genericRole(node: string): Role {
  return { id: 'tls/server', product: node, certificate: 'server', caType: 'enterprise', multiServer: false, wildcard: 'discouraged', chain: 'supported', subject: 'tms' };
}

/** CN or a dNSName SAN equals the name the probe connected to (RFC 6125 matching without wildcards). */
export function namesVerdict(r: ProbeResult & { ok: true }, name: string): Verdict {
  const leaf = r.chain[0]!;
  const sans = sansOf(leaf.extensions).dns;
  const cn = commonNameOf(leaf);
  const eq = (a: string | undefined) => a !== undefined && a.toLowerCase() === name.toLowerCase();
  if (sans.some(eq)) return { check: 'names', status: 'pass', message: `SAN covers ${name}` };
  if (eq(cn)) return { check: 'names', status: 'warning', message: `only the CN names ${name}; browsers match the SAN` };
  return { check: 'names', status: 'fail', message: `neither the CN (${cn ?? 'none'}) nor the SAN (${sans.join(', ') || 'none'}) covers ${name}` };
}

/** Judges one probe; a verdict line per failure, the fingerprint and the chain it saw. */
export async function judgeProbe(
  r: ProbeResult,
  probe: TlsProbe,
  ctx: { inventory: LoadedInventory; roles: readonly Role[]; trust: Trust; now: Date },
): Promise<{ outcome: Detail['outcome']; text: string }> {
  const where = `${probe.host}:${probe.port}${probe.starttls !== undefined ? ` (STARTTLS ${probe.starttls})` : ''}`;
  // Nothing presented (refused, silent, plain text, STARTTLS refused): the service is not serving
  // its certificate, so the checkpoint fails; the probe's message says which.
  if (!r.ok) return { outcome: 'failed', text: `${where}: ${r.failure} — ${r.message}` };
  const node = r.target.node;
  const role = probe.role !== undefined ? findRole(ctx.roles, probe.role) : genericRole(node);
  if (role === undefined) return { outcome: 'unknown', text: `${where}: the step names certificate role "${probe.role}", which is not in steps/certificates.yaml` };
  let expectation;
  try {
    expectation = probe.role !== undefined ? expectationFor(ctx.inventory.inventory, role, expectationNode(ctx.inventory.inventory, role, node)) : undefined;
  } catch (e) {
    if (!(e instanceof ExpectationError)) throw e;
    return { outcome: 'unknown', text: `${where}: ${e.message}` };
  }
  const report = await checkPresented(r, {
    role,
    ...(expectation !== undefined ? { expectation } : {}),
    anchors: ctx.trust.anchors,
    intermediates: ctx.trust.intermediates,
    now: ctx.now,
    expiryDays: DEFAULT_EXPIRY_DAYS,
  });
  if (probe.servername !== undefined) report.verdicts.push(namesVerdict(r, probe.servername));
  report.verdicts.push(...ctx.trust.verdicts);
  const failed = report.verdicts.filter((v) => v.status === 'fail');
  const seen = `SHA-256 ${r.sha256}; chain ${r.chain.map((c) => c.subject).join(' → ')}`;
  const judged = probe.role !== undefined ? `rules of ${probe.role}` : 'chain, names, validity, key';
  return failed.length === 0
    ? { outcome: 'passed', text: `${where}: presents ${seen} (${r.protocol}); ${judged}: pass` }
    : { outcome: 'failed', text: `${where}: presents ${seen}; ${failed.map((v) => `${v.check}: ${v.message}`).join('; ')}` };
}

export interface TlsPort {
  verify(step: PlannedStep): Promise<CheckpointResult>;
}

export function tlsPort(o: TlsPortOptions): TlsPort {
  let context: Promise<{ roles: readonly Role[]; trust: Trust }> | undefined;
  // Role table and trust files are read once, on the first probe.
  const load = () => (context ??= (async () => ({ roles: o.roles ?? (await loadRoleTable()), trust: await loadTrust(o.inventory.inventory, o.inventory.dir) }))());
  return {
    verify: async (step) => {
      const { roles, trust } = await load();
      const details: Detail[] = [];
      for (const a of tlsTargets(step)) {
        for (const probe of (a.checkpoint ?? step.checkpoint).tls!) {
          const r = await probeTls({
            node: a.target,
            host: probe.host,
            port: probe.port,
            ...(probe.servername !== undefined ? { servername: probe.servername } : {}),
            ...(probe.starttls !== undefined ? { starttls: probe.starttls } : {}),
            ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
          });
          const j = await judgeProbe(r, probe, { inventory: o.inventory, roles, trust, now: o.now?.() ?? new Date() });
          details.push({ target: a.target, outcome: j.outcome, text: j.text });
        }
      }
      const outcome = details.length === 0 ? 'unknown' : details.every((d) => d.outcome === 'passed') ? 'passed' : details.some((d) => d.outcome === 'failed') ? 'failed' : 'unknown';
      return { method: 'automatic', outcome, summary: `TLS probe: ${details.map((d) => `${d.target} ${d.outcome} (${d.text})`).join('; ')}`, details };
    },
  };
}
