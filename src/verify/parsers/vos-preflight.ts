// Parsers for the pre-flight reads of a VOS node before the first change (review-2026 C.4, B.3).
// Output layouts are cited per parser; every parser fails on output it cannot read (empty output
// included), so a command that printed nothing never passes.
import { lines, list, one, type ParseResult, type ParserArgs } from './types.js';

const FAILED = /Executed command unsuccessfully/;
const same = (a: string, b: string) => a.replace(/\.$/, '').toLowerCase() === b.replace(/\.$/, '').toLowerCase();

/**
 * `utils network host <name|ip>` (TAC 217581 "Troubleshoot IM&P Inter-Clustering Issues Caused by
 * DNS Misconfiguration"; CUCM readdressing guides): a `Local Resolution:` block
 * (`<name> resolves locally to <ip>` / `<ip> resolves locally to <name>`) and an
 * `External Resolution:` block — `<name> has address <ip>` forward,
 * `<reversed>.in-addr.arpa domain name pointer <name>.` reverse (one line per record), `No
 * external servers found` when DNS has no answer. args: `expect` — the address (forward) or FQDN
 * (reverse) both the local and the external (DNS) answer must give, or `any` (a name the inventory
 * gives no address for: DNS must answer it with some address); `local` — `skip` judges DNS alone
 * (a name outside the node's cluster is not in its /etc/hosts, which VOS keeps for the cluster's
 * own nodes [I]), else the local answer is required too. DNS must answer: a name only in
 * /etc/hosts fails.
 */
export function vosNetworkHost(output: string, args: ParserArgs): ParseResult {
  const expect = one(args, 'expect');
  if (expect === undefined) return { ok: false, details: ['no expected answer given (args.expect)'] };
  const any = expect === 'any';
  const judgeLocal = one(args, 'local') !== 'skip';
  const local: string[] = [];
  const external: string[] = [];
  for (const l of lines(output)) {
    const loc = /^\s*\S+ resolves locally to (\S+)\s*$/.exec(l);
    if (loc) local.push(loc[1]!);
    const fwd = /^\s*\S+ has address (\S+)\s*$/.exec(l);
    if (fwd) external.push(fwd[1]!);
    const ptr = /domain name pointer (\S+)\s*$/.exec(l);
    if (ptr) external.push(ptr[1]!);
  }
  const details: string[] = [];
  if (judgeLocal) {
    if (local.length === 0) details.push('no local resolution');
    else if (!any && !local.some((a) => same(a, expect))) details.push(`resolves locally to ${local.join(', ')}, not ${expect}`);
  }
  if (external.length === 0) details.push(/No external servers found/.test(output) ? 'DNS has no answer (No external servers found)' : 'no DNS answer');
  else if (!any && !external.some((a) => same(a, expect))) details.push(`DNS answers ${external.map((a) => a.replace(/\.$/, '')).join(', ')}, not ${expect}`);
  if (details.length > 0) return { ok: false, details };
  const answer = any ? external.map((a) => a.replace(/\.$/, '')).join(', ') : expect;
  return { ok: true, details: [`${judgeLocal ? 'local and DNS' : 'DNS'}: ${answer}`] };
}

/**
 * `utils ntp status` (Cisco community "Troubleshooting NTP issues on CUCM and UC apps"; TAC
 * "Troubleshoot NTP on CUCM" v15): `ntpd (pid N) is running...`, the ntpq peer table, then
 * `synchronised to NTP server (<ip>) at stratum <n>` or `unsynchronised`. The publisher's source
 * must not be above stratum 4 (same community document), so the node itself at most 5: args
 * `maxStratum` (default 5).
 */
export function vosNtpStatus(output: string, args: ParserArgs): ParseResult {
  const max = Number(one(args, 'maxStratum') ?? '5');
  if (/\bunsynchronised\b/i.test(output)) return { ok: false, details: ['NTP unsynchronised'] };
  const m = /synchronised to NTP server \(([^)]+)\) at stratum (\d+)/i.exec(output);
  if (!m) return { ok: false, details: ['no "synchronised to NTP server" line'] };
  const stratum = Number(m[2]);
  const line = `synchronised to ${m[1]} at stratum ${stratum}`;
  if (!Number.isFinite(max) || stratum > max) return { ok: false, details: [line, `stratum above ${max}`] };
  return { ok: true, details: [line] };
}

/**
 * `utils diagnose test` (TAC 217581; CUCM "Change IP address to FQDN" tech note): `Log file: …`,
 * `Starting diagnostic test(s)`, then one line per module, `test - <module> : Passed[ (…)]` or
 * `test - <module> : <failure text>`, and `skip - <module> : <why>` for modules that run only on
 * their own. Every test must read Passed; skipped modules are listed, not failed.
 */
export function vosDiagnoseTest(output: string): ParseResult {
  const rows = lines(output)
    .map((l) => /^\s*(test|skip)\s+-\s+(\S+)\s*:\s*(.*?)\s*$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null);
  const tests = rows.filter((r) => r[1] === 'test');
  if (tests.length === 0) return { ok: false, details: ['no diagnostic test lines'] };
  const failed = tests.filter((r) => !/^Passed\b/.test(r[3]!));
  const skipped = rows.filter((r) => r[1] === 'skip').map((r) => r[2]!);
  const details = failed.map((r) => `${r[2]}: ${r[3]}`);
  details.push(`${tests.length - failed.length} of ${tests.length} tests passed${skipped.length > 0 ? `; skipped: ${skipped.join(', ')}` : ''}`);
  return { ok: failed.length === 0, details };
}

/**
 * `utils dbreplication runtimestate` (Prime Collaboration Deployment 14 Best Practices; CUCM
 * readdressing guides): `Cluster Detailed View from <node> (<n> Servers):`, a table whose last
 * column is `(RTMT) & details`, one row per server ending `(<state>) <text>`, 2 = "Replication is
 * good" (same guide: 0 not started, 1 count incorrect, 3 bad, 4 setup failed). Every server must
 * be in state 2 and the table must list as many rows as the heading says.
 */
export function vosDbReplication(output: string): ParseResult {
  const head = /Cluster Detailed View from (\S+) \((\d+) Servers?\):/.exec(output);
  if (!head) return { ok: false, details: ['no "Cluster Detailed View" table'] };
  const rows = lines(output.slice(head.index))
    .map((l) => /^\s*(\S+)\s+(\d{1,3}(?:\.\d{1,3}){3})\s.*\((\d)\)\s+(.+?)\s*$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null);
  const want = Number(head[2]);
  const details = rows.map((r) => `${r[1]}: (${r[3]}) ${r[4]}`);
  let ok = rows.length > 0 && rows.every((r) => r[3] === '2');
  if (rows.length !== want) {
    ok = false;
    details.push(`${rows.length} server row(s), the heading says ${want}`);
  }
  return { ok, details };
}

/**
 * `show network cluster` (TAC 217581; CUCM readdressing guides): one line per node,
 * `<ip> <fqdn> <host> <Publisher|Subscriber> <callmanager|cups|…> <DBPub|DBSub> authenticated …`.
 * args: `nodes` — FQDNs that must be listed and authenticated (case-insensitive).
 */
export function vosNetworkCluster(output: string, args: ParserArgs): ParseResult {
  const rows = lines(output)
    .map((l) => /^\s*(\d{1,3}(?:\.\d{1,3}){3})\s+(\S+)\s+(\S+)\s+(Publisher|Subscriber)\s+(\S+)\s+(\S+)\s+(.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null);
  if (rows.length === 0) return { ok: false, details: ['no cluster node lines'] };
  const details: string[] = [];
  let ok = true;
  for (const n of list(args, 'nodes')) {
    const r = rows.find((x) => same(x[2]!, n));
    if (!r) {
      ok = false;
      details.push(`${n}: not listed`);
    } else if (!/^authenticated\b/.test(r[7]!)) {
      ok = false;
      details.push(`${n}: ${r[7]!.trim() || 'not authenticated'}`);
    }
  }
  details.push(`${rows.length} node(s) listed`);
  return { ok, details };
}

/**
 * `show license all` (TAC 212915 "Configure CUCM Smart Licensing - Direct Model", Verify): under
 * `Registration:`, `Status: REGISTERED` and `Export-Controlled Functionality: Allowed`. Mixed mode
 * needs a registration whose token allows export-controlled functionality (CLI reference 12.5(1)SU5,
 * utils ctl; cli-facts §1.4).
 */
export function vosLicenseExport(output: string): ParseResult {
  const exp = /Export-Controlled Functionality:\s*(\S+)/i.exec(output);
  const reg = /Registration:\s*\n\s*Status:\s*(\S+)/i.exec(output.replace(/\r\n?/g, '\n'));
  if (!exp) return { ok: false, details: ['no "Export-Controlled Functionality" line'] };
  const details = [`Export-Controlled Functionality: ${exp[1]}`, `registration: ${reg?.[1] ?? 'not shown'}`];
  const ok = /^allowed$/i.test(exp[1]!) && /^registered$/i.test(reg?.[1] ?? '');
  return { ok, details };
}

/**
 * `utils disaster_recovery history backup` (CLI reference 12.5(1)SU5, Utils chapter): a heading
 * `Tar Filename: Backup Device: Completed On: Result: Backup Type: Features Backed Up:` and one line
 * per backup, `<date>.tar <device> <completed on> <SUCCESS|ERROR> <MANUAL|SCHEDULED> <features>`,
 * oldest first. The most recent backup must have succeeded.
 */
export function vosDrsHistory(output: string): ParseResult {
  const rows = lines(output)
    .map((l) => /^\s*(\S+\.tar)\s+(\S+)\s+(.+?)\s+(SUCCESS|ERROR|FAILED|CANCELLED)\b/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null);
  if (rows.length === 0) return { ok: false, details: ['no backup in the history'] };
  const last = rows.at(-1)!;
  const details = [`latest backup ${last[1]} (${last[2]}), completed ${last[3]}: ${last[4]}`];
  return { ok: last[4] === 'SUCCESS', details };
}

/**
 * A baseline read (`show itl`, `show ctl`, `show cert list own`): the state as it is is the
 * baseline, whatever it says (no CTL before mixed mode is a valid baseline). It fails only when
 * nothing was read: no output, or the VOS failure marker (cli-facts §1.1).
 */
export function vosRead(output: string): ParseResult {
  const text = lines(output).filter((l) => l.trim() !== '');
  if (text.length === 0) return { ok: false, details: ['no output'] };
  if (FAILED.test(output)) return { ok: false, details: ['Executed command unsuccessfully'] };
  return { ok: true, details: [`${text.length} line(s) read`] };
}
