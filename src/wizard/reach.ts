// Which inventory nodes a live run must reach over SSH, and how. Connections come from the
// inventory (the topology adapter gives every node its address, port and platform), never from
// whichever plan action happens to name a node last: a GUI action has no host, yet its node may
// still be verified over SSH, and a GUI step with a CLI form runs that form live.
import { ExitCode, UserError } from '../errors.js';
import type { Topology } from '../inventory/topology.js';
import { apiName } from '../plan/format/requests.js';
import type { Action, Plan, Platform, PlannedStep, VerifyExpectation } from '../plan/types.js';
import { verifications } from '../plan/verifications.js';

/** An inventory node as a live run sees it; `host` or an SSH `platform` may be missing. */
export interface NodeAddress {
  host?: string;
  port: number;
  platform?: Platform;
}

/** A node reachable over SSH: an address and a platform with an SSH driver. */
export interface SshNode {
  host: string;
  port: number;
  platform: Exclude<Platform, 'local'>;
}

export function sshNode(n: NodeAddress | undefined): SshNode | undefined {
  if (n?.host === undefined || n.platform === undefined || n.platform === 'local') return undefined;
  return { host: n.host, port: n.port, platform: n.platform };
}

/** Every node of the inventory (address, SSH port, platform) and those the topology says run first. */
export function inventoryTargets(topology: Topology): { nodes: Map<string, NodeAddress>; publishers: Set<string>; clusters: Map<string, string> } {
  const nodes = new Map<string, NodeAddress>();
  const publishers = new Set<string>();
  const clusters = new Map<string, string>();
  for (const targets of Object.values(topology.groups))
    for (const t of targets) {
      // A node appears in several groups; any group that knows its address and platform says it.
      const n = nodes.get(t.name) ?? { port: t.port ?? 22 };
      n.host ??= t.host;
      n.platform ??= t.platform;
      nodes.set(t.name, n);
      if (t.runsFirst === true) publishers.add(t.name);
      const cluster = (t.context.cluster as { name?: unknown } | undefined)?.name;
      if (typeof cluster === 'string' && !clusters.has(t.name)) clusters.set(t.name, cluster);
    }
  return { nodes, publishers, clusters };
}

/**
 * The node a multi-node step runs first and alone: the first of its targets the topology marks
 * runsFirst (a VOS publisher), or none (then every node is alike and the inventory order holds).
 */
export function firstNode(actions: readonly Action[], runsFirst: ReadonlySet<string>): string | undefined {
  return actions.find((a) => runsFirst.has(a.target))?.target;
}

/** True when the action's lines are typed into its node over SSH (not on the operator's machine, not a manual task). */
export function sendsOverSsh(step: PlannedStep, action: Action): boolean {
  return action.commands.length > 0 && action.platform !== 'local' && step.kind !== 'manual' && step.kind !== 'local';
}

/** The read-only checks of one target, in order (a per-target checkpoint wins over the step's); none: []. */
export function verificationOf(step: PlannedStep, action: Action): VerifyExpectation[] {
  return verifications(action.checkpoint ?? step.checkpoint);
}

/**
 * The distinct commands of a step's reads, for people: each one, except where a checkpoint
 * repeats its read per element (`verify.each`, dozens of lines): then the first and how many.
 */
export function readCommands(step: PlannedStep, reads: readonly VerifyExpectation[]): string[] {
  const commands = [...new Set(reads.map((r) => r.command))];
  const repeated = [step.checkpoint, ...step.actions.map((a) => a.checkpoint)].some((c) => Array.isArray(c?.verify));
  return repeated && commands.length > 3 ? [`${commands[0]!} … (${commands.length} reads)`] : commands;
}

/** Targets whose lines this step sends over SSH, in plan order. */
export function sshActions(step: PlannedStep): Action[] {
  return step.actions.filter((a) => sendsOverSsh(step, a));
}

/** Targets this step writes through AXL (Unified CM publishers), in plan order. */
export function axlActions(step: PlannedStep): Action[] {
  return step.actions.filter((a) => a.axl !== undefined && a.axl.length > 0 && a.axlEndpoint !== undefined);
}

/** Targets this step sends requests to through a product API other than AXL (Control Center Services…), in plan order. */
export function apiActions(step: PlannedStep): Action[] {
  return step.actions.filter((a) => a.requests !== undefined && a.requests.length > 0 && a.apiEndpoint !== undefined);
}

/** Targets whose checkpoint reads through a product API (a service's status). */
export function apiCheckTargets(step: PlannedStep): Action[] {
  return step.actions.filter((a) => ((a.checkpoint ?? step.checkpoint).requests?.length ?? 0) > 0 && a.apiEndpoint !== undefined);
}

/** Targets whose checkpoint reads objects back through AXL. */
export function readBackTargets(step: PlannedStep): Action[] {
  return step.actions.filter((a) => (a.checkpoint ?? step.checkpoint).readBack !== undefined && a.axlEndpoint !== undefined);
}

/** True when the checkpoint has a read-only machine check (over SSH, an AXL read-back, a TLS probe or a check of local files). */
export function hasAutomaticCheck(step: PlannedStep): boolean {
  return (
    verifications(step.checkpoint).length > 0 ||
    step.actions.some((a) => verifications(a.checkpoint).length > 0) ||
    readBackTargets(step).length > 0 ||
    apiCheckTargets(step).length > 0 ||
    step.actions.some((a) => ((a.checkpoint ?? step.checkpoint).tls?.length ?? 0) > 0) ||
    step.actions.some((a) => ((a.checkpoint ?? step.checkpoint).files?.length ?? 0) > 0)
  );
}

/** What the machine check reads, in one line for people ("utils ctl … / AXL read-back … / TLS probe …"). */
export function automaticCheckLabel(step: PlannedStep): string {
  const cps = [step.checkpoint, ...step.actions.map((a) => a.checkpoint).filter((c) => c !== undefined)];
  const reads = cps.flatMap((c) => verifications(c));
  const ssh = readCommands(step, reads);
  const axl = [...new Set(cps.flatMap((c) => (c.readBack ?? []).map((r) => r.operation)))];
  const tls = [...new Set(cps.flatMap((c) => (c.tls ?? []).map((t) => `${t.host}:${t.port}`)))];
  const files = [...new Set(cps.flatMap((c) => (c.files ?? []).map((f) => f.file)))];
  const api = [...new Set(cps.flatMap((c) => (c.requests ?? []).map((r) => `${apiName(r.api)} ${r.readable.split(' ')[0]!}`)))];
  return [...ssh, ...(axl.length ? [`AXL read-back (${axl.join(', ')})`] : []), ...api, ...(tls.length ? [`TLS probe (${tls.join(', ')})`] : []), ...(files.length ? [`file check (${files.join(', ')})`] : [])].join(' + ');
}

/** Targets this step verifies over SSH, one per node, in plan order. */
export function verifyTargets(step: PlannedStep): Action[] {
  const seen = new Set<string>();
  return step.actions.filter((a) => verificationOf(step, a).length > 0 && !seen.has(a.target) && (seen.add(a.target), true));
}

/**
 * Every node the plan must reach over SSH (commands or a verification there), checked against
 * the inventory before any connection opens: a node without an address or an SSH platform is an
 * error naming node and step. Returns the SSH platforms used (their credentials are needed).
 */
export function checkReach(plan: Plan, nodes: ReadonlyMap<string, NodeAddress>): Set<Exclude<Platform, 'local'>> {
  const problems: string[] = [];
  const platforms = new Set<Exclude<Platform, 'local'>>();
  for (const step of plan.steps) {
    const need = new Map<string, string>();
    for (const a of sshActions(step)) need.set(a.target, 'commands');
    for (const a of verifyTargets(step)) if (!need.has(a.target)) need.set(a.target, `verification (${readCommands(step, verificationOf(step, a)).join(' / ')})`);
    for (const [node, why] of need) {
      const n = nodes.get(node);
      const ssh = sshNode(n);
      if (ssh) platforms.add(ssh.platform);
      else problems.push(`${step.id} needs ${node} over SSH for its ${why}, but ${n === undefined ? 'the inventory has no such node' : n.host === undefined ? 'the node has no ip address in the inventory' : 'the node has no SSH platform'}`);
    }
  }
  if (problems.length > 0)
    throw new UserError(`--live cannot reach every node its steps need:\n  ${problems.join('\n  ')}`, 'Give each node its ip (and sshPort if not 22) in the inventory, or leave those steps to a rehearsal.', ExitCode.invalidInput);
  return platforms;
}
