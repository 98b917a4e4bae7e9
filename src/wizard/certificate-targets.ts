// Which certificates a step's checkpoint asks the operator for (issue 5), and the node each one's
// expectation is for. Split from certificate-checkpoint.ts, whose check parses certificates with
// @peculiar/x509: the wizard needs the questions at its first frame and the parser only when the
// operator has named the files (src/wizard/start.ts loads it then).
import { fqdnOf } from '../inventory/names.js';
import type { Inventory } from '../inventory/schema.js';
import type { PlannedStep } from '../plan/types.js';
import { findRole, type Role } from '../verify/cert/roles.js';
import type { CertificateCheckContext } from './certificate-checkpoint.js';
import type { CertificatePort } from './types.js';

/** One certificate the operator must point at: a role, and the cluster/node it is for. */
export interface CertificateTarget {
  /** Stable key for the answers ("cucm/tomcat@us-cm"; "cmm/server"). */
  key: string;
  role: string;
  /** The expectation's node: cluster name (multi-server roles) or node host (per-node roles). */
  node?: string;
  /** The plan targets it covers (for the journal's details). */
  targets: string[];
  /** "cucm/tomcat for us-cm", for the question. */
  label: string;
  /**
   * At a CA-signing step, the CSR the certificate must answer: its file (session work folder) when
   * an earlier step made or captured it, `ask` when the operator must name it.
   */
  csr?: string;
}


/** True when the step's checkpoint (or one of its actions') is a certificate check. */
export function hasCertificateCheckpoint(step: PlannedStep): boolean {
  return step.checkpoint.certificate !== undefined || step.actions.some((a) => a.checkpoint?.certificate !== undefined);
}

/** The expectation's `node` for a plan target: multi-server roles name the cluster, per-node roles the node. */
export function expectationNode(inv: Inventory, role: Role, target: string): string | undefined {
  const same = (h: string) => h.toLowerCase() === target.toLowerCase();
  switch (role.subject) {
    case 'cucm-multi-server':
    case 'imp-multi-server':
      return inv.cucm.find((c) => [c.publisher, ...c.subscribers, ...(c.imp ? [c.imp.publisher, ...c.imp.subscribers] : [])].some((n) => same(n.host)))?.name;
    case 'cucm-node':
      return inv.cucm.flatMap((c) => [c.publisher, ...c.subscribers]).find((n) => same(n.host))?.host;
    case 'ios-router':
      return inv.ios.find((r) => same(r.host))?.host;
    case 'expressway-c':
    case 'expressway-e': {
      const side = inv.expressway?.[role.subject === 'expressway-c' ? 'c' : 'e'];
      return side?.nodes.find((n) => same(n.host) || same(fqdnOf(n, inv.domain)))?.host;
    }
    default:
      return undefined;
  }
}

/**
 * The certificates a step's checkpoint needs, one per (role, cluster/node): S007's two Unified CM
 * and IM and Presence targets share one multi-server tomcat certificate; S052's Expressway peers
 * each have their own.
 */
export function certificateTargets(step: PlannedStep, inv: Inventory, roles: readonly Role[]): CertificateTarget[] {
  const out = new Map<string, CertificateTarget>();
  const add = (roleId: string, target: string | undefined, csr: string | undefined): void => {
    const role = findRole(roles, roleId);
    const node = role && target !== undefined ? expectationNode(inv, role, target) : undefined;
    const key = node === undefined ? roleId : `${roleId}@${node}`;
    const t = out.get(key) ?? { key, role: roleId, ...(node !== undefined ? { node } : {}), targets: [], label: node === undefined ? roleId : `${roleId} for ${node}`, ...(csr !== undefined ? { csr } : {}) };
    if (target !== undefined && !t.targets.includes(target)) t.targets.push(target);
    out.set(key, t);
  };
  for (const a of step.actions) {
    const roleId = a.checkpoint?.certificate ?? step.checkpoint.certificate;
    if (roleId !== undefined) add(roleId, a.target === 'operator' ? undefined : a.target, (a.checkpoint ?? step.checkpoint).csr);
  }
  if (out.size === 0 && step.checkpoint.certificate !== undefined) add(step.checkpoint.certificate, undefined, step.checkpoint.csr);
  return [...out.values()];
}

/** The TUI's words: its chain question, and r to retry with the paths kept. */
export const TUI_SUPPLY_CHAIN = 'name its file at the "Chain files" question (r retries with the paths already given)';

/**
 * The controller's certificate port over one inventory and role table (rehearsal and live: it only
 * reads local files). The questions are answered here; the check, which parses certificates with
 * @peculiar/x509, is loaded at the first check, not before the wizard's first frame.
 */
export function certificatePort(ctx: CertificateCheckContext): CertificatePort & { folder: string } {
  return {
    folder: ctx.folder ?? ctx.baseDirs[0] ?? process.cwd(),
    targets: (step) => (hasCertificateCheckpoint(step) ? certificateTargets(step, ctx.inventory.inventory, ctx.roles) : []),
    check: async (step, targets, answers) => (await import('./certificate-checkpoint.js')).checkCertificateCheckpoint(step, targets, answers, ctx),
  };
}
