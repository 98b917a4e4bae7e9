// VOS cluster operations: mixed mode and the CTL (cli-facts §1.4), SQL mode checks, SIP OAuth
// (§1.5) and services (§1.6).
import { createHash } from 'node:crypto';
import { certInfo } from './pki.js';
import { confirmYN, FAILED, page, type VosCommand, type VosSession } from './vos-io.js';
import { CAPF, type CtlRecord, type VosClusterState, type VosNodeState } from './vos-state.js';

/** cli-facts §1.4 restart advice of the 10.x/11.x texts (used by CTL update and non-secure mode). */
const RESTART_TFTP_CM = 'Please Restart the TFTP and Cisco CallManager services on all nodes in the cluster that run these services';

function subjectOf(node: VosNodeState, unit: string): string {
  const pem = node.own.find((c) => c.store === unit)?.pem ?? '';
  return certInfo(pem)?.subject.split('\n').join(',') ?? `CN=${node.hostname}`;
}

/** Builds the CTL from the cluster as it is now: CAPF is only in it when activated (seed-outline §CAPF row). */
function writeCtl(cluster: VosClusterState): void {
  const pub = cluster.nodes.find((n) => n.role === 'publisher');
  const records: CtlRecord[] = [];
  if (pub) records.push({ func: 'System Administrator Security Token', subject: subjectOf(pub, 'ITLRecovery'), host: pub.hostname });
  for (const n of cluster.nodes) {
    const runs = (svc: string) => n.services[svc] !== undefined && n.services[svc] !== 'NOT_ACTIVATED';
    if (runs('Cisco CallManager') || runs('Cisco Tftp')) records.push({ func: 'CCM+TFTP', subject: subjectOf(n, 'CallManager'), host: n.hostname });
  }
  if (pub && pub.services[CAPF] !== undefined && pub.services[CAPF] !== 'NOT_ACTIVATED') {
    records.push({ func: 'CAPF', subject: subjectOf(pub, 'CAPF'), host: pub.hostname });
  }
  cluster.ctl = { records, modified: new Date() };
}

function showCtl(s: VosSession): Promise<void> {
  const ctl = s.node.cluster.ctl;
  if (!ctl) {
    // cli-facts §1.4, no CTL
    s.term.writeLines([
      'Length of CTL file: 0',
      'CTL File not found. Please run CTLClient plugin or run the CLI - utils ctl.. to generate the CTL file.',
      'Error parsing the CTL File.',
    ]);
    return Promise.resolve();
  }
  // [I] record layout; cli-facts §1.4 guarantees the header lines, FUNCTION values and the last line.
  const body = ctl.records.flatMap((r, i) => [
    `CTL Record #:${i + 1}`,
    '----',
    `FUNCTION            ${r.func}`,
    `DNSNAME             ${r.host}`,
    `SUBJECTNAME         ${r.subject}`,
    '',
  ]);
  const raw = body.join('\n');
  const md5 = createHash('md5').update(raw).digest('hex');
  const sha1 = createHash('sha1').update(raw).digest('hex');
  return page(s, [
    `The checksum value of the CTL file: ${md5}(MD5) ${sha1}(SHA1)`,
    `Length of CTL file: ${raw.length}`,
    `The CTL File was last modified on ${ctl.modified.toString()}`,
    '',
    ...body,
    'The CTL file was verified successfully.',
  ]);
}

async function mixedMode(s: VosSession): Promise<void> {
  const { term, node } = s;
  const cluster = node.cluster;
  if (node.role !== 'publisher') return term.writeLines([FAILED]); // cli-facts §1.4 publisher only ([I] text)
  term.writeLines(['This operation will set the cluster to Mixed mode.']);
  if (cluster.autoRegistration) term.writeLines(['Auto-registration is enabled on at least one CM node.']);
  if (!(await confirmYN(term, 'Do you want to continue? (y/n):'))) return; // [I] "n" prints nothing more
  // cli-facts §1.4: needs Smart Licensing with export-controlled functionality ([I] failure text).
  if (!cluster.exportControlled) return term.writeLines([FAILED]);
  term.writeLines(['Moving Cluster to Mixed Mode']);
  await term.sleep(Math.min(50, node.restartMs));
  cluster.clusterSecurityMode = 1;
  writeCtl(cluster);
  // cli-facts §1.4, 12.5-era advice text
  term.writeLines([
    'Cluster set to Mixed Mode',
    'You must reset all phones to ensure they received the updated CTL file.',
    'You must restart Cisco CTIManager services on all the nodes in the cluster that have the service activated.',
  ]);
}

async function nonSecureMode(s: VosSession): Promise<void> {
  const { term, node } = s;
  if (node.role !== 'publisher') return term.writeLines([FAILED]);
  // cli-facts §1.4 (TN-nonsecure)
  if (!(await confirmYN(term, 'This operation will set the cluster to non secure mode. Do you want to continue? (y/n):'))) return;
  term.writeLines(['Moving Cluster to Non Secure Mode']);
  node.cluster.clusterSecurityMode = 0;
  term.writeLines(['Cluster set to Non Secure Mode', RESTART_TFTP_CM]);
}

async function ctlUpdate(s: VosSession): Promise<void> {
  const { term, node } = s;
  // [I] refused on subscribers and outside mixed mode
  if (node.role !== 'publisher' || node.cluster.clusterSecurityMode !== 1) return term.writeLines([FAILED]);
  if (!(await confirmYN(term, 'This operation updates the CTLFile. Do you want to continue? (y/n):'))) return; // cli-facts §1.4
  term.writeLines(['Updating CTL file']);
  writeCtl(node.cluster);
  term.writeLines(['CTL file Updated', RESTART_TFTP_CM]);
}

function sql(s: VosSession, m: RegExpExecArray): void {
  // cli-facts §1.4 / §1.5: processconfig mode checks; other SQL is not simulated ([I] failure).
  const values: Record<string, string> = {
    ClusterSecurityMode: String(s.node.cluster.clusterSecurityMode),
    ClusterSIPOAuthMode: String(s.node.cluster.sipOAuthMode),
  };
  const cols = (m[1] ?? '').split(',').map((c) => c.trim().toLowerCase());
  const wanted = cols.length === 1 && cols[0] === '*' ? ['paramname', 'paramvalue'] : cols;
  if (wanted.some((c) => c !== 'paramname' && c !== 'paramvalue')) return s.term.writeLines([FAILED]);
  const name = m[2] ?? '';
  const rows = values[name] === undefined ? [] : [wanted.map((c) => (c === 'paramname' ? name : (values[name] ?? '')))];
  const widths = wanted.map((c, i) => Math.max(c.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (cells: string[]) => cells.map((v, i) => (i === cells.length - 1 ? v : v.padEnd(widths[i] ?? 0))).join(' ');
  s.term.writeLines([fmt(wanted), widths.map((w) => '='.repeat(w)).join(' '), ...rows.map(fmt)]);
}

function serviceLine(name: string, st: string): string {
  // cli-facts §1.6 list format; "Service Not Activated" wording is [I] (scripts match "Not Activated").
  if (st === 'STARTED') return `${name}[STARTED]`;
  if (st === 'STOPPED') return `${name}[STOPPED]  Commanded Out of Service`;
  if (st === 'NOT_ACTIVATED') return `${name}[STOPPED]  Service Not Activated`;
  return `${name}[${st}]`;
}

async function restart(s: VosSession, name: string): Promise<void> {
  const { term, node } = s;
  const st = node.services[name];
  // cli-facts §1.6: display names are case-sensitive; unknown or not activated fails.
  if (st === undefined || st === 'NOT_ACTIVATED') return term.writeLines([FAILED]);
  const ms = node.restartMs;
  node.services[name] = 'STOPPING';
  term.writeLines([`${name}[STOPPING]`]); // cli-facts §1.6 progress line
  // The restart runs on in the background even if the operator stops waiting (Ctrl-C).
  setTimeout(() => { node.services[name] = 'STARTING'; }, ms / 2).unref();
  setTimeout(() => {
    node.services[name] = 'STARTED';
    node.startedAt[name] = Date.now();
    node.restarts.push({ service: name, at: Date.now() });
    if (name === CALLMANAGER) node.phonesBackFrom = Date.now();
  }, ms).unref();
  if (await term.sleep(ms + 1)) term.writeLines([`${name}[STARTED]`]); // netssl: [STARTED] then admin: = success
}

/**
 * [I] Per-service start time. cli-facts has no VOS command that prints one (§1.6 `utils service
 * list` prints only the state; `show status` (§1.6) gives the system uptime, which a service
 * restart does not change). This row layout — PID, start time (ISO 8601, "-" while the service is
 * not STARTED), service display name — is inferred; only what the probe needs is simulated.
 */
function processList(s: VosSession): Promise<void> {
  const rows = Object.entries(s.node.services)
    .filter(([, st]) => st !== 'NOT_ACTIVATED')
    .map(([name, st], i) => {
      const at = s.node.startedAt[name];
      return `${String(1000 + i * 7).padStart(6)}  ${st === 'STARTED' && at !== undefined ? new Date(at).toISOString() : '-'.padEnd(24)}  ${name}`;
    });
  return page(s, ['   PID  STARTED                   SERVICE', ...rows]);
}

const CALLMANAGER = 'Cisco CallManager';

/** Phones registered to the node now: none while CallManager is down, then back over phoneReturnMs. */
export function registeredPhones(node: VosNodeState, now = Date.now()): number {
  if (node.services[CALLMANAGER] !== 'STARTED') return 0;
  if (node.phonesBackFrom === undefined || node.phoneReturnMs <= 0) return node.phones;
  return Math.floor(node.phones * Math.min(1, (now - node.phonesBackFrom) / node.phoneReturnMs));
}

/**
 * [I] `show risdb query phone` (review-2026 B.2; not in cli-facts): a title line, then a
 * comma-separated table whose header names DeviceName … RegStatus, one row per phone, RegStatus
 * "reg" for a registered phone and "unr" for one that is not. Only what the gate reads is simulated.
 */
function risdbPhones(s: VosSession): Promise<void> {
  const reg = registeredPhones(s.node);
  const rows = Array.from({ length: s.node.phones }, (_, i) => {
    const n = String(i + 1).padStart(4, '0');
    return `SEP00000000${n}, Lab phone ${i + 1}, 192.0.2.${(i % 200) + 20}, ${i < reg ? 'reg' : 'unr'}, SIP, Cisco 8865`;
  });
  return page(s, ['-------------------- Phone Information --------------------', 'DeviceName, Descr, Ipaddr, RegStatus, PhoneProtocol, DeviceModel', ...rows]);
}

function sipOAuth(s: VosSession, on: boolean): void {
  // cli-facts §1.5: publisher command; its output is not documented ([I]: none).
  if (s.node.role !== 'publisher') return s.term.writeLines([FAILED]);
  s.node.cluster.sipOAuthMode = on ? 1 : 0;
}

export const opsCommands: VosCommand[] = [
  [/^utils ctl set-cluster mixed-mode$/, mixedMode],
  [/^utils ctl set-cluster non-secure-mode$/, nonSecureMode],
  [/^utils ctl update CTLFile$/, ctlUpdate],
  [/^show ctl$/i, showCtl],
  [/^run sql select (.+?) from processconfig where paramname ?= ?'(\w+)'$/i, sql],
  [/^utils sipOAuth-mode enable$/, (s) => sipOAuth(s, true)],
  [/^utils sipOAuth-mode disable$/, (s) => sipOAuth(s, false)], // cli-facts §1.5: [I]
  [/^show process list detail$/, processList], // [I], see processList
  [/^show risdb query phone$/, risdbPhones], // [I], see risdbPhones
  [/^utils service list$/, (s) => page(s, Object.entries(s.node.services).map(([n, st]) => serviceLine(n, st)))],
  [/^utils service restart (.+)$/, (s, m) => restart(s, (m[1] ?? '').trim())],
];
