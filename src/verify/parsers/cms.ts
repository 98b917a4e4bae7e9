// CMS MMP parsers (cli-facts §3): `pki list` prints `User supplied certificates and keys:` then
// file names; MMP commands report `SUCCESS:` / `FAILURE:` lines.
import { lines, list, one, type ParseResult, type ParserArgs } from './types.js';

export function pkiFiles(output: string): string[] {
  const ls = lines(output);
  const start = ls.findIndex((l) => /User supplied certificates and keys:/.test(l));
  if (start < 0) return [];
  return ls
    .slice(start + 1)
    .map((l) => l.trim())
    .filter((l) => /^[\w.-]+\.(?:key|csr|crt|cer|pem|der)$/i.test(l));
}

/** args: `files` that must be listed. */
export function cmsPkiList(output: string, args: ParserArgs): ParseResult {
  const files = pkiFiles(output);
  const missing = list(args, 'files').filter((f) => !files.includes(f));
  return { ok: missing.length === 0 && files.length > 0, details: [`files: ${files.join(', ') || 'none'}`, ...missing.map((f) => `missing ${f}`)] };
}

/** args: `contains` texts expected on SUCCESS lines (optional). Any FAILURE: line fails. */
export function mmpSuccess(output: string, args: ParserArgs): ParseResult {
  const ls = lines(output);
  const failures = ls.filter((l) => /^\s*FAILURE:/.test(l)).map((l) => l.trim());
  const successes = ls.filter((l) => /^\s*SUCCESS:/.test(l)).map((l) => l.trim());
  const missing = list(args, 'contains').filter((c) => !successes.some((s) => s.includes(c)));
  return {
    ok: failures.length === 0 && successes.length > 0 && missing.length === 0,
    details: [...failures, ...successes, ...missing.map((c) => `no SUCCESS line with "${c}"`), ...(successes.length === 0 ? ['no SUCCESS: line'] : [])],
  };
}

/**
 * `Label : value` lines of a bare MMP service command (`webadmin`, `callbridge`, …) or of
 * `database cluster status`, label → value, whitespace collapsed. Layout from Cisco TAC 221729
 * ("Configure Example of CMS Edge": `Key file              : core.key`) and TAC 217320 (streamer).
 */
export function mmpFields(output: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const l of lines(output)) {
    const m = /^\s*([A-Za-z][A-Za-z0-9 ()/-]*?)\s+:\s*(.*?)\s*$/.exec(l);
    if (m?.[1] !== undefined && !out.has(m[1])) out.set(m[1], (m[2] ?? '').replace(/\s+/g, ' '));
  }
  return out;
}

/**
 * A service's configuration as its bare MMP command shows it: args `key` / `cert`, the files it
 * must use; `enabled: "true"` when it must be enabled; `trust`, files its trust bundle must name;
 * `c2wKey` / `c2wCert`, the pair of Web Bridge 3's C2W listener (Meeting Server 3.x).
 * Field names per TAC 221729 (`Key file`, `Certificate file`, `Enabled`; Web Bridge 3 prefixes
 * `HTTPS`) and TAC 217320 (`Trust bundle`). Fails on output without those fields.
 */
export function cmsServiceConfig(output: string, args: ParserArgs): ParseResult {
  const f = mmpFields(output);
  const key = f.get('Key file') ?? f.get('HTTPS Key file');
  const cert = f.get('Certificate file') ?? f.get('HTTPS Full chain certificate file');
  if (key === undefined || cert === undefined) return { ok: false, details: ['no Key file / Certificate file fields in the output'] };
  const details = [`key file: ${key}`, `certificate file: ${cert}`];
  let ok = true;
  const wantKey = one(args, 'key');
  const wantCert = one(args, 'cert');
  if (wantKey !== undefined && key !== wantKey) { ok = false; details.push(`expected key file ${wantKey}`); }
  if (wantCert !== undefined && cert !== wantCert) { ok = false; details.push(`expected certificate file ${wantCert}`); }
  if (one(args, 'enabled') === 'true') {
    const en = f.get('Enabled');
    ok &&= en === 'true';
    details.push(`enabled: ${en ?? 'not shown'}`);
  }
  // 2.x `Trust bundle` (TAC 217320); the 3.x C2W trust of `callbridge` (`C2W trusted certs`, TAC
  // 221729) and of `webbridge3` (`C2W trust bundle` [I: no public transcript of the bare webbridge3]).
  const trust = (f.get('Trust bundle') ?? f.get('C2W trusted certs') ?? f.get('C2W trust bundle') ?? '').split(' ').filter((t) => t !== '' && t !== 'none');
  const untrusted = list(args, 'trust').filter((t) => !trust.includes(t));
  if (untrusted.length > 0) { ok = false; details.push(`trust bundle lacks ${untrusted.join(', ')}`); }
  // Web Bridge 3's C2W listener has its own pair (`webbridge3 c2w certs`); field names [I].
  for (const [arg, label] of [['c2wKey', 'C2W Key file'], ['c2wCert', 'C2W Full chain certificate file']] as const) {
    const want = one(args, arg);
    if (want === undefined) continue;
    const got = f.get(label);
    details.push(`${label.toLowerCase()}: ${got ?? 'not shown'}`);
    if (got !== want) { ok = false; details.push(`expected ${label.toLowerCase()} ${want}`); }
  }
  return { ok, details };
}

/**
 * `database cluster status`: args `status` (e.g. Enabled) the `Status` field must show, `files`
 * every one of which the status must name among its certificates. [I] the field layout (no public
 * transcript found; cli-facts §3 only names the command); output without a `Status` field fails.
 */
export function cmsDbClusterStatus(output: string, args: ParserArgs): ParseResult {
  const f = mmpFields(output);
  const status = f.get('Status');
  if (status === undefined) return { ok: false, details: ['no Status field in the output'] };
  const details = [`status: ${status}`];
  const want = one(args, 'status');
  let ok = want === undefined || status === want;
  const named = new Set([...f.values()].flatMap((v) => v.split(' ')));
  const missing = list(args, 'files').filter((x) => !named.has(x));
  if (missing.length > 0) { ok = false; details.push(`certificates not configured: ${missing.join(', ')}`); }
  if (want !== undefined && status !== want) details.push(`expected status ${want}`);
  return { ok, details };
}
