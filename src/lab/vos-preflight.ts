// The pre-flight reads of a VOS node (review-2026 C.4, B.3): DNS, NTP, diagnostics, database
// replication, cluster membership, licensing, DRS history and the ITL. Layouts follow the sources
// the parsers cite (src/verify/parsers/vos-preflight.ts); what no source shows is marked [I].
import { createHash } from 'node:crypto';
import { certInfo } from './pki.js';
import { page, type VosCommand, type VosSession } from './vos-io.js';
import type { VosNodeState } from './vos-state.js';

const fqdn = (n: VosNodeState) => n.fqdn ?? n.hostname;

/**
 * TAC 217581: a Local Resolution block, a blank line, an External Resolution block. A reverse
 * answer names `<reversed ip>.in-addr.arpa domain name pointer <fqdn lower case>.`, one line per
 * PTR record. Locally (/etc/hosts) a node knows its cluster's nodes only; DNS knows them and the
 * lab's zone (every name of the lab inventory, VosPreflightState.dns). The lab's nodes share
 * 127.0.0.1, so an address resolves locally to the asking node itself, and through DNS to every
 * name at that address (several PTR records for one address, as DNS allows; [I] a lab artefact:
 * real nodes have addresses of their own).
 */
function networkHost(s: VosSession, m: RegExpExecArray): void {
  const q = m[1]!;
  const { node } = s;
  const pf = node.cluster.preflight;
  const is = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  const reverse = /^\d{1,3}(\.\d{1,3}){3}$/.test(q);
  const hit = reverse
    ? (q === node.ip ? node : node.cluster.nodes.find((n) => n.ip === q))
    : node.cluster.nodes.find((n) => [n.hostname, fqdn(n)].some((x) => is(x, q)));
  const zone = [...(hit ? [{ name: fqdn(hit), ip: hit.ip }] : []), ...node.cluster.nodes.map((n) => ({ name: fqdn(n), ip: n.ip })), ...pf.dns];
  let external: string[] = [];
  if (!pf.dnsMissing.some((x) => is(x, q))) {
    if (reverse) {
      const names = [...new Set(zone.filter((z) => z.ip === q && !pf.ptrMissing.some((x) => is(x, z.name))).map((z) => z.name.toLowerCase()))];
      external = names.map((n) => `${q.split('.').reverse().join('.')}.in-addr.arpa domain name pointer ${n}.`);
    } else {
      const r = hit ? { name: fqdn(hit), ip: hit.ip } : zone.find((z) => is(z.name, q));
      if (r) external = [`${r.name} has address ${r.ip}`];
    }
  }
  // [I] the wording for a name /etc/hosts does not know.
  const local = !hit ? `${q} not found` : reverse ? `${q} resolves locally to ${fqdn(hit)}` : `${fqdn(hit)} resolves locally to ${hit.ip}`;
  s.term.writeLines(['Local Resolution:', local, '', 'External Resolution:', ...(external.length > 0 ? external : ['No external servers found'])]);
}

/** Cisco community "Troubleshooting NTP issues on CUCM and UC apps": ntpd line, peer table, verdict. */
function ntpStatus(s: VosSession): void {
  const st = s.node.cluster.preflight.ntpStratum;
  const peer = st === undefined ? ' 192.0.2.123    .INIT.          16 u   45   64  377    0.374  492.965  18.189' : `*192.0.2.123    .GPS.            ${st - 1} u  538 1024  377  262.732    0.044   0.006`;
  s.term.writeLines([
    'ntpd (pid 26049) is running...',
    '',
    '     remote           refid      st t when poll reach   delay   offset  jitter',
    '==============================================================================',
    peer,
    '',
    '',
    ...(st === undefined
      ? ['unsynchronised', '  time server re-starting', '   polling server every 64 s']
      : [`synchronised to NTP server (192.0.2.123) at stratum ${st}`, '   time correct to within 22 ms', '   polling server every 1024 s']),
  ]);
}

/** TAC 217581: `utils diagnose test` module lines (the module list is that document's). */
const DIAG_MODULES = ['disk_space', 'disk_files', 'service_manager', 'tomcat', 'tomcat_deadlocks', 'tomcat_keystore', 'tomcat_connectors', 'tomcat_threads', 'tomcat_memory', 'tomcat_sessions', 'tomcat_heapdump', 'validate_network', 'raid'];
const DIAG_SKIPPED = new Set(['disk_files', 'tomcat_heapdump']);

function diagnoseTest(s: VosSession): Promise<void> {
  const fails = s.node.cluster.preflight.diagnoseFailures;
  const rows = DIAG_MODULES.map((mod) => {
    const label = mod.padEnd(18);
    if (DIAG_SKIPPED.has(mod)) return `skip - ${label} : This module must be run directly and off hours`;
    return `test - ${label} : ${fails[mod] ?? (mod === 'disk_space' ? 'Passed (available: 6938 MB, used: 11852 MB)' : 'Passed')}`;
  });
  return page(s, ['Log file: platform/log/diag1.log', '', 'Starting diagnostic test(s)', '===========================', ...rows, '', 'Diagnostics Completed']);
}

/** PCD 14 Best Practices: the 12.5+/15 layout of `utils dbreplication runtimestate`. */
function dbReplication(s: VosSession): Promise<void> {
  const nodes = s.node.cluster.nodes;
  const st = s.node.cluster.preflight.replicationState;
  const text = st === 2 ? 'Setup Completed' : st === 3 ? 'Out Of Sync' : st === 4 ? 'Setup Failed' : 'Replication Not Started'; // [I] texts of states other than 2 and 3
  const rows = nodes.map((n, i) => `${n.hostname.padEnd(24)} ${n.ip.padEnd(17)} 0.0${16 + i}     Y/Y/Y     0        (g_${i + 2})          (${st}) ${text}`);
  return page(s, [
    '',
    `Server Time: ${new Date().toString()}`,
    '',
    'Cluster Replication State: BROADCAST SYNC ended at: 2026-12-01-17-47',
    '     Sync Result: SYNC COMPLETED on 753 tables out of 753',
    '     Sync Status: All Tables are in sync',
    '',
    'DB Version: ccm15_0_0_98100_154',
    '',
    'Repltimeout set to: 300s',
    'PROCESS option set to: 1',
    '',
    `Cluster Detailed View from ${s.node.hostname} (${nodes.length} Servers):`,
    '',
    '                                           PING      DB/RPC/   REPL.    Replication    REPLICATION SETUP',
    'SERVER-NAME              IP ADDRESS        (msec)    DbMon?    QUEUE    Group ID       (RTMT) & Details',
    '-----------              ----------        ------    -------   -----    -----------    ------------------',
    ...rows,
  ]);
}

/** TAC 217581: one line per node; "using TCP since …" only on nodes other than the one asked ([I] which). */
function networkCluster(s: VosSession): void {
  const isImp = (n: VosNodeState) => n.services['Cisco XCP Router'] !== undefined;
  s.term.writeLines(
    s.node.cluster.nodes.map((n) => {
      const db = n.role === 'publisher' ? 'DBPub' : 'DBSub';
      const since = n === s.node ? '' : ' using TCP since Thu Oct 28 11:24:16 2021';
      return `${n.ip} ${fqdn(n)} ${n.hostname} ${n.role === 'publisher' ? 'Publisher' : 'Subscriber'} ${isImp(n) ? 'cups' : 'callmanager'} ${db} authenticated${since}`;
    }),
  );
}

/** TAC 212915 "Show license all": the Registration block carries the export-controlled line. */
function licenseAll(s: VosSession): void {
  const allowed = s.node.cluster.exportControlled;
  s.term.writeLines([
    'Smart Licensing Status',
    '=======================',
    'Smart Licensing is ENABLED',
    '',
    'Registration:',
    '  Status: REGISTERED',
    '  Smart Account: Lab Account',
    '  Virtual Account: Collaboration',
    `  Export-Controlled Functionality: ${allowed ? 'Allowed' : 'Not Allowed'}`, // "Not Allowed" [I]
    '  Initial Registration: SUCCEEDED on Jan 26 15:11:23 2026 UTC',
    '',
    'License Authorization:',
    '  Status: AUTHORIZED on Jan 26 15:12:59 2026 UTC',
  ]);
}

/** CLI reference 12.5(1)SU5 utils disaster_recovery history: heading, then one line per backup. */
function drsHistory(s: VosSession): void {
  s.term.writeLines([
    'Tar Filename: Backup Device: Completed On: Result: Backup Type: Features Backed Up:',
    ...s.node.cluster.preflight.backups.map((b) => `${b.file} NETWORK Fri Dec 11 02:14:31 UTC 2026 ${b.result} SCHEDULED ${b.result === 'SUCCESS' ? 'CDR_CAR,UCM,PLM' : ''}`.trimEnd()),
  ]);
}

/**
 * [I] `show itl` layout: cli-facts §1.4 says only that it shows the ITL file in both modes; the
 * lab mirrors `show ctl` (checksum, length, records with FUNCTION, the verification line). Its
 * records name the certificates the nodes have now, so a certificate change shows in it.
 */
function showItl(s: VosSession): Promise<void> {
  const nodes = s.node.cluster.nodes;
  const subject = (n: VosNodeState, unit: string) => certInfo(n.own.find((c) => c.store === unit)?.pem ?? '')?.subject.split('\n').join(',') ?? `CN=${n.hostname}`;
  const pub = nodes.find((n) => n.role === 'publisher') ?? s.node;
  const records = [
    { func: 'System Administrator Security Token', n: pub, unit: 'ITLRecovery' },
    ...nodes.flatMap((n) => [{ func: 'CCM+TFTP', n, unit: 'CallManager' }, { func: 'TVS', n, unit: 'TVS' }]),
  ].filter((r) => r.n.own.some((c) => c.store === r.unit));
  const body = records.flatMap((r, i) => [`ITL Record #:${i + 1}`, '----', `FUNCTION            ${r.func}`, `DNSNAME             ${r.n.hostname}`, `SUBJECTNAME         ${subject(r.n, r.unit)}`, '']);
  const raw = body.join('\n');
  return page(s, [
    `The checksum value of the ITL file: ${createHash('md5').update(raw).digest('hex')}(MD5) ${createHash('sha1').update(raw).digest('hex')}(SHA1)`,
    `Length of ITL file: ${raw.length}`,
    '',
    ...body,
    'The ITL file was verified successfully.',
  ]);
}

export const preflightCommands: VosCommand[] = [
  [/^utils network host (\S+)$/, networkHost],
  [/^utils ntp status$/, ntpStatus],
  [/^utils diagnose test$/, diagnoseTest],
  [/^utils dbreplication runtimestate$/, dbReplication],
  [/^show network cluster$/, networkCluster],
  [/^show license all$/, licenseAll],
  [/^utils disaster_recovery history backup$/, drsHistory],
  [/^show itl$/, showItl],
];
